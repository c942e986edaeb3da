"""scikit-learn GridSearchCV(SVC(), grid) references for hw1pipe/gridsearch.

    /usr/bin/python3 golden/svm/make_grid_golden.py [MNIST_DIR] > golden/svm/grid_cases.json

Cases: the full iris set with docs/numerics.md#gridsearchcv's grid, and the first 300
digits (sklearn.datasets.load_digits, shipped with scikit-learn) with
Problem 1's grid {C:[0.1,1,10], kernel:[linear,rbf], gamma:[scale,auto]}.
With MNIST_DIR (raw IDX files, see make_mnist_golden.py) a third case runs
Problem 1's grid on the first 400 MNIST training images at 14x14, pixels
0..255 as the pipeline has them. Per case: the data, cv_results_ (split scores, means, stds, ranks, params),
best_index_, best_score_, and the refit best_estimator_'s attributes.
"""
import gzip
import json
import os
import sys

import numpy as np
import sklearn
from sklearn.datasets import load_digits, load_iris
from sklearn.model_selection import GridSearchCV
from sklearn.svm import SVC


def case(name, x, y, grid):
    gs = GridSearchCV(SVC(), grid).fit(x, y)
    cv = gs.cv_results_
    be = gs.best_estimator_
    return {
        "name": name,
        "n": x.shape[0], "d": x.shape[1], "x": x.ravel().tolist(), "y": y.tolist(),
        "grid": grid,
        "params": cv["params"],
        "split_test_score": [cv["split%d_test_score" % f].tolist() for f in range(5)],
        "mean_test_score": cv["mean_test_score"].tolist(),
        "std_test_score": cv["std_test_score"].tolist(),
        "rank_test_score": cv["rank_test_score"].tolist(),
        "best_index": int(gs.best_index_),
        "best_score": float(gs.best_score_),
        "best_params": gs.best_params_,
        "best": {
            "gamma": float(be._gamma),
            "support": be.support_.tolist(),
            "n_support": be.n_support_.tolist(),
            "_dual_coef": be._dual_coef_.ravel().tolist(),
            "_intercept": be._intercept_.tolist(),
            "n_iter": be.n_iter_.tolist(),
        },
    }


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


PROBLEM1 = {"C": [0.1, 1, 10], "kernel": ["linear", "rbf"], "gamma": ["scale", "auto"]}


def main():
    iris = load_iris()
    digits = load_digits()
    doc = {
        "versions": {"sklearn": sklearn.__version__, "numpy": np.__version__},
        "cases": [
            case("iris_spec", iris.data, iris.target, {"C": [0.1, 1, 10, 100], "gamma": ["scale", 0.01]}),
            case("digits300_problem1", digits.data[:300], digits.target[:300], PROBLEM1),
        ],
    }
    if len(sys.argv) > 1:
        x, y = mnist14(sys.argv[1], 400)
        doc["cases"].append(case("mnist400_problem1", x, y, PROBLEM1))
    json.dump(doc, sys.stdout, separators=(",", ":"))


if __name__ == "__main__":
    main()
