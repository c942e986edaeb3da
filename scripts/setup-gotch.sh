#!/usr/bin/env bash
# setup-gotch.sh: prepare build/gotch, a copy of github.com/sugarme/gotch
# v0.7.0 patched to build against the system libtorch (Debian 12's
# libtorch-dev 1.13.1), for the torchref module (replace => ../build/gotch).
#
# Why a patched copy: gotch v0.7.0 targets libtorch 1.11 in a directory it
# downloads itself, with the pre-C++11 libstdc++ ABI and CUDA libraries in
# its cgo flags. Debian's libtorch is 1.13, CPU-only, built with the C++11
# ABI, and lacks ~38 of the operators gotch's generated bindings call. The
# module cache is read-only, so we copy the module and patch the copy:
#   1. libtch/lib.go gets cgo flags for the system libtorch;
#   2. every generated binding (libtch/torch_api_generated.cpp.h) that does
#      not compile against the installed headers gets a body that reports
#      "not available" through gotch's normal error path. The list is NOT
#      hand-written: we compile torch_api.cpp, map each error to the
#      function containing it, stub those, and repeat until it compiles.
#
# Idempotent: the result carries a stamp (hash of this script, gotch's
# version, the libtorch version and the compiler); a re-run with an equal
# stamp does nothing. The copy is built in a temporary directory and moved
# into place only when complete.
#
# Environment (all optional):
#   LIBTORCH_INCLUDE   headers root      (default /usr/include)
#   LIBTORCH_LIB       library directory (default /usr/lib/x86_64-linux-gnu)
#   HW1PIPE_LIBTORCH_ANY_VERSION=1  accept a libtorch other than 1.13
#   OUT                output directory  (default <repo>/build/gotch)
set -euo pipefail

GOTCH_MODULE=github.com/sugarme/gotch
GOTCH_VERSION=v0.7.0
WANT_TORCH=1.13
APT_FIX="sudo apt-get install -y libtorch-dev g++   # Debian 12: libtorch 1.13.1"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
out=${OUT:-$root/build/gotch}
inc=${LIBTORCH_INCLUDE:-/usr/include}
libdir=${LIBTORCH_LIB:-/usr/lib/x86_64-linux-gnu}
api_inc=$inc/torch/csrc/api/include

die() {
	echo "setup-gotch: $*" >&2
	exit 1
}
log() { echo "setup-gotch: $*" >&2; }

# --- 1. what is installed --------------------------------------------------
missing=()
for f in "$api_inc/torch/version.h" "$api_inc/torch/torch.h" "$inc/ATen/ATen.h" "$inc/torch/script.h"; do
	[[ -f $f ]] || missing+=("header $f")
done
for l in libtorch.so libtorch_cpu.so libc10.so; do
	[[ -e $libdir/$l ]] || missing+=("library $libdir/$l")
done
command -v g++ >/dev/null || missing+=("C++ compiler g++")
command -v go >/dev/null || missing+=("go toolchain (go in PATH)")
if ((${#missing[@]})); then
	{
		echo "setup-gotch: libtorch development files not found:"
		printf '  missing %s\n' "${missing[@]}"
		echo "fix: $APT_FIX"
		echo "(or point LIBTORCH_INCLUDE / LIBTORCH_LIB at another libtorch)"
	} >&2
	exit 1
fi

ver_field() { sed -n "s/^#define TORCH_VERSION_$1 \([0-9]*\)\$/\1/p" "$api_inc/torch/version.h"; }
torch_version="$(ver_field MAJOR).$(ver_field MINOR).$(ver_field PATCH)"
[[ $torch_version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] ||
	die "cannot read the libtorch version from $api_inc/torch/version.h (got '$torch_version')"
if [[ ${torch_version%.*} != "$WANT_TORCH" && ${HW1PIPE_LIBTORCH_ANY_VERSION:-} != 1 ]]; then
	die "found libtorch $torch_version in $inc, need $WANT_TORCH.x (the Python reference is Debian's torch 1.13.1).
fix: $APT_FIX
(set HW1PIPE_LIBTORCH_ANY_VERSION=1 to try anyway)"
fi

# --- 2. the pristine module -------------------------------------------------
modcache=$(go env GOMODCACHE)
src=$modcache/$GOTCH_MODULE@$GOTCH_VERSION
if [[ ! -f $src/libtch/torch_api_generated.cpp.h ]]; then
	log "downloading $GOTCH_MODULE@$GOTCH_VERSION"
	(cd / && GOFLAGS=-mod=mod go mod download "$GOTCH_MODULE@$GOTCH_VERSION") ||
		die "cannot download $GOTCH_MODULE@$GOTCH_VERSION (is the Go module proxy reachable?)"
fi
[[ -f $src/libtch/torch_api_generated.cpp.h ]] || die "$src has no libtch/torch_api_generated.cpp.h"

# --- 3. up to date? ----------------------------------------------------------
# One setup at a time (parallel make, several checkouts' tests).
mkdir -p "$(dirname "$out")"
if command -v flock >/dev/null; then
	exec 9>"$out.lock"
	flock 9
fi
stamp_file=$out/.hw1pipe-setup-stamp
stamp=$(
	{
		sha256sum <"${BASH_SOURCE[0]}"
		echo "$GOTCH_MODULE@$GOTCH_VERSION torch=$torch_version inc=$inc lib=$libdir"
		g++ --version | head -1
		cat "$src/libtch/torch_api_generated.cpp.h" "$api_inc/torch/version.h" | sha256sum
	} | sha256sum | cut -d' ' -f1
)
if [[ -f $stamp_file && $(cat "$stamp_file") == "$stamp" ]]; then
	log "build/gotch is up to date (libtorch $torch_version)"
	exit 0
fi

# --- 4. copy and patch -------------------------------------------------------
tmp=$(mktemp -d "$(dirname "$out")/.gotch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cp -R "$src/." "$tmp/"
chmod -R u+w "$tmp"
lt=$tmp/libtch

cxxflags=(-std=c++14 -D_GLIBCXX_USE_CXX11_ABI=1 -I"$api_inc" -I"$inc")

# The cgo flags. Only libtch has cgo; everything else is plain Go. -O1:
# the bindings are thin wrappers around libtorch calls; -O2 doubles the
# compile time of torch_api.cpp (about 25 s of CPU at -O1) for no gain.
cat >"$lt/lib.go" <<EOF
package libtch

// Generated by scripts/setup-gotch.sh for libtorch $torch_version
// (headers $inc, libraries $libdir). The upstream file pointed at a
// downloaded libtorch 1.11 with CUDA and the pre-C++11 ABI.

// #cgo CFLAGS: -I\${SRCDIR} -O2 -w -D_GLIBCXX_USE_CXX11_ABI=1
// #cgo CXXFLAGS: -std=c++14 -I\${SRCDIR} -I$api_inc -I$inc -O1 -w
// #cgo LDFLAGS: -L$libdir -Wl,--no-as-needed -ltorch -ltorch_cpu -lc10 -Wl,--as-needed -lstdc++
import "C"
EOF

# stub_functions FILE LINE... : replace the body of every top-level function
# containing one of the given lines by a "not available" error.
stub_functions() {
	local file=$1
	shift
	awk -v lines="$*" -v torch="$torch_version" '
		BEGIN { n = split(lines, a, " "); for (i = 1; i <= n; i++) bad[a[i]] = 1 }
		{ text[NR] = $0 }
		END {
			start = 0
			for (i = 1; i <= NR; i++) {
				if (text[i] ~ /^[a-z].*\(.*\) *\{ *$/) { start = i; hit = 0 }
				if (start && bad[i]) hit = 1
				if (start && text[i] ~ /^\}/) { fstart[start] = i; fhit[start] = hit; start = 0 }
			}
			i = 1
			while (i <= NR) {
				if ((i in fstart) && fhit[i]) {
					hdr = text[i]
					name = hdr; sub(/\(.*/, "", name); sub(/.*[ *]/, "", name)
					print hdr
					print "  // stubbed by scripts/setup-gotch.sh: does not compile against libtorch " torch
					print "  torch_last_err = strdup(\"gotch: " name " is not available with libtorch " torch " (stubbed by setup-gotch.sh)\");"
					if (hdr !~ /^void /) print "  return 0;"
					print "}"
					stubbed++
					i = fstart[i] + 1
					continue
				}
				print text[i]; i++
			}
			print stubbed > "/dev/stderr"
		}' "$file"
}

gen=$lt/torch_api_generated.cpp.h
total=0
for pass in 1 2 3 4 5 6; do
	errs=$tmp/.compile-errors.txt
	if g++ -fsyntax-only -w -fmax-errors=0 "${cxxflags[@]}" -I"$lt" "$lt/torch_api.cpp" 2>"$errs"; then
		break
	fi
	# Lines of the generated file named by an error or by the "required
	# from here" note of an error raised inside a torch template.
	mapfile -t lines < <(grep -E 'error:|required from here' "$errs" |
		sed -n 's|^.*torch_api_generated\.cpp\.h:\([0-9]*\):[0-9]*:.*$|\1|p' | sort -un)
	if ((${#lines[@]} == 0)) || ((pass == 6)); then
		echo "setup-gotch: libtch/torch_api.cpp does not compile against libtorch $torch_version, and the errors are not in generated bindings:" >&2
		grep -E 'error' "$errs" | head -20 >&2
		exit 1
	fi
	n=$(stub_functions "$gen" "${lines[@]}" 2>&1 >"$gen.new")
	mv "$gen.new" "$gen"
	total=$((total + n))
	log "pass $pass: stubbed $n generated bindings missing from libtorch $torch_version"
	((n > 0)) || die "errors at lines ${lines[*]} of the generated bindings are outside any function"
done
rm -f "$tmp/.compile-errors.txt"
grep -o 'gotch: atg_[a-z0-9_]* is not available' "$gen" | sed 's/gotch: \(.*\) is not.*/\1/' >"$tmp/STUBBED-BINDINGS.txt" || true
log "libtorch $torch_version: $total bindings stubbed (list in $(basename "$out")/STUBBED-BINDINGS.txt)"

echo "$stamp" >"$tmp/.hw1pipe-setup-stamp"
rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
log "ready: $out"
