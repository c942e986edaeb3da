"""The Python counterpart of one hw1pipe stage, for `make bench`'s stages
section: the homework's own code path (scikit-learn, numpy, PyTorch,
matplotlib) doing the stage's whole work on the pipeline's own inputs,
from reading them to writing its files.

    /usr/bin/python3 bench/stages.py STAGE OUTDIR SCRATCH

STAGE is p1_baseline, p1_gabor_svm, p3_train, p3_torch or p3_gradcheck;
OUTDIR is a finished pipeline's out/ (its inputs are read from there);
SCRATCH receives what the script writes. run.sh times the whole process
(interpreter start and imports included, as the Go side's process start
is). Prints one summary line so that a run can be matched with the
pipeline's own numbers.
"""
import json
import os
import pickle
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def path(out, rel):
    return os.path.join(out, rel)


def savefig_lines(fname, title, series, smooth=100, logy=False):
    """A line figure like figures.Lines: raw curves plus their moving
    average when they are long."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6, 4))
    for name, x, y, markers in series:
        y = np.asarray(y)
        x = np.arange(len(y)) if x is None else np.asarray(x)
        ax.plot(x, y, marker="o" if markers else None, label=name, linewidth=0.5)
        if len(y) > 10 * smooth:
            k = np.ones(smooth) / smooth
            ax.plot(x[smooth - 1:], np.convolve(y, k, mode="valid"), label=name + " (mean of %d)" % smooth)
    if logy:
        ax.set_yscale("log")
    ax.set_title(title)
    ax.legend(fontsize=6)
    fig.savefig(fname, dpi=100)
    plt.close(fig)


def p1_baseline(out, scratch):
    # Problem 1e-f: SVC(C=1, rbf, gamma='auto'), accuracy on both splits,
    # the confusion matrix as json and png.
    from sklearn.metrics import confusion_matrix
    from sklearn.svm import SVC
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    xt, yt = np.load(path(out, "p1/x_train.npy")), np.load(path(out, "p1/y_train.npy"))
    xv, yv = np.load(path(out, "p1/x_val.npy")), np.load(path(out, "p1/y_val.npy"))
    clf = SVC(C=1.0, kernel="rbf", gamma="auto").fit(xt, yt)
    pv, pt = clf.predict(xv), clf.predict(xt)
    cm = confusion_matrix(yv, pv)
    res = {"val_accuracy": float(np.mean(pv == yv)), "train_accuracy": float(np.mean(pt == yt)),
           "n_support": clf.n_support_.tolist(), "n_iter": clf.n_iter_.tolist()}
    json.dump(res, open(os.path.join(scratch, "baseline_metrics.json"), "w"), indent=2)
    json.dump({"matrix": cm.tolist()}, open(os.path.join(scratch, "baseline_confusion.json"), "w"))
    fig, ax = plt.subplots(figsize=(6, 5))
    ax.imshow(cm)
    for i in range(cm.shape[0]):
        for j in range(cm.shape[1]):
            ax.text(j, i, str(cm[i, j]), ha="center", va="center", fontsize=7)
    ax.set_title("validation accuracy %.4f" % res["val_accuracy"])
    fig.savefig(os.path.join(scratch, "baseline_confusion.png"), dpi=100)
    plt.close(fig)
    return "val accuracy %.4f, %d support vectors" % (res["val_accuracy"], clf.n_support_.sum())


def p1_gabor_svm(out, scratch):
    # Problem 1h after the features: StandardScaler, PCA(50) fitted on the
    # training features (exact solver, as the stage), one SVC per C.
    from sklearn.decomposition import PCA
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC
    solver = os.environ.get("HW1PIPE_BENCH_PCA_SOLVER", "full")
    xt = np.load(path(out, "p1/gabor/train_features.npy"))
    yt = np.load(path(out, "p1/gabor/train_labels.npy"))
    xv = np.load(path(out, "p1/gabor/val_features.npy"))
    yv = np.load(path(out, "p1/gabor/val_labels.npy"))
    sc = StandardScaler().fit(xt)
    st, sv = sc.transform(xt), sc.transform(xv)
    pca = PCA(n_components=50, svd_solver=solver).fit(st)
    pt, pv = pca.transform(st), pca.transform(sv)
    np.save(os.path.join(scratch, "train_pca.npy"), pt)
    np.save(os.path.join(scratch, "val_pca.npy"), pv)
    fits = []
    for c in (1, 10):
        clf = SVC(C=c, kernel="rbf", gamma="scale").fit(pt, yt)
        fits.append({"C": c, "val_accuracy": clf.score(pv, yv), "train_accuracy": clf.score(pt, yt),
                     "n_support_total": int(clf.n_support_.sum())})
    res = {"pca_solver": solver, "explained_variance_ratio": pca.explained_variance_ratio_.tolist(), "fits": fits}
    json.dump(res, open(os.path.join(scratch, "results.json"), "w"), indent=2)
    with open(os.path.join(scratch, "results.md"), "w") as fh:
        for f in fits:
            fh.write("| %g | %.4f | %.4f | %d |\n" % (f["C"], f["val_accuracy"], f["train_accuracy"], f["n_support_total"]))
    return "explained variance %.4f, val accuracy %s" % (pca.explained_variance_ratio_.sum(),
                                                        [f["val_accuracy"] for f in fits])


def mnist_subsets(out, scale):
    xtr = np.load(path(out, "mnist/train_images.npy"))
    ytr = np.load(path(out, "mnist/train_labels.npy"))
    xte = np.load(path(out, "mnist/test_images.npy"))
    yte = np.load(path(out, "mnist/test_labels.npy"))
    tr, va = np.load(path(out, "p3/train_idx.npy")), np.load(path(out, "p3/val_idx.npy"))
    return xtr[tr].astype(scale) / 255, ytr[tr], xte[va].astype(scale) / 255, yte[va]


def p3_train(out, scratch):
    # Problem 3f-g: the numpy network of the homework (golden/nn/nn_ref.py),
    # 10,000 updates, 11 validations, the whole-subset diagnostics before
    # and after, pickles, linear.h5, curves, two figures, the batch order.
    import h5py
    sys.path.insert(0, os.path.join(HERE, "..", "golden", "nn"))
    import nn_ref
    xt, yt, xv, yv = mnist_subsets(out, np.float64)
    rs = np.random.RandomState(20)
    w0, b0 = nn_ref.init(rs)
    batches = nn_ref.epoch_batches(rs, len(yt), 10000)
    logs, w, b = nn_ref.train(w0, b0, xt, yt, batches, xv, yv, 1000)
    diag = [nn_ref.evaluate(ww, bb, xt, yt) for ww, bb in ((w0, b0), (w, b))]
    for name, key in (("self_NN_training_loss", "loss"), ("self_NN_training_error", "err"),
                      ("self_NN_validation_loss", "val_loss"), ("self_NN_validation_error", "val_err")):
        with open(os.path.join(scratch, name + ".pkl"), "wb") as fh:
            pickle.dump([float(v) for v in logs[key]], fh)
    with h5py.File(os.path.join(scratch, "linear.h5"), "w") as f:
        f["weight"] = w
        f["bias"] = b[:, 0]
    json.dump({k: [float(v) for v in logs[k]] for k in logs} | {"diagnostics": diag},
              open(os.path.join(scratch, "curves.json"), "w"))
    train = [("training loss", None, logs["loss"], False), ("training error", None, logs["err"], False)]
    savefig_lines(os.path.join(scratch, "training.png"), "Training", train)
    savefig_lines(os.path.join(scratch, "validation.png"), "Validation against training",
                  train + [("validation loss", logs["val_steps"], logs["val_loss"], True),
                           ("validation error", logs["val_steps"], logs["val_err"], True)])
    np.save(os.path.join(scratch, "batches.npy"), np.concatenate(batches).astype(np.int64))
    return "final val error %.4f" % logs["val_err"][-1]


def p3_torch(out, scratch):
    # Problem 3h: nn.Linear(784, 10) + ReLU in PyTorch, DataLoader order,
    # 10,000 updates, 11 validations (golden/torchref/reference.py's loop),
    # pickles, torch.save(state_dict), curves, three figures.
    import torch
    sys.path.insert(0, os.path.join(HERE, "..", "golden", "torchref"))
    import reference
    torch.set_num_threads(1)  # as the pipeline's p3_torch (threads: 1)
    xt, yt, xv, yv = mnist_subsets(out, np.float64)
    data = os.path.join(scratch, "data")
    os.makedirs(data, exist_ok=True)
    for name, a in (("train_images", xt.astype(np.float32)), ("train_labels", yt),
                    ("val_images", xv.astype(np.float32)), ("val_labels", yv)):
        np.save(os.path.join(data, name + ".npy"), a)
    res = os.path.join(scratch, "res")
    reference.main(data, res, 10000, 0)
    ld = lambda n: np.load(os.path.join(res, n + ".npy"))
    tl, te, vl, ve = ld("training_loss"), ld("training_error"), ld("validation_loss"), ld("validation_error")
    for name, v in (("pytorch_NN_training_loss", tl), ("pytorch_NN_training_error", te),
                    ("pytorch_NN_validation_loss", vl), ("pytorch_NN_validation_error", ve)):
        with open(os.path.join(scratch, name + ".pkl"), "wb") as fh:
            pickle.dump(v.tolist(), fh)
    torch.save({"fc1.weight": torch.from_numpy(ld("fc1_weight")), "fc1.bias": torch.from_numpy(ld("fc1_bias"))},
               os.path.join(scratch, "pytorch_nn_weights.pth"))
    steps = list(range(0, 10001, 1000))
    json.dump({"train_loss": tl.tolist(), "val_loss": vl.tolist()}, open(os.path.join(scratch, "torch_curves.json"), "w"))
    with open(path(out, "p3/curves.json")) as fh:
        self_c = json.load(fh)
    train = [("training loss", None, tl, False), ("training error", None, te, False)]
    savefig_lines(os.path.join(scratch, "torch_training.png"), "libtorch net: training", train)
    savefig_lines(os.path.join(scratch, "torch_validation.png"), "libtorch net: validation",
                  train + [("validation loss", steps, vl, True), ("validation error", steps, ve, True)])
    savefig_lines(os.path.join(scratch, "compare.png"), "from scratch vs PyTorch",
                  [("from scratch: training loss", None, self_c["train_loss"], False), ("PyTorch: training loss", None, tl, False),
                   ("from scratch: validation loss", steps, self_c["val_loss"], True), ("PyTorch: validation loss", steps, vl, True),
                   ("from scratch: validation error", steps, self_c["val_error"], True), ("PyTorch: validation error", steps, ve, True)],
                  logy=True)
    return "final val error %.4f" % ve[-1]


def p3_gradcheck(out, scratch):
    # Problem 3e: central differences of the loss against the analytic
    # dW, db and dh of the numpy layers on one training sample, 5 outputs,
    # 270 derivatives as the stage checks.
    sys.path.insert(0, os.path.join(HERE, "..", "golden", "nn"))
    import nn_ref
    xt, yt, _, _ = mnist_subsets(out, np.float64)
    x, y = xt[:1], yt[:1]
    w, b = nn_ref.init(np.random.RandomState(20))
    rs = np.random.RandomState(20)
    entries = []

    def loss_of(w, b, h=None):
        z = x @ w.T + b.T if h is None else h
        hh = np.maximum(z, 0)
        m = hh.max()
        return float(np.log(np.exp(hh - m).sum()) - (hh[0, y[0]] - m))

    l0, _, z, p = nn_ref.forward(w, b, x, y)
    dw, db = nn_ref.backward(x, y, z, p)
    for k in rs.choice(10, 5, replace=False):
        for _ in range(18):
            for what in ("W", "b", "h"):
                eps = abs(rs.normal(0, 1e-4)) + 1e-12
                if what == "W":
                    j = rs.randint(784)
                    wp, wm = w.copy(), w.copy()
                    wp[k, j] += eps
                    wm[k, j] -= eps
                    num = (loss_of(wp, b) - loss_of(wm, b)) / (2 * eps)
                    ana = dw[k, j]
                elif what == "b":
                    bp, bm = b.copy(), b.copy()
                    bp[k] += eps
                    bm[k] -= eps
                    num = (loss_of(w, bp) - loss_of(w, bm)) / (2 * eps)
                    ana = db[k, 0]
                else:
                    hp, hm = z.copy(), z.copy()
                    hp[0, k] += eps
                    hm[0, k] -= eps
                    num = (loss_of(w, b, hp) - loss_of(w, b, hm)) / (2 * eps)
                    dh = p.copy()
                    dh[0, y[0]] -= 1
                    ana = dh[0, k] * (z[0, k] > 0)
                entries.append({"param": what, "k": int(k), "analytic": float(ana), "numeric": float(num),
                                "abs_err": abs(float(ana) - float(num))})
    json.dump({"entries": entries, "max_abs_err": max(e["abs_err"] for e in entries)},
              open(os.path.join(scratch, "gradcheck.json"), "w"), indent=2)
    return "%d derivatives" % len(entries)


if __name__ == "__main__":
    stage, out, scratch = sys.argv[1:4]
    os.makedirs(scratch, exist_ok=True)
    print(stage + ": " + globals()[stage](out, scratch))
