package standardize

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// Scaler holds a fitted StandardScaler. The zero value is unfitted.
type Scaler struct {
	// N is the number of rows seen (n_samples_seen_).
	N int
	// Mean, Var and Scale have one entry per column (mean_, var_,
	// scale_). Scale is 1 for constant columns.
	Mean, Var, Scale []float64
}

// Fit fits s to x (n × d, n ≥ 1) and returns s.
func (s *Scaler) Fit(x mat.Matrix) *Scaler {
	n, d := x.Dims()
	if n == 0 || d == 0 {
		panic(mat.ErrShape)
	}
	row := make([]float64, d)
	sum := make([]float64, d)
	// numpy's axis-0 reduction copies the first row, then adds the rest.
	mat.Row(sum, 0, x)
	for i := 1; i < n; i++ {
		mat.Row(row, i, x)
		for j, v := range row {
			sum[j] += v
		}
	}
	fn := float64(n)
	mean := make([]float64, d)
	for j := range sum {
		mean[j] = sum[j] / fn
	}
	corr := make([]float64, d)
	sq := make([]float64, d)
	for i := 0; i < n; i++ {
		mat.Row(row, i, x)
		for j, v := range row {
			dv := v - mean[j]
			p := float64(dv * dv)
			if i == 0 {
				corr[j], sq[j] = dv, p
			} else {
				corr[j] += dv
				sq[j] += p
			}
		}
	}
	const eps = 0x1p-52
	s.N = n
	s.Mean = mean
	s.Var = make([]float64, d)
	s.Scale = make([]float64, d)
	for j := range sq {
		v := (sq[j] - float64(corr[j]*corr[j])/fn) / fn
		s.Var[j] = v
		m := float64(fn*mean[j]) * eps
		if v <= float64(fn*eps)*v+float64(m*m) {
			s.Scale[j] = 1
		} else {
			s.Scale[j] = math.Sqrt(v)
		}
	}
	return s
}

// TransformTo writes (x − Mean)/Scale into dst, both n × d; an empty dst is
// resized, and dst may be x itself. It panics if s is unfitted or the
// shapes disagree.
func (s *Scaler) TransformTo(dst *mat.Dense, x mat.Matrix) {
	n, d := x.Dims()
	if s.Mean == nil || d != len(s.Mean) {
		panic(mat.ErrShape)
	}
	if dst.IsEmpty() {
		dst.ReuseAs(n, d)
	} else if r, c := dst.Dims(); r != n || c != d {
		panic(mat.ErrShape)
	}
	for i := 0; i < n; i++ {
		out := dst.RawRowView(i)
		mat.Row(out, i, x)
		for j, v := range out {
			out[j] = (v - s.Mean[j]) / s.Scale[j]
		}
	}
}

// InverseTransformTo writes x·Scale + Mean into dst (n × d); dst may be x.
func (s *Scaler) InverseTransformTo(dst *mat.Dense, x mat.Matrix) {
	n, d := x.Dims()
	if s.Mean == nil || d != len(s.Mean) {
		panic(mat.ErrShape)
	}
	if dst.IsEmpty() {
		dst.ReuseAs(n, d)
	} else if r, c := dst.Dims(); r != n || c != d {
		panic(mat.ErrShape)
	}
	for i := 0; i < n; i++ {
		out := dst.RawRowView(i)
		mat.Row(out, i, x)
		for j, v := range out {
			out[j] = float64(v*s.Scale[j]) + s.Mean[j]
		}
	}
}
