#!/usr/bin/python3
"""Reference for hw1pipe's p1data stage kind (Problem 1a-d), in plain numpy,
OpenCV and scikit-learn, written the way the homework's notebook would.

Usage:
  p1data_ref.py run INDIR OUTDIR NUM SEED SIZE TEST_SIZE SPLIT_SEED SCALE(0|1)
      INDIR holds train_images.npy (uint8 N x 784), train_labels.npy (int64),
      test_images.npy, test_labels.npy, as hw1pipe's mnist stage writes them.
      Writes OUTDIR/{x_train,y_train,x_val,y_val}.npy with np.save.
  p1data_ref.py cases INDIR JSON
      The same for several cases in one process: JSON is a list of objects
      {"outdir", "num", "seed", "size", "test_size", "split_seed",
      "scale_pixels"}.
  p1data_ref.py synthetic DIR
      Writes the synthetic input of golden/p1/p1data_synthetic.json to DIR
      (the same arrays stages/p1data_test.go builds).
  p1data_ref.py golden JSON
      Regenerates golden/p1/p1data_synthetic.json: sha256 of the synthetic
      inputs and of the reference outputs for each case below.

Versions used for the stored golden: Debian python3 3.11, numpy 1.24.2,
OpenCV 4.6.0, scikit-learn 1.2.1.
"""
import hashlib
import json
import os
import sys
import tempfile

import cv2
import numpy as np
from sklearn.model_selection import train_test_split

# Cases of the stored golden: (num, seed, size, test_size, split_seed, scale).
CASES = [
    (300, 0, 14, 0.2, 42, False),
    (200, 5, 10, 0.25, 7, True),
]


def p1data(indir, num, seed, size, test_size, split_seed, scale):
    # a. all images in OpenML's order: 60k train then 10k test, float64 0..255
    x = np.concatenate([np.load(os.path.join(indir, "train_images.npy")),
                        np.load(os.path.join(indir, "test_images.npy"))]).astype(np.float64)
    y = np.concatenate([np.load(os.path.join(indir, "train_labels.npy")),
                        np.load(os.path.join(indir, "test_labels.npy"))]).astype(np.int64)
    # b. resize every image 28x28 -> size x size (INTER_LINEAR is the default)
    x = np.stack([cv2.resize(img.reshape(28, 28), (size, size)).ravel() for img in x])
    if scale:
        x = x / 255.0
    # c. num/10 random images per digit without replacement
    rs = np.random.RandomState(seed)
    keep = []
    for c in np.unique(y):
        idx_c = np.where(y == c)[0]
        pick = rs.choice(len(idx_c), num // 10, replace=False)
        keep.extend(idx_c[pick])
    keep = np.array(keep)
    x, y = x[keep], y[keep]
    # d. stratified 80/20 split
    return train_test_split(x, y, test_size=test_size, random_state=split_seed,
                            shuffle=True, stratify=y)


def run(indir, outdir, num, seed, size, test_size, split_seed, scale):
    x_tr, x_va, y_tr, y_va = p1data(indir, num, seed, size, test_size, split_seed, scale)
    os.makedirs(outdir, exist_ok=True)
    for name, a in [("x_train", x_tr), ("y_train", y_tr), ("x_val", x_va), ("y_val", y_va)]:
        np.save(os.path.join(outdir, name + ".npy"), np.ascontiguousarray(a))


def synthetic(d):
    """600 'training' and 100 'test' images: pixel j of image i is
    (31i + 7j + (i*j mod 13)) mod 256, label (7i + i div 3) mod 10."""
    n_train, n_test = 600, 100
    i = np.arange(n_train + n_test, dtype=np.int64)[:, None]
    j = np.arange(784, dtype=np.int64)[None, :]
    pix = ((31 * i + 7 * j + (i * j) % 13) % 256).astype(np.uint8)
    lab = ((7 * i[:, 0] + i[:, 0] // 3) % 10).astype(np.int64)
    os.makedirs(d, exist_ok=True)
    np.save(os.path.join(d, "train_images.npy"), pix[:n_train])
    np.save(os.path.join(d, "train_labels.npy"), lab[:n_train])
    np.save(os.path.join(d, "test_images.npy"), pix[n_train:])
    np.save(os.path.join(d, "test_labels.npy"), lab[n_train:])


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def golden(out):
    with tempfile.TemporaryDirectory() as tmp:
        ind = os.path.join(tmp, "in")
        synthetic(ind)
        res = {"inputs": {n: sha(os.path.join(ind, n + ".npy"))
                          for n in ["train_images", "train_labels", "test_images", "test_labels"]},
               "cases": []}
        for k, (num, seed, size, ts, ss, scale) in enumerate(CASES):
            od = os.path.join(tmp, "out%d" % k)
            run(ind, od, num, seed, size, ts, ss, scale)
            res["cases"].append({
                "num": num, "seed": seed, "size": size, "test_size": ts,
                "split_seed": ss, "scale_pixels": scale,
                "sha256": {n: sha(os.path.join(od, n + ".npy"))
                           for n in ["x_train", "y_train", "x_val", "y_val"]},
                "y_train_head": np.load(os.path.join(od, "y_train.npy"))[:10].tolist(),
            })
    res["versions"] = {"numpy": np.__version__, "cv2": cv2.__version__,
                       "sklearn": __import__("sklearn").__version__}
    with open(out, "w") as f:
        json.dump(res, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "run":
        a = sys.argv[2:]
        run(a[0], a[1], int(a[2]), int(a[3]), int(a[4]), float(a[5]), int(a[6]), a[7] == "1")
    elif cmd == "cases":
        for c in json.loads(sys.argv[3]):
            run(sys.argv[2], c["outdir"], c["num"], c["seed"], c["size"], c["test_size"],
                c["split_seed"], c["scale_pixels"])
    elif cmd == "synthetic":
        synthetic(sys.argv[2])
    elif cmd == "golden":
        golden(sys.argv[2])
    else:
        sys.exit("unknown command " + cmd)
