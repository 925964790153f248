#!/bin/bash
# A one-node Slurm cluster from Debian's packages, for the demo, the tests and CI.
#   cluster.sh up      install what is missing, configure, start (idempotent)
#   cluster.sh down    stop every daemon it started
#   cluster.sh status  show the node and the daemons
# Must run as root. Test users: alice and bob (accounts "physics" and "chem").
set -euo pipefail

# Config, accounts and daemon helpers: shared with tests/cluster24.sh.
CLUSTER_ROOT=/
in_root() { "$@"; }
source "$(dirname "$0")/cluster_lib.sh"

# auth_jwt.so is in slurm-wlm-jwt-plugin: slurmdbd and slurmctld die without it.
PKGS="munge slurmctld slurmd slurm-client slurmdbd slurm-wlm-jwt-plugin
mariadb-server libslurm-dev slurmrestd python3-venv python3-dev gcc procps
xinetd wrk systemd openssl curl man-db"

log() { echo "cluster: $*" >&2; }

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
    slurm_conf 6817 6818 > /etc/slurm/slurm.conf
    slurmdbd_conf slurm_acct_db > /etc/slurm/slurmdbd.conf
    chown slurm:slurm /etc/slurm/slurmdbd.conf; chmod 600 /etc/slurm/slurmdbd.conf
    # A running controller must pick up a changed configuration.
    if [ "$before" != "$(cat /etc/slurm/slurm.conf)" ] && running slurmctld; then
        log "slurm.conf changed: restarting slurmctld and slurmd"
        stop slurmd; stop slurmctld
        wait_for 60 "slurmctld and slurmd to stop" stopped slurmd slurmctld
    fi
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

down() {
    stop_slurm
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
