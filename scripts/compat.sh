#!/usr/bin/env bash
# make compat: proves a submission folder with newer Debian Python stacks
# than the host's, in chroots built once under DIR (scripts/compat-chroot.sh).
# For each SUITE:
#   1. hw1pipe verify --python <the chroot's python3> SUBMIT: every
#      deliverable loads and scores there;
#   2. the GridSearchCV export (p1_grid export=search) written for the
#      chroot's own scikit-learn version loads, predicts and scores there.
#      The export's layout depends on the target version, not on the data,
#      so it is written from the regression run's 1,000-image Problem 1
#      subset (seconds) rather than by repeating the full grid search
#      (minutes); it replaces grid_search_svm.pkl in a copy of SUBMIT.
# Skipped Python checks count as failures here: a chroot that cannot
# import a library proves nothing.
#
# usage: scripts/compat.sh HW1PIPE CONFIG SUBMIT DIR SUITE...
set -euo pipefail

[ $# -ge 5 ] || { echo "usage: $0 HW1PIPE CONFIG SUBMIT DIR SUITE..." >&2; exit 2; }
hw1pipe=$(realpath "$1") config=$(realpath "$2") submit=$3 dir=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "compat: needs root (debootstrap, chroot, mount namespaces)" >&2; exit 1; }
[ -d "$submit/problem1" ] && [ -d "$submit/problem3" ] ||
	{ echo "compat: $submit holds no submission (run make submit)" >&2; exit 1; }
mkdir -p "$dir"
dir=$(realpath "$dir")

# verify_in PYTHON FOLDER: runs verify and demands that every check passed.
verify_in() {
	local out
	out=$("$hw1pipe" verify --python "$1" "$2") || { echo "$out"; return 1; }
	echo "$out"
	if ! grep -q ' [0-9]* passed, 0 failed, 0 not built, 0 skipped$' <<<"$out"; then
		echo "compat: $2: some checks did not pass in this chroot" >&2
		return 1
	fi
}

failed=()
tmpcfg=
trap 'rm -f "$tmpcfg"' EXIT
for suite in "$@"; do
	"$here/compat-chroot.sh" "$dir" "$suite"
	py=$dir/$suite.python
	printf '#!/bin/sh\nexec "%s" "%s" "$@"\n' "$here/chroot-python.sh" "$dir/$suite" >"$py"
	chmod +x "$py"
	ver=$(awk '$1 == "sklearn" { print $2 }' "$dir/$suite.stamp")
	echo
	echo "== $suite: $(tr '\n' ' ' <"$dir/$suite.stamp")"

	echo "-- $suite: $submit as written"
	verify_in "$py" "$submit" || failed+=("$suite:$submit")

	# The export for this version: CONFIG's stages with their own outdir,
	# rerun only when the config or version changes (the pipeline's own
	# freshness check). The copy of CONFIG sits beside it, for a moment,
	# because its input paths are relative to its folder.
	work=$dir/search-$ver
	mkdir -p "$work"
	tmpcfg=$(mktemp "$(dirname "$config")/.compat-search-XXXXXX.yaml")
	sed "s|^outdir:.*|outdir: $work/out|" "$config" >"$tmpcfg"
	grep -q "^outdir: $work/out\$" "$tmpcfg" || { rm -f "$tmpcfg"; echo "compat: $config has no top-level outdir line" >&2; exit 1; }
	rc=0
	"$hw1pipe" run --config "$tmpcfg" \
		--set p1_data.num=1000 --set p1_grid.export=search --set "p1_grid.sklearn_version=$ver" \
		p1_grid >"$work/run.log" 2>&1 || rc=$?
	rm -f "$tmpcfg"
	[ $rc -eq 0 ] || { tail -20 "$work/run.log" >&2; exit 1; }
	pkl=$(find "$work/out" -name grid_search_svm.pkl -not -path '*/.hw1pipe/*' | head -1)
	[ -n "$pkl" ] || { echo "compat: p1_grid wrote no grid_search_svm.pkl under $work/out" >&2; exit 1; }
	sub=$work/submit
	rm -rf "$sub"
	mkdir -p "$sub"
	cp -r "$submit/problem1" "$submit/problem3" "$sub/"
	cp "$pkl" "$sub/problem1/grid_search_svm.pkl"
	echo "-- $suite: $submit with the GridSearchCV export for scikit-learn $ver"
	verify_in "$py" "$sub" || failed+=("$suite:search-$ver")
done

echo
if [ ${#failed[@]} -gt 0 ]; then
	echo "compat: FAILED: ${failed[*]}"
	exit 1
fi
echo "compat: every deliverable loads and scores in: $*"
