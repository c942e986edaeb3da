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
package openblas

// #cgo LDFLAGS: -lopenblas
// #include <cblas.h>
//
// // LAPACK's Fortran dsyevr (OpenBLAS exports it); scalars by reference.
// void dsyevr_(const char *jobz, const char *range, const char *uplo, const int *n,
//              double *a, const int *lda, const double *vl, const double *vu,
//              const int *il, const int *iu, const double *abstol, int *m,
//              double *w, double *z, const int *ldz, int *isuppz,
//              double *work, const int *lwork, int *iwork, const int *liwork, int *info);
import "C"

import (
	"fmt"
	"unsafe"
)

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

func ptr(s []float64) *C.double {
	if len(s) == 0 {
		return nil
	}
	return (*C.double)(unsafe.Pointer(&s[0]))
}

func trans(t bool) C.enum_CBLAS_TRANSPOSE {
	if t {
		return C.CblasTrans
	}
	return C.CblasNoTrans
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
	C.cblas_dgemm(C.CblasRowMajor, trans(ta), trans(tb), C.blasint(m), C.blasint(n), C.blasint(k),
		C.double(alpha), ptr(a.Data), C.blasint(a.Stride), ptr(b.Data), C.blasint(b.Stride),
		C.double(beta), ptr(c.Data), C.blasint(c.Stride))
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
	C.cblas_dsyrk(C.CblasRowMajor, C.CblasLower, C.CblasNoTrans, C.blasint(a.Rows), C.blasint(a.Cols),
		C.double(alpha), ptr(a.Data), C.blasint(a.Stride), C.double(beta), ptr(c.Data), C.blasint(c.Stride))
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
	// Row-major lower is column-major upper: dsyevr reads it as 'U'.
	jobz, rng, uplo := C.char('V'), C.char('I'), C.char('U')
	cn, lda := C.int(n), C.int(a.Stride)
	il, iu := C.int(n-k+1), C.int(n)
	var vl, vu, abstol C.double // abstol 0: LAPACK's default accuracy
	var m, info C.int
	w := make([]float64, n)
	z := make([]float64, n*k) // column-major n×k: column j is eigenvector j
	ldz := C.int(n)
	isuppz := make([]C.int, 2*k)
	// Workspace query first, as LAPACK prescribes.
	var wq C.double
	var iwq C.int
	lw, liw := C.int(-1), C.int(-1)
	C.dsyevr_(&jobz, &rng, &uplo, &cn, ptr(a.Data), &lda, &vl, &vu, &il, &iu, &abstol, &m,
		ptr(w), ptr(z), &ldz, &isuppz[0], &wq, &lw, &iwq, &liw, &info)
	if info != 0 {
		return nil, General{}, false
	}
	lw, liw = C.int(wq), iwq
	work := make([]float64, int(lw))
	iwork := make([]C.int, int(liw))
	C.dsyevr_(&jobz, &rng, &uplo, &cn, ptr(a.Data), &lda, &vl, &vu, &il, &iu, &abstol, &m,
		ptr(w), ptr(z), &ldz, &isuppz[0], ptr(work), &lw, &iwork[0], &liw, &info)
	if info != 0 || int(m) != k {
		return nil, General{}, false
	}
	// dsyevr returns ascending eigenvalues; reverse to descending and
	// transpose the vectors to row-major.
	vals = make([]float64, k)
	vecs = General{Rows: n, Cols: k, Stride: k, Data: make([]float64, n*k)}
	for j := 0; j < k; j++ {
		src := k - 1 - j
		vals[j] = w[src]
		col := z[src*n : (src+1)*n]
		for i, v := range col {
			vecs.Data[i*k+j] = v
		}
	}
	return vals, vecs, true
}
