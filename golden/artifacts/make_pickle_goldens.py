"""Write CPython's own pickles of the cases hw1pipe's pickle encoder must
reproduce byte for byte (artifacts/pickle/golden_test.go builds the same
values in Go).

Usage: /usr/bin/python3 make_pickle_goldens.py OUTDIR
Made with Debian bookworm's Python 3.11 and numpy 1.24.2 (see README.md).
Each case is pickle.dumps(value) with the default protocol (4) unless its
name ends in _p2 or _p3.
"""
import collections
import os
import pickle
import sys

import numpy as np

nan = float("nan")
inf = float("inf")

special = [0.0, -0.0, inf, -inf, nan, 1e-300, 5e-324, 1.7976931348623157e308,
           2.2250738585072014e-308, 0.1, -1.5]


def floats(n):
    # i/7 and the specials: correctly rounded in C and Go alike
    return [special[i] if i < len(special) else i / 7.0 for i in range(n)]


CASES = {
    "floats_0": floats(0),
    "floats_1": floats(1),
    "floats_11": floats(11),
    "floats_1000": floats(1000),
    "floats_2500": floats(2500),
    "floats_10000": floats(10000),
    "floats_2_p3": [1.5, -2.0],
    "ints": [0, 1, 127, 128, 255, 256, 65535, 65536, -1, -128, -129, -256,
             2**15, 2**31 - 1, 2**31, -2**31, -2**31 - 1, 2**63 - 1, -2**63,
             2**64, -2**64, 10**30, -10**30],
    "mixed": {"a": None, "b": True, "c": False, "d": "h\u00e9llo \u2603",
              "e": b"\x00\x01", "f": (), "g": (1,), "h": (1, 2),
              "i": (1, 2, 3), "j": (1, 2, 3, 4), "k": [], "l": [1], "m": {},
              "n": {"a": 1.5}, "o": "x" * 300, "p": b"y" * 300},
    "mixed_p2": [None, True, 1, -1, 2**40, 1.5, "abc", (1, "abc"), {"k": [2]}],
    "ordered": collections.OrderedDict([("w", 1.0), ("b", [2.0, 3.0])]),
    "large_str": ["a" * 70000, 1.0, b"b" * 70000, "tail"],
    "many_small": [{"k": i, "v": str(i)} for i in range(3000)],
    "np_f8": np.array([1.5, -2.0]),
    "np_2d": {"x": np.arange(6, dtype=np.float64).reshape(2, 3) / 4,
              "y": np.array([[1, -2, 3]], dtype=np.int32),
              "z": np.array([True, False, True]),
              "u": np.array([0, 7, 255], dtype=np.uint8),
              "i": np.array([-1, 2**40], dtype=np.int64),
              "s": np.array([0.5, 2.5], dtype=np.float32),
              "o": np.array([0.1, 1, "rbf"], dtype=object)},
    "np_scalars": [np.float64(0.25), np.int64(7), np.int32(-3), np.float32(1.5),
                   np.bool_(True), np.uint8(200)],
    "np_masked": np.ma.MaskedArray(np.array([0.1, 1, 10], dtype=object),
                                   mask=[False, False, False]),
    "np_big": np.arange(10000, dtype=np.float64) / 3,
}


def main(outdir):
    os.makedirs(outdir, exist_ok=True)
    for name, value in CASES.items():
        proto = 2 if name.endswith("_p2") else 3 if name.endswith("_p3") else None
        data = pickle.dumps(value) if proto is None else pickle.dumps(value, protocol=proto)
        with open(os.path.join(outdir, name + ".pkl"), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main(sys.argv[1])
