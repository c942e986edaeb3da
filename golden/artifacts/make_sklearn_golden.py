"""Fit scikit-learn SVCs and GridSearchCVs on small data and dump what
artifacts/sklearn needs to rebuild them in Go, plus sklearn's own pickle
of each fitted object (the byte-for-byte reference).

Usage: /usr/bin/python3 make_sklearn_golden.py OUTDIR
Made with Debian bookworm's Python 3.11, numpy 1.24.2, scikit-learn 1.2.1
(see README.md). For each case NAME it writes NAME.json and NAME.pkl
(pickle.dumps(estimator), protocol 4).

Floats are stored as their IEEE-754 bits (unsigned ints) so every value,
including -0.0, survives JSON exactly. The JSON also holds the held-out
data (X, y) with the estimator's predict, decision_function and score on
it, in the keys check_artifacts.py reads.
"""
import json
import os
import pickle
import sys

import numpy as np
from sklearn.datasets import load_digits, load_iris
from sklearn.model_selection import GridSearchCV
from sklearn.svm import SVC


def bits(a):
    return np.ascontiguousarray(np.asarray(a, dtype=np.float64)).ravel().view(np.uint64).tolist()


def pyval(v):
    """A grid value as JSON: keeps int vs float vs str."""
    if isinstance(v, bool) or v is None:
        raise TypeError(v)
    if isinstance(v, int):
        return {"int": v}
    if isinstance(v, float):
        return {"float": bits([v])[0]}
    if isinstance(v, str):
        return {"str": v}
    raise TypeError(type(v))


def params(est):
    p = est.get_params()
    return {"kernel": p["kernel"], "C": pyval(p["C"]), "gamma": pyval(p["gamma"]),
            "degree": p["degree"], "coef0": bits([p["coef0"]])[0], "tol": bits([p["tol"]])[0]}


def svc_attrs(m):
    assert m.classes_.dtype == np.int64
    return {
        "params": params(m),
        "classes": m.classes_.tolist(),
        "gamma_value": bits([m._gamma])[0],
        "n_features": int(m.n_features_in_),
        "n_samples": int(m.shape_fit_[0]),
        "support": m.support_.tolist(),
        "support_vectors": bits(m.support_vectors_),
        "n_support_": m._n_support.tolist(),
        "dual_coef": bits(m._dual_coef_),
        "intercept": bits(m._intercept_),
        "n_iter": m._num_iter.tolist(),
    }


def heldout(est, X, y):
    return {
        "X": bits(X), "n": int(X.shape[0]), "y": y.tolist(),
        "predict": est.predict(X).tolist(),
        "decision": bits(est.decision_function(X)),
        "decision_tol": 0.0,
        "score": float(est.score(X, y)),
    }


def data():
    X, y = load_iris(return_X_y=True)
    rng = np.random.RandomState(0)
    idx = rng.permutation(len(y))
    iris = (X[idx[:100]], y[idx[:100]], X[idx[100:]], y[idx[100:]])
    Xd, yd = load_digits(return_X_y=True)
    sel = np.flatnonzero(yd < 10)[:160]
    digits = (Xd[sel[:120]], yd[sel[:120]], Xd[sel[120:]], yd[sel[120:]])
    b = np.flatnonzero((yd == 3) | (yd == 8))[:90]
    binary = (Xd[b[:60]], yd[b[:60]], Xd[b[60:]], yd[b[60:]])
    ib = np.flatnonzero(y > 0)
    ib = ib[rng.permutation(len(ib))]
    iris_bin = (X[ib[:70]], y[ib[:70]], X[ib[70:]], y[ib[70:]])
    return {"iris": iris, "digits": digits, "binary": binary, "iris_bin": iris_bin}


SVC_CASES = [
    ("svc_iris_rbf_auto", "iris", dict(kernel="rbf", gamma="auto", C=1.0)),
    ("svc_iris_linear_intC", "iris", dict(kernel="linear", C=1)),
    ("svc_digits_rbf_scale", "digits", dict(kernel="rbf", gamma="scale", C=10)),
    ("svc_binary_rbf_float", "binary", dict(kernel="rbf", gamma=0.001, C=0.5)),
    ("svc_irisbin_linear", "iris_bin", dict(kernel="linear", C=0.1)),
]

GRID = {"C": [0.1, 1, 10], "kernel": ["linear", "rbf"], "gamma": ["scale", "auto"]}
GRID_CASES = [("grid_iris", "iris"), ("grid_binary", "binary")]


def main(out):
    os.makedirs(out, exist_ok=True)
    ds = data()
    for name, d, kw in SVC_CASES:
        Xtr, ytr, Xte, yte = ds[d]
        m = SVC(**kw).fit(Xtr, ytr)
        rec = {"kind": "svc", "fitted": svc_attrs(m), "n_support": m.n_support_.tolist()}
        rec.update(heldout(m, Xte, yte))
        dump(out, name, rec, m)
    for name, d in GRID_CASES:
        Xtr, ytr, Xte, yte = ds[d]
        gs = GridSearchCV(SVC(), GRID, cv=5).fit(Xtr, ytr)
        cv = gs.cv_results_
        rec = {
            "kind": "gridsearch",
            "estimator": params(gs.estimator),
            "param_grid": [[k, [pyval(v) for v in vals]] for k, vals in GRID.items()],
            "cv": 5,
            "mean_fit_time": bits(cv["mean_fit_time"]), "std_fit_time": bits(cv["std_fit_time"]),
            "mean_score_time": bits(cv["mean_score_time"]), "std_score_time": bits(cv["std_score_time"]),
            "split_test_scores": [bits(cv["split%d_test_score" % i]) for i in range(gs.n_splits_)],
            "mean_test_score": bits(cv["mean_test_score"]), "std_test_score": bits(cv["std_test_score"]),
            "rank": cv["rank_test_score"].tolist(),
            "refit_time": bits([gs.refit_time_])[0],
            "best_index": int(gs.best_index_), "best_score": bits([gs.best_score_])[0],
            "best_params": gs.best_params_,
            "params": cv["params"],
            "params_columns": {k[len("param_"):]: cv[k].tolist() for k in cv if k.startswith("param_")},
            "n_splits": gs.n_splits_,
            "best": svc_attrs(gs.best_estimator_),
            "n_support": gs.best_estimator_.n_support_.tolist(),
        }
        rec.update(heldout(gs, Xte, yte))
        dump(out, name, rec, gs)


def dump(out, name, rec, est):
    with open(os.path.join(out, name + ".json"), "w") as f:
        json.dump(rec, f, separators=(",", ":"))
    with open(os.path.join(out, name + ".pkl"), "wb") as f:
        f.write(pickle.dumps(est))


if __name__ == "__main__":
    main(sys.argv[1])
