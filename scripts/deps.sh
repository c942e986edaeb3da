#!/usr/bin/env bash
# Installs the Debian packages hw1pipe needs, and only the missing ones, so a
# second run costs one dpkg-query. As root it runs apt-get itself (CI and a
# fresh machine); otherwise it prints the exact command and fails, because a
# half-provisioned machine only fails later with a less helpful message.
#
# usage: scripts/deps.sh PACKAGE...
set -euo pipefail

missing=()
for pkg in "$@"; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing Debian packages: ${missing[*]}" >&2
	echo "deps: run as root:  sudo sh -c '$cmd'" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
