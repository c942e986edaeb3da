#!/usr/bin/python3
"""Time scikit-image's Gabor feature loop (Problem 1h) and extrapolate.

    /usr/bin/python3 bench/gabor_bench.py [N_SAMPLE] [N_TARGET]

Runs gabor(img, f, theta, bandwidth)[0] for the 16 filters on N_SAMPLE
(default 3) 14x14 images, the homework's loop, and prints seconds per image
and the extrapolation to N_TARGET (default 2000) images. The images are
random sparse 0..255 pixels: run time does not depend on the values. The
numbers for the six filters whose half-size is >= 56 are garbage in scipy
1.10 (docs/numerics.md#scipy-reflect-defect); this script only measures time.
"""
import sys
import time

import numpy as np
from skimage.filters import gabor


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    target = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    rs = np.random.RandomState(0)
    imgs = rs.randint(0, 256, size=(n, 14, 14)).astype(np.float64)
    imgs[imgs < 128] = 0
    filters = [(f, th, b) for th in (np.pi / 4, np.pi / 2, 3 * np.pi / 4, np.pi)
               for f in (0.05, 0.25) for b in (0.1, 1)]
    per_filter = np.zeros(len(filters))
    t0 = time.perf_counter()
    for img in imgs:
        for j, (f, th, b) in enumerate(filters):
            t = time.perf_counter()
            gabor(img, f, theta=th, bandwidth=b)[0].ravel()
            per_filter[j] += time.perf_counter() - t
    total = time.perf_counter() - t0
    print(f"skimage gabor loop: {n} images x 16 filters in {total:.2f} s "
          f"({total / n:.3f} s/image); extrapolated to {target} images: {total / n * target:.0f} s")
    for j, (f, th, b) in enumerate(filters):
        print(f"  filter {j:2d} f={f} theta={th:.4f} b={b}: {per_filter[j] / n * 1e3:8.1f} ms/image")


if __name__ == "__main__":
    main()
