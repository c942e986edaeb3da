package svm

import (
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// benchData returns n 14×14 MNIST training digits (pixels 0..255), or
// random digit-like data when the MNIST files are absent.
func benchData(b *testing.B, n int) (*mat.Dense, []int64) {
	b.Helper()
	if x, y, err := readMNIST14("train", n); err == nil {
		return x, y
	}
	rng := rand.New(rand.NewPCG(1, 2))
	x := mat.NewDense(n, 196, nil)
	y := make([]int64, n)
	for i := range y {
		y[i] = int64(rng.IntN(10))
		row := x.RawRowView(i)
		for j := range row {
			if rng.IntN(10) < 2+int(y[i])%3 {
				row[j] = float64(rng.IntN(256))
			}
		}
	}
	return x, y
}

// benchSMO times Fit (rbf, C=1, gamma='scale') on n samples of 196
// features.
func benchSMO(b *testing.B, n int, p Params) {
	x, y := benchData(b, n)
	b.ResetTimer()
	var m *Model
	for i := 0; i < b.N; i++ {
		var err error
		if m, err = Fit(x, y, p); err != nil {
			b.Fatal(err)
		}
	}
	iters := 0
	for _, it := range m.NIter {
		iters += it
	}
	b.ReportMetric(float64(iters), "iters")
	b.ReportMetric(float64(len(m.Support)), "nSV")
}

func BenchmarkFit1000(b *testing.B)       { benchSMO(b, 1000, Params{}) }
func BenchmarkFit2000(b *testing.B)       { benchSMO(b, 2000, Params{}) }
func BenchmarkFit2000Auto(b *testing.B)   { benchSMO(b, 2000, Params{Gamma: Gamma{Mode: GammaAuto}}) }
func BenchmarkFit2000Linear(b *testing.B) { benchSMO(b, 2000, Params{Kernel: Linear}) }

func BenchmarkGram2000(b *testing.B) {
	x, _ := benchData(b, 2000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		NewGram(x)
	}
}

func BenchmarkPredict(b *testing.B) {
	x, y := benchData(b, 2000)
	m, err := Fit(x.Slice(0, 1000, 0, 196).(*mat.Dense), y[:1000], Params{})
	if err != nil {
		b.Fatal(err)
	}
	xt := x.Slice(1000, 2000, 0, 196).(*mat.Dense)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.Predict(xt)
	}
}

// The full Problem 1 size (8,000 samples); slow, run explicitly with
// -bench Fit8000.
func BenchmarkFit8000Scale(b *testing.B) { benchSMO(b, 8000, Params{}) }
func BenchmarkFit8000Auto(b *testing.B)  { benchSMO(b, 8000, Params{Gamma: Gamma{Mode: GammaAuto}}) }

// Linear on raw 0..255 pixels takes libsvm ~2.8e8 iterations (minutes).
func BenchmarkFit8000Linear(b *testing.B) { benchSMO(b, 8000, Params{Kernel: Linear}) }

func BenchmarkFit3000Linear(b *testing.B) { benchSMO(b, 3000, Params{Kernel: Linear}) }

// BenchmarkSolverLinear3000 times only the SMO part (the Gram matrix is
// precomputed): linear kernel on 3,000 raw-pixel digits, ~67,000
// iterations over 45 pairs.
func BenchmarkSolverLinear3000(b *testing.B) {
	x, y := benchData(b, 3000)
	g := NewGram(x)
	rows := make([]int, len(y))
	for i := range rows {
		rows[i] = i
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := FitGram(g, x, rows, y, Params{Kernel: Linear}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHardPairLinear fits digits 3 vs 5 among the first 8,000 MNIST
// training images (about 1,600 samples) with the linear kernel on raw
// pixels, a pair that needs about 3 million SMO iterations: it measures
// the per-iteration cost of the solver.
func BenchmarkHardPairLinear(b *testing.B) {
	x, y := benchData(b, 8000)
	var rows []int
	var yy []int64
	for i, v := range y {
		if v == 3 || v == 5 {
			rows = append(rows, i)
			yy = append(yy, v)
		}
	}
	sub := mat.NewDense(len(rows), 196, nil)
	for i, r := range rows {
		sub.SetRow(i, x.RawRowView(r))
	}
	b.ResetTimer()
	var m *Model
	for i := 0; i < b.N; i++ {
		var err error
		if m, err = Fit(sub, yy, Params{Kernel: Linear}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(m.NIter[0]), "iters")
}
