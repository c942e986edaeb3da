// Package svm is a C-support-vector classifier that reproduces
// scikit-learn 1.2.1's SVC (libsvm as vendored there) bit for bit.
//
// # What it computes
//
// Fit solves one binary dual problem per pair of classes (one-vs-one, pairs
// (0,1),(0,2)…(1,2)… over the sorted labels) with libsvm's SMO: second-order
// working-set selection (Fan, Chen & Lin, "Working set selection using
// second order information for training SVM", JMLR 6, 2005), shrinking,
// stopping when m(α) − M(α) < tol (default 1e-3). The details that decide
// the bits follow docs/numerics.md#scikit-learn-svc:
//   - kernel values are stored as float32 (Q), the diagonal in float64;
//   - dot products use OpenBLAS's Haswell ddot rounding (16 FMA lanes, a
//     fixed reduction tree, a plain tail; docs/numerics.md#openblas-ddot), in assembly on
//     amd64 with AVX2+FMA and in portable Go elsewhere (same bits);
//   - rbf is exp(−γ((‖a‖²+‖b‖²) − 2a·b)) in training and exp(−γ‖a−b‖²) at
//     prediction time;
//   - gamma='scale' uses numpy's chunked pairwise variance;
//   - ties in working-set selection go to the later position, and
//     shrinking's swaps decide the scan order, as in libsvm.
//
// libsvm's LRU kernel cache changes only speed, so this package keeps
// every kernel column a pair touches. Go's math.Exp and math.Tanh differ
// from glibc in the last bit for some arguments; in training this is
// absorbed by the float32 rounding of Q, at prediction time it moves
// decision values by about 1e-16 relative.
//
// # Shapes
//
// Data is n samples × d features in a row-major *mat.Dense, labels are
// []int64. A Model holds scikit-learn's fitted attributes
// (docs/formats.md#fitted-svc and docs/formats.md#svc-signs-and-decision-function): support vectors nSV×d row-major, DualCoef (k−1)×nSV
// row-major with libsvm's signs (sklearn's _dual_coef_), Intercept = −rho
// (sklearn's _intercept_); PublicDualCoef and PublicIntercept apply the
// binary-case sign flip of dual_coef_ and intercept_.
//
// # Speed
//
// Fit computes all pairwise dot products once (NewGram) when n ≤ ~11,500,
// instead of once per class pair. FitGram fits on a subset of rows of a
// matrix whose Gram matrix is already known, which is how cross-validation
// and grid search share one Gram matrix for every fold and candidate. Pairs
// and prediction rows run concurrently through package parallel; the SMO
// loop itself is sequential, keeps its arrays in libsvm's position order
// so that its scans read memory sequentially, and allocates only when a
// kernel column is first needed (64 columns at a time). Its two scans per
// iteration (gradient update with the I_up maximum, and the I_low
// selection) run four positions at a time in AVX2 on amd64, without FMA
// and with the scalar code's tie rules, so the bits do not change
// (gupdate.go).
//
// # Solvers
//
// Params.Solver is SolverExact by default: everything above. SolverFast
// differs only for the linear kernel, and only on pairs that SMO has not
// solved within 100 iterations per variable (SMO's iteration count
// explodes on nearly separable, badly scaled problems such as raw 0..255
// pixels: 533 million iterations for one pair of Problem 1's grid). Such a
// pair is solved again by a primal-dual interior-point method in the
// (d+1)-dimensional space of (w, b) (ipm.go: a few dozen Newton steps of
// O(n·d²)), its active set is solved exactly, and the answer is kept only
// if libsvm's stopping rule m(α) − M(α) < tol holds for it in exact
// arithmetic; otherwise SMO runs to the end as in SolverExact. The
// result is an optimum of the same problem to libsvm's tolerance, not
// libsvm's bits: libsvm's own answer optimises the problem with Q
// rounded to float32, and on ill-conditioned pairs the two differ by up
// to about 1e-3 of the decision values (tested against scikit-learn's
// predictions in ipm_test.go).
//
// # Errors and panics
//
// Invalid hyper-parameters return an error naming the parameter; one class, no samples or
// non-finite input return ErrOneClass, ErrNoData or ErrNotFinite.
// Non-convergence is not an error: Model.Status is MaxIterReached when
// Params.MaxIter stopped a pair (scikit-learn's fit_status_ = 1).
// Mismatched lengths or feature counts are programmer errors and panic.
//
// A fitted Model and a Gram are read-only and safe for concurrent use.
package svm
