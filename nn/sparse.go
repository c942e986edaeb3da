package nn

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// CSR holds the nonzero entries of a Rows×Cols matrix row by row
// (compressed sparse rows), each value stored as a one-byte code into a
// table of at most 256 distinct values.
//
// MNIST images are about 81% zero pixels, and a zero contributes exactly
// nothing to h·Wᵀ or to dyᵀ·h, so the training loop works on this form:
// the same sums without the zero terms. Pixels p/255 take only 255
// nonzero values, so an entry needs 3 bytes (column and code) instead of
// the 8 of a float64: a batch of 64 random images is then about 30 KB of
// memory traffic instead of 400 KB, which is what the per-update time
// depends on. Values are reproduced bit for bit.
//
// A CSR is built only by NewCSR and never changes, which is what lets
// the assembly kernels trust its column indices.
type CSR struct {
	rows, cols int
	// ptr has rows+1 entries; row i's entries are col[ptr[i]:ptr[i+1]]
	// (ascending) with values dict[code[p]].
	ptr  []int
	col  []uint16
	code []uint8
	dict [256]float64
}

// ErrNotCompressible is returned by NewCSR for a matrix with more than
// 65,536 columns or more than 256 distinct nonzero values.
var ErrNotCompressible = errors.New("nn: matrix has more than 65536 columns or 256 distinct nonzero values")

// Dims returns the numbers of rows and columns.
func (s *CSR) Dims() (r, c int) { return s.rows, s.cols }

// NNZ returns the number of stored (nonzero) entries.
func (s *CSR) NNZ() int { return len(s.code) }

// denseRow writes row i into dst (len Cols), zeros included.
func (s *CSR) denseRow(i int, dst []float64) {
	clear(dst)
	for p := s.ptr[i]; p < s.ptr[i+1]; p++ {
		dst[s.col[p]] = s.dict[s.code[p]]
	}
}

// mnistIn is the input size of the specialised 784→10 kernels.
const mnistIn = 784

// NewCSR returns the nonzero entries of the n×d matrix x, or
// ErrNotCompressible.
func NewCSR(x *mat.Dense) (*CSR, error) {
	r, c := x.Dims()
	if c > 1<<16 {
		return nil, ErrNotCompressible
	}
	nnz := 0
	for i := 0; i < r; i++ {
		for _, v := range x.RawRowView(i) {
			if v != 0 {
				nnz++
			}
		}
	}
	s := &CSR{rows: r, cols: c, ptr: make([]int, 1, r+1),
		col: make([]uint16, 0, nnz), code: make([]uint8, 0, nnz)}
	// Open addressing on the value's bits; 512 slots for ≤ 256 values.
	var slot [512]struct {
		bits uint64
		code int16 // −1: empty
	}
	for i := range slot {
		slot[i].code = -1
	}
	ndict := 0
	for i := 0; i < r; i++ {
		for k, v := range x.RawRowView(i) {
			if v == 0 {
				continue
			}
			b := math.Float64bits(v)
			h := (b * 0x9E3779B97F4A7C15) >> 55
			for slot[h].code >= 0 && slot[h].bits != b {
				h = (h + 1) & 511
			}
			if slot[h].code < 0 {
				if ndict == 256 {
					return nil, ErrNotCompressible
				}
				slot[h].bits, slot[h].code = b, int16(ndict)
				s.dict[ndict] = v
				ndict++
			}
			s.col = append(s.col, uint16(k))
			s.code = append(s.code, uint8(slot[h].code))
		}
		s.ptr = append(s.ptr, len(s.col))
	}
	return s, nil
}

// ForwardCSR is Forward for the batch made of the given rows of x (n =
// len(rows); rows are not copied, and neither x nor rows may change
// before Backward). It gives the same values as Forward on the dense
// rows up to the order of summation. It panics if x has other than In
// columns or a row is out of range.
func (l *Linear) ForwardCSR(x *CSR, rows []int) []float64 {
	n := len(rows)
	if n == 0 || x.cols != l.In {
		panic(fmt.Sprintf("nn: Linear.ForwardCSR: %d rows of %d columns, want ≥ 1 of %d", n, x.cols, l.In))
	}
	for _, i := range rows {
		if i < 0 || i >= x.rows {
			panic(fmt.Sprintf("nn: Linear.ForwardCSR: row %d out of range [0,%d)", i, x.rows))
		}
	}
	l.x, l.sx, l.rows, l.n = nil, x, rows, n
	l.out = grow(l.out, n*l.Out)
	if useAVX && l.Out <= avxWidth {
		l.forwardAVX()
		return l.out
	}
	in, out := l.In, l.Out
	for r, i := range rows {
		col, code := x.col[x.ptr[i]:x.ptr[i+1]], x.code[x.ptr[i]:x.ptr[i+1]]
		z := l.out[r*out : (r+1)*out]
		if in == mnistIn && out == 10 {
			// Ten accumulators in registers, W read down its columns; the
			// constant stride lets the compiler drop the bounds checks.
			var z0, z1, z2, z3, z4, z5, z6, z7, z8, z9 float64
			for p, k := range col {
				v := x.dict[code[p]]
				w := (*[9*mnistIn + 1]float64)(l.W[k:])
				z0 += v * w[0]
				z1 += v * w[mnistIn]
				z2 += v * w[2*mnistIn]
				z3 += v * w[3*mnistIn]
				z4 += v * w[4*mnistIn]
				z5 += v * w[5*mnistIn]
				z6 += v * w[6*mnistIn]
				z7 += v * w[7*mnistIn]
				z8 += v * w[8*mnistIn]
				z9 += v * w[9*mnistIn]
			}
			z[0], z[1], z[2], z[3], z[4] = z0, z1, z2, z3, z4
			z[5], z[6], z[7], z[8], z[9] = z5, z6, z7, z8, z9
		} else {
			clear(z)
			for p, k := range col {
				v := x.dict[code[p]]
				for j := range z {
					z[j] += v * l.W[j*in+int(k)]
				}
			}
		}
		for j, b := range l.B {
			z[j] += b
		}
	}
	return l.out
}

// backwardCSR accumulates DW += dyᵀ·h over the nonzeros of the last
// ForwardCSR batch, and DB += dyᵀ·1. DW and DB are already zero.
func (l *Linear) backwardCSR(dy []float64) {
	if useAVX && l.Out <= avxWidth {
		l.backwardAVX(dy)
		return
	}
	in, out := l.In, l.Out
	x := l.sx
	for r, i := range l.rows {
		col, code := x.col[x.ptr[i]:x.ptr[i+1]], x.code[x.ptr[i]:x.ptr[i+1]]
		d := dy[r*out : (r+1)*out]
		for j, v := range d {
			l.DB[j] += v
		}
		if in == mnistIn && out == 10 {
			d0, d1, d2, d3, d4 := d[0], d[1], d[2], d[3], d[4]
			d5, d6, d7, d8, d9 := d[5], d[6], d[7], d[8], d[9]
			if d0 == 0 && d1 == 0 && d2 == 0 && d3 == 0 && d4 == 0 &&
				d5 == 0 && d6 == 0 && d7 == 0 && d8 == 0 && d9 == 0 {
				continue
			}
			for p, k := range col {
				v := x.dict[code[p]]
				w := (*[9*mnistIn + 1]float64)(l.DW[k:])
				w[0] += d0 * v
				w[mnistIn] += d1 * v
				w[2*mnistIn] += d2 * v
				w[3*mnistIn] += d3 * v
				w[4*mnistIn] += d4 * v
				w[5*mnistIn] += d5 * v
				w[6*mnistIn] += d6 * v
				w[7*mnistIn] += d7 * v
				w[8*mnistIn] += d8 * v
				w[9*mnistIn] += d9 * v
			}
			continue
		}
		for p, k := range col {
			v := x.dict[code[p]]
			for j, dj := range d {
				l.DW[j*in+int(k)] += dj * v
			}
		}
	}
}

// avxWidth is the number of outputs the assembly kernels handle: three
// 4-wide registers. W is transposed into an In×avxWidth copy, zero-padded.
const avxWidth = 12

// forwardAVX is ForwardCSR's body on CPUs with AVX2 and FMA.
func (l *Linear) forwardAVX() {
	in, out := l.In, l.Out
	if len(l.wt) != in*avxWidth {
		l.wt = make([]float64, in*avxWidth) // the padding stays zero
	}
	for j := 0; j < out; j++ {
		for k, v := range l.W[j*in : (j+1)*in] {
			l.wt[k*avxWidth+j] = v
		}
	}
	x := l.sx
	for r, i := range l.rows {
		p0, p1 := x.ptr[i], x.ptr[i+1]
		if p1 > p0 {
			fwdRowAVX(&x.col[p0], &x.code[p0], p1-p0, &x.dict[0], &l.wt[0], &l.zpad[0])
		} else {
			l.zpad = [avxWidth]float64{}
		}
		z := l.out[r*out : (r+1)*out]
		for j := range z {
			z[j] = l.zpad[j] + l.B[j]
		}
	}
}

// backwardAVX is backwardCSR's body on CPUs with AVX2 and FMA: it
// accumulates into a transposed copy and transposes once at the end.
func (l *Linear) backwardAVX(dy []float64) {
	in, out := l.In, l.Out
	if len(l.dwt) != in*avxWidth {
		l.dwt = make([]float64, in*avxWidth)
	} else {
		clear(l.dwt)
	}
	x := l.sx
	for r, i := range l.rows {
		d := dy[r*out : (r+1)*out]
		nz := false
		for j, v := range d {
			l.DB[j] += v
			l.dpad[j] = v
			nz = nz || v != 0
		}
		if p0, p1 := x.ptr[i], x.ptr[i+1]; nz && p1 > p0 {
			bwdRowAVX(&x.col[p0], &x.code[p0], p1-p0, &x.dict[0], &l.dwt[0], &l.dpad[0])
		}
	}
	for j := 0; j < out; j++ {
		row := l.DW[j*in : (j+1)*in]
		for k := range row {
			row[k] = l.dwt[k*avxWidth+j]
		}
	}
}
