"""linear.h5 as h5py writes it: the reference for artifacts/h5's
TestGoldenH5py (byte-for-byte).

Usage: /usr/bin/python3 make_h5_golden.py OUT.h5
h5py 3.7.0 / HDF5 1.10.8 (Debian bookworm). w is 10x784, b is 10x1,
float64, with values exact in binary so Go builds the same arrays:
w[i, j] = ((784*i + j) % 97 - 48) / 64, b[i, 0] = 0.5*i - 2.
"""
import sys

import h5py
import numpy as np

k = np.arange(10 * 784)
w = (((k % 97) - 48) / 64.0).reshape(10, 784)
b = (0.5 * np.arange(10) - 2.0).reshape(10, 1)
with h5py.File(sys.argv[1], "w") as f:
    grp = f.create_group("instance")
    grp.attrs["w"] = w
    grp.attrs["b"] = b
