"""Load hw1 deliverables the way the Gradescope autograder does.

Embedded in hw1pipe (package verify) and run as
    python3 -I - DIR RELPATH...
with this file on stdin. For each RELPATH (slash-separated, under DIR) it
prints one JSON line {"path", "status": "pass"|"fail"|"skip", "detail"}.
A file whose library (sklearn, torch, h5py) cannot be imported is "skip".
"""
import importlib
import json
import math
import os
import pickle
import sys
import warnings

TRAINING_LEN = 10000
VALIDATION_LEN = 11


class Skip(Exception):
    pass


def need(module):
    try:
        return importlib.import_module(module)
    except Exception as e:  # ImportError, or a broken install
        raise Skip("python: cannot import %s (%s)" % (module, e))


def load_pickle(path):
    with open(path, "rb") as f:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            obj = pickle.load(f)
    notes = sorted({str(w.message).split("\n")[0][:120] for w in caught})
    return obj, notes


def check_floats(path, n):
    obj, _ = load_pickle(path)
    if type(obj) is not list:
        raise AssertionError("pickle.load gives a %s, want a list" % type(obj).__name__)
    if len(obj) != n:
        raise AssertionError("pickle.load gives %d values, want %d" % (len(obj), n))
    for i, x in enumerate(obj):
        if type(x) is not float:
            raise AssertionError("item %d is a %s, want float" % (i, type(x).__name__))
        if not math.isfinite(x):
            raise AssertionError("item %d is %r" % (i, x))
    return "pickle.load: list of %d floats, last %.4g" % (n, obj[-1])


def check_svm(path):
    sklearn = need("sklearn")
    np = need("numpy")
    from sklearn.model_selection import GridSearchCV
    from sklearn.svm import SVC
    from sklearn.utils.validation import check_is_fitted

    obj, notes = load_pickle(path)
    if isinstance(obj, GridSearchCV):
        svc = obj.best_estimator_
    else:
        svc = obj
    if not isinstance(svc, SVC):
        raise AssertionError("pickle.load gives a %s, want an SVC or GridSearchCV" % type(obj).__name__)
    check_is_fitted(obj)
    d = svc.n_features_in_
    x = np.zeros((2, d))
    x[1] = svc.support_vectors_[0]
    pred = obj.predict(x)
    if not set(pred.tolist()) <= set(svc.classes_.tolist()):
        raise AssertionError("predict gives labels %s outside classes_" % pred)
    dec = obj.decision_function(x)
    if not np.all(np.isfinite(dec)):
        raise AssertionError("decision_function is not finite")
    acc = obj.score(x, pred)
    if acc != 1.0:
        raise AssertionError("score on its own predictions is %r" % acc)
    s = "pickle.load: %s (sklearn %s), %d classes, %d features, predict/score ok" % (
        type(obj).__name__, sklearn.__version__, len(svc.classes_), d)
    if notes:
        s += "; warnings: " + " | ".join(notes)
    return s


def check_torch(path):
    torch = need("torch")
    nn = torch.nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(784, 10)

        def forward(self, x):
            return torch.relu(self.fc1(x))

    sd = torch.load(path, map_location="cpu", weights_only=True)
    want = {"fc1.weight": (10, 784), "fc1.bias": (10,)}
    if set(sd.keys()) != set(want):
        raise AssertionError("state_dict keys %s, want %s" % (sorted(sd.keys()), sorted(want)))
    for k, shape in want.items():
        t = sd[k]
        if t.dtype != torch.float32 or tuple(t.shape) != shape:
            raise AssertionError("%s is %s %s, want float32 %s" % (k, t.dtype, tuple(t.shape), shape))
        if not bool(torch.isfinite(t).all()):
            raise AssertionError("%s has non-finite values" % k)
    net = Net()
    net.load_state_dict(sd, strict=True)
    out = net(torch.zeros(1, 784))
    if not bool(torch.isfinite(out).all()):
        raise AssertionError("Net output is not finite")
    return "torch.load(weights_only=True) + load_state_dict(strict) into Net (torch %s)" % torch.__version__


def check_h5(path):
    h5py = need("h5py")
    np = need("numpy")
    with h5py.File(path, "r") as f:
        if "instance" not in f:
            raise AssertionError("no group 'instance' (has %s)" % sorted(f.keys()))
        g = f["instance"]
        want = {"w": (10, 784), "b": (10, 1)}
        for k, shape in want.items():
            if k not in g.attrs:
                raise AssertionError("group instance has no attribute %r" % k)
            a = g.attrs[k]
            if a.dtype != np.float64 or a.shape != shape:
                raise AssertionError("attribute %s is %s %s, want float64 %s" % (k, a.dtype, a.shape, shape))
            if not np.all(np.isfinite(a)):
                raise AssertionError("attribute %s has non-finite values" % k)
    return "h5py %s: instance.attrs w float64 (10, 784), b float64 (10, 1)" % h5py.__version__


def check(path):
    base = os.path.basename(path)
    if base == "grid_search_svm.pkl":
        return check_svm(path)
    if base == "pytorch_nn_weights.pth":
        return check_torch(path)
    if base == "linear.h5":
        return check_h5(path)
    if base.endswith(".pkl"):
        return check_floats(path, TRAINING_LEN if "_training_" in base else VALIDATION_LEN)
    raise AssertionError("not a deliverable")


def main():
    root = sys.argv[1]
    for rel in sys.argv[2:]:
        path = os.path.join(root, *rel.split("/"))
        try:
            out = {"status": "pass", "detail": check(path)}
        except Skip as e:
            out = {"status": "skip", "detail": str(e)}
        except Exception as e:
            msg = str(e).split("\n")[0][:300]
            out = {"status": "fail", "detail": "python: %s: %s" % (type(e).__name__, msg)}
        out["path"] = rel
        print(json.dumps(out), flush=True)


main()
