package svm

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"hw1pipe/internal/pyref"
)

func randVec(rng *rand.Rand, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = rng.NormFloat64() * math.Exp(rng.NormFloat64()*3)
	}
	return v
}

// TestDdotKernels checks that the assembly lane kernel (when the CPU has
// one) and the portable one give identical bits.
func TestDdotKernels(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 0; n < 300; n++ {
		x, y := randVec(rng, n), randVec(rng, n)
		n1 := n &^ 15
		a, b := ddotBlocks(x[:n1], y[:n1]), ddotBlocks16(x[:n1], y[:n1])
		if math.Float64bits(a) != math.Float64bits(b) {
			t.Fatalf("n=%d: kernel %v, portable %v", n, a, b)
		}
	}
}

// TestDdotNumpy compares ddot with np.dot under the reference stack (live:
// OpenBLAS picks its kernel for this CPU, docs/numerics.md#openblas-ddot describes the
// Haswell one, which is what this machine runs).
func TestDdotNumpy(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var xs, ys [][]float64
	for n := 1; n <= 200; n += 7 {
		xs = append(xs, randVec(rng, n))
		ys = append(ys, randVec(rng, n))
	}
	in, _ := json.Marshal(map[string]any{"x": xs, "y": ys})
	out := pyref.Run(t, []string{"numpy"}, `
import json, sys
import numpy as np
d = json.loads(sys.argv[1])
for x, y in zip(d["x"], d["y"]):
    print(repr(float(np.dot(np.array(x), np.array(y)))))
`, string(in))
	lines := strings.Fields(string(out))
	if len(lines) != len(xs) {
		t.Fatalf("%d results for %d vectors", len(lines), len(xs))
	}
	for i, s := range lines {
		want, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		if got := ddot(xs[i], ys[i]); got != want {
			t.Errorf("n=%d: ddot %v, np.dot %v", len(xs[i]), got, want)
		}
	}
}

// TestVarianceNumpy checks the chunked pairwise variance behind
// gamma='scale' against X.var() for sizes around numpy's 8192-element
// chunk.
func TestVarianceNumpy(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	shapes := [][2]int{{10, 3}, {200, 41}, {8193, 1}, {300, 196}}
	var data [][]float64
	for _, s := range shapes {
		data = append(data, randVec(rng, s[0]*s[1]))
	}
	in, _ := json.Marshal(data)
	path := filepath.Join(t.TempDir(), "var.json")
	if err := os.WriteFile(path, in, 0o644); err != nil {
		t.Fatal(err)
	}
	out := pyref.Run(t, []string{"numpy"}, `
import json, sys
import numpy as np
for v in json.load(open(sys.argv[1])):
    print(repr(float(np.array(v).var())))
`, path)
	lines := strings.Fields(string(out))
	for i, s := range shapes {
		want, _ := strconv.ParseFloat(lines[i], 64)
		x := newDense(s[0], s[1], data[i])
		rows := make([]int, s[0])
		for r := range rows {
			rows[r] = r
		}
		if got := variance(x, rows); got != want {
			t.Errorf("%v: variance %v, numpy %v", s, got, want)
		}
	}
}

func newDense(r, c int, d []float64) *mat.Dense { return mat.NewDense(r, c, d) }

// TestSqdist: the fused kernels equal ddot of the materialised difference.
func TestSqdist(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for n := 0; n < 300; n++ {
		x, y := randVec(rng, n), randVec(rng, n)
		d := make([]float64, n)
		for i := range d {
			d[i] = x[i] - y[i]
		}
		want := ddot(d, d)
		n1 := n &^ 15
		if a, b := sqdistBlocks(x[:n1], y[:n1]), sqdistBlocks16(x[:n1], y[:n1]); math.Float64bits(a) != math.Float64bits(b) {
			t.Fatalf("n=%d: kernel %v, portable %v", n, a, b)
		}
		if got := sqdist(x, y); math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("n=%d: sqdist %v, ddot(d,d) %v", n, got, want)
		}
	}
}
