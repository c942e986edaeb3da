package standardize

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/mat"

	"hw1pipe/internal/gaborlike"
	"hw1pipe/internal/pyref"
)

func bitsEqual(t *testing.T, name string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: length %d, want %d", name, len(got), len(want))
	}
	bad := 0
	for i := range got {
		if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
			if bad < 3 {
				t.Errorf("%s[%d] = %v, want %v", name, i, got[i], want[i])
			}
			bad++
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d of %d values differ", name, bad, len(got))
	}
}

func TestNumericsVector(t *testing.T) {
	// docs/numerics.md#standardscaler (scikit-learn 1.2.1).
	x := mat.NewDense(3, 3, []float64{1, 2, 3, 4, 5, 6, 7, 8, 10})
	var s Scaler
	s.Fit(x)
	bitsEqual(t, "mean", s.Mean, []float64{4, 5, 6.333333333333333})
	bitsEqual(t, "var", s.Var, []float64{6, 6, 8.222222222222221})
	bitsEqual(t, "scale", s.Scale, []float64{2.449489742783178, 2.449489742783178, 2.8674417556808756})
	var z mat.Dense
	s.TransformTo(&z, x)
	bitsEqual(t, "transform row0", z.RawRowView(0), []float64{-1.2247448713915892, -1.2247448713915892, -1.1624763874381927})
	var back mat.Dense
	s.InverseTransformTo(&back, &z)
	if !mat.EqualApprox(&back, x, 1e-14) {
		t.Errorf("inverse transform %v", mat.Formatted(&back))
	}
}

type golden struct {
	ScalerMean               []float64   `json:"scaler_mean"`
	ScalerVar                []float64   `json:"scaler_var"`
	ScalerScale              []float64   `json:"scaler_scale"`
	ScalerTransformValRows02 [][]float64 `json:"scaler_transform_val_rows_0_2"`
}

func TestGolden(t *testing.T) {
	// golden/gabor/scaler_pca.json: StandardScaler().fit(gabor_like()) in
	// scikit-learn 1.2.1 (make_golden.py). Bit-exact.
	b, err := os.ReadFile("../golden/gabor/scaler_pca.json")
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	tr, va := gaborlike.Generate(1, 200, 50, 196, 3136)
	var s Scaler
	s.Fit(tr)
	bitsEqual(t, "mean", s.Mean, g.ScalerMean)
	bitsEqual(t, "var", s.Var, g.ScalerVar)
	bitsEqual(t, "scale", s.Scale, g.ScalerScale)
	if s.Scale[5] != 1 || s.Scale[7] != 1 {
		t.Errorf("constant columns: scale %v %v, want 1 1", s.Scale[5], s.Scale[7])
	}
	var z mat.Dense
	s.TransformTo(&z, va)
	for i, want := range g.ScalerTransformValRows02 {
		bitsEqual(t, fmt.Sprintf("transform(val)[%d]", i), z.RawRowView(i), want)
	}
}

func TestSklearnLive(t *testing.T) {
	// Awkward columns: constant, constant non-representable, tiny spread on
	// a large offset (var below the constant threshold), and random.
	n, d := 300, 20
	x := mat.NewDense(n, d, nil)
	st := uint64(7)
	u := func() float64 {
		st = st*6364136223846793005 + 1442695040888963407
		return float64(st>>11) / (1 << 53)
	}
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			var v float64
			switch j {
			case 0:
				v = 3
			case 1:
				v = 0.1
			case 2:
				v = 1e8 + float64(i%2)*1e-8
			case 3:
				v = 1e8 + float64(i%3)
			case 4:
				// A zero column. It was written -0.0, which Go reads as +0; a real
				// negative-zero column differs from scikit-learn in the sign of
				// its transformed zeros (found by staticcheck SA4026; left for a
				// change of its own, since it may move pipeline outputs).
				v = 0
			default:
				v = (u() - 0.5) * math.Pow(10, float64(j%7-3))
			}
			x.Set(i, j, v)
		}
	}
	dir := t.TempDir()
	raw := make([]byte, 8*n*d)
	for i, v := range x.RawMatrix().Data {
		binary.LittleEndian.PutUint64(raw[8*i:], math.Float64bits(v))
	}
	if err := os.WriteFile(filepath.Join(dir, "x.bin"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	out := pyref.Run(t, []string{"numpy", "sklearn"}, `
import sys, numpy as np
from sklearn.preprocessing import StandardScaler
x = np.fromfile(sys.argv[1] + "/x.bin", "<f8").reshape(-1, int(sys.argv[2]))
s = StandardScaler().fit(x)
z = s.transform(x)
sys.stdout.buffer.write(np.concatenate([s.mean_, s.var_, s.scale_, z.ravel()]).astype("<f8").tobytes())
`, dir, fmt.Sprint(d))
	if len(out) != 8*(3*d+n*d) {
		t.Fatalf("python returned %d bytes", len(out))
	}
	vals := make([]float64, len(out)/8)
	for i := range vals {
		vals[i] = math.Float64frombits(binary.LittleEndian.Uint64(out[8*i:]))
	}
	var s Scaler
	s.Fit(x)
	bitsEqual(t, "mean", s.Mean, vals[:d])
	bitsEqual(t, "var", s.Var, vals[d:2*d])
	bitsEqual(t, "scale", s.Scale, vals[2*d:3*d])
	var z mat.Dense
	s.TransformTo(&z, x)
	bitsEqual(t, "transform", z.RawMatrix().Data, vals[3*d:])
	t.Logf("scale of columns 0..4: %v", s.Scale[:5])
}

func TestPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"empty":     func() { new(Scaler).Fit(&mat.Dense{}) },
		"unfitted":  func() { new(Scaler).TransformTo(&mat.Dense{}, mat.NewDense(1, 1, nil)) },
		"wrong dim": func() { new(Scaler).Fit(mat.NewDense(2, 2, nil)).TransformTo(&mat.Dense{}, mat.NewDense(1, 3, nil)) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}
