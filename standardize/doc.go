// Package standardize is scikit-learn 1.2.1's StandardScaler (with_mean,
// with_std, no sample weights, no NaN), bit for bit.
//
// Fit learns per-column mean, population variance and scale from an n × d
// matrix (one observation per row); TransformTo writes (x − mean)/scale.
// The arithmetic follows docs/numerics.md#standardscaler and docs/numerics.md#numpy-sums exactly:
//
//	s = column sums, accumulated row by row (numpy's axis-0 reduction)
//	mean = s/n;  D = X − s/n;  corr = colsum(D);  var = (colsum(D·D) − corr²/n)/n
//	constant column: var ≤ n·ε·var + (n·mean·ε)², ε = 2⁻⁵²  → scale 1
//	otherwise scale = √var
//
// so mean_, var_, scale_ and transform equal scikit-learn's bits.
//
// Shapes are n × d row-major matrices (gonum mat.Matrix in, *mat.Dense
// out). Wrong shapes and empty input panic with mat.ErrShape, like gonum.
// A fitted Scaler is read-only and safe for concurrent use.
package standardize
