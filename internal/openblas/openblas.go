// Package openblas calls the few OpenBLAS routines hw1pipe needs where
// gonum's pure-Go BLAS and LAPACK are too slow: a symmetric rank-k update,
// a matrix product and the symmetric eigensolver dsyevr. OpenBLAS
// (Debian's libopenblas-dev) is the BLAS numpy and scikit-learn use on the
// same machine; its results differ from gonum's in the last bits, so only
// code that does not need gonum's exact rounding calls it.
//
// Matrices are row-major float64 slices with a stride, as gonum's
// mat.Dense and blas64.General hold them. Wrong shapes panic. OpenBLAS
// uses its own threads (OPENBLAS_NUM_THREADS caps them).
//
// The library is opened with dlopen on first use (Load), not linked: a
// build needs no OpenBLAS headers, and a process that never calls it does
// not pay for OpenBLAS's start-up. At run time Debian's libopenblas0 (which
// numpy already pulls in) provides libopenblas.so.0.
//
// dlopen needs cgo. A build without it (CGO_ENABLED=0) runs the same
// functions on gonum's pure-Go BLAS and LAPACK instead: the same results
// to rounding, several times slower, and Load always succeeds.
package openblas

import "fmt"

// Load opens OpenBLAS (libopenblas.so.0) if that has not been done yet and
// says whether it is usable. The other functions panic unless it returned
// nil.
func Load() error { return load() }

func mustLoad() {
	if err := load(); err != nil {
		panic(err)
	}
}

// General is a row-major matrix: element (i, j) is Data[i*Stride+j].
type General struct {
	Rows, Cols, Stride int
	Data               []float64
}

func (g General) check(name string) {
	if g.Rows < 0 || g.Cols < 0 || (g.Rows > 0 && (g.Stride < max(1, g.Cols) || len(g.Data) < (g.Rows-1)*g.Stride+g.Cols)) {
		panic(fmt.Sprintf("openblas: %s: %d×%d matrix with stride %d over %d values", name, g.Rows, g.Cols, g.Stride, len(g.Data)))
	}
}

// Gemm sets c = alpha·op(a)·op(b) + beta·c, op transposing when ta/tb.
func Gemm(ta, tb bool, alpha float64, a, b General, beta float64, c General) {
	a.check("a")
	b.check("b")
	c.check("c")
	m, k := a.Rows, a.Cols
	if ta {
		m, k = k, m
	}
	kb, n := b.Rows, b.Cols
	if tb {
		kb, n = n, kb
	}
	if k != kb || c.Rows != m || c.Cols != n {
		panic(fmt.Sprintf("openblas: Gemm: op(a) %d×%d, op(b) %d×%d, c %d×%d", m, k, kb, n, c.Rows, c.Cols))
	}
	if m == 0 || n == 0 {
		return
	}
	mustLoad()
	gemm(ta, tb, m, n, k, alpha, a, b, beta, c)
}

// SyrkLower sets the lower triangle of c (n×n) to alpha·a·aᵀ + beta·c for
// a n×k; the strict upper triangle is not touched.
func SyrkLower(alpha float64, a General, beta float64, c General) {
	a.check("a")
	c.check("c")
	if c.Rows != a.Rows || c.Cols != a.Rows {
		panic(fmt.Sprintf("openblas: Syrk: a %d×%d, c %d×%d", a.Rows, a.Cols, c.Rows, c.Cols))
	}
	if a.Rows == 0 {
		return
	}
	mustLoad()
	syrkLower(alpha, a, beta, c)
}

// EigSymTop returns the k largest eigenvalues of the symmetric n×n matrix
// whose lower triangle a holds (row-major; a is overwritten), in
// descending order, and their unit eigenvectors as the columns of an n×k
// row-major matrix. ok is false if LAPACK's dsyevr reports a failure.
func EigSymTop(a General, k int) (vals []float64, vecs General, ok bool) {
	a.check("a")
	n := a.Rows
	if a.Cols != n || k < 1 || k > n {
		panic(fmt.Sprintf("openblas: EigSymTop: %d×%d matrix, k = %d", a.Rows, a.Cols, k))
	}
	mustLoad()
	return eigSymTop(a, k)
}
