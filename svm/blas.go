package svm

import "math"

// ddot returns the dot product of x and y with the rounding of OpenBLAS
// 0.3.21's Haswell ddot kernel, the BLAS that scikit-learn's libsvm calls
// (docs/numerics.md#openblas-ddot): the largest multiple of 16 elements is accumulated in 16
// FMA lanes, the lanes are reduced pairwise in a fixed tree, and the tail is
// added with plain multiply-adds. len(y) must be at least len(x). On amd64
// with AVX2 and FMA an assembly kernel does the lanes; it gives the same
// bits as the portable code (TestDdotKernels).
func ddot(x, y []float64) float64 {
	n := len(x)
	y = y[:n]
	n1 := n &^ 15
	dot := ddotBlocks(x[:n1], y[:n1])
	for i := n1; i < n; i++ {
		// The conversion forbids fusing this product into an FMA.
		dot += float64(y[i] * x[i])
	}
	return dot
}

// ddotBlocks16 is the portable lane kernel: len(x) must be a multiple of
// 16 (extra elements are ignored).
func ddotBlocks16(x, y []float64) float64 {
	n1 := len(x) &^ 15
	y = y[:n1]
	var a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15 float64
	for i := 0; i < n1; i += 16 {
		xs := x[i : i+16 : i+16]
		ys := y[i : i+16 : i+16]
		a0 = math.FMA(xs[0], ys[0], a0)
		a1 = math.FMA(xs[1], ys[1], a1)
		a2 = math.FMA(xs[2], ys[2], a2)
		a3 = math.FMA(xs[3], ys[3], a3)
		a4 = math.FMA(xs[4], ys[4], a4)
		a5 = math.FMA(xs[5], ys[5], a5)
		a6 = math.FMA(xs[6], ys[6], a6)
		a7 = math.FMA(xs[7], ys[7], a7)
		a8 = math.FMA(xs[8], ys[8], a8)
		a9 = math.FMA(xs[9], ys[9], a9)
		a10 = math.FMA(xs[10], ys[10], a10)
		a11 = math.FMA(xs[11], ys[11], a11)
		a12 = math.FMA(xs[12], ys[12], a12)
		a13 = math.FMA(xs[13], ys[13], a13)
		a14 = math.FMA(xs[14], ys[14], a14)
		a15 = math.FMA(xs[15], ys[15], a15)
	}
	// Register q_r holds lanes acc[4r..4r+3]; each register is first folded
	// to (lane0+lane2, lane1+lane3).
	q0l, q0h := a0+a2, a1+a3
	q1l, q1h := a4+a6, a5+a7
	q2l, q2h := a8+a10, a9+a11
	q3l, q3h := a12+a14, a13+a15
	lo := (q0l + q1l) + (q2l + q3l)
	hi := (q0h + q1h) + (q2h + q3h)
	return lo + hi
}

// sqdist returns ddot(d, d) for d = x − y, each d_i rounded first: the
// squared distance libsvm's rbf uses at prediction time (docs/numerics.md#svc-prediction),
// without materialising d.
func sqdist(x, y []float64) float64 {
	n := len(x)
	y = y[:n]
	n1 := n &^ 15
	dot := sqdistBlocks(x[:n1], y[:n1])
	for i := n1; i < n; i++ {
		d := x[i] - y[i]
		dot += float64(d * d)
	}
	return dot
}

// sqdistBlocks16 is the portable lane kernel of sqdist.
func sqdistBlocks16(x, y []float64) float64 {
	n1 := len(x) &^ 15
	var d [16]float64
	var acc [16]float64
	for i := 0; i < n1; i += 16 {
		for l := range d {
			d[l] = x[i+l] - y[i+l]
		}
		for l := range acc {
			acc[l] = math.FMA(d[l], d[l], acc[l])
		}
	}
	return reduceLanes(&acc)
}

// reduceLanes folds 16 lane accumulators in OpenBLAS Haswell order.
func reduceLanes(a *[16]float64) float64 {
	lo := ((a[0] + a[2]) + (a[4] + a[6])) + ((a[8] + a[10]) + (a[12] + a[14]))
	hi := ((a[1] + a[3]) + (a[5] + a[7])) + ((a[9] + a[11]) + (a[13] + a[15]))
	return lo + hi
}

// pairwiseSum is numpy's pairwise summation of a contiguous float64 block
// (docs/numerics.md#numpy-sums).
func pairwiseSum(a []float64) float64 {
	n := len(a)
	switch {
	case n < 8:
		s := 0.0
		for _, v := range a {
			s += v
		}
		return s
	case n <= 128:
		r0, r1, r2, r3 := a[0], a[1], a[2], a[3]
		r4, r5, r6, r7 := a[4], a[5], a[6], a[7]
		m := n - n%8
		for i := 8; i < m; i += 8 {
			r0 += a[i]
			r1 += a[i+1]
			r2 += a[i+2]
			r3 += a[i+3]
			r4 += a[i+4]
			r5 += a[i+5]
			r6 += a[i+6]
			r7 += a[i+7]
		}
		s := ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
		for i := m; i < n; i++ {
			s += a[i]
		}
		return s
	default:
		m := (n / 2) &^ 7
		return pairwiseSum(a[:m]) + pairwiseSum(a[m:])
	}
}

// numpyChunk is the element count numpy's whole-array reductions work on
// at a time (its buffer size).
const numpyChunk = 8192

// chunkSummer accumulates a stream of values exactly as numpy's
// whole-array sum does: pairwise within blocks of 8192, blocks added left
// to right starting from 0.
type chunkSummer struct {
	buf   []float64
	total float64
}

func newChunkSummer() *chunkSummer {
	return &chunkSummer{buf: make([]float64, 0, numpyChunk)}
}

func (c *chunkSummer) add(v float64) {
	c.buf = append(c.buf, v)
	if len(c.buf) == numpyChunk {
		c.total += pairwiseSum(c.buf)
		c.buf = c.buf[:0]
	}
}

func (c *chunkSummer) sum() float64 {
	if len(c.buf) > 0 {
		c.total += pairwiseSum(c.buf)
		c.buf = c.buf[:0]
	}
	return c.total
}
