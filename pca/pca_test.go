package pca

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/mat"

	"hw1pipe/gabor"
	"hw1pipe/internal/gaborlike"
	"hw1pipe/internal/pyref"
	"hw1pipe/standardize"
)

// within reports max |got − want| and fails when it exceeds tol.
func within(t *testing.T, name string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: length %d, want %d", name, len(got), len(want))
	}
	var worst float64
	for i := range got {
		d := math.Abs(got[i] - want[i])
		if math.IsNaN(d) {
			d = math.Inf(1)
		}
		worst = math.Max(worst, d)
	}
	if !(worst <= tol) {
		t.Errorf("%s: max abs diff %g > %g", name, worst, tol)
	} else {
		t.Logf("%s: max abs diff %g", name, worst)
	}
}

// withinRel is within on got/want − 1.
func withinRel(t *testing.T, name string, got, want []float64, tol float64) {
	t.Helper()
	r := make([]float64, len(got))
	one := make([]float64, len(got))
	for i := range got {
		r[i] = got[i] / want[i]
		one[i] = 1
	}
	within(t, name+" (relative)", r, one, tol)
}

func TestNumericsVector(t *testing.T) {
	// docs/numerics.md#pca, PCA(2) full on a 5×3 matrix; tolerance 1e-14 (LAPACK).
	x := mat.NewDense(5, 3, []float64{2, 0, 1, 1, 3, 2, 0, 1, 4, 4, 2, 0, 3, 5, 3})
	var p PCA
	if !p.Fit(x, 2) {
		t.Fatal("svd failed")
	}
	within(t, "mean", p.Mean, []float64{2, 2.2, 2}, 1e-15)
	within(t, "components", p.Components.RawMatrix().Data, []float64{
		-0.7039688308021014, -0.5640374849662767, 0.4316127903712304,
		-0.22068968485087784, 0.7513430273089831, 0.6219161666290669}, 1e-14)
	within(t, "explained_variance", p.ExplainedVariance, []float64{4.374173699725673, 4.027077554710387}, 1e-14)
	var z mat.Dense
	p.TransformTo(&z, x)
	within(t, "transform row0", z.RawRowView(0), []float64{0.8092696765545786, -2.27487082670883}, 1e-14)
}

type golden struct {
	PCAMean              []float64   `json:"pca_mean"`
	PCAExplainedVariance []float64   `json:"pca_explained_variance"`
	PCASingularValues    []float64   `json:"pca_singular_values"`
	PCAComponentsFirst64 [][]float64 `json:"pca_components_first64"`
	PCATransformVal      [][]float64 `json:"pca_transform_val"`
}

func flat(rows [][]float64) []float64 {
	var out []float64
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

func TestGolden(t *testing.T) {
	// golden/gabor/scaler_pca.json: StandardScaler then PCA(50,
	// svd_solver='full') on gabor_like() (200 × 3136, rank ≤ 196), in
	// scikit-learn 1.2.1 (make_golden.py).
	b, err := os.ReadFile("../golden/gabor/scaler_pca.json")
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	tr, va := gaborlike.Generate(1, 200, 50, 196, 3136)
	var s standardize.Scaler
	s.Fit(tr)
	var ztr, zva mat.Dense
	s.TransformTo(&ztr, tr)
	s.TransformTo(&zva, va)
	var p PCA
	if !p.Fit(&ztr, 50) {
		t.Fatal("svd failed")
	}
	within(t, "mean", p.Mean, g.PCAMean, 1e-14)
	withinRel(t, "explained_variance", p.ExplainedVariance, g.PCAExplainedVariance, 1e-12)
	withinRel(t, "singular_values", p.SingularValues, g.PCASingularValues, 1e-12)
	c64 := make([]float64, 0, 50*64)
	for k := 0; k < 50; k++ {
		c64 = append(c64, p.Components.RawRowView(k)[:64]...)
	}
	within(t, "components[:, :64]", c64, flat(g.PCAComponentsFirst64), 1e-10)
	var y mat.Dense
	p.TransformTo(&y, &zva)
	within(t, "transform(val)", y.RawMatrix().Data, flat(g.PCATransformVal), 1e-8)
}

// features returns Gabor bank features (real, 16 filters) of n 14×14
// MNIST-like images: a few bright strokes on a zero background.
func features(n int) *mat.Dense {
	imgs := mat.NewDense(n, 196, nil)
	s := uint64(99)
	next := func() uint64 {
		s = s*6364136223846793005 + 1442695040888963407
		return s >> 33
	}
	for i := 0; i < n; i++ {
		row := imgs.RawRowView(i)
		for stroke := 0; stroke < 3; stroke++ {
			r, c := int(next()%14), int(next()%14)
			dr, dc := int(next()%3)-1, int(next()%3)-1
			for step := 0; step < 8; step++ {
				if r >= 0 && r < 14 && c >= 0 && c < 14 {
					row[r*14+c] = float64(next()%4) * 63.75
				}
				r, c = r+dr, c+dc
			}
		}
	}
	bank, err := gabor.NewBank(14, 14, gabor.DefaultFilters())
	if err != nil {
		panic(err)
	}
	var f mat.Dense
	bank.FeaturesTo(&f, imgs)
	return &f
}

func TestSklearnLive(t *testing.T) {
	// Real Gabor features of 250 synthetic digits: 200 fit, 50 transformed.
	// StandardScaler must be bit-exact; PCA(50, svd_solver='full') within
	// 1e-8 after transform.
	const n, nTrain, d, k = 250, 200, 3136, 50
	x := features(n)
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
from sklearn.decomposition import PCA
x = np.fromfile(sys.argv[1] + "/x.bin", "<f8").reshape(-1, 3136)
tr, va = x[:200], x[200:]
s = StandardScaler().fit(tr)
ztr, zva = s.transform(tr), s.transform(va)
p = PCA(50, svd_solver="full").fit(ztr)
parts = [s.scale_, zva.ravel(), p.explained_variance_, p.components_.ravel(), p.transform(zva).ravel()]
sys.stdout.buffer.write(np.concatenate(parts).astype("<f8").tobytes())
`, dir)
	vals := make([]float64, len(out)/8)
	for i := range vals {
		vals[i] = math.Float64frombits(binary.LittleEndian.Uint64(out[8*i:]))
	}
	take := func(m int) []float64 {
		v := vals[:m]
		vals = vals[m:]
		return v
	}
	if len(vals) != d+(n-nTrain)*d+k+k*d+(n-nTrain)*k {
		t.Fatalf("python returned %d values", len(vals))
	}
	tr := x.Slice(0, nTrain, 0, d)
	va := x.Slice(nTrain, n, 0, d)
	var s standardize.Scaler
	s.Fit(tr)
	var ztr, zva mat.Dense
	s.TransformTo(&ztr, tr)
	s.TransformTo(&zva, va)
	within(t, "scale_", s.Scale, take(d), 0)
	within(t, "scaler transform(val)", zva.RawMatrix().Data, take((n-nTrain)*d), 0)
	var p PCA
	if !p.Fit(&ztr, k) {
		t.Fatal("svd failed")
	}
	withinRel(t, "explained_variance_", p.ExplainedVariance, take(k), 1e-12)
	within(t, "components_", p.Components.RawMatrix().Data, take(k*d), 1e-10)
	var y mat.Dense
	p.TransformTo(&y, &zva)
	within(t, "transform(val)", y.RawMatrix().Data, take((n-nTrain)*k), 1e-8)
}

func TestSignConvention(t *testing.T) {
	// svd_flip: the largest-|.| entry of each U column is positive, i.e.
	// the training scores U·S have a positive largest-magnitude entry in
	// every column.
	x := features(60)
	var p PCA
	if !p.Fit(x, 10) {
		t.Fatal("svd failed")
	}
	var y mat.Dense
	p.TransformTo(&y, x)
	for c := 0; c < 10; c++ {
		best, v := -1.0, 0.0
		for i := 0; i < 60; i++ {
			if a := math.Abs(y.At(i, c)); a > best {
				best, v = a, y.At(i, c)
			}
		}
		if v <= 0 {
			t.Errorf("component %d: largest score %v is not positive", c, v)
		}
	}
}

func TestPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"k too large": func() { new(PCA).Fit(mat.NewDense(3, 2, nil), 3) },
		"one row":     func() { new(PCA).Fit(mat.NewDense(1, 2, nil), 1) },
		"unfitted":    func() { new(PCA).TransformTo(&mat.Dense{}, mat.NewDense(1, 2, nil)) },
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

func benchFit(b *testing.B, n, k int) {
	x := features(n)
	var s standardize.Scaler
	s.Fit(x)
	s.TransformTo(x, x)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var p PCA
		if !p.Fit(x, k) {
			b.Fatal("svd failed")
		}
	}
}

// BenchmarkFit1000x3136 fits 50 components to 1000 standardized Gabor
// feature rows, the Problem 1h size.
func BenchmarkFit1000x3136(b *testing.B) { benchFit(b, 1000, 50) }
