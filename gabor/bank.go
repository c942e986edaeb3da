package gabor

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Fold sums the flipped kernel w (kRows × kCols, odd sides) onto one
// period of the 'reflect' boundary: the result F is 2·rows × 2·cols with
//
//	F[p,q] = Σ { w[K−1−a, L−1−b] : (a−hy) ≡ p mod 2·rows, (b−hx) ≡ q mod 2·cols }
//
// so that the response is dst[r,c] = Σ_{p,q} F[p,q]·img[ρ(r+p), ρ(c+q)].
func Fold(w []float64, kRows, kCols, rows, cols int) []float64 {
	if kRows%2 != 1 || kCols%2 != 1 || len(w) != kRows*kCols || rows <= 0 || cols <= 0 {
		panic(fmt.Sprintf("gabor: fold of kernel size %d for %d×%d onto %d×%d", len(w), kRows, kCols, rows, cols))
	}
	pr, pc := 2*rows, 2*cols
	hy, hx := kRows/2, kCols/2
	f := make([]float64, pr*pc)
	for a := 0; a < kRows; a++ {
		p := ((a-hy)%pr + pr) % pr
		wrow := w[(kRows-1-a)*kCols : (kRows-a)*kCols]
		frow := f[p*pc : (p+1)*pc]
		q := ((-hx)%pc + pc) % pc
		for b := 0; b < kCols; b++ {
			frow[q] += wrow[kCols-1-b]
			if q++; q == pc {
				q = 0
			}
		}
	}
	return f
}

// LinearMapTo writes into dst the (rows·cols) × (rows·cols) matrix M of
// the 'reflect' convolution with kernel w, so that out = M·img for images
// as row-major column vectors. dst is resized if empty and must otherwise
// have that shape.
func LinearMapTo(dst *mat.Dense, w []float64, kRows, kCols, rows, cols int) {
	n := rows * cols
	if dst.IsEmpty() {
		dst.ReuseAs(n, n)
	} else if r, c := dst.Dims(); r != n || c != n {
		panic(mat.ErrShape)
	} else {
		dst.Zero()
	}
	f := Fold(w, kRows, kCols, rows, cols)
	pr, pc := 2*rows, 2*cols
	ri := make([]int, 2*pr) // ri[r+p] = ρ(r+p); r+p < rows+pr
	for i := range ri {
		ri[i] = Reflect(i, rows)
	}
	ci := make([]int, 2*pc)
	for i := range ci {
		ci[i] = Reflect(i, cols)
	}
	raw := dst.RawMatrix()
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			m := raw.Data[(r*cols+c)*raw.Stride : (r*cols+c)*raw.Stride+n]
			for p := 0; p < pr; p++ {
				base := ri[r+p] * cols
				frow := f[p*pc : (p+1)*pc]
				for q, v := range frow {
					m[base+ci[c+q]] += v
				}
			}
		}
	}
}

// DefaultFilters returns the homework's 16 filters (Problem 1h,
// docs/homework.md#problem-1-gabor-features) in loop order "for θ in {π/4, π/2, 3π/4, π}, for f in {0.05, 0.25},
// for b in {0.1, 1}": index 4·iθ + 2·if + ib. θ = k·π/4 is computed in
// float64 as Python's k*np.pi/4 is.
func DefaultFilters() []Params {
	pi := math.Pi
	thetas := []float64{pi / 4, pi / 2, 3 * pi / 4, pi}
	var ps []Params
	for _, th := range thetas {
		for _, f := range []float64{0.05, 0.25} {
			for _, b := range []float64{0.1, 1} {
				ps = append(ps, Params{Frequency: f, Theta: th, Bandwidth: b})
			}
		}
	}
	return ps
}

// Bank applies a list of filters to rows × cols images. Features are the
// real responses, filter after filter, each in row-major pixel order.
// A Bank is immutable and safe for concurrent use.
type Bank struct {
	rows, cols int
	filters    []Params
	kernels    []*Kernel
	// op is (F·rows·cols) × (rows·cols): block i is filter i's real
	// linear map.
	op *mat.Dense
}

// NewBank builds the operator for filters on rows × cols images. It
// returns an error naming the field if a filter is invalid.
func NewBank(rows, cols int, filters []Params) (*Bank, error) {
	if rows <= 0 || cols <= 0 || len(filters) == 0 {
		panic(fmt.Sprintf("gabor: bank of %d filters on %d×%d images", len(filters), rows, cols))
	}
	n := rows * cols
	b := &Bank{rows: rows, cols: cols, filters: append([]Params(nil), filters...),
		op: mat.NewDense(len(filters)*n, n, nil)}
	for i, p := range filters {
		k, err := NewKernel(p)
		if err != nil {
			return nil, fmt.Errorf("filter %d: %w", i, err)
		}
		b.kernels = append(b.kernels, k)
		blk := b.op.Slice(i*n, (i+1)*n, 0, n).(*mat.Dense)
		LinearMapTo(blk, k.Re, k.Rows, k.Cols, rows, cols)
	}
	return b, nil
}

// NumFilters returns the number of filters F.
func (b *Bank) NumFilters() int { return len(b.filters) }

// NumFeatures returns F·rows·cols, the width of a feature row.
func (b *Bank) NumFeatures() int { return len(b.filters) * b.rows * b.cols }

// Filter returns the parameters of filter i as given to NewBank.
func (b *Bank) Filter(i int) Params { return b.filters[i] }

// Kernel returns filter i's kernel. The caller must not modify it.
func (b *Bank) Kernel(i int) *Kernel { return b.kernels[i] }

// FeaturesTo writes the features of images (n × rows·cols, one image per
// row) into dst (n × NumFeatures), resizing dst if it is empty. It panics
// on a shape mismatch.
func (b *Bank) FeaturesTo(dst *mat.Dense, images mat.Matrix) {
	n, d := images.Dims()
	if d != b.rows*b.cols {
		panic(mat.ErrShape)
	}
	if dst.IsEmpty() {
		dst.ReuseAs(n, b.NumFeatures())
	}
	dst.Mul(images, b.op.T())
}

// FeaturesDirectTo computes the same features as FeaturesTo with the
// direct definition (ConvolveTo), image by image. It is slow for large
// kernels and exists to check the fast path.
func (b *Bank) FeaturesDirectTo(dst *mat.Dense, images mat.Matrix) {
	n, d := images.Dims()
	if d != b.rows*b.cols {
		panic(mat.ErrShape)
	}
	if dst.IsEmpty() {
		dst.ReuseAs(n, b.NumFeatures())
	}
	if r, c := dst.Dims(); r != n || c != b.NumFeatures() {
		panic(mat.ErrShape)
	}
	img := make([]float64, d)
	for i := 0; i < n; i++ {
		mat.Row(img, i, images)
		row := dst.RawRowView(i)
		for f, k := range b.kernels {
			ConvolveTo(row[f*d:(f+1)*d], img, b.rows, b.cols, k.Re, k.Rows, k.Cols)
		}
	}
}

// FilterDiff is one filter's largest disagreement between two feature
// matrices (Compare).
type FilterDiff struct {
	Filter int
	Params Params
	// KernelRows, KernelCols are the kernel's shape.
	KernelRows, KernelCols int
	// MaxAbs is max |ours − theirs| over that filter's features; NaN if
	// theirs has a NaN there, +Inf if it has an infinity.
	MaxAbs float64
	// SciPyUnsafe tells whether scipy reads out of bounds for this filter
	// on the bank's image size.
	SciPyUnsafe bool
}

// Compare returns, filter by filter, max |ours − ref| where ours and ref
// are n × NumFeatures feature matrices (e.g. ours from FeaturesTo and ref
// from skimage's gabor on the same images). It is how the report states
// which filters scikit-image gets wrong and by how much.
func (b *Bank) Compare(ours, ref mat.Matrix) []FilterDiff {
	n, d := ours.Dims()
	if rn, rd := ref.Dims(); rn != n || rd != d || d != b.NumFeatures() {
		panic(mat.ErrShape)
	}
	px := b.rows * b.cols
	out := make([]FilterDiff, len(b.filters))
	for f, k := range b.kernels {
		fd := FilterDiff{Filter: f, Params: b.filters[f], KernelRows: k.Rows, KernelCols: k.Cols,
			SciPyUnsafe: SciPyUnsafe(k, b.rows, b.cols)}
		for i := 0; i < n; i++ {
			for j := f * px; j < (f+1)*px; j++ {
				diff := math.Abs(ours.At(i, j) - ref.At(i, j))
				if math.IsNaN(diff) {
					fd.MaxAbs = math.NaN()
				} else if !math.IsNaN(fd.MaxAbs) && diff > fd.MaxAbs {
					fd.MaxAbs = diff
				}
			}
		}
		out[f] = fd
	}
	return out
}

// Summary states in one sentence which filters of diffs exceed tol (NaN
// and infinities count as exceeding) and by how much, e.g. for the report:
// "6 of 16 filters differ by more than 1e-09 (0, 4, 6, 8, 12, 14; up to
// 3e+243); the other 10 agree within 2.1e-14".
func Summary(diffs []FilterDiff, tol float64) string {
	var bad []string
	worstBad, worstGood := 0.0, 0.0
	for _, d := range diffs {
		if d.MaxAbs <= tol {
			worstGood = math.Max(worstGood, d.MaxAbs)
			continue
		}
		bad = append(bad, fmt.Sprint(d.Filter))
		if math.IsNaN(d.MaxAbs) || math.IsNaN(worstBad) {
			worstBad = math.NaN()
		} else {
			worstBad = math.Max(worstBad, d.MaxAbs)
		}
	}
	if len(bad) == 0 {
		return fmt.Sprintf("all %d filters agree within %.2g", len(diffs), worstGood)
	}
	return fmt.Sprintf("%d of %d filters differ by more than %g (%s; up to %.2g); the other %d agree within %.2g",
		len(bad), len(diffs), tol, strings.Join(bad, ", "), worstBad, len(diffs)-len(bad), worstGood)
}
