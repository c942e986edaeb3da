package gabor

import (
	"fmt"
	"math"
)

// Params selects one Gabor filter. Zero values of the optional fields mean
// scikit-image's defaults, as documented on each field.
type Params struct {
	// Frequency is the spatial frequency of the harmonic in cycles per
	// pixel. It must be positive and finite; there is no default.
	Frequency float64
	// Theta is the orientation in radians; 0 (the default) puts the
	// harmonic along x (columns).
	Theta float64
	// Bandwidth in octaves sets sigma when SigmaX or SigmaY is 0.
	// 0 means 1, skimage's default (a zero bandwidth is undefined there).
	Bandwidth float64
	// SigmaX and SigmaY are the Gaussian's standard deviations before
	// rotation. 0 means "None" in skimage: derived from Bandwidth and
	// Frequency (SigmaFromBandwidth).
	SigmaX, SigmaY float64
	// NStds is the kernel's half-size in standard deviations. 0 means 3.
	NStds float64
	// Offset is the phase offset of the harmonic in radians; default 0.
	Offset float64
}

// paramError reports an invalid Params field.
type paramError struct {
	Field string
	Value float64
}

func (e *paramError) Error() string {
	return fmt.Sprintf("gabor: invalid %s %v", e.Field, e.Value)
}

// MaxKernelSide bounds each side of a kernel; NewKernel rejects larger ones
// with an error on Frequency so a typo cannot exhaust memory.
const MaxKernelSide = 1 << 14

// SigmaFromBandwidth returns skimage's sigma for bandwidth b (octaves) and
// frequency f:
//
//	σ = (1/π)·√(ln2/2)·(2^b+1)/(2^b−1)/f
//
// evaluated left to right as Python does (_sigma_prefactor). 2^b is
// math.Pow, which may differ from C pow in the last bit for non-integer b.
func SigmaFromBandwidth(b, f float64) float64 {
	p := math.Pow(2, b)
	pi := math.Pi
	return 1.0 / pi * math.Sqrt(math.Ln2/2.0) * (p + 1) / (p - 1) / f
}

// Kernel is a complex Gabor kernel: Re and Im are row-major, Rows × Cols,
// with Rows = 2·Y0+1 and Cols = 2·X0+1; the centre (Y0, X0) is the origin.
type Kernel struct {
	Rows, Cols int
	Y0, X0     int
	// SigmaX, SigmaY are the standard deviations actually used.
	SigmaX, SigmaY float64
	Re, Im         []float64
}

func (p Params) withDefaults() (Params, error) {
	if !(p.Frequency > 0) || math.IsInf(p.Frequency, 0) {
		return p, &paramError{"frequency", p.Frequency}
	}
	if math.IsNaN(p.Theta) || math.IsInf(p.Theta, 0) {
		return p, &paramError{"theta", p.Theta}
	}
	if math.IsNaN(p.Offset) || math.IsInf(p.Offset, 0) {
		return p, &paramError{"offset", p.Offset}
	}
	if p.Bandwidth == 0 {
		p.Bandwidth = 1
	}
	if p.NStds == 0 {
		p.NStds = 3
	}
	if !(p.NStds > 0) || math.IsInf(p.NStds, 0) {
		return p, &paramError{"n_stds", p.NStds}
	}
	if p.SigmaX == 0 || p.SigmaY == 0 {
		if !(p.Bandwidth > 0) || math.IsInf(p.Bandwidth, 0) {
			return p, &paramError{"bandwidth", p.Bandwidth}
		}
		s := SigmaFromBandwidth(p.Bandwidth, p.Frequency)
		if p.SigmaX == 0 {
			p.SigmaX = s
		}
		if p.SigmaY == 0 {
			p.SigmaY = s
		}
	}
	if !(p.SigmaX > 0) || math.IsInf(p.SigmaX, 0) {
		return p, &paramError{"sigma_x", p.SigmaX}
	}
	if !(p.SigmaY > 0) || math.IsInf(p.SigmaY, 0) {
		return p, &paramError{"sigma_y", p.SigmaY}
	}
	return p, nil
}

// NewKernel returns skimage.filters.gabor_kernel(p.Frequency, p.Theta,
// p.Bandwidth, p.SigmaX, p.SigmaY, p.NStds, p.Offset) in complex128:
//
//	x0 = ⌈max(|n·σx·cosθ|, |n·σy·sinθ|, 1)⌉, y0 = ⌈max(|n·σy·cosθ|, |n·σx·sinθ|, 1)⌉
//	rx = x·cosθ + y·sinθ, ry = −x·sinθ + y·cosθ (y rows, x columns)
//	g  = exp(−½(rx²/σx² + ry²/σy²) + i(2π·f·rx + offset)) / (2π·σx·σy)
//
// with the operations ordered as numpy evaluates them (docs/numerics.md#gabor-kernel).
// Go's exp/sin/cos may differ from glibc in the last bit, so values agree
// with skimage to about 1e-16 relative, not bit for bit.
func NewKernel(p Params) (*Kernel, error) {
	p, err := p.withDefaults()
	if err != nil {
		return nil, err
	}
	sx, sy := p.SigmaX, p.SigmaY
	ct, st := math.Cos(p.Theta), math.Sin(p.Theta)
	x0f := math.Ceil(math.Max(math.Max(math.Abs(p.NStds*sx*ct), math.Abs(p.NStds*sy*st)), 1))
	y0f := math.Ceil(math.Max(math.Max(math.Abs(p.NStds*sy*ct), math.Abs(p.NStds*sx*st)), 1))
	if !(2*x0f+1 <= MaxKernelSide && 2*y0f+1 <= MaxKernelSide) {
		return nil, &paramError{"frequency (kernel too large)", p.Frequency}
	}
	x0, y0 := int(x0f), int(y0f)
	rows, cols := 2*y0+1, 2*x0+1
	k := &Kernel{Rows: rows, Cols: cols, Y0: y0, X0: x0, SigmaX: sx, SigmaY: sy,
		Re: make([]float64, rows*cols), Im: make([]float64, rows*cols)}
	pi := math.Pi
	// Python: sigma**2 is C pow(σ, 2), which is correctly rounded and so
	// equals σ·σ.
	sx2, sy2 := sx*sx, sy*sy
	w := 2 * pi * p.Frequency
	norm := 1 / (2 * pi * sx * sy)
	for i := 0; i < rows; i++ {
		y := float64(i - y0)
		for j := 0; j < cols; j++ {
			x := float64(j - x0)
			// float64() forbids FMA contraction, which numpy does not do.
			rx := float64(x*ct) + float64(y*st)
			ry := float64(-x*st) + float64(y*ct)
			a := -0.5 * (float64(rx*rx)/sx2 + float64(ry*ry)/sy2)
			b := float64(w*rx) + p.Offset
			e := math.Exp(a)
			s, c := math.Sincos(b)
			k.Re[i*cols+j] = float64(e*c) * norm
			k.Im[i*cols+j] = float64(e*s) * norm
		}
	}
	return k, nil
}
