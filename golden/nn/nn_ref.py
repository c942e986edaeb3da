"""numpy reference for hw1pipe/nn (Problem 3 a-g): the same network, data
selection, initialisation and batch order, written the way the homework
does it in numpy. Used by golden/nn/README.md's command, by nn's tests
through hw1pipe/internal/pyref, and by bench/nn_bench.py.

Usage (run with Debian's /usr/bin/python3, numpy 1.24):
  nn_ref.py golden MNIST_DIR OUT.json
      seeded subset + init + order, 200 updates, validation every 100;
      writes the golden that nn's tests read.
  nn_ref.py train MNIST_DIR W0.npy B0.npy BATCHES.npy VAL_IDX.npy VAL_EVERY
      trains from the given initial weights (10x784, 10x1) on the given
      batches (int64, updates x 64, original MNIST training indices),
      validating on the given MNIST test indices; prints JSON.
  nn_ref.py init [GAUSSIAN_W.npy]
      prints sha256 and sample values of the uniform and Gaussian inits
      (seed 20); saves the Gaussian W (10x784) when a path is given.
"""
import gzip
import hashlib
import json
import os
import sys

import numpy as np

CLASSES = 10
D = 784


def read_idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic = int.from_bytes(raw[0:4], "big")
    if magic == 2051:
        n, r, c = (int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(3))
        return np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(n, r * c)
    if magic == 2049:
        return np.frombuffer(raw, dtype=np.uint8, offset=8)
    raise ValueError("%s: bad IDX magic %d" % (path, magic))


def load_mnist(d):
    """(Xtrain uint8 60000x784, ytrain, Xtest 10000x784, ytest)."""
    return (read_idx(os.path.join(d, "train-images-idx3-ubyte.gz")),
            read_idx(os.path.join(d, "train-labels-idx1-ubyte.gz")).astype(np.int64),
            read_idx(os.path.join(d, "t10k-images-idx3-ubyte.gz")),
            read_idx(os.path.join(d, "t10k-labels-idx1-ubyte.gz")).astype(np.int64))


def class_counts(y, frac):
    """floor(frac*n_c), then +1 for the largest remainders (ties: smaller
    class) until the total is round(frac*len(y))."""
    n = np.bincount(y, minlength=CLASSES)
    x = frac * n.astype(np.float64)
    k = np.floor(x).astype(np.int64)
    rem = x - k
    target = int(np.floor(frac * len(y) + 0.5))
    for c in sorted(range(CLASSES), key=lambda c: -rem[c]):  # stable sort
        if k.sum() >= target:
            break
        if rem[c] > 0:
            k[c] += 1
    return k


def class_subset(y, frac, rs):
    k = class_counts(y, frac)
    sel = []
    for c in range(CLASSES):
        idx = np.flatnonzero(y == c)
        pick = rs.choice(len(idx), k[c], replace=False)
        sel.append(idx[pick])
    return np.sort(np.concatenate(sel))


def init(rs, kind="uniform"):
    if kind == "uniform":
        w = rs.rand(CLASSES, D)
        b = rs.rand(CLASSES, 1)
    else:
        w = rs.randn(CLASSES, D)
        w /= np.linalg.norm(w)
        b = rs.randn(CLASSES, 1)
        b /= np.linalg.norm(b)
    return w, b


def forward(w, b, x, y):
    n = len(y)
    z = x @ w.T + b.T
    h = np.maximum(z, 0)
    m = h.max(axis=1, keepdims=True)
    e = np.exp(h - m)
    s = e.sum(axis=1, keepdims=True)
    loss = np.mean(np.log(s[:, 0]) - (h[np.arange(n), y] - m[:, 0]))
    err = np.mean(h.argmax(axis=1) != y)
    return float(loss), float(err), z, e / s


def backward(x, y, z, p):
    n = len(y)
    dh = p.copy()
    dh[np.arange(n), y] -= 1
    dh /= n
    dz = dh * (z > 0)
    return dz.T @ x, dz.sum(axis=0)[:, None]


def evaluate(w, b, xv, yv, batch=64):
    L = E = 0.0
    nb = 0
    for s in range(0, len(yv), batch):
        l, e, _, _ = forward(w, b, xv[s:s + batch], yv[s:s + batch])
        L += l
        E += e
        nb += 1
    return L / nb, E / nb


def train(w, b, xt, yt, batches, xv, yv, val_every, lr=0.1):
    """batches: list of index arrays into xt. Returns the logs."""
    w, b = w.copy(), b.copy()
    out = {"loss": [], "err": [], "val_steps": [0], "val_loss": [], "val_err": []}
    l, e = evaluate(w, b, xv, yv)
    out["val_loss"].append(l)
    out["val_err"].append(e)
    for t, bi in enumerate(batches, 1):
        x, y = xt[bi], yt[bi]
        l, e, z, p = forward(w, b, x, y)
        out["loss"].append(l)
        out["err"].append(e)
        dw, db = backward(x, y, z, p)
        w -= lr * dw
        b -= lr * db
        if t % val_every == 0:
            l, e = evaluate(w, b, xv, yv)
            out["val_steps"].append(t)
            out["val_loss"].append(l)
            out["val_err"].append(e)
    return out, w, b


def epoch_batches(rs, n, updates, batch=64):
    """np.random.permutation(n) per pass, consecutive batches, short last."""
    out = []
    while len(out) < updates:
        perm = rs.permutation(n)
        for s in range(0, n, batch):
            out.append(perm[s:s + batch])
            if len(out) == updates:
                break
    return out


def sha(a):
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()


def cmd_golden(mnist_dir, out_path, updates=200, val_every=100, seed=20, data_seed=20):
    Xtr, ytr, Xte, yte = load_mnist(mnist_dir)
    drs = np.random.RandomState(data_seed)
    tr = class_subset(ytr, 0.5, drs)
    va = class_subset(yte, 0.5, drs)
    xt, yt = Xtr[tr].astype(np.float64) / 255, ytr[tr]
    xv, yv = Xte[va].astype(np.float64) / 255, yte[va]
    rs = np.random.RandomState(seed)
    w, b = init(rs)
    batches = epoch_batches(rs, len(tr), updates)
    logs, w1, b1 = train(w, b, xt, yt, batches, xv, yv, val_every)
    g = {
        "seed": seed, "data_seed": data_seed, "updates": updates, "val_every": val_every,
        "train_counts": class_counts(ytr, 0.5).tolist(),
        "val_counts": class_counts(yte, 0.5).tolist(),
        "train_subset_sha256": sha(tr.astype(np.int64)),
        "val_subset_sha256": sha(va.astype(np.int64)),
        "train_subset_head": tr[:10].tolist(),
        "val_subset_head": va[:10].tolist(),
        # original MNIST training indices of every batch
        "batches": [tr[bi].tolist() for bi in batches],
        "w0_sha256": sha(w), "b0_sha256": sha(b),
        "w1_sha256_not_bitexact": sha(w1),
        "w1_head": w1[0, 150:160].tolist(),
        "b1": b1[:, 0].tolist(),
    }
    g.update(logs)
    tmp = out_path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(g, f, separators=(",", ":"))
        f.write("\n")
    os.replace(tmp, out_path)


def cmd_train(mnist_dir, w0, b0, batches, val_idx, val_every):
    Xtr, ytr, Xte, yte = load_mnist(mnist_dir)
    w, b = np.load(w0), np.load(b0)
    bt = np.load(batches)
    va = np.load(val_idx)
    xv, yv = Xte[va].astype(np.float64) / 255, yte[va]
    used = np.unique(bt)
    # only the rows the batches touch are scaled
    xt = np.zeros((len(ytr), D))
    xt[used] = Xtr[used].astype(np.float64) / 255
    logs, _, _ = train(w, b, xt, ytr, list(bt), xv, yv, int(val_every))
    json.dump(logs, sys.stdout)


def cmd_init(npy_out=None):
    out = {}
    for kind in ("uniform", "gaussian"):
        w, b = init(np.random.RandomState(20), kind)
        out[kind] = {"w_sha256": sha(w), "b_sha256": sha(b), "w00": w[0, 0],
                     "w_last": w[9, 783], "b0": b[0, 0], "b_last": b[9, 0]}
        if kind == "gaussian" and npy_out:
            np.save(npy_out, w)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    if sys.argv[1] == "golden":
        cmd_golden(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "train":
        cmd_train(*sys.argv[2:8])
    elif sys.argv[1] == "init":
        cmd_init(*sys.argv[2:3])
    else:
        sys.exit("usage: nn_ref.py golden|train|init ...")
