#!/usr/bin/env bash
# Python 3.14 and 3.15 for `make matrix`: pyenv cannot build them here, but Debian's unstable suite ships both.
# Builds a minimal Debian sid tree once (debootstrap, about 340 MB) and reuses it; runs a command inside it.
#
# Usage: bash .ci/sid.sh ensure                 build the tree if it is missing; exit 3 (one line said) where it can't
#        bash .ci/sid.sh run DIR... -- CMD...   run CMD inside the tree, each host folder DIR bound at its own path
# Environment:
#   SID_ROOT  where the tree lives (default: /var/cache/patreon-ci/sid-<checksum of the package list>, outside any
#             clone so that CI reuses it)
set -uo pipefail

# make: the suite reads what `make -n` would run; redis-server: the Redis tests start one on loopback.
SID_PACKAGES=python3.14,python3.14-venv,python3.15,python3.15-venv,ca-certificates,make,redis-server
# One tree per package list: checkouts of other revisions (another branch, an older CI run) keep their own tree
# instead of rebuilding one another's.
SID_ROOT=${SID_ROOT:-/var/cache/patreon-ci/sid-$(echo "$SID_PACKAGES" | cksum | cut -d' ' -f1)}
STAMP="$SID_ROOT/.patreon-ci-ready"

say() {
    echo "sid: $*"
}

# The mirror the host already uses (deb822 URIs or a one-line deb entry), never a fixed host.
host_mirror() {
    local files=(/etc/apt/sources.list.d/*.sources /etc/apt/sources.list /etc/apt/sources.list.d/*.list)
    local f uri
    for f in "${files[@]}"; do
        [ -f "$f" ] || continue
        uri=$(grep -hE '^URIs:' "$f" | awk '{print $2}' | grep -E '/debian/?$' | head -n1)
        if [ -z "$uri" ]; then
            uri=$(grep -hE '^deb ' "$f" | awk '{print $2}' | grep -E '/debian/?$' | head -n1)
        fi
        if [ -n "$uri" ]; then
            echo "$uri"
            return 0
        fi
    done
    return 1
}

# The CA bundle the host's pip uses (PIP_CERT, else Debian's default place).
host_ca_bundle() {
    local candidate
    for candidate in "${PIP_CERT:-}" "${REQUESTS_CA_BUNDLE:-}" /etc/ssl/certs/ca-certificates.crt; do
        if [ -n "$candidate" ] && [ -f "$candidate" ]; then
            echo "$candidate"
            return 0
        fi
    done
    echo /dev/null
}

ensure() {
    # The stamp holds the package list it was built with: a tree built with another list is built again.
    if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$SID_PACKAGES" ]; then
        return 0
    fi
    if [ "$(id -u)" -eq 0 ] && command -v flock >/dev/null 2>&1 && [ -z "${SID_LOCKED:-}" ]; then
        # Two runs at once (two checkouts, two CI jobs) build the tree one after the other, never over each other.
        mkdir -p "$(dirname "$SID_ROOT")"
        SID_LOCKED=1 flock "$SID_ROOT.lock" bash "${BASH_SOURCE[0]}" ensure
        return $?
    fi
    if [ "$(id -u)" -ne 0 ]; then
        say "Python 3.14 and 3.15 not tested: building their Debian sid tree needs root"
        return 3
    fi
    if ! command -v debootstrap >/dev/null 2>&1; then
        if ! command -v apt-get >/dev/null 2>&1 ||
            ! { apt-get update -qq && apt-get install -y -qq debootstrap; } >/dev/null 2>&1; then
            say "Python 3.14 and 3.15 not tested: debootstrap is missing and could not be installed"
            return 3
        fi
    fi
    local mirror
    if ! mirror=$(host_mirror); then
        say "Python 3.14 and 3.15 not tested: no Debian mirror in the host's apt sources"
        return 3
    fi
    rm -rf --one-file-system "$SID_ROOT"
    mkdir -p "$(dirname "$SID_ROOT")"
    local log="$SID_ROOT.log"
    if ! debootstrap --variant=minbase --include="$SID_PACKAGES" sid "$SID_ROOT" "$mirror" >"$log" 2>&1; then
        say "Python 3.14 and 3.15 not tested: debootstrap failed (last lines of $log follow)"
        tail -n 5 "$log" | sed 's/^/sid:   /'
        return 3
    fi
    echo "$SID_PACKAGES" >"$STAMP"
}

# Runs CMD in the tree, with /proc, /dev, the host's name resolution and each DIR (at its own path) mounted for the
# command's lifetime, in a mount namespace of its own: the mounts go away however the command ends.
run_inside() {
    local dirs=()
    while [ "$#" -gt 0 ] && [ "$1" != -- ]; do
        dirs+=("$1")
        shift
    done
    [ "${1:-}" = -- ] && shift
    unshare --mount --propagation private -- bash -c '
        set -e
        root=$1
        bundle=$2
        count=$3
        shift 3
        mount -t proc proc "$root/proc"
        mount --rbind /dev "$root/dev"
        mkdir -p "$root/tmp"
        chmod 1777 "$root/tmp"
        while [ "$count" -gt 0 ]; do
            mkdir -p "$1" "$root$1"
            mount --bind "$1" "$root$1"
            shift
            count=$((count - 1))
        done
        cp /etc/resolv.conf "$root/etc/resolv.conf"
        # The host trusts what its network needs (an intercepting proxy, say): pip inside must trust the same.
        mkdir -p "$root/etc/ssl/certs"
        cp "$bundle" "$root/etc/ssl/certs/host-ca-bundle.crt"
        exec chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 \
            PIP_CERT=/etc/ssl/certs/host-ca-bundle.crt "$@"
    ' _ "$SID_ROOT" "$(host_ca_bundle)" "${#dirs[@]}" "${dirs[@]}" "$@"
}

case "${1:-}" in
    ensure) ensure ;;
    run)
        shift
        ensure || exit $?
        run_inside "$@"
        ;;
    *)
        echo "usage: bash .ci/sid.sh ensure | run DIR... -- CMD..." >&2
        exit 2
        ;;
esac
