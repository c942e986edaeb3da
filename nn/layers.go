package nn

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// Linear is the affine layer linear_t of the homework: for a batch h of n
// rows it computes h·Wᵀ + 1·bᵀ.
//
// Shapes: W is Out×In (row-major, so W[j*In+k] is the weight from input k
// to output j), B is the Out×1 column stored as Out values. DW and DB have
// the shapes of W and B. The zero value is unusable; create layers with
// NewLinear.
type Linear struct {
	In, Out int
	W, B    []float64
	DW, DB  []float64

	x    []float64 // input of the last Forward (not copied)
	sx   *CSR      // or the sparse input of the last ForwardCSR
	rows []int     // and its batch rows
	n    int       // batch size of the last Forward
	out  []float64 // n×Out, grown on demand
	dx   []float64 // n×In, grown on demand

	// for the AVX kernels (sparse.go)
	wt, dwt    []float64 // In×avxWidth transposes of W and DW
	zpad, dpad [avxWidth]float64
}

// NewLinear returns an in→out layer with zero weights and gradients.
// It panics if in or out is not positive.
func NewLinear(in, out int) *Linear {
	if in <= 0 || out <= 0 {
		panic(fmt.Sprintf("nn: bad Linear size %d→%d", in, out))
	}
	return &Linear{
		In: in, Out: out,
		W: make([]float64, out*in), B: make([]float64, out),
		DW: make([]float64, out*in), DB: make([]float64, out),
	}
}

// Forward returns h·Wᵀ + 1·bᵀ for the n×In batch h as an n×Out slice owned
// by the layer, valid until the next Forward. The layer keeps a reference
// to h (no copy) for Backward, so h must not change in between. It panics
// if len(h) != n·In.
func (l *Linear) Forward(h []float64, n int) []float64 {
	if n <= 0 || len(h) != n*l.In {
		panic(fmt.Sprintf("nn: Linear.Forward: len(h)=%d, want %d×%d", len(h), n, l.In))
	}
	l.x, l.sx, l.rows, l.n = h, nil, nil, n
	l.out = grow(l.out, n*l.Out)
	out := l.out
	for i := 0; i < n; i++ {
		copy(out[i*l.Out:(i+1)*l.Out], l.B)
	}
	// For 64×784 by 784×10 gonum's serial kernel beat hand-written dense
	// loops; batches up to 192 rows never reach its parallel path.
	blas64.Gemm(blas.NoTrans, blas.Trans, 1,
		blas64.General{Rows: n, Cols: l.In, Stride: l.In, Data: h},
		blas64.General{Rows: l.Out, Cols: l.In, Stride: l.In, Data: l.W}, 1,
		blas64.General{Rows: n, Cols: l.Out, Stride: l.Out, Data: out})
	return out
}

// BackwardParams sets DW = dyᵀ·h and DB = dyᵀ·1 for the n×Out upstream
// gradient dy of the last Forward or ForwardCSR, overwriting (not
// accumulating) them. It skips the input gradient, which the first layer
// of a net never needs. It panics before any forward or on a wrong shape.
func (l *Linear) BackwardParams(dy []float64) {
	if (l.x == nil && l.sx == nil) || len(dy) != l.n*l.Out {
		panic(fmt.Sprintf("nn: Linear.Backward: len(dy)=%d, want %d×%d after a Forward", len(dy), l.n, l.Out))
	}
	clear(l.DW)
	clear(l.DB)
	if l.sx != nil {
		l.backwardCSR(dy)
		return
	}
	for i := 0; i < l.n; i++ {
		xi := blas64.Vector{N: l.In, Inc: 1, Data: l.x[i*l.In : (i+1)*l.In]}
		for j := 0; j < l.Out; j++ {
			a := dy[i*l.Out+j]
			l.DB[j] += a
			// Dead ReLU units give exact zeros; skipping them changes no bit.
			if a == 0 {
				continue
			}
			// Axpy rows instead of a Gemm: gonum's Gemm goes parallel
			// (and allocates) for a 10×784 result.
			blas64.Axpy(a, xi, blas64.Vector{N: l.In, Inc: 1, Data: l.DW[j*l.In : (j+1)*l.In]})
		}
	}
}

// Backward is BackwardParams followed by the input gradient: it returns
// dh = dy·W as an n×In slice owned by the layer, valid until the next
// Backward.
func (l *Linear) Backward(dy []float64) []float64 {
	l.BackwardParams(dy)
	l.dx = grow(l.dx, l.n*l.In)
	clear(l.dx)
	for i := 0; i < l.n; i++ {
		dxi := blas64.Vector{N: l.In, Inc: 1, Data: l.dx[i*l.In : (i+1)*l.In]}
		for j := 0; j < l.Out; j++ {
			if a := dy[i*l.Out+j]; a != 0 {
				blas64.Axpy(a, blas64.Vector{N: l.In, Inc: 1, Data: l.W[j*l.In : (j+1)*l.In]}, dxi)
			}
		}
	}
	return l.dx
}

// ZeroGrad sets DW and DB to zero.
func (l *Linear) ZeroGrad() {
	clear(l.DW)
	clear(l.DB)
}

// Step does one SGD update W -= lr·DW, B -= lr·DB.
func (l *Linear) Step(lr float64) {
	for k, g := range l.DW {
		l.W[k] -= lr * g
	}
	for j, g := range l.DB {
		l.B[j] -= lr * g
	}
}

// ReLU is relu_t: elementwise max(0, h). The zero value is ready to use.
type ReLU struct {
	x   []float64 // input of the last Forward (not copied)
	out []float64
	dx  []float64
}

// Forward returns max(0, h) elementwise in a slice owned by the layer,
// valid until the next Forward. h may have any shape; the layer keeps a
// reference to it for Backward.
func (r *ReLU) Forward(h []float64) []float64 {
	r.x = h
	r.out = grow(r.out, len(h))
	for i, v := range h {
		if v > 0 {
			r.out[i] = v
		} else {
			r.out[i] = 0
		}
	}
	return r.out
}

// Backward returns dy·1[h > 0] (the derivative at 0 taken as 0, as numpy's
// (h > 0) mask and torch do) in a slice owned by the layer. It panics if
// dy does not have the shape of the last input.
func (r *ReLU) Backward(dy []float64) []float64 {
	if len(dy) != len(r.x) {
		panic(fmt.Sprintf("nn: ReLU.Backward: len(dy)=%d, want %d", len(dy), len(r.x)))
	}
	r.dx = grow(r.dx, len(dy))
	for i, v := range r.x {
		if v > 0 {
			r.dx[i] = dy[i]
		} else {
			r.dx[i] = 0
		}
	}
	return r.dx
}

// SoftmaxCrossEntropy is softmax_cross_entropy_t: the mean negative
// log-likelihood of the labels under softmax(z), and the error rate.
// The zero value is unusable; create it with NewSoftmaxCrossEntropy.
type SoftmaxCrossEntropy struct {
	Classes int

	p      []float64 // softmax of the last Forward, n×Classes
	labels []int
	dz     []float64
}

// NewSoftmaxCrossEntropy returns the loss layer for the given number of
// classes. It panics if classes < 1.
func NewSoftmaxCrossEntropy(classes int) *SoftmaxCrossEntropy {
	if classes < 1 {
		panic("nn: SoftmaxCrossEntropy needs at least one class")
	}
	return &SoftmaxCrossEntropy{Classes: classes}
}

// Forward takes the n×Classes scores z and n labels and returns
//
//	loss = (1/n) Σ_i (logsumexp(z_i) − z_{i,y_i})
//	err  = (1/n) #{i : argmax_j z_ij ≠ y_i}
//
// logsumexp subtracts the row maximum first, so large scores (hundreds,
// as the uniform initialisation gives) neither overflow nor lose the
// label's term. argmax takes the first maximum, as numpy does. It keeps
// the softmax and a reference to labels for Backward. It panics if the
// shapes disagree or a label is out of range.
func (s *SoftmaxCrossEntropy) Forward(z []float64, labels []int) (loss, err float64) {
	c, n := s.Classes, len(labels)
	if n == 0 || len(z) != n*c {
		panic(fmt.Sprintf("nn: SoftmaxCrossEntropy.Forward: len(z)=%d, want %d×%d", len(z), n, c))
	}
	s.labels = labels
	s.p = grow(s.p, n*c)
	var sumLoss float64
	wrong := 0
	for i := 0; i < n; i++ {
		zi, pi := z[i*c:(i+1)*c], s.p[i*c:(i+1)*c]
		y := labels[i]
		if y < 0 || y >= c {
			panic(fmt.Sprintf("nn: label %d out of range [0,%d)", y, c))
		}
		am := 0
		for j := 1; j < c; j++ {
			if zi[j] > zi[am] {
				am = j
			}
		}
		if am != y {
			wrong++
		}
		m := zi[am]
		var sum float64
		for j, v := range zi {
			e := math.Exp(v - m)
			pi[j] = e
			sum += e
		}
		for j := range pi {
			pi[j] /= sum
		}
		sumLoss += math.Log(sum) - (zi[y] - m)
	}
	return sumLoss / float64(n), float64(wrong) / float64(n)
}

// Backward returns ∂loss/∂z = (softmax(z) − onehot(y))/n for the last
// Forward, as an n×Classes slice owned by the layer.
func (s *SoftmaxCrossEntropy) Backward() []float64 {
	c, n := s.Classes, len(s.labels)
	if n == 0 {
		panic("nn: SoftmaxCrossEntropy.Backward before Forward")
	}
	s.dz = grow(s.dz, n*c)
	nf := float64(n)
	for i := 0; i < n; i++ {
		for j := 0; j < c; j++ {
			v := s.p[i*c+j]
			if j == s.labels[i] {
				v--
			}
			s.dz[i*c+j] = v / nf
		}
	}
	return s.dz
}

// grow returns b resliced to n, reallocating only when its capacity is
// too small, so steady-state training allocates nothing.
func grow(b []float64, n int) []float64 {
	if cap(b) < n {
		return make([]float64, n)
	}
	return b[:n]
}
