"""Load a file hw1pipe wrote the way the autograder would, and compare it
with the values hw1pipe meant to write (a sidecar JSON).

Usage: /usr/bin/python3 check_artifacts.py KIND FILE SIDECAR.json

KIND is one of
  floatlist   pickle.load -> list of Python floats
  torch       torch.load (weights_only False and True) -> OrderedDict of
              float32 tensors; load_state_dict into Net when the names are
              fc1.weight / fc1.bias (10x784 / 10) and compare outputs
  h5          h5py: group 'instance', float64 attributes 'w', 'b'
  svc         pickle.load -> fitted sklearn.svm.SVC
  gridsearch  pickle.load -> fitted sklearn.model_selection.GridSearchCV

Floats travel through the JSON as their IEEE bits (unsigned ints) so that
NaN, -0.0 and every last bit compare exactly. Prints one line starting
with "OK" and exits 0, or raises.
"""
import json
import math
import pickle
import struct
import sys
import warnings

import numpy as np


def f64(bits):
    return np.array(bits, dtype=np.uint64).view(np.float64)


def f32(bits):
    return np.array(bits, dtype=np.uint32).view(np.float32)


def same_bits64(a, b):
    a = np.ascontiguousarray(a, dtype=np.float64)
    b = np.ascontiguousarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.all(a.view(np.uint64) == b.view(np.uint64)))


def check_floatlist(path, side):
    with open(path, "rb") as f:
        v = pickle.load(f)
    assert type(v) is list, type(v)
    assert all(type(x) is float for x in v), "not all Python floats"
    want = [struct.unpack("<d", struct.pack("<Q", b))[0] for b in side["bits"]]
    assert len(v) == len(want), (len(v), len(want))
    for i, (x, y) in enumerate(zip(v, want)):
        assert struct.pack("<d", x) == struct.pack("<d", y), (i, x, y)
    return "%d floats" % len(v)


def check_torch(path, side):
    import collections
    import torch
    from torch import nn

    # data.pkl may use only what torch's weights-only unpickler accepts
    # and torch.save itself writes (docs/formats.md#pickled-state-dict and docs/formats.md#weights-only-loading)
    import pickletools
    import zipfile

    allowed = {"PROTO", "GLOBAL", "BINPUT", "LONG_BINPUT", "BINGET", "LONG_BINGET", "MARK",
               "EMPTY_TUPLE", "EMPTY_DICT", "TUPLE", "TUPLE1", "TUPLE2", "TUPLE3", "BININT1",
               "BININT2", "BININT", "BINUNICODE", "NEWFALSE", "BINPERSID", "REDUCE", "SETITEM",
               "SETITEMS", "BUILD", "STOP"}
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        names = z.namelist()
        prefix = names[0].split("/")[0]
        assert all(n.startswith(prefix + "/") for n in names), names
        pkl = z.read(prefix + "/data.pkl")
        assert z.read(prefix + "/version") == b"3\n"
    used = {op.name for op, _, _ in pickletools.genops(pkl)}
    assert used <= allowed, used - allowed
    assert pkl[:2] == b"\x80\x02"

    out = []
    for wo in (False, True):
        sd = torch.load(path, weights_only=wo)
        assert isinstance(sd, collections.OrderedDict), type(sd)
        names = [t["name"] for t in side["tensors"]]
        assert list(sd.keys()) == names, (list(sd.keys()), names)
        for t in side["tensors"]:
            x = sd[t["name"]]
            assert x.dtype == torch.float32, x.dtype
            assert list(x.shape) == t["shape"], (list(x.shape), t["shape"])
            assert not x.requires_grad
            want = f32(t["bits"]).reshape(t["shape"])
            got = x.numpy()
            assert np.array_equal(got.view(np.uint32), want.view(np.uint32)), t["name"]
        if "metadata" in side:
            md = getattr(sd, "_metadata", None)
            assert md is not None and dict(md) == side["metadata"], md
        if names == ["fc1.weight", "fc1.bias"]:
            class Net(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.fc1 = nn.Linear(784, 10)

                def forward(self, x):
                    return torch.relu(self.fc1(x))

            net = Net()
            res = net.load_state_dict(sd, strict=True)
            assert not res.missing_keys and not res.unexpected_keys, res
            x = torch.from_numpy(f64(side["inputs"]).reshape(-1, 784).astype(np.float32))
            with torch.no_grad():
                y = net(x).double().numpy()
            want = f64(side["outputs"]).reshape(y.shape)
            err = float(np.max(np.abs(y - want))) if y.size else 0.0
            assert err <= 1e-6, err
            out.append("net max err %.2g" % err)
    return "torch.load x2, %d tensors %s" % (len(side["tensors"]), ", ".join(out))


def check_h5(path, side):
    import h5py

    with h5py.File(path, "r") as f:
        assert list(f.keys()) == ["instance"], list(f.keys())
        g = f["instance"]
        assert sorted(g.attrs.keys()) == ["b", "w"], list(g.attrs.keys())
        for name in ("w", "b"):
            a = g.attrs[name]
            assert isinstance(a, np.ndarray) and a.dtype == np.float64, (name, type(a), a.dtype)
            assert list(a.shape) == side[name]["shape"], (name, a.shape)
            assert same_bits64(a, f64(side[name]["bits"]).reshape(a.shape)), name
            assert a.dtype.byteorder in ("=", "<"), a.dtype.byteorder
    return "w %s b %s" % (side["w"]["shape"], side["b"]["shape"])


def check_estimator(est, side):
    X = f64(side["X"]).reshape(side["n"], -1)
    pred = est.predict(X)
    want = np.array(side["predict"])
    assert np.array_equal(pred, want), (pred, want)
    dec = est.decision_function(X)
    wdec = f64(side["decision"]).reshape(dec.shape)
    err = float(np.max(np.abs(dec - wdec))) if dec.size else 0.0
    assert err <= side.get("decision_tol", 0.0), err
    y = np.array(side["y"])
    score = est.score(X, y)
    assert score == side["score"], (score, side["score"])
    return pred, err


def load_pickle_quiet(path):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        with open(path, "rb") as f:
            obj = pickle.load(f)
    return obj, [str(x.message) for x in w]


def check_svc(path, side):
    from sklearn.svm import SVC

    est, warns = load_pickle_quiet(path)
    assert type(est) is SVC, type(est)
    assert not warns, warns
    _, err = check_estimator(est, side)
    assert est.n_support_.tolist() == side["n_support"], est.n_support_
    assert est.support_.dtype == np.int32
    assert repr(est)  # get_params needs every parameter
    return "SVC predict/score equal, decision max err %.2g" % err


def check_gridsearch(path, side):
    from sklearn.model_selection import GridSearchCV
    from sklearn.svm import SVC

    gs, warns = load_pickle_quiet(path)
    assert type(gs) is GridSearchCV, type(gs)
    assert not warns, warns
    assert type(gs.best_estimator_) is SVC
    _, err = check_estimator(gs, side)
    assert gs.best_params_ == side["best_params"], (gs.best_params_, side["best_params"])
    assert gs.best_estimator_.n_support_.tolist() == side["n_support"]
    assert gs.best_index_ == side["best_index"] and isinstance(gs.best_index_, np.int64)
    assert gs.best_score_ == f64([side["best_score"]])[0]
    cv = gs.cv_results_
    assert cv["rank_test_score"].dtype == np.int32
    assert cv["rank_test_score"].tolist() == side["rank"]
    for k, vals in side["params_columns"].items():
        col = cv["param_" + k]
        assert isinstance(col, np.ma.MaskedArray), type(col)
        assert col.tolist() == vals, (k, col.tolist(), vals)
    assert cv["params"] == side["params"]
    assert gs.n_splits_ == side["n_splits"]
    assert repr(gs)
    return "GridSearchCV predict/score/best_params_ equal, decision max err %.2g" % err


CHECKS = {"floatlist": check_floatlist, "torch": check_torch, "h5": check_h5,
          "svc": check_svc, "gridsearch": check_gridsearch}

if __name__ == "__main__":
    kind, path, sidecar = sys.argv[1:4]
    with open(sidecar) as f:
        side = json.load(f)
    print("OK", kind, CHECKS[kind](path, side))
