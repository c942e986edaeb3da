package pca

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"hw1pipe/internal/gaborlike"
	"hw1pipe/standardize"
)

// compareFast fits x both ways and checks FitFast against the exact SVD:
// components (same signs) within tolComp, variances within 1e-12 relative.
func compareFast(t *testing.T, x *mat.Dense, k int, tolComp float64) {
	t.Helper()
	var exact, fast PCA
	if !exact.Fit(x, k) {
		t.Fatal("svd failed")
	}
	if !fast.FitFast(x, k) {
		t.Fatal("FitFast failed")
	}
	within(t, "mean", fast.Mean, exact.Mean, 0)
	within(t, "components", fast.Components.RawMatrix().Data, exact.Components.RawMatrix().Data, tolComp)
	withinRel(t, "explained_variance", fast.ExplainedVariance, exact.ExplainedVariance, 1e-12)
	withinRel(t, "explained_variance_ratio", fast.ExplainedVarianceRatio, exact.ExplainedVarianceRatio, 1e-12)
	withinRel(t, "singular_values", fast.SingularValues, exact.SingularValues, 1e-12)
	if exact.NoiseVariance != 0 {
		withinRel(t, "noise_variance", []float64{fast.NoiseVariance}, []float64{exact.NoiseVariance}, 1e-9)
	}
	var ye, yf mat.Dense
	exact.TransformTo(&ye, x)
	fast.TransformFastTo(&yf, x)
	var scale float64
	for _, v := range ye.RawMatrix().Data {
		scale = math.Max(scale, math.Abs(v))
	}
	within(t, "transform (relative to its largest entry)", scaled(yf.RawMatrix().Data, scale), scaled(ye.RawMatrix().Data, scale), 1e-11)
}

func scaled(v []float64, s float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = x / s
	}
	return out
}

func standardized(x *mat.Dense) *mat.Dense {
	var s standardize.Scaler
	s.Fit(x)
	var z mat.Dense
	s.TransformTo(&z, x)
	return &z
}

func TestFitFastMatchesFit(t *testing.T) {
	// More features than samples (the Gram side), the Problem 1h shape
	// scaled down, and rank-deficient gabor_like data.
	compareFast(t, standardized(features(300)), 50, 1e-10)
	tr, _ := gaborlike.Generate(1, 200, 50, 196, 3136)
	compareFast(t, standardized(tr), 50, 1e-10)
	// k+20 directions are all there are.
	x := features(40)
	compareFast(t, standardized(mat.DenseCopyOf(x.Slice(0, 40, 0, 300))), 30, 1e-10)
	// More samples than features: Fit itself.
	compareFast(t, standardized(mat.DenseCopyOf(features(100).Slice(0, 100, 0, 40))), 10, 0)
}

func TestFitFastPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for k > min(n, d)")
		}
	}()
	new(PCA).FitFast(mat.NewDense(3, 2, nil), 3)
}

func benchFitFast(b *testing.B, n, k int) {
	x := standardized(features(n))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var p PCA
		if !p.FitFast(x, k) {
			b.Fatal("FitFast failed")
		}
	}
}

// BenchmarkFitFast1000x3136 is BenchmarkFit1000x3136 with FitFast.
func BenchmarkFitFast1000x3136(b *testing.B) { benchFitFast(b, 1000, 50) }
