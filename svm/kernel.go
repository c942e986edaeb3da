package svm

import (
	"fmt"
	"hw1pipe/internal/hugepages"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"

	"hw1pipe/svm/parallel"
)

// KernelType selects the kernel function. The zero value is RBF, scikit-learn's
// default.
type KernelType int

const (
	// RBF is exp(-γ‖a−b‖²).
	RBF KernelType = iota
	// Linear is a·b.
	Linear
	// Poly is (γ a·b + coef0)^degree.
	Poly
	// Sigmoid is tanh(γ a·b + coef0).
	Sigmoid
)

var kernelNames = [...]string{RBF: "rbf", Linear: "linear", Poly: "poly", Sigmoid: "sigmoid"}

// String returns scikit-learn's name of the kernel ("rbf", "linear", ...).
func (k KernelType) String() string {
	if k >= 0 && int(k) < len(kernelNames) {
		return kernelNames[k]
	}
	return "KernelType(" + strconv.Itoa(int(k)) + ")"
}

// ParseKernel maps scikit-learn's kernel names to a KernelType.
func ParseKernel(s string) (KernelType, error) {
	for k, name := range kernelNames {
		if s == name {
			return KernelType(k), nil
		}
	}
	return 0, fmt.Errorf("svm: unknown kernel %q (want rbf, linear, poly or sigmoid)", s)
}

// GammaMode says how γ is chosen. The zero value is GammaScale,
// scikit-learn's default.
type GammaMode int

const (
	// GammaScale is 1/(n_features·X.var()), or 1 when the variance is 0.
	GammaScale GammaMode = iota
	// GammaAuto is 1/n_features.
	GammaAuto
	// GammaValue uses Gamma.Value as given.
	GammaValue
)

// Gamma is the kernel coefficient as scikit-learn's `gamma` parameter gives
// it: 'scale', 'auto' or a number. The zero value is 'scale'.
type Gamma struct {
	Mode  GammaMode
	Value float64 // used only when Mode is GammaValue
}

// String returns "scale", "auto" or the number in Python's repr form.
func (g Gamma) String() string {
	switch g.Mode {
	case GammaScale:
		return "scale"
	case GammaAuto:
		return "auto"
	}
	return strconv.FormatFloat(g.Value, 'g', -1, 64)
}

// ParseGamma accepts "scale", "auto" or a positive number.
func ParseGamma(s string) (Gamma, error) {
	switch strings.TrimSpace(s) {
	case "scale":
		return Gamma{Mode: GammaScale}, nil
	case "auto":
		return Gamma{Mode: GammaAuto}, nil
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || !(v > 0) || math.IsInf(v, 0) {
		return Gamma{}, fmt.Errorf("svm: gamma %q is not 'scale', 'auto' or a positive number", s)
	}
	return Gamma{Mode: GammaValue, Value: v}, nil
}

// resolveGamma returns the γ scikit-learn would use for x restricted to
// rows (docs/numerics.md#before-libsvm step 3): 'scale' uses numpy's chunked pairwise
// variance of X[rows] read in C order.
func resolveGamma(g Gamma, x *mat.Dense, rows []int) float64 {
	_, d := x.Dims()
	switch g.Mode {
	case GammaAuto:
		return 1 / float64(d)
	case GammaValue:
		return g.Value
	}
	v := variance(x, rows)
	if v == 0 {
		return 1
	}
	return 1 / (float64(d) * v)
}

// variance is numpy's X[rows].var() (population form, whole-array chunked
// pairwise sums, docs/numerics.md#numpy-sums).
func variance(x *mat.Dense, rows []int) float64 {
	raw := x.RawMatrix()
	d := raw.Cols
	nElem := float64(len(rows) * d)
	cs := newChunkSummer()
	for _, r := range rows {
		for _, v := range raw.Data[r*raw.Stride : r*raw.Stride+d] {
			cs.add(v)
		}
	}
	mean := cs.sum() / nElem
	cs = newChunkSummer()
	for _, r := range rows {
		for _, v := range raw.Data[r*raw.Stride : r*raw.Stride+d] {
			dv := v - mean
			cs.add(dv * dv)
		}
	}
	return cs.sum() / nElem
}

// Gram holds ddot(x_a, x_b) for every pair of rows of an n×d matrix, computed
// once with libsvm's rounding so that many fits on subsets of those rows
// (cross-validation folds, grid cells) share it. Training kernels are
// functions of these dot products and the squared norms on the diagonal
// (docs/numerics.md#kernel-and-cache), so a fit on rows R reads Gram(R,R) and gets the same
// bits libsvm would compute from X[R].
//
// It takes n² float64s (512 MB for n = 8000). It is read-only after
// NewGram and safe for concurrent use.
type Gram struct {
	n   int
	dot []float64 // n×n row-major, symmetric
}

// NewGram computes the Gram matrix of the rows of x (n×d). It uses every
// processor through parallel.For.
func NewGram(x *mat.Dense) *Gram {
	raw := x.RawMatrix()
	n, d := raw.Rows, raw.Cols
	// 512 MB at n = 8000: in huge pages its first touch costs 256 faults,
	// not 131,072 (internal/hugepages).
	g := &Gram{n: n, dot: hugepages.Make[float64](n * n)}
	parallel.For(n, func(i int) {
		xi := raw.Data[i*raw.Stride : i*raw.Stride+d]
		for j := i; j < n; j++ {
			v := ddot(xi, raw.Data[j*raw.Stride:j*raw.Stride+d])
			g.dot[i*n+j] = v
			g.dot[j*n+i] = v
		}
	})
	return g
}

// N returns the number of rows the Gram matrix was built from.
func (g *Gram) N() int { return g.n }

// At returns ddot(x_i, x_j).
func (g *Gram) At(i, j int) float64 { return g.dot[i*g.n+j] }

// kernel evaluates one kernel with resolved parameters.
type kernel struct {
	typ    KernelType
	gamma  float64
	coef0  float64
	degree int
}

// fromDot is the training-time kernel (docs/numerics.md#kernel-and-cache) given
// dot = ddot(a,b) and the squared norms na = ddot(a,a), nb = ddot(b,b).
func (k *kernel) fromDot(dot, na, nb float64) float64 {
	switch k.typ {
	case Linear:
		return dot
	case Poly:
		return powi(float64(k.gamma*dot)+k.coef0, k.degree)
	case Sigmoid:
		return math.Tanh(float64(k.gamma*dot) + k.coef0)
	}
	return expUnder(-k.gamma * ((na + nb) - 2*dot))
}

// expUnder is math.Exp, returning its exact 0 for arguments below -746
// without computing it: an rbf kernel on far-apart samples (raw pixels
// with gamma='auto') underflows for almost every pair, and Go's amd64
// exp spends its full polynomial on each before flushing it to zero.
// Below -746 the result rounds to +0 in every implementation (the
// smallest denormal is e^-744.4).
func expUnder(x float64) float64 {
	if x < -746 {
		return 0
	}
	return math.Exp(x)
}

// predict is the prediction-time kernel (docs/numerics.md#svc-prediction): rbf works from
// the difference vector, the others from ddot(x, sv).
func (k *kernel) predict(x, sv []float64) float64 {
	if k.typ == RBF {
		return expUnder(-k.gamma * sqdist(x, sv))
	}
	return k.fromDot(ddot(x, sv), 0, 0)
}

// powi is libsvm's binary exponentiation.
func powi(base float64, times int) float64 {
	tmp, ret := base, 1.0
	for t := times; t > 0; t /= 2 {
		if t%2 == 1 {
			ret *= tmp
		}
		tmp *= tmp
	}
	return ret
}
