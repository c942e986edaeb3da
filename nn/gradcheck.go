package nn

import (
	"fmt"
	"math"

	"hw1pipe/numpyrand"
)

// GradCheckConfig sets up GradCheck. A zero field means its default.
type GradCheckConfig struct {
	// Entries is how many random entries of each parameter or input are
	// checked per output index (all of them when there are no more than
	// Entries). Default 10.
	Entries int
	// Outputs is how many distinct output indices k of the linear and
	// ReLU layers are checked. Default 5.
	Outputs int
	// Sigma is the standard deviation of the Gaussian perturbation ε of a
	// single entry. Default 1e-4: the linear and ReLU layers are exact
	// under finite differences away from ReLU's kink, and the loss's
	// truncation error is about ε²/6 ≈ 2e-9, while rounding stays near
	// 1e-14/|ε| for scores of order 100.
	Sigma float64
	// Tol is the largest acceptable absolute error. Default 1e-6.
	Tol float64
	// Seed seeds the numpy stream that picks the output indices, the
	// entries and the perturbations. The zero value is seed 0.
	Seed uint32
}

// GradEntry is one checked derivative.
type GradEntry struct {
	// Layer is "linear", "relu", "loss" (softmax cross-entropy) or "net"
	// (the loss of the whole net against its parameters).
	Layer string
	// Param is "W", "b" or "h" (the layer's input).
	Param string
	// Index is the flat row-major index of the entry in Param.
	Index int
	// K is the output index whose derivative is checked, or −1 when the
	// checked function is the scalar loss.
	K int
	// Eps is the perturbation; Analytic comes from Backward, Numeric is
	// (f(θ+ε) − f(θ−ε)) / ((θ+ε) − (θ−ε)), AbsErr = |Analytic − Numeric|.
	Eps, Analytic, Numeric, AbsErr float64
}

// GradReport lists every checked derivative and the largest error.
type GradReport struct {
	Entries   []GradEntry
	MaxAbsErr float64
}

// GradCheckError reports the worst entry of a failed check.
type GradCheckError struct {
	Entry GradEntry
	Tol   float64
}

func (e *GradCheckError) Error() string {
	g := e.Entry
	return fmt.Sprintf("nn: gradient check failed: %s %s[%d] k=%d: analytic %g, numeric %g, |error| %g > %g",
		g.Layer, g.Param, g.Index, g.K, g.Analytic, g.Numeric, g.AbsErr, e.Tol)
}

// GradCheck checks every layer's Backward against central finite
// differences on one sample x (1×d) with label y, with the net's current
// weights, as the homework asks:
//
//   - linear: for Outputs random k, ∂z_k/∂W, ∂z_k/∂b and ∂z_k/∂h (h = x)
//     from Backward(e_k), where z = h·Wᵀ + bᵀ;
//   - relu: for Outputs random k, ∂relu(h)_k/∂h at h = z;
//   - loss: ∂ℓ/∂h at h = relu(z);
//   - net: ∂ℓ/∂W and ∂ℓ/∂b through the whole net (Net.Backward).
//
// Each checked entry gets its own perturbation ε = Sigma·g, g ~ N(0,1).
// The net's weights are restored afterwards; its gradients are not. It
// returns the report, and a *GradCheckError when MaxAbsErr > Tol.
func GradCheck(nt *Net, x []float64, y int, cfg GradCheckConfig) (*GradReport, error) {
	if cfg.Entries == 0 {
		cfg.Entries = 10
	}
	if cfg.Outputs == 0 {
		cfg.Outputs = 5
	}
	if cfg.Sigma == 0 {
		cfg.Sigma = 1e-4
	}
	if cfg.Tol == 0 {
		cfg.Tol = 1e-6
	}
	l := nt.L
	if len(x) != l.In {
		panic(fmt.Sprintf("nn: GradCheck: len(x)=%d, want %d", len(x), l.In))
	}
	rs := numpyrand.New(cfg.Seed)
	rep := &GradReport{}
	pick := func(n int) []int {
		if n <= cfg.Entries {
			idx := make([]int, n)
			for i := range idx {
				idx[i] = i
			}
			return idx
		}
		return rs.Choice(n, cfg.Entries)
	}
	// check perturbs p[i] by ±ε, evaluates f at both points and records
	// the central difference against analytic.
	check := func(layer, param string, k int, p []float64, i int, analytic float64, f func() float64) {
		eps := cfg.Sigma * rs.StandardNormal()
		old := p[i]
		p[i] = old + eps
		hi := p[i]
		fp := f()
		p[i] = old - eps
		lo := p[i]
		fm := f()
		p[i] = old
		num := (fp - fm) / (hi - lo)
		e := GradEntry{Layer: layer, Param: param, Index: i, K: k, Eps: eps,
			Analytic: analytic, Numeric: num, AbsErr: math.Abs(analytic - num)}
		rep.Entries = append(rep.Entries, e)
		if !(e.AbsErr <= rep.MaxAbsErr) {
			rep.MaxAbsErr = e.AbsErr
		}
	}

	// Linear layer, f = z_k.
	h := append([]float64(nil), x...)
	z := append([]float64(nil), l.Forward(h, 1)...)
	dy := make([]float64, l.Out)
	for _, k := range rs.Choice(l.Out, min(cfg.Outputs, l.Out)) {
		clear(dy)
		dy[k] = 1
		l.Forward(h, 1)
		dh := append([]float64(nil), l.Backward(dy)...)
		dw := append([]float64(nil), l.DW...)
		db := append([]float64(nil), l.DB...)
		zk := func() float64 { return l.Forward(h, 1)[k] }
		for _, i := range pick(len(l.W)) {
			check("linear", "W", k, l.W, i, dw[i], zk)
		}
		for _, i := range pick(len(l.B)) {
			check("linear", "b", k, l.B, i, db[i], zk)
		}
		for _, i := range pick(len(h)) {
			check("linear", "h", k, h, i, dh[i], zk)
		}
	}

	// ReLU, f = relu(h)_k at h = z.
	var r ReLU
	hr := append([]float64(nil), z...)
	for _, k := range rs.Choice(len(hr), min(cfg.Outputs, len(hr))) {
		clear(dy)
		dy[k] = 1
		r.Forward(hr)
		dh := append([]float64(nil), r.Backward(dy)...)
		for _, i := range pick(len(hr)) {
			check("relu", "h", k, hr, i, dh[i], func() float64 { return r.Forward(hr)[k] })
		}
	}

	// Softmax cross-entropy, f = loss at h = relu(z).
	s := NewSoftmaxCrossEntropy(l.Out)
	hs := append([]float64(nil), r.Forward(z)...)
	lab := []int{y}
	s.Forward(hs, lab)
	dh := append([]float64(nil), s.Backward()...)
	lossAt := func() float64 { ls, _ := s.Forward(hs, lab); return ls }
	for _, i := range pick(len(hs)) {
		check("loss", "h", -1, hs, i, dh[i], lossAt)
	}

	// Whole net, f = loss, against W and b.
	nt.Forward(x, lab)
	nt.Backward()
	dw := append([]float64(nil), l.DW...)
	db := append([]float64(nil), l.DB...)
	netLoss := func() float64 { ls, _ := nt.Forward(x, lab); return ls }
	for range cfg.Outputs {
		for _, i := range pick(len(l.W)) {
			check("net", "W", -1, l.W, i, dw[i], netLoss)
		}
	}
	for _, i := range pick(len(l.B)) {
		check("net", "b", -1, l.B, i, db[i], netLoss)
	}

	if rep.MaxAbsErr > cfg.Tol || math.IsNaN(rep.MaxAbsErr) {
		worst := rep.Entries[0]
		for _, e := range rep.Entries {
			if !(e.AbsErr <= worst.AbsErr) {
				worst = e
			}
		}
		return rep, &GradCheckError{Entry: worst, Tol: cfg.Tol}
	}
	return rep, nil
}
