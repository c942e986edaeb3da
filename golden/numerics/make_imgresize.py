"""Reference cv2.resize(img, (w, h)) outputs (INTER_LINEAR) for hw1pipe/imgresize.

Run: /usr/bin/python3 golden/numerics/make_imgresize.py > golden/numerics/imgresize.json
Sources are re-created by the Go test from the same rules ("arange": float64
arange(h*w)/(h*w-1) and uint8 arange % 256; "random": the pixels stored under "sources").
"""
import json
import sys

import cv2
import numpy as np

rs = np.random.RandomState(546)
sources = {
    # (rows, cols)
    "28x28": (28, 28),
    "17x13": (17, 13),
    "20x30": (20, 30),
}
targets = {
    "28x28": [(14, 14), (10, 10), (20, 20), (56, 56), (13, 17), (7, 7), (1, 1), (28, 3)],
    "17x13": [(6, 8), (26, 34), (7, 9), (13, 17), (40, 5)],
    "20x30": [(15, 10), (14, 14), (45, 25)],
}

out = {"opencv": cv2.__version__, "numpy": np.__version__, "sources": {}, "cases": []}
for name, (h, w) in sources.items():
    imgs = {
        "arange_f64": np.arange(h * w, dtype=np.float64).reshape(h, w) / (h * w - 1),
        "arange_u8": (np.arange(h * w) % 256).astype(np.uint8).reshape(h, w),
        "random_f64": rs.rand(h, w) * 255,
        # integer pixels as MNIST has them, only for the 28x28 source
        "random_int_f64": rs.randint(0, 256, (h, w)).astype(np.float64),
        "random_u8": rs.randint(0, 256, (h, w)).astype(np.uint8),
    }
    for kind, img in imgs.items():
        if kind == "random_int_f64" and name != "28x28":
            continue
        key = name + "/" + kind
        if kind.startswith("random"):
            out["sources"][key] = img.ravel().tolist()
        for dw, dh in targets[name]:
            r = cv2.resize(img, (dw, dh))
            out["cases"].append({
                "src": key, "kind": kind, "sh": h, "sw": w, "dw": dw, "dh": dh,
                "dst": r.ravel().tolist(),
            })

json.dump(out, sys.stdout, separators=(",", ":"))
sys.stdout.write("\n")
