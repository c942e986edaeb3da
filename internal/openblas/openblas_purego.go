//go:build !cgo

package openblas

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// Without cgo there is no dlopen: gonum's pure-Go routines stand in, so a
// CGO_ENABLED=0 binary still has every PCA solver.
func load() error { return nil }

func general(g General) blas64.General {
	return blas64.General{Rows: g.Rows, Cols: g.Cols, Stride: g.Stride, Data: g.Data}
}

func transpose(t bool) blas.Transpose {
	if t {
		return blas.Trans
	}
	return blas.NoTrans
}

func gemm(ta, tb bool, _, _, _ int, alpha float64, a, b General, beta float64, c General) {
	blas64.Gemm(transpose(ta), transpose(tb), alpha, general(a), general(b), beta, general(c))
}

func syrkLower(alpha float64, a General, beta float64, c General) {
	blas64.Syrk(blas.NoTrans, alpha, general(a),
		beta, blas64.Symmetric{Uplo: blas.Lower, N: c.Rows, Stride: c.Stride, Data: c.Data})
}

func eigSymTop(a General, k int) (vals []float64, vecs General, ok bool) {
	n := a.Rows
	sym := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		for j := 0; j <= i; j++ {
			sym.SetSym(i, j, a.Data[i*a.Stride+j])
		}
	}
	var es mat.EigenSym
	if !es.Factorize(sym, true) {
		return nil, General{}, false
	}
	all := es.Values(nil) // ascending
	var z mat.Dense
	es.VectorsTo(&z) // column j is the eigenvector of all[j]
	vals = make([]float64, k)
	vecs = General{Rows: n, Cols: k, Stride: k, Data: make([]float64, n*k)}
	for j := 0; j < k; j++ {
		src := n - 1 - j
		vals[j] = all[src]
		for i := 0; i < n; i++ {
			vecs.Data[i*k+j] = z.At(i, src)
		}
	}
	return vals, vecs, true
}
