package openblas

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func random(r *rand.Rand, rows, cols int) *mat.Dense {
	m := mat.NewDense(rows, cols, nil)
	for i := range m.RawMatrix().Data {
		m.RawMatrix().Data[i] = r.NormFloat64()
	}
	return m
}

func gen(m *mat.Dense) General {
	raw := m.RawMatrix()
	return General{Rows: raw.Rows, Cols: raw.Cols, Stride: raw.Stride, Data: raw.Data}
}

func TestAgainstGonum(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	a, b := random(r, 7, 5), random(r, 6, 5)

	// Gemm: c = 2·a·bᵀ + 0.5·c.
	c := random(r, 7, 6)
	var want mat.Dense
	want.Mul(a, b.T())
	want.Scale(2, &want)
	var half mat.Dense
	half.Scale(0.5, c)
	want.Add(&want, &half)
	Gemm(false, true, 2, gen(a), gen(b), 0.5, gen(c))
	if !mat.EqualApprox(c, &want, 1e-13) {
		t.Errorf("Gemm:\n%v\nwant\n%v", mat.Formatted(c), mat.Formatted(&want))
	}

	// SyrkLower: the lower triangle of a·aᵀ, the upper one untouched.
	g := mat.NewDense(7, 7, nil)
	for i := range g.RawMatrix().Data {
		g.RawMatrix().Data[i] = -1
	}
	SyrkLower(1, gen(a), 0, gen(g))
	var aat mat.Dense
	aat.Mul(a, a.T())
	for i := 0; i < 7; i++ {
		for j := 0; j < 7; j++ {
			got, w := g.At(i, j), aat.At(i, j)
			if j > i {
				w = -1
			}
			if math.Abs(got-w) > 1e-13 {
				t.Errorf("Syrk (%d,%d) = %v, want %v", i, j, got, w)
			}
		}
	}

	// EigSymTop: the 3 largest eigenpairs of a·aᵀ (rank 5).
	vals, vecs, ok := EigSymTop(gen(g), 3)
	if !ok {
		t.Fatal("dsyevr failed")
	}
	var es mat.EigenSym
	if !es.Factorize(mat.NewSymDense(7, aat.RawMatrix().Data), true) {
		t.Fatal("gonum EigenSym failed")
	}
	all := es.Values(nil) // ascending
	var ev mat.Dense
	es.VectorsTo(&ev)
	for j := 0; j < 3; j++ {
		k := 6 - j
		if math.Abs(vals[j]-all[k]) > 1e-12*all[6] {
			t.Errorf("eigenvalue %d = %v, want %v", j, vals[j], all[k])
		}
		var dot float64
		for i := 0; i < 7; i++ {
			dot += vecs.Data[i*3+j] * ev.At(i, k)
		}
		if math.Abs(math.Abs(dot)-1) > 1e-10 {
			t.Errorf("eigenvector %d: |<got, want>| = %v, want 1", j, math.Abs(dot))
		}
	}
}

func TestShapePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for mismatched shapes")
		}
	}()
	Gemm(false, false, 1, General{Rows: 2, Cols: 3, Stride: 3, Data: make([]float64, 6)},
		General{Rows: 2, Cols: 3, Stride: 3, Data: make([]float64, 6)}, 0,
		General{Rows: 2, Cols: 3, Stride: 3, Data: make([]float64, 6)})
}
