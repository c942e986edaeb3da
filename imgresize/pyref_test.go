package imgresize

import (
	"encoding/json"
	"math"
	"testing"

	"hw1pipe/internal/pyref"
)

// TestPyrefLive runs the installed cv2.resize on 150 random sizes
// (including 1-pixel, 2× and same-size cases) and random float64 and uint8
// pixels, and compares every pixel.
func TestPyrefLive(t *testing.T) {
	out := pyref.Run(t, []string{"numpy", "cv2"}, `
import json, sys
import cv2
import numpy as np
rs = np.random.RandomState(5)
res = []
for i in range(150):
    sh, sw = (int(v) for v in rs.randint(1, 41, 2))
    if i % 10 == 0:
        dh, dw = max(sh // 2, 1), max(sw // 2, 1)
    else:
        dh, dw = (int(v) for v in rs.randint(1, 61, 2))
    f = rs.rand(sh, sw) * rs.choice([1.0, 255.0])
    u = rs.randint(0, 256, (sh, sw)).astype(np.uint8)
    res.append({"sh": sh, "sw": sw, "dh": dh, "dw": dw, "f": f.ravel().tolist(), "u": u.ravel().tolist(),
                "rf": cv2.resize(f, (dw, dh)).ravel().tolist(), "ru": cv2.resize(u, (dw, dh)).ravel().tolist()})
json.dump(res, sys.stdout)
`)
	var res []struct {
		SH, SW, DH, DW int
		F, RF          []float64
		U, RU          []uint8
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		f := make([]float64, r.DW*r.DH)
		LinearFloat64(f, r.DW, r.DH, r.F, r.SW, r.SH)
		u := make([]uint8, r.DW*r.DH)
		LinearUint8(u, r.DW, r.DH, r.U, r.SW, r.SH)
		for i := range f {
			if math.Float64bits(f[i]) != math.Float64bits(r.RF[i]) || u[i] != r.RU[i] {
				t.Fatalf("%dx%d -> %dx%d (w x h) pixel %d: float64 %v cv2 %v; uint8 %d cv2 %d",
					r.SW, r.SH, r.DW, r.DH, i, f[i], r.RF[i], u[i], r.RU[i])
			}
		}
	}
}
