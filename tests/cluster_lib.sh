# What the two test clusters share, sourced by tests/cluster.sh (the machine's
# Slurm 22.05) and tests/cluster24.sh (Slurm 24.11 in a Debian trixie root):
# one slurm.conf and slurmdbd.conf, one set of accounts and users, and the
# helpers that start daemons in one root and wait for them. The same names,
# nodes, partitions, licenses and accounts on both, so that values compare.
#
# The sourcing script defines
#   CLUSTER_ROOT     the root directory its daemons run in (/ for the machine)
#   in_root CMD...   runs CMD in that root, as root

CLUSTER=restcluster
HOST=$(hostname)
KEY=/var/spool/slurmctld/jwt_hs256.key

# The daemons started here must not inherit the caller's descriptors: a lock
# that flock(1) holds on one would stay held for as long as they run.
# (255 is the descriptor bash reads the script from; the listing's own
# descriptor is gone by the time the loop reaches it.)
for fd in /proc/$$/fd/*; do
    fd=${fd##*/}
    if [ "$fd" -gt 2 ] && [ "$fd" -lt 255 ]; then { eval "exec $fd>&-"; } 2>/dev/null || true; fi
done

# slurm.conf, on stdout. slurm_conf CTLD_PORT SLURMD_PORT [DBD_PORT]
# (no DBD_PORT: slurmdbd's default port, and no line for it).
slurm_conf() {
    cat <<EOF
ClusterName=$CLUSTER
SlurmctldHost=$HOST
SlurmUser=slurm
SlurmctldPort=$1
SlurmdPort=$2
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
${3:+AccountingStoragePort=$3
}AccountingStorageEnforce=associations
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
}

# slurmdbd.conf, on stdout. slurmdbd_conf DATABASE [DBD_PORT]
slurmdbd_conf() {
    cat <<EOF
AuthType=auth/munge
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=$KEY
DbdHost=localhost
${2:+DbdPort=$2
}SlurmUser=slurm
StorageType=accounting_storage/mysql
StorageHost=localhost
StorageUser=slurm
StoragePass=slurmpw
StorageLoc=$1
LogFile=/var/log/slurm/slurmdbd.log
PidFile=/run/slurm/slurmdbd.pid
EOF
}

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
    local t=$1 what=$2; shift 2
    for _ in $(seq $((t * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
    log "timed out waiting for $what"; return 1
}

# Pids of the daemon NAME that runs in CLUSTER_ROOT. Without a pid namespace
# every root on the machine shares one process table: a process is ours when
# its root directory is ours (compared by inode, as paths differ by viewer).
ours() {
    local root p; root=$(stat -c %d:%i "$CLUSTER_ROOT")
    for p in $(pgrep -x "$1"); do
        [ "$(stat -Lc %d:%i "/proc/$p/root" 2>/dev/null)" = "$root" ] && echo "$p"
    done
    return 0
}
running() { [ -n "$(ours "$1")" ]; }
stop() { local p; p=$(ours "$1"); [ -z "$p" ] || kill $p 2>/dev/null || true; }
stopped() { local d; for d; do ! running "$d" || return 1; done; }

# Each daemon is waited for: slurmctld saves every job's state before it
# exits (seconds, with thousands of jobs), and an "up" meanwhile would find
# it still running and start nothing.
stop_slurm() {
    for d in slurmd slurmctld slurmdbd; do stop "$d"; done
    wait_for 60 "slurm to stop" stopped slurmd slurmctld slurmdbd
}

# slurmdbd, the cluster's record in it, slurmctld, slurmd, then the accounts.
start_slurm() {
    running slurmdbd || in_root /usr/sbin/slurmdbd
    wait_for 60 slurmdbd in_root sacctmgr -n list cluster
    in_root sacctmgr -n list cluster format=cluster%40 | grep -w "$CLUSTER" >/dev/null \
        || in_root sacctmgr -i add cluster "$CLUSTER" >/dev/null
    running slurmctld || in_root /usr/sbin/slurmctld
    wait_for 60 slurmctld in_root scontrol ping
    running slurmd || in_root /usr/sbin/slurmd
    wait_for 60 "node $HOST" in_root sh -c "sinfo -h -n $HOST -o %T | grep -Eq 'idle|mix|alloc|drain|plnd|planned|comp'"
    accounts
}

accounts() {
    in_root sacctmgr -n list account format=account%40 | grep -w physics >/dev/null || {
        in_root sacctmgr -i add account physics Description=physics Organization=science >/dev/null
        in_root sacctmgr -i add account chem Description=chemistry Organization=science >/dev/null
        in_root sacctmgr -i add user alice Account=physics >/dev/null
        in_root sacctmgr -i add user bob Account=chem >/dev/null
        in_root sacctmgr -i add user alice Account=chem >/dev/null
    }
}
