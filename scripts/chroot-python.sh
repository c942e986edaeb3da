#!/usr/bin/env bash
# Runs the python3 of a Debian chroot as if it were a local interpreter, so
# `hw1pipe verify --python` can load a submission with that chroot's
# libraries. Every argument naming an existing host directory (verify
# passes the submission folder) is bind-mounted read-only into the chroot
# and replaced by its path there; stdin (verify's check.py), stdout and the
# exit status pass through. The mounts live in a private mount namespace,
# so they vanish with the process. Needs root.
#
# usage: scripts/chroot-python.sh ROOT [PYTHON ARG...]
# A one-line wrapper fixing ROOT makes an interpreter for --python:
#   exec /path/to/scripts/chroot-python.sh /path/to/chroot "$@"
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 ROOT [ARG...]" >&2; exit 2; }
root=$(realpath "$1")
shift
[ -x "$root/usr/bin/python3" ] || { echo "chroot-python: no $root/usr/bin/python3" >&2; exit 1; }

# Inside the new namespace: mount /proc (torch reads it) and each directory
# argument (under /run/hw1pipe-argN, N its position), then chroot with a
# clean environment so nothing of the host's Python setup leaks in.
inner='
set -euo pipefail
root=$1; shift
mount -t proc proc "$root/proc"
args=()
i=0
for a in "$@"; do
	if [ -d "$a" ]; then
		m=/run/hw1pipe-arg$i
		mkdir -p "$root$m"
		mount --bind "$a" "$root$m"
		mount -o remount,bind,ro "$root$m"
		a=$m
	fi
	args+=("$a")
	i=$((i+1))
done
exec chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/root LANG=C.UTF-8 /usr/bin/python3 "${args[@]}"
'
exec unshare --mount --propagation private bash -c "$inner" chroot-python "$root" "$@"
