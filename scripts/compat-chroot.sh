#!/usr/bin/env bash
# Builds, once, a minimal Debian chroot of SUITE with Debian's scikit-learn,
# torch and h5py, so `make compat` can load the deliverables with the newer
# libraries an autograder image is likely to have. A finished chroot leaves
# DIR/SUITE.stamp (the library versions it holds); a second run with the
# stamp present does nothing, and an interrupted run starts over.
#
# The packages come from the Debian mirror this machine's apt already uses
# (apt's own parse of sources.list / sources.list.d), or from $COMPAT_MIRROR.
# Needs root (debootstrap, chroot, mount).
#
# usage: scripts/compat-chroot.sh DIR SUITE
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 DIR SUITE" >&2; exit 2; }
dir=$1 suite=$2
root=$dir/$suite
stamp=$dir/$suite.stamp
pkgs=(python3-sklearn python3-torch python3-h5py)

if [ -f "$stamp" ] && [ -x "$root/usr/bin/python3" ]; then
	echo "compat: $suite chroot cached ($stamp): $(tr '\n' ' ' <"$stamp")"
	exit 0
fi
[ "$(id -u)" -eq 0 ] || { echo "compat: building a chroot needs root" >&2; exit 1; }

# The main archive of the configured sources: the entry whose suite has no
# -updates/-security suffix. --no-release-info lists the configured entries
# even before the first apt-get update.
mirror=${COMPAT_MIRROR:-}
if [ -z "$mirror" ]; then
	mirror=$(apt-get indextargets --no-release-info \
		--format '$(REPO_URI) $(RELEASE)' 'Identifier: Packages' |
		awk '$2 !~ /-/ { print $1; exit }')
fi
[ -n "$mirror" ] || { echo "compat: no Debian mirror in apt's sources; set COMPAT_MIRROR" >&2; exit 1; }

mounted=()
cleanup() {
	local m
	for m in "${mounted[@]}"; do umount "$m" 2>/dev/null || umount -l "$m" || true; done
}
trap cleanup EXIT

# A run killed while /proc was mounted leaves it mounted: unmount first,
# and never let rm cross into another file system.
umount "$root/proc" 2>/dev/null || true
rm -rf --one-file-system "$root" "$stamp"
mkdir -p "$dir"
echo "compat: debootstrap $suite (minbase) from $mirror into $root"
debootstrap --variant=minbase --components=main "$suite" "$root" "$mirror" >"$dir/$suite.debootstrap.log" 2>&1 ||
	{ tail -20 "$dir/$suite.debootstrap.log" >&2; exit 1; }

# A snapshot mirror serves Release files whose Valid-Until has passed (sid's
# lasts a week); apt inside the chroot must accept them as the host's does.
cat >"$root/etc/apt/apt.conf.d/99compat" <<'EOF'
Acquire::Check-Valid-Until "false";
Acquire::Languages "none";
APT::Install-Recommends "false";
EOF
echo "deb $mirror $suite main" >"$root/etc/apt/sources.list"

mount -t proc proc "$root/proc" && mounted+=("$root/proc")
echo "compat: installing ${pkgs[*]} in $suite"
chroot "$root" apt-get update -qq
DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get install -y -qq --no-install-recommends "${pkgs[@]}" \
	>"$dir/$suite.apt.log" 2>&1 || { tail -20 "$dir/$suite.apt.log" >&2; exit 1; }
chroot "$root" apt-get clean

chroot "$root" python3 -c '
import platform, numpy, scipy, sklearn, torch, h5py
print("python", platform.python_version())
for m in (sklearn, numpy, scipy, torch, h5py):
    print(m.__name__, m.__version__)
' >"$stamp.tmp"
mv "$stamp.tmp" "$stamp"
echo "compat: $suite chroot ready: $(tr '\n' ' ' <"$stamp")"
