"""Reference splits from scikit-learn 1.2.1 for hw1pipe/modelsel.

Run: /usr/bin/python3 golden/numerics/make_modelsel.py > golden/numerics/modelsel.json
"""
import json
import sys
import warnings

import numpy as np
import sklearn
from sklearn.model_selection import StratifiedKFold, train_test_split


def tts(y, test_size, seed, stratify=True):
    X = np.arange(len(y))
    try:
        a, b = train_test_split(X, test_size=test_size, random_state=seed, shuffle=True,
                                stratify=y if stratify else None)
    except ValueError as e:
        return {"error": str(e)}
    return {"train": a.tolist(), "test": b.tolist()}


def skf(y, k):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            folds = [0] * len(y)
            for f, (_, te) in enumerate(StratifiedKFold(n_splits=k).split(np.zeros(len(y)), y)):
                for i in te:
                    folds[i] = f
        except ValueError as e:
            return {"error": str(e)}
    return {"folds": folds, "warned": any("least populated" in str(x.message) for x in w)}


def per_class_subsample(y, per_class, seed):
    # The homework's "num/10 random images per digit without replacement".
    rs = np.random.RandomState(seed)
    out = []
    for c in np.unique(y):
        idx_c = np.where(y == c)[0]
        pick = rs.choice(len(idx_c), per_class, replace=False)
        out.extend(idx_c[pick].tolist())
    return out


out = {"sklearn": sklearn.__version__, "numpy": np.__version__}

# docs/numerics.md#train-test-split and docs/numerics.md#stratifiedkfold vectors.
y31 = [0] * 10 + [1] * 6 + [2] * 4
out["spec31"] = {"y": y31, "test_size": 0.25, "seed": 42, **tts(np.array(y31), 0.25, 42)}
y32 = [0, 0, 1, 1, 1, 2, 2, 2, 2, 0, 1, 2, 0, 1, 2, 1, 0, 2, 1, 2]
out["spec32"] = {"y": y32, "k": 5, **skf(np.array(y32), 5)}

# 10,000 labels in 10 classes, as the Problem 1 subsample has.
y = np.random.RandomState(2024).randint(0, 10, 10000)
out["y10000"] = y.tolist()
r = tts(y, 0.2, 42)
out["y10000_tts_0.2_42"] = r
out["y10000_skf5"] = skf(y, 5)
out["y10000_train_skf5"] = skf(y[np.array(r["train"])], 5)
out["y10000_shufflesplit_0.2_42"] = tts(y, 0.2, 42, stratify=False)
out["y10000_perclass_100_seed0"] = per_class_subsample(y, 100, 0)

# Random small cases: odd sizes, unbalanced classes, remainder ties, errors.
rs = np.random.RandomState(7)
cases = []
for _ in range(60):
    n = int(rs.randint(4, 120))
    k = int(rs.randint(1, 7))
    w = rs.rand(k) + 0.05
    yc = rs.choice(k, n, p=w / w.sum()) * 3 - 2  # labels not 0..k-1
    ts = float(rs.choice([0.1, 0.2, 0.25, 1 / 3, 0.5, 0.7]))
    seed = int(rs.randint(0, 2**32 - 1, dtype=np.int64))
    nf = int(rs.randint(2, 6))
    cases.append({"y": yc.tolist(), "test_size": ts, "seed": seed, "k": nf,
                  "tts": tts(yc, ts, seed), "skf": skf(yc, nf)})
out["cases"] = cases

json.dump(out, sys.stdout, separators=(",", ":"))
sys.stdout.write("\n")
