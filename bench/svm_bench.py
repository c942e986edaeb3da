"""Time scikit-learn's SVC / GridSearchCV on the data hw1pipe's Go benchmarks use.

    /usr/bin/python3 bench/svm_bench.py --npy X.npy y.npy [--grid] [--repeat R]
    /usr/bin/python3 bench/svm_bench.py --mnist DIR N [--grid]

--npy reads float64 X (n x d) and int64 y from .npy files (what the
pipeline writes); --mnist takes the first N training images of the raw IDX
files in DIR, reduced 28->14 by ((a+b)+c+d)*0.25 like hw1pipe/svm's
benchmarks. Prints one line per measurement: name, seconds, and a few
facts (support vectors, n_iter sum, accuracy) so runs can be matched with
the Go side. Single-threaded by nature: libsvm does not use threads.
"""
import argparse
import gzip
import os
import time

import numpy as np
from sklearn.model_selection import GridSearchCV
from sklearn.svm import SVC


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def mnist14(d, n):
    x = idx(os.path.join(d, "train-images-idx3-ubyte.gz"))[:n].astype(np.float64)
    y = idx(os.path.join(d, "train-labels-idx1-ubyte.gz"))[:n].astype(np.int64)
    x = ((((x[:, 0::2, 0::2] + x[:, 0::2, 1::2]) + x[:, 1::2, 0::2]) + x[:, 1::2, 1::2]) * 0.25).reshape(n, -1)
    return x, y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--npy", nargs=2)
    ap.add_argument("--mnist", nargs=2)
    ap.add_argument("--grid", action="store_true", help="also time Problem 1's 12-cell GridSearchCV")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--n-jobs", type=int, default=1, help="GridSearchCV's n_jobs")
    ap.add_argument("--fits", default="scale,auto,linear", help="comma list of single fits to time")
    ap.add_argument("--kernels", default="linear,rbf", help="kernel list of the grid (Problem 1: linear,rbf)")
    a = ap.parse_args()
    if a.npy:
        x, y = np.load(a.npy[0]), np.load(a.npy[1])
    else:
        x, y = mnist14(a.mnist[0], int(a.mnist[1]))
    print("data", x.shape, x.dtype)
    fits = {"scale": ("fit rbf C=1 gamma=scale", {}), "auto": ("fit rbf C=1 gamma=auto", {"gamma": "auto"}),
            "linear": ("fit linear C=1", {"kernel": "linear"})}
    for key in filter(None, a.fits.split(",")):
        name, kw = fits[key]
        best = cpu = None
        for _ in range(a.repeat):
            t, c = time.perf_counter(), time.process_time()
            clf = SVC(**kw).fit(x, y)
            dt, dc = time.perf_counter() - t, time.process_time() - c
            if best is None or dt < best:
                best, cpu = dt, dc
        print("%-28s %8.3f s wall %8.3f s cpu  nSV=%d iters=%d train_acc=%.4f" % (
            name, best, cpu, clf.n_support_.sum(), clf.n_iter_.sum(), clf.score(x, y)))
    if a.grid:
        grid = {"C": [0.1, 1, 10], "kernel": a.kernels.split(","), "gamma": ["scale", "auto"]}
        t, c = time.perf_counter(), time.process_time()
        gs = GridSearchCV(SVC(), grid, n_jobs=a.n_jobs).fit(x, y)
        dt, dc = time.perf_counter() - t, time.process_time() - c
        print("%-28s %8.3f s wall %8.3f s cpu  best=%s score=%.6f" % (
            "gridsearch %dx5 + refit n_jobs=%d" % (len(gs.cv_results_["params"]), a.n_jobs), dt, dc, gs.best_params_, gs.best_score_))
        print("mean_test_score", gs.cv_results_["mean_test_score"].tolist())


if __name__ == "__main__":
    main()
