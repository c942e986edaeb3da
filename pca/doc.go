// Package pca is scikit-learn 1.2.1's PCA with svd_solver='full' and
// whiten=False: principal components of centred data from an exact thin
// SVD (gonum mat.SVD), with scikit-learn's svd_flip sign convention.
//
// # Definition (docs/numerics.md#pca)
//
// For X (n × d, one observation per row):
//
//	Mean = column means of X (sums accumulated row by row, then /n)
//	Xc = X − Mean = U·diag(S)·Vᵀ (thin SVD, S descending)
//	svd_flip: for each k, i = argmax_i |U[i,k]| (first on ties);
//	          multiply U[:,k] and row k of Vᵀ by sign(U[i,k])
//	Components = rows 0..K−1 of Vᵀ (K × d)
//	ExplainedVariance[k] = S[k]²/(n−1)
//	ExplainedVarianceRatio[k] = ExplainedVariance[k] / Σ_all S²/(n−1)
//	Transform(Y) = (Y − Mean)·Componentsᵀ (m × K)
//
// LAPACK (gesdd in scipy) and gonum round differently, so results agree
// with scikit-learn to about 1e-13 relative, not bit for bit; the sign of
// a component is fixed by svd_flip and so agrees too unless two entries of
// a U column tie in magnitude to rounding.
//
// scikit-learn's default svd_solver='auto' picks a randomized solver for a
// 1000 × 3136 input with 50 components (docs/numerics.md#pca); that one depends on
// numpy's global random stream and differs from the exact SVD by up to
// ~1e-4. This package implements the exact solver only, in two ways: Fit,
// the complete thin SVD above in pure Go, and FitFast, which computes only
// the K components asked for from the eigenvectors of the n × n Gram
// matrix Xc·Xcᵀ (OpenBLAS and LAPACK's dsyevr) followed by a Rayleigh–Ritz
// step on Xc; its components agree with Fit's to about 1e-13.
//
// # Shapes, errors, concurrency
//
// Inputs are gonum mat.Matrix values and are not modified. Wrong shapes
// panic with mat.ErrShape; a failed SVD makes Fit return false. A fitted
// PCA is read-only and safe for concurrent use.
package pca
