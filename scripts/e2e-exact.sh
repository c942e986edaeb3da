#!/usr/bin/env bash
# make e2e, second half: the grid search in its libsvm-identical mode
# (p1_grid solver=exact) compared with scikit-learn the same way as the
# default run. The exact mode's outputs go to their own outdir so the
# default run in out/ stays untouched.
#
# The config copy sits next to CONFIG (so the paths in it, which are
# relative to the file, still resolve) and differs only in `outdir:`.
#
# usage: scripts/e2e-exact.sh HW1PIPE CONFIG OUTDIR GO TAGS
set -euo pipefail

[ $# -eq 5 ] || { echo "usage: $0 HW1PIPE CONFIG OUTDIR GO TAGS" >&2; exit 2; }
hw1pipe=$1 config=$2 outdir=$3 gocmd=$4 tags=$5
copy="$(dirname "$config")/.e2e-exact.$(basename "$config")"
trap 'rm -f "$copy"' EXIT

grep -q '^outdir: ' "$config" || { echo "e2e-exact: $config has no top-level outdir: line" >&2; exit 1; }
sed "s|^outdir: .*|outdir: $(realpath -m "$outdir")|" "$config" >"$copy"

# Problem 1's three stages and what they read; Problem 3 is the same in
# both modes.
"$hw1pipe" run --config "$copy" --set p1_grid.solver=exact p1_grid p1_baseline p1_gabor_svm
HW1PIPE_E2E=1 HW1PIPE_OUTDIR="$(realpath "$outdir")" \
	$gocmd test -tags "$tags" -count=1 -timeout 0 -v -run TestP1FullSize ./golden/e2e/
