"""Reference outputs of scikit-learn's SVC for hw1pipe/svm's fidelity tests.

Run with Debian's interpreter (scikit-learn 1.2.1, numpy 1.24.2):
    /usr/bin/python3 golden/svm/make_svc_golden.py > golden/svm/svc_cases.json

Writes one JSON document: the data sets (so the Go tests need no Python)
and, per case, every fitted attribute hw1pipe reproduces plus predict /
decision_function on held-out rows. Floats are written with repr, which
round-trips float64 exactly.
"""
import json
import sys
import warnings

import numpy as np
import sklearn
from sklearn.datasets import load_digits, load_iris
from sklearn.exceptions import ConvergenceWarning
from sklearn.svm import SVC


def datasets():
    iris = load_iris()
    # Every third row held out, the rest trained on.
    idx = np.arange(len(iris.target))
    te, tr = idx[idx % 3 == 0], idx[idx % 3 != 0]
    digits = load_digits()
    rs = np.random.RandomState(0)
    xr = rs.randn(400, 10)
    yr = (xr[:, 0] + 0.5 * xr[:, 1] + 0.3 * rs.randn(400) > 0).astype(np.int64) + (xr[:, 2] > 0.8)
    xrt = rs.randn(50, 10)
    return {
        "iris": (iris.data[tr], iris.target[tr], iris.data[te], iris.target[te]),
        "digits300": (digits.data[:300], digits.target[:300], digits.data[300:500], digits.target[300:500]),
        "random400": (xr, yr, xrt, np.zeros(50, dtype=np.int64)),
    }


CASES = [
    # (name, dataset, SVC kwargs)
    ("iris_rbf_C1", "iris", dict(C=1.0)),
    ("iris_rbf_C10", "iris", dict(C=10.0)),
    ("iris_rbf_C100", "iris", dict(C=100.0)),
    ("iris_linear_C0.5", "iris", dict(C=0.5, kernel="linear")),
    ("iris_rbf_C100_noshrink", "iris", dict(C=100.0, shrinking=False)),
    ("iris_linear_C0.5_noshrink", "iris", dict(C=0.5, kernel="linear", shrinking=False)),
    ("iris_poly", "iris", dict(C=1.0, kernel="poly", degree=3, gamma="auto", coef0=1.0)),
    ("iris_sigmoid", "iris", dict(C=1.0, kernel="sigmoid", gamma=0.01, coef0=-0.5)),
    ("iris_rbf_auto", "iris", dict(C=1.0, gamma="auto")),
    ("iris_rbf_maxiter5", "iris", dict(C=10.0, max_iter=5)),
    ("digits_rbf_C1", "digits300", dict(C=1.0)),
    ("digits_rbf_C10", "digits300", dict(C=10.0)),
    ("digits_rbf_C100", "digits300", dict(C=100.0)),
    ("digits_linear_C0.5", "digits300", dict(C=0.5, kernel="linear")),
    ("digits_rbf_C10_noshrink", "digits300", dict(C=10.0, shrinking=False)),
    ("digits_linear_C0.5_noshrink", "digits300", dict(C=0.5, kernel="linear", shrinking=False)),
    ("digits_rbf_auto", "digits300", dict(C=1.0, gamma="auto")),
    ("random_rbf_C0.001", "random400", dict(C=0.001)),
    ("random_rbf_C0.1", "random400", dict(C=0.1)),
    ("random_rbf_C10", "random400", dict(C=10.0)),
    ("random_linear_C1", "random400", dict(C=1.0, kernel="linear")),
    ("random_rbf_C10_noshrink", "random400", dict(C=10.0, shrinking=False)),
    ("random_binary_linear", "random400:y_bin", dict(C=1.0, kernel="linear")),
    ("random_binary_rbf", "random400:y_bin", dict(C=3.0, gamma=0.2)),
]


def fitted(clf, xt):
    # Decision values on at most 50 held-out rows keep the file small.
    dec = clf.decision_function(xt[:50])
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
        "decision_function": np.asarray(dec).ravel().tolist(),
    }
    if len(clf.classes_) == 2:
        out["dual_coef"] = clf.dual_coef_.ravel().tolist()
    else:
        clf.decision_function_shape = "ovo"
        out["decision_ovo"] = clf.decision_function(xt[:50]).ravel().tolist()
        clf.decision_function_shape = "ovr"
    return out


def main():
    warnings.simplefilter("ignore", ConvergenceWarning)
    data = datasets()
    doc = {
        "versions": {"sklearn": sklearn.__version__, "numpy": np.__version__, "python": sys.version.split()[0]},
        "datasets": {},
        "cases": [],
    }
    # A binary target on the random data: labels 4 and 7 (not 0/1, to
    # check that classes_ is used).
    y_bin = (data["random400"][1] > 0).astype(np.int64) * 3 + 4
    for name, (x, y, xt, yt) in data.items():
        doc["datasets"][name] = {
            "n": x.shape[0], "d": x.shape[1], "x": x.ravel().tolist(), "y": y.tolist(),
            "nt": xt.shape[0], "xt": xt.ravel().tolist(), "yt": yt.tolist(),
        }
    doc["datasets"]["random400"]["y_bin"] = y_bin.tolist()
    for name, ds, kw in CASES:
        x, y, xt, _ = data[ds.split(":")[0]]
        if ds.endswith(":y_bin"):
            y = y_bin
        clf = SVC(**kw).fit(x, y)
        params = dict(kw)
        params.setdefault("gamma", "scale")
        doc["cases"].append({"name": name, "dataset": ds, "params": params, "out": fitted(clf, xt)})
    json.dump(doc, sys.stdout, separators=(",", ":"))


if __name__ == "__main__":
    main()
