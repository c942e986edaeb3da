package pca

import (
	"math"

	"gonum.org/v1/gonum/mat"

	"hw1pipe/internal/hugepages"
)

// PCA holds a fitted principal component analysis. The zero value is
// unfitted.
type PCA struct {
	// NSamples is n, the number of rows Fit saw.
	NSamples int
	// Mean is the column mean, length d (mean_).
	Mean []float64
	// Components is K × d, one unit principal axis per row (components_).
	Components *mat.Dense
	// ExplainedVariance, ExplainedVarianceRatio and SingularValues have
	// length K (explained_variance_, explained_variance_ratio_,
	// singular_values_).
	ExplainedVariance      []float64
	ExplainedVarianceRatio []float64
	SingularValues         []float64
	// NoiseVariance is the mean of the discarded variances (n−1
	// normalised) over min(n,d)−K of them, 0 if none (noise_variance_).
	NoiseVariance float64
}

// Fit computes k components of x (n × d, n ≥ 2, 1 ≤ k ≤ min(n, d)). It
// returns false, leaving p unchanged, if the SVD does not converge.
func (p *PCA) Fit(x mat.Matrix, k int) (ok bool) {
	n, d := x.Dims()
	if n < 2 || d == 0 || k < 1 || k > min(n, d) {
		panic(mat.ErrShape)
	}
	xc := copyDense(x)
	mean := make([]float64, d)
	copy(mean, xc.RawRowView(0))
	for i := 1; i < n; i++ {
		for j, v := range xc.RawRowView(i) {
			mean[j] += v
		}
	}
	fn := float64(n)
	for j := range mean {
		mean[j] /= fn
	}
	for i := 0; i < n; i++ {
		row := xc.RawRowView(i)
		for j := range row {
			row[j] -= mean[j]
		}
	}

	var svd mat.SVD
	if !svd.Factorize(xc, mat.SVDThin) {
		return false
	}
	s := svd.Values(nil)
	var u, v mat.Dense
	svd.UTo(&u) // n × r
	svd.VTo(&v) // d × r

	comp := mat.NewDense(k, d, nil)
	for c := 0; c < k; c++ {
		sign := flipSign(&u, c)
		row := comp.RawRowView(c)
		for j := range row {
			row[j] = sign * v.At(j, c)
		}
	}

	ev := make([]float64, len(s))
	var total float64
	for i, sv := range s {
		ev[i] = sv * sv / (fn - 1)
	}
	for _, e := range ev {
		total += e
	}
	p.NSamples = n
	p.Mean = mean
	p.Components = comp
	p.SingularValues = append([]float64(nil), s[:k]...)
	p.ExplainedVariance = append([]float64(nil), ev[:k]...)
	p.ExplainedVarianceRatio = make([]float64, k)
	for i := range p.ExplainedVarianceRatio {
		p.ExplainedVarianceRatio[i] = ev[i] / total
	}
	p.NoiseVariance = 0
	if k < min(n, d) {
		var rest float64
		for _, e := range ev[k:] {
			rest += e
		}
		p.NoiseVariance = rest / float64(len(ev)-k)
	}
	return true
}

// TransformTo writes (x − Mean)·Componentsᵀ into dst: x is m × d, dst is
// m × K and is resized if empty. It panics if p is unfitted or the shapes
// disagree.
func (p *PCA) TransformTo(dst *mat.Dense, x mat.Matrix) {
	xc := p.centred(dst, x)
	dst.Mul(xc, p.Components.T())
}

// centred checks a transform's shapes, sizes an empty dst (m × K), and
// returns a copy of x (m × d) minus Mean.
func (p *PCA) centred(dst *mat.Dense, x mat.Matrix) *mat.Dense {
	m, d := x.Dims()
	if p.Components == nil || d != len(p.Mean) {
		panic(mat.ErrShape)
	}
	k, _ := p.Components.Dims()
	if dst.IsEmpty() {
		dst.ReuseAs(m, k)
	} else if r, c := dst.Dims(); r != m || c != k {
		panic(mat.ErrShape)
	}
	xc := copyDense(x)
	for i := 0; i < m; i++ {
		row := xc.RawRowView(i)
		for j := range row {
			row[j] -= p.Mean[j]
		}
	}
	return xc
}

// flipSign is scikit-learn's svd_flip with u_based_decision=True for
// component c: the sign that makes the largest-magnitude entry of column c
// of u (n × r) positive, the first such entry on ties.
func flipSign(u mat.Matrix, c int) float64 {
	n, _ := u.Dims()
	best, arg := -1.0, 0
	for i := 0; i < n; i++ {
		if a := math.Abs(u.At(i, c)); a > best {
			best, arg = a, i
		}
	}
	if u.At(arg, c) < 0 {
		return -1
	}
	return 1
}

// copyDense is mat.DenseCopyOf in memory that may take huge pages: the
// copies PCA centres are as large as the data, and filling 25 MB of fresh
// 4 KB pages costs about 0.1 s (internal/hugepages).
func copyDense(x mat.Matrix) *mat.Dense {
	r, c := x.Dims()
	d := mat.NewDense(r, c, hugepages.Make[float64](r*c))
	d.Copy(x)
	return d
}
