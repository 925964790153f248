#!/bin/bash
# A second, reference cluster: Debian trixie's Slurm 24.11 (its slurmrestd
# serves API v0.0.40 to v0.0.42) in a trixie root (tests/root.sh), running
# beside the machine's Slurm 22.05 cluster (tests/cluster.sh). Same cluster
# name, nodes, partitions, licenses, accounts and users, so that differential
# tests can send one request to both and compare.
#   cluster24.sh up        build the root if absent, install, configure, start
#                          (idempotent; needs tests/cluster.sh up first)
#   cluster24.sh down      stop its daemons
#   cluster24.sh status    show the node and the daemons
#   cluster24.sh ours      slurmrestd-py in the root, built against its
#                          libslurm 24.11 with trixie's Python, and what its
#                          test suite needs there (needs up first)
#   cluster24.sh rest [--as USER] METHOD PATH [BODY]
#                          one request to the root's slurmrestd in inet mode,
#                          as USER (default alice); prints the raw response
# As root. ROOT24 (default /var/lib/slurmrestd-py/trixie) is the root.
#
# What differs from the machine's cluster, and why:
# - ports 7817 (slurmctld), 7818 (slurmd), 7819 (slurmdbd): one network
#   namespace holds both clusters;
# - slurmdbd uses the machine's MariaDB (its socket directory is bind-mounted
#   into the root) with its own database slurm24_acct_db: trixie's MariaDB
#   11.8 fails slurmdbd 24.11's start-up check;
# - cgroup.conf CgroupPlugin=disabled: slurmd 24.11 will not start without
#   cgroups otherwise, and a chroot has none of its own;
# - the munge key and the JWT key are the machine's: one token works on both.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT24=${ROOT24:-/var/lib/slurmrestd-py/trixie}
DB=slurm24_acct_db
PORTS=(7817 7818 7819)
PKGS="munge slurmctld slurmd slurmdbd slurmrestd slurm-client slurm-wlm-jwt-plugin libslurm-dev"
# To build slurmrestd-py there, and the programs its tests drive.
OURS_PKGS="gcc python3-dev python3-venv xinetd systemd man-db groff-base openssl procps curl"
VENV=/opt/slurmrestd-py

CLUSTER_ROOT=$ROOT24
# root.sh exec mounts /proc, /sys, /dev if needed and leaves daemons running.
in_root() { bash "$HERE/root.sh" exec "$ROOT24" "$@"; }
source "$HERE/cluster_lib.sh"

log() { echo "cluster24: $*" >&2; }

# A complete root: debootstrap removes its own /debootstrap when it succeeds.
# A half-built one (an interrupted build) is removed and built again.
build_root() {
    [ -x "$ROOT24/bin/bash" ] && [ ! -e "$ROOT24/debootstrap" ] && return
    bash "$HERE/root.sh" remove "$ROOT24"
    bash "$HERE/root.sh" build trixie "$ROOT24" || { bash "$HERE/root.sh" remove "$ROOT24"; exit 1; }
}

install_packages() {  # install_packages PACKAGE...
    local missing=()
    for p in "$@"; do
        in_root dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep "ok installed" >/dev/null || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return
    log "installing ${missing[*]}"
    # Package scripts must not start daemons: this script starts them, its way.
    printf '#!/bin/sh\nexit 101\n' > "$ROOT24/usr/sbin/policy-rc.d"
    chmod 755 "$ROOT24/usr/sbin/policy-rc.d"
    in_root apt-get update -qq
    in_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    in_root apt-get clean
}

# alice and bob with the machine's uid and gid: a job, a token or a pipe's
# owner names the same user on both clusters. (slurmrestd: the user the
# deployment units run slurmrestd-py as.)
users() {
    local u db
    for u in alice bob slurmrestd; do
        for db in passwd group shadow; do
            grep -q "^$u:" "$ROOT24/etc/$db" 2>/dev/null || { getent "$db" "$u" || true; } >> "$ROOT24/etc/$db"
        done
        in_root sh -c "mkdir -p /home/$u && chown $u:$u /home/$u"
    done
}

write_config() {
    local before; before=$(cat "$ROOT24/etc/slurm/slurm.conf" 2>/dev/null || true)
    in_root sh -c 'mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/slurm &&
        chown slurm:slurm /var/spool/slurmctld /var/log/slurm /run/slurm'
    slurm_conf "${PORTS[@]}" > "$ROOT24/etc/slurm/slurm.conf"
    slurmdbd_conf "$DB" "${PORTS[2]}" > "$ROOT24/etc/slurm/slurmdbd.conf"
    echo "CgroupPlugin=disabled" > "$ROOT24/etc/slurm/cgroup.conf"
    cmp -s "$KEY" "$ROOT24$KEY" || { cp "$KEY" "$ROOT24$KEY"; before=; }
    in_root sh -c "chown slurm:slurm /etc/slurm/slurmdbd.conf $KEY && chmod 600 /etc/slurm/slurmdbd.conf $KEY"
    # Running daemons must pick up a changed configuration or JWT key.
    if [ "$before" != "$(cat "$ROOT24/etc/slurm/slurm.conf")" ] && ! stopped slurmdbd slurmctld slurmd; then
        log "configuration or JWT key changed: restarting slurm"
        stop_slurm
    fi
}

# The root's own munged, on the root's own /run/munge, with the machine's key.
start_munge() {
    mkdir -p "$ROOT24/etc/munge"
    if ! cmp -s /etc/munge/munge.key "$ROOT24/etc/munge/munge.key"; then
        cp /etc/munge/munge.key "$ROOT24/etc/munge/munge.key"
        stop munged; wait_for 10 "munged to stop" stopped munged
    fi
    in_root sh -c 'mkdir -p /run/munge /var/lib/munge /var/log/munge &&
        chown munge:munge /etc/munge /etc/munge/munge.key /run/munge /var/lib/munge /var/log/munge &&
        chmod 600 /etc/munge/munge.key'
    running munged || in_root runuser -u munge -- /usr/sbin/munged
    wait_for 10 munge in_root sh -c 'munge -n | unmunge'
}

# The machine's MariaDB (tests/cluster.sh starts it and creates user slurm).
mariadb_in_root() {
    [ -S /run/mysqld/mysqld.sock ] || { log "no MariaDB: run 'bash tests/cluster.sh up' first"; exit 1; }
    mariadb -N -e "SHOW GRANTS FOR 'slurm'@'localhost'" | grep -q "\`$DB\`" \
        || mariadb -e "GRANT ALL ON $DB.* TO 'slurm'@'localhost'; FLUSH PRIVILEGES;"
    mkdir -p "$ROOT24/run/mysqld"
    mountpoint -q "$ROOT24/run/mysqld" || mount --bind /run/mysqld "$ROOT24/run/mysqld"
}

# slurmrestd-py built in the root from a clean copy of this checkout (/src),
# into the venv the README names; the machine's own root is bind-mounted at
# /host, so that tests running here reach the 22.05 reference and its cluster.
install_ours() {
    install_packages $OURS_PKGS
    bash "$HERE/root.sh" copy "$ROOT24"
    in_root sh -c "[ -x $VENV/bin/python ] || python3 -m venv $VENV"
    in_root env PIP_CERT=/etc/host-ca-certificates.crt \
        "$VENV/bin/pip" install -q --disable-pip-version-check /src -r /src/tests/requirements.txt
    in_root sh -c "cd / && $VENV/bin/python -c 'import slurmrestd_py.slurm'"
    mkdir -p "$ROOT24/host"
    # Read-only: nothing run from here writes there, and a removal of the root
    # that found it still mounted could not delete the machine's files.
    mountpoint -q "$ROOT24/host" || { mount --rbind / "$ROOT24/host" && mount --make-rslave "$ROOT24/host" \
        && mount -o remount,bind,ro "$ROOT24/host"; }
    log "slurmrestd-py built against $(in_root sh -c "$VENV/bin/python -c 'import slurmrestd_py.slurm as s; print(s.RELEASE)'" 2>/dev/null || echo '?') in $ROOT24$VENV"
}

# One HTTP/1.1 request (Connection: close) to the root's slurmrestd in inet
# mode. Local auth trusts a pipe only when the daemon's user made it: the
# request goes through a cat that USER's shell starts.
rest() {
    local user=alice LC_ALL=C  # ${#body}: bytes, not characters
    if [ "${1:-}" = --as ]; then user=$2; shift 2; fi
    [ $# = 2 ] || [ $# = 3 ] || { sed -n '2,17p' "$0" >&2; exit 2; }
    local method=$1 path=$2 body=${3-} nl=$'\r\n' head
    head="$method $path HTTP/1.1${nl}Host: localhost${nl}Connection: close${nl}"
    [ $# = 2 ] || head+="Content-Type: application/json${nl}Content-Length: ${#body}${nl}"
    printf '%s' "$head$nl$body" \
        | in_root runuser -u "$user" -- sh -c 'cat | exec "$@"' sh /usr/sbin/slurmrestd -a rest_auth/local
}

[ "$(id -u)" = 0 ] || { log "run as root"; exit 1; }
case "${1:-up}" in
    up)
        start=$SECONDS
        build_root; install_packages $PKGS; users; write_config
        mariadb_in_root; start_munge; start_slurm
        log "up in $((SECONDS - start)) s: $(in_root sinfo -h -o '%P %T %N' | tr '\n' ' ')" ;;
    down)
        [ -d "$ROOT24" ] || exit 0
        stop_slurm
        ! mountpoint -q "$ROOT24/host" || umount -R -l "$ROOT24/host"
        bash "$HERE/root.sh" stop "$ROOT24" ;;  # munged, and whatever else
    status)
        in_root sinfo || true
        for d in munged slurmdbd slurmctld slurmd; do echo "$d: $(ours $d)"; done ;;
    ours) install_ours ;;
    rest) shift; rest "$@" ;;
    *) sed -n '2,17p' "$0" >&2; exit 2 ;;
esac
