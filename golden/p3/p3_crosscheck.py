"""End-to-end check of the p3data/p3train outputs of a full pipeline run
against golden/nn/nn_ref.py (plain numpy): the permutations in batches.npy
must be numpy's own draws (RandomState(20): init, then one permutation per
pass), and retraining in numpy on those batches must give the pickled
curves and linear.h5 weights to rounding.

Usage: /usr/bin/python3 golden/p3/p3_crosscheck.py OUTDIR   (default out/)
Expects OUTDIR/mnist/*.npy and OUTDIR/p3/* as pipeline.yaml names them, and
the default p3train params (10,000 updates, validation every 1,000).
"""
import json
import os
import pickle
import sys
import time

import h5py
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "nn"))
import nn_ref  # noqa: E402
o = sys.argv[1].rstrip("/") + "/" if len(sys.argv) > 1 else "out/"
Xtr = np.load(o+"mnist/train_images.npy"); ytr = np.load(o+"mnist/train_labels.npy")
Xte = np.load(o+"mnist/test_images.npy"); yte = np.load(o+"mnist/test_labels.npy")
tr = np.load(o+"p3/train_idx.npy"); va = np.load(o+"p3/val_idx.npy"); perms = np.load(o+"p3/batches.npy")
xt, yt = Xtr[tr].astype(np.float64)/255, ytr[tr]
xv, yv = Xte[va].astype(np.float64)/255, yte[va]
rs = np.random.RandomState(20); w, b = nn_ref.init(rs)
# the stage's permutations must be numpy's own draws
ref_batches = nn_ref.epoch_batches(rs, len(tr), 10000)
batches = []
for p in perms:
    for s in range(0, len(p), 64):
        batches.append(p[s:s+64])
batches = batches[:10000]
assert all(np.array_equal(a, c) for a, c in zip(batches, ref_batches)), "batch order differs"
t0 = time.time()
logs, w1, b1 = nn_ref.train(w, b, xt, yt, batches, xv, yv, 1000)
el = time.time() - t0
got = {k: pickle.load(open(o+"p3/self_NN_%s.pkl" % k, "rb")) for k in ["training_loss", "training_error", "validation_loss", "validation_error"]}
f = h5py.File(o+"p3/linear.h5", "r"); W = f["instance"].attrs["w"]; B = f["instance"].attrs["b"]
print(json.dumps({
 "numpy_seconds": round(el, 1),
 "max_dloss_train": float(np.max(np.abs(np.array(got["training_loss"]) - logs["loss"]))),
 "train_err_mismatches": int(np.sum(np.array(got["training_error"]) != logs["err"])),
 "max_dloss_val": float(np.max(np.abs(np.array(got["validation_loss"]) - logs["val_loss"]))),
 "val_err_equal": got["validation_error"] == logs["val_err"],
 "max_dW": float(np.max(np.abs(W - w1))), "max_db": float(np.max(np.abs(B - b1))),
}))
