//go:build cgo

package openblas

// #cgo LDFLAGS: -ldl
// #include <dlfcn.h>
// #include <stddef.h>
//
// // The CBLAS and LAPACK entry points used, with CBLAS's enum values
// // (row-major 101, no transpose 111, transpose 112, lower 122) and
// // OpenBLAS's 32-bit blasint, as Debian's libopenblas0 exports them.
// typedef void (*dgemm_fn)(int, int, int, int, int, int, double, const double *, int,
//                          const double *, int, double, double *, int);
// typedef void (*dsyrk_fn)(int, int, int, int, int, double, const double *, int, double,
//                          double *, int);
// typedef void (*dsyevr_fn)(const char *, const char *, const char *, const int *,
//                           double *, const int *, const double *, const double *,
//                           const int *, const int *, const double *, int *, double *,
//                           double *, const int *, int *, double *, const int *, int *,
//                           const int *, int *);
// static dgemm_fn p_dgemm;
// static dsyrk_fn p_dsyrk;
// static dsyevr_fn p_dsyevr;
//
// // hw_load opens OpenBLAS and finds the three routines; NULL on success,
// // else why not. Called once (Load's sync.Once).
// static const char *hw_load(void) {
// 	void *h = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL);
// 	if (h == NULL) {
// 		return dlerror();
// 	}
// 	p_dgemm = (dgemm_fn)dlsym(h, "cblas_dgemm");
// 	p_dsyrk = (dsyrk_fn)dlsym(h, "cblas_dsyrk");
// 	p_dsyevr = (dsyevr_fn)dlsym(h, "dsyevr_");
// 	if (p_dgemm == NULL || p_dsyrk == NULL || p_dsyevr == NULL) {
// 		return "libopenblas.so.0 lacks cblas_dgemm, cblas_dsyrk or dsyevr_";
// 	}
// 	return NULL;
// }
// static void hw_dgemm(int ta, int tb, int m, int n, int k, double alpha, const double *a,
//                      int lda, const double *b, int ldb, double beta, double *c, int ldc) {
// 	p_dgemm(101, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
// }
// static void hw_dsyrk_lower(int n, int k, double alpha, const double *a, int lda,
//                            double beta, double *c, int ldc) {
// 	p_dsyrk(101, 122, 111, n, k, alpha, a, lda, beta, c, ldc);
// }
// static void hw_dsyevr(const char *jobz, const char *range, const char *uplo, const int *n,
//                       double *a, const int *lda, const double *vl, const double *vu,
//                       const int *il, const int *iu, const double *abstol, int *m,
//                       double *w, double *z, const int *ldz, int *isuppz, double *work,
//                       const int *lwork, int *iwork, const int *liwork, int *info) {
// 	p_dsyevr(jobz, range, uplo, n, a, lda, vl, vu, il, iu, abstol, m, w, z, ldz, isuppz,
// 	         work, lwork, iwork, liwork, info);
// }
import "C"

import (
	"fmt"
	"sync"
	"unsafe"
)

// load opens OpenBLAS the first time a caller asks. Opening it at process
// start (linking -lopenblas) would cost every hw1pipe command OpenBLAS's
// thread start-up, tens of milliseconds a no-op run does not have, for a
// library one stage uses.
var load = sync.OnceValue(func() error {
	if why := C.hw_load(); why != nil {
		return fmt.Errorf("openblas: %s", C.GoString(why))
	}
	return nil
})

func ptr(s []float64) *C.double {
	if len(s) == 0 {
		return nil
	}
	return (*C.double)(unsafe.Pointer(&s[0]))
}

func trans(t bool) C.int {
	if t {
		return 112 // CblasTrans
	}
	return 111 // CblasNoTrans
}

func gemm(ta, tb bool, m, n, k int, alpha float64, a, b General, beta float64, c General) {
	C.hw_dgemm(trans(ta), trans(tb), C.int(m), C.int(n), C.int(k),
		C.double(alpha), ptr(a.Data), C.int(a.Stride), ptr(b.Data), C.int(b.Stride),
		C.double(beta), ptr(c.Data), C.int(c.Stride))
}

func syrkLower(alpha float64, a General, beta float64, c General) {
	C.hw_dsyrk_lower(C.int(a.Rows), C.int(a.Cols),
		C.double(alpha), ptr(a.Data), C.int(a.Stride), C.double(beta), ptr(c.Data), C.int(c.Stride))
}

func eigSymTop(a General, k int) (vals []float64, vecs General, ok bool) {
	n := a.Rows
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
	C.hw_dsyevr(&jobz, &rng, &uplo, &cn, ptr(a.Data), &lda, &vl, &vu, &il, &iu, &abstol, &m,
		ptr(w), ptr(z), &ldz, &isuppz[0], &wq, &lw, &iwq, &liw, &info)
	if info != 0 {
		return nil, General{}, false
	}
	lw, liw = C.int(wq), iwq
	work := make([]float64, int(lw))
	iwork := make([]C.int, int(liw))
	C.hw_dsyevr(&jobz, &rng, &uplo, &cn, ptr(a.Data), &lda, &vl, &vu, &il, &iu, &abstol, &m,
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
