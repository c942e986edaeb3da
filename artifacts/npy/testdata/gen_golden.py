#!/usr/bin/python3
"""Writes the golden .npy files that npy's tests compare Write against.

Run from this directory with Debian's python3 (numpy 1.24.2):

    /usr/bin/python3 gen_golden.py

Each case is saved with np.save as <name>.npy. The values must stay equal to
the table in golden_test.go (TestGolden), which rebuilds them in Go.
v2_f8_2x3.npy is the same array as f8_2x3 written with format version 2.0
(np.save never picks 2.0 for a plain array, so it only tests Read).
"""
import io
import numpy as np
from numpy.lib import format as npformat

cases = {
    # name: array
    "f8_2x3": np.arange(6, dtype="<f8").reshape(2, 3) * 0.5 - 1.0,
    "f8_special": np.array([np.inf, -np.inf, -0.0, 1e-300, np.pi, 2.0**-1074], dtype="<f8"),
    "f8_scalar": np.array(3.25, dtype="<f8"),
    "f8_10x784": (np.arange(10 * 784, dtype="<f8").reshape(10, 784) / 7.0),
    "f4_3": np.array([1.5, -2.25, 3.4028235e38], dtype="<f4"),
    "f4_1x1": np.array([[0.1]], dtype="<f4"),
    "i8_5": np.array([-(2**63), -1, 0, 1, 2**63 - 1], dtype="<i8"),
    "i8_empty": np.zeros((0,), dtype="<i8"),
    "i4_2x2": np.array([[-(2**31), -1], [0, 2**31 - 1]], dtype="<i4"),
    "u1_2x3x4": (np.arange(24, dtype=np.int64).reshape(2, 3, 4) * 11 % 256).astype(np.uint8),
    "u1_5": np.array([0, 1, 127, 128, 255], dtype=np.uint8),
    "u1_big_dim": np.zeros((12345678901, 0), dtype=np.uint8),
}


def pad_of(shape):
    b = io.BytesIO()
    np.save(b, np.zeros(shape, dtype="<f8"))
    v = b.getvalue()
    hlen = int.from_bytes(v[8:10], "little")
    text = v[10 : 10 + hlen]
    first = len(str(shape[0])) if shape else 0
    growth = 21 - first if shape else 0
    return len(text) - len(text.rstrip(b" \n")) - 1 - growth


# A shape whose dict already ends on a 64-byte boundary, where numpy pads a
# whole 64 spaces rather than none.
for k in range(0, 20):
    for j in range(0, 4):
        shape = (0, 10**j) + (1,) * k
        if pad_of(shape) == 64:
            break
    else:
        continue
    break
else:
    raise SystemExit("no shape with a 64-byte pad found")
cases["f8_pad64"] = np.zeros(shape, dtype="<f8")

for name, a in cases.items():
    np.save(name + ".npy", a)
    print(name, a.dtype.str, a.shape)

with open("v2_f8_2x3.npy", "wb") as f:
    npformat.write_array(f, cases["f8_2x3"], version=(2, 0))
print("v2_f8_2x3", "<f8", cases["f8_2x3"].shape)
