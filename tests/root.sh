#!/bin/bash
# A fresh Debian root, to check the project as a new machine would see it.
#   root.sh build SUITE DIR        debootstrap --variant=minbase SUITE into DIR
#   root.sh run DIR COMMAND...     copy this checkout into DIR/src, run COMMAND
#                                  there with chroot; end what it left running
#   root.sh exec DIR COMMAND...    run COMMAND in DIR as it is (no copy), and
#                                  leave what it starts running (daemons)
#   root.sh copy DIR               copy this checkout into DIR/src, nothing else
#   root.sh stop DIR               end every process running in DIR
#   root.sh remove DIR             end its processes, unmount, delete it
#   root.sh fresh SUITE COMMAND... all three, in a new directory under /var/tmp
# As root. The archive is the one this machine's apt sources name, so the root
# gets packages the way the machine does. The root shares the machine's
# network and process table: nothing else may hold the cluster's ports.
set -euo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
log() { echo "root: $*" >&2; }

# Host apt sources, in one-line form, with the host's codename replaced by SUITE.
sources() {
    local suite=$1 host; host=$(. /etc/os-release && echo "$VERSION_CODENAME")
    {
        [ -f /etc/apt/sources.list ] && grep -E '^deb ' /etc/apt/sources.list || true
        for f in /etc/apt/sources.list.d/*.sources; do
            [ -f "$f" ] || continue
            # deb822 stanzas: one "deb URI SUITE COMPONENTS" line per URI and suite.
            awk '/^Types:/{t=$0} /^URIs:/{$1=""; u=$0} /^Suites:/{$1=""; s=$0}
                 /^Components:/{$1=""; c=$0}
                 /^$/{emit()} END{emit()}
                 function emit(  i,j,n,m,U,S){ if (t ~ /deb( |$)/ && u != "") {
                     n=split(u,U," "); m=split(s,S," ");
                     for(i=1;i<=n;i++) for(j=1;j<=m;j++) print "deb " U[i] " " S[j] c }
                     t=u=s=c="" }' "$f"
        done
    } | sed -E "s/ $host(-[a-z]+)? / $suite\1 /" | sort -u
}

# The root's processes: their root directory is DIR or lies under it (a root
# built inside this one, e.g. tests/cluster24.sh's trixie root inside CI's
# bookworm root). Each process's root and its parents (root/.., root/../..)
# are compared with DIR by inode, not by path: paths read from inside a root
# are relative to it and would confuse a nested root with the machine's own
# at the same path. ".." never climbs above the reader's root, so from inside
# a root this still only finds what lies under DIR. One stat for all.
procs_in() {
    local id up="" paths=() p i; id=$(stat -c %d:%i "$1")
    for i in $(seq 16); do
        for p in /proc/[0-9]*; do paths+=("$p/root$up"); done
        up="$up/.."
    done
    stat -Lc '%d:%i %n' "${paths[@]}" 2>/dev/null \
        | awk -v id="$id" '$1 == id { split($2, f, "/"); print f[3] }' | sort -un || true
}

stop_procs() {
    local pids; pids=$(procs_in "$1")
    [ -z "$pids" ] && return
    log "ending what still runs in $1: $(echo $pids)"
    kill $pids 2>/dev/null || true
    for _ in $(seq 100); do [ -z "$(procs_in "$1")" ] && return; sleep 0.2; done
    kill -9 $(procs_in "$1") 2>/dev/null || true
}

mounts_under() { awk -v d="$1" '$2 == d || index($2, d "/") == 1 {print $2}' /proc/mounts | sort -r; }

mount_all() {
    local d=$1
    mountpoint -q "$d/proc" || mount -t proc proc "$d/proc"
    # /sys with the machine's cgroup mounts under it: slurmd needs them.
    local m; for m in sys dev; do
        mountpoint -q "$d/$m" || { mount --rbind "/$m" "$d/$m" && mount --make-rslave "$d/$m"; }
    done
}

unmount_all() {
    local m
    for m in $(mounts_under "$1"); do umount -l "$m" 2>/dev/null || umount "$m"; done
}

build() {
    local suite=$1 dir=$2 mirror
    mirror=$(sources "$suite" | awk -v s="$suite" '$3 == s {print $2; exit}')
    [ -n "$mirror" ] || { log "no archive for $suite in this machine's apt sources"; exit 1; }
    command -v debootstrap >/dev/null || {
        log "installing debootstrap"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
    }
    log "debootstrap $suite from $mirror into $dir"
    mkdir -p "$dir"
    chmod 755 "$dir"  # it becomes "/": every user must reach what is in it (mktemp makes 700)
    debootstrap --variant=minbase "$suite" "$dir" "$mirror" >"$dir.debootstrap.log" 2>&1 \
        || { tail -20 "$dir.debootstrap.log" >&2; exit 1; }
    rm -f "$dir.debootstrap.log"
    sources "$suite" > "$dir/etc/apt/sources.list"
    cp /etc/hosts /etc/resolv.conf "$dir/etc/"
    # pip verifies against this machine's certificate chain; apt needs nothing.
    # Inside a root, the chain it was given comes first: its own /etc/ssl
    # holds Debian's stock bundle once a package installs ca-certificates.
    local ca; for ca in /etc/host-ca-certificates.crt /etc/ssl/certs/ca-certificates.crt; do
        [ -f "$ca" ] && { cp "$ca" "$dir/etc/host-ca-certificates.crt"; break; }
    done
}

# A clean copy: what git tracks or would track, never build products.
copy() {
    local dir=$1
    [ -x "$dir/bin/bash" ] || { log "$dir is not a root built by '$0 build'"; exit 1; }
    rm -rf "$dir/src"; mkdir -p "$dir/src"
    if git -C "$SRC" rev-parse 2>/dev/null; then
        (cd "$SRC" && git ls-files -z --cached --others --exclude-standard \
            | xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' _ \
            | tar --null -T - -cf -) | tar -xf - -C "$dir/src"
    else  # a copy itself (a root's /src, no git there): all but build products
        tar -C "$SRC" --exclude=./build --exclude='*.egg-info' --exclude=__pycache__ -cf - . \
            | tar -xf - -C "$dir/src"
    fi
}

run() {
    local dir=$1; shift
    copy "$dir"
    mount_all "$dir"
    local rc=0
    chroot "$dir" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" \
        PIP_CERT=/etc/host-ca-certificates.crt SSL_CERT_FILE=/etc/host-ca-certificates.crt \
        bash -c 'cd /src && exec "$@"' _ "$@" || rc=$?
    stop_procs "$dir"
    return $rc
}

# Like run, without the copy and without ending anything afterwards: for a
# cluster that must outlive the command that starts it.
exec_in() {
    local dir=$1; shift
    [ -x "$dir/bin/bash" ] || { log "$dir is not a root built by '$0 build'"; exit 1; }
    mount_all "$dir"
    exec chroot "$dir" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" "$@"
}

remove() {
    local dir=$1
    [ -d "$dir" ] || return 0
    stop_procs "$dir"
    unmount_all "$dir"
    [ -z "$(mounts_under "$dir")" ] || { log "still mounted under $dir; not removing"; exit 1; }
    rm -rf --one-file-system "$dir"
}

[ "$(id -u)" = 0 ] || { log "run as root"; exit 1; }
case "${1:-}" in
    build) [ $# = 3 ] || exec "$0"; build "$2" "$3" ;;
    run) [ $# -ge 3 ] || exec "$0"; dir=$2; shift 2; run "$dir" "$@" ;;
    exec) [ $# -ge 3 ] || exec "$0"; dir=$2; shift 2; exec_in "$dir" "$@" ;;
    copy) [ $# = 2 ] || exec "$0"; copy "$2" ;;
    stop) [ $# = 2 ] || exec "$0"; stop_procs "$2" ;;
    remove) [ $# = 2 ] || exec "$0"; remove "$2" ;;
    fresh)
        [ $# -ge 3 ] || exec "$0"; suite=$2; shift 2
        dir=$(mktemp -d "/var/tmp/slurmrestd-py-$suite.XXXXXX")
        trap 'remove "$dir"' EXIT
        build "$suite" "$dir"; run "$dir" "$@" ;;
    *) sed -n '2,14p' "$0" >&2; exit 2 ;;
esac
