package nn

import (
	"fmt"
	"math"

	"hw1pipe/numpyrand"
)

// Init selects how a Linear layer's W and B are initialised. The zero
// value is InitUniform, the default.
type Init int

const (
	// InitUniform draws every entry from U[0,1), as the assignment says:
	// np.random.rand(out, in) for W, then np.random.rand(out, 1) for B.
	InitUniform Init = iota
	// InitGaussian is the starter code's "fill with Gaussian entries,
	// normalise to make the Frobenius norm of w, b equal to 1", each
	// separately:
	//
	//	w = np.random.randn(out, in); w /= np.linalg.norm(w)
	//	b = np.random.randn(out, 1);  b /= np.linalg.norm(b)
	//
	// np.linalg.norm is sqrt(x·x) through OpenBLAS ddot, reproduced here in
	// the Haswell kernel's summation order (docs/numerics.md#openblas-ddot).
	InitGaussian
)

// String returns "uniform" or "gaussian".
func (i Init) String() string {
	switch i {
	case InitUniform:
		return "uniform"
	case InitGaussian:
		return "gaussian"
	}
	return fmt.Sprintf("Init(%d)", int(i))
}

// ParseInit is the inverse of String.
func ParseInit(s string) (Init, error) {
	switch s {
	case "uniform":
		return InitUniform, nil
	case "gaussian":
		return InitGaussian, nil
	}
	return 0, fmt.Errorf("nn: unknown init %q (want uniform or gaussian)", s)
}

// Initialize fills l.W (Out×In) and then l.B (Out×1) from rs as init
// describes, so that after rs = numpyrand.New(20) the values are bit
// for bit those of np.random.seed(20) followed by the numpy lines in the
// Init constants. It panics on an unknown init.
func Initialize(l *Linear, init Init, rs *numpyrand.RandomState) {
	switch init {
	case InitUniform:
		rs.Rand(l.W)
		rs.Rand(l.B)
	case InitGaussian:
		rs.Randn(l.W)
		scaleByNorm(l.W)
		rs.Randn(l.B)
		scaleByNorm(l.B)
	default:
		panic(fmt.Sprintf("nn: unknown init %d", int(init)))
	}
}

func scaleByNorm(x []float64) {
	nrm := math.Sqrt(ddot(x, x))
	for i := range x {
		x[i] /= nrm
	}
}

// ddot is OpenBLAS 0.3.21's Haswell ddot (docs/numerics.md#openblas-ddot): 16 FMA lanes
// over the largest multiple of 16 elements, a fixed lane reduction, then
// the tail added one product at a time.
func ddot(x, y []float64) float64 {
	n := len(x)
	n1 := n &^ 15
	var acc [16]float64
	for i := 0; i < n1; i += 16 {
		for l := 0; l < 16; l++ {
			acc[l] = math.FMA(x[i+l], y[i+l], acc[l])
		}
	}
	var q [4][2]float64
	for r := 0; r < 4; r++ {
		q[r][0] = acc[4*r] + acc[4*r+2]
		q[r][1] = acc[4*r+1] + acc[4*r+3]
	}
	l0 := (q[0][0] + q[1][0]) + (q[2][0] + q[3][0])
	l1 := (q[0][1] + q[1][1]) + (q[2][1] + q[3][1])
	dot := l0 + l1
	for i := n1; i < n; i++ {
		dot += y[i] * x[i]
	}
	return dot
}
