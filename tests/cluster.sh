#!/bin/bash
# A one-node Slurm cluster from Debian's packages, for the demo, the tests and CI.
#   cluster.sh up      install what is missing, configure, start (idempotent)
#   cluster.sh down    stop every daemon it started
#   cluster.sh status  show the node and the daemons
# Must run as root. Test users: alice and bob (accounts "physics" and "chem").
set -euo pipefail

CLUSTER=restcluster
HOST=$(hostname)
KEY=/var/spool/slurmctld/jwt_hs256.key
# auth_jwt.so is in slurm-wlm-jwt-plugin: slurmdbd and slurmctld die without it.
PKGS="munge slurmctld slurmd slurm-client slurmdbd slurm-wlm-jwt-plugin
mariadb-server libslurm-dev slurmrestd python3-venv python3-dev gcc procps
xinetd wrk systemd openssl curl man-db"

log() { echo "cluster: $*" >&2; }

# The daemons started here must not inherit the caller's descriptors: a lock
# that flock(1) holds on one would stay held for as long as they run.
for fd in /proc/$$/fd/*; do
    fd=${fd##*/}
    [ "$fd" -gt 2 ] && eval "exec $fd>&-"
done 2>/dev/null

# Pids of the daemon NAME that runs in this root. Another root on the machine
# (tests/root.sh) shares the process table, and its daemons are not ours.
ours() {
    local root p; root=$(stat -c %d:%i /)
    for p in $(pgrep -x "$1"); do
        [ "$(stat -Lc %d:%i "/proc/$p/root" 2>/dev/null)" = "$root" ] && echo "$p"
    done
    return 0
}
running() { [ -n "$(ours "$1")" ]; }
stop() { local p; p=$(ours "$1"); [ -z "$p" ] || kill $p 2>/dev/null || true; }
stopped() { local d; for d; do ! running "$d" || return 1; done; }

install_packages() {
    local missing=()
    for p in $PKGS; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep "ok installed" >/dev/null || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

users() {
    for u in alice bob; do
        id "$u" >/dev/null 2>&1 || useradd -m -s /bin/bash "$u"
    done
    id slurmrestd >/dev/null 2>&1 || useradd -r -M -s /usr/sbin/nologin slurmrestd  # runs JWT daemons in tests
}

write_config() {
    local before; before=$(cat /etc/slurm/slurm.conf 2>/dev/null || true)
    mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/slurm
    chown slurm:slurm /var/spool/slurmctld /var/log/slurm /run/slurm
    if [ ! -s "$KEY" ]; then
        dd if=/dev/urandom of="$KEY" bs=32 count=1 status=none
    fi
    chown slurm:slurm "$KEY"; chmod 600 "$KEY"
    cat > /etc/slurm/slurm.conf <<EOF
ClusterName=$CLUSTER
SlurmctldHost=$HOST
SlurmUser=slurm
SlurmctldPort=6817
SlurmdPort=6818
AuthType=auth/munge
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=$KEY
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurm/slurmctld.pid
SlurmdPidFile=/run/slurm/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
ReturnToService=2
MaxJobCount=20000
# Six-digit ids from the start: tests replace a job's own id inside its
# values, and "1" or "12" would also match a CPU count or a time.
FirstJobId=100000
MinJobAge=3600
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=localhost
AccountingStorageEnforce=associations
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
Licenses=matlab:4,fluent:2
DefMemPerCPU=100
NodeName=$HOST CPUs=2 RealMemory=2000 State=UNKNOWN
# Nodes with no slurmd behind them: the tests drain them and reserve them.
NodeName=ghost[1-2] NodeAddr=127.0.0.1 Port=6899 CPUs=1 RealMemory=500 Features=ghost State=DOWN
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
PartitionName=long Nodes=$HOST MaxTime=2-00:00:00 DefaultTime=01:00:00 MaxNodes=1 MaxCPUsPerNode=2 Priority=10 State=UP
PartitionName=ghosts Nodes=ghost[1-2] MaxTime=30 MinNodes=1 MaxNodes=2 AllowAccounts=physics State=UP
EOF
    cat > /etc/slurm/slurmdbd.conf <<EOF
AuthType=auth/munge
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=$KEY
DbdHost=localhost
SlurmUser=slurm
StorageType=accounting_storage/mysql
StorageHost=localhost
StorageUser=slurm
StoragePass=slurmpw
StorageLoc=slurm_acct_db
LogFile=/var/log/slurm/slurmdbd.log
PidFile=/run/slurm/slurmdbd.pid
EOF
    chown slurm:slurm /etc/slurm/slurmdbd.conf; chmod 600 /etc/slurm/slurmdbd.conf
    # A running controller must pick up a changed configuration.
    if [ "$before" != "$(cat /etc/slurm/slurm.conf)" ] && running slurmctld; then
        log "slurm.conf changed: restarting slurmctld and slurmd"
        stop slurmd; stop slurmctld
        wait_for 60 "slurmctld and slurmd to stop" stopped slurmd slurmctld
    fi
}

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
    local t=$1 what=$2; shift 2
    for _ in $(seq $((t * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
    log "timed out waiting for $what"; return 1
}

start_munge() {
    mkdir -p /run/munge /var/lib/munge /var/log/munge
    chown munge:munge /run/munge /var/lib/munge /var/log/munge
    [ -s /etc/munge/munge.key ] || runuser -u munge -- mungekey --create
    running munged || runuser -u munge -- /usr/sbin/munged
    wait_for 10 munge sh -c 'munge -n | unmunge'
}

start_mariadb() {
    mkdir -p /run/mysqld; chown mysql:mysql /run/mysqld
    if ! running mariadbd; then
        [ -d /var/lib/mysql/mysql ] || mariadb-install-db --user=mysql >/dev/null
        (setsid mysqld_safe --user=mysql >/dev/null 2>&1 &)
    fi
    wait_for 60 mariadb mariadb -e 'select 1'
    mariadb -e "CREATE USER IF NOT EXISTS 'slurm'@'localhost' IDENTIFIED BY 'slurmpw';
                GRANT ALL ON slurm_acct_db.* TO 'slurm'@'localhost'; FLUSH PRIVILEGES;"
}

start_slurm() {
    running slurmdbd || /usr/sbin/slurmdbd
    wait_for 60 slurmdbd sacctmgr -n list cluster
    sacctmgr -n list cluster format=cluster%40 | grep -w "$CLUSTER" >/dev/null || sacctmgr -i add cluster "$CLUSTER" >/dev/null
    running slurmctld || /usr/sbin/slurmctld
    wait_for 60 slurmctld scontrol ping
    running slurmd || /usr/sbin/slurmd
    wait_for 60 "node $HOST" sh -c "sinfo -h -n $HOST -o %T | grep -Eq 'idle|mix|alloc|drain|plnd|planned|comp'"
    accounts
}

accounts() {
    sacctmgr -n list account format=account%40 | grep -w physics >/dev/null || {
        sacctmgr -i add account physics Description=physics Organization=science >/dev/null
        sacctmgr -i add account chem Description=chemistry Organization=science >/dev/null
        sacctmgr -i add user alice Account=physics >/dev/null
        sacctmgr -i add user bob Account=chem >/dev/null
        sacctmgr -i add user alice Account=chem >/dev/null
    }
}

down() {
    # Each daemon is waited for: slurmctld saves every job's state before it
    # exits (seconds, with thousands of jobs), and an "up" meanwhile would
    # find it still running and start nothing.
    for d in slurmd slurmctld slurmdbd; do stop "$d"; done
    wait_for 60 "slurm to stop" stopped slurmd slurmctld slurmdbd
    if [ -S /run/mysqld/mysqld.sock ]; then mariadb-admin shutdown 2>/dev/null || true; fi
    stop munged
    wait_for 60 "munged and mariadb to stop" stopped munged mariadbd
}

case "${1:-up}" in
    up)
        [ "$(id -u)" = 0 ] || { log "run as root"; exit 1; }
        install_packages; users; write_config
        start_munge; start_mariadb; start_slurm
        log "up: $(sinfo -h -o '%P %T %N' | tr '\n' ' ')" ;;
    down) down ;;
    status) sinfo; for d in munged mariadbd slurmdbd slurmctld slurmd; do echo "$d: $(ours $d)"; done ;;
    *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
