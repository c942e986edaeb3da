package numpyrand

import (
	"math"
	"math/bits"

	"hw1pipe/mt19937"
	"hw1pipe/numpyrand/internal/libm"
)

// RandomState is numpy's legacy generator: an MT19937 state plus the cached
// second Gaussian of the polar method. The zero value is not usable; call
// New.
type RandomState struct {
	src       mt19937.Source
	hasGauss  bool
	gaussNext float64
}

// New returns a RandomState seeded like np.random.RandomState(seed).
// ExactGaussian reports whether StandardNormal and Randn are bit-exact
// with numpy everywhere: true when built with cgo, which makes the
// polar method's log glibc's own (see internal/libm).
const ExactGaussian = libm.Exact

func New(seed uint32) *RandomState {
	rs := &RandomState{}
	rs.Seed(seed)
	return rs
}

// Seed reseeds like np.random.seed(seed) and clears the cached Gaussian.
func (rs *RandomState) Seed(seed uint32) {
	rs.src.Seed(seed)
	rs.hasGauss = false
	rs.gaussNext = 0
}

// Uint32 returns the next raw 32-bit output.
func (rs *RandomState) Uint32() uint32 { return rs.src.Uint32() }

// Uint64 returns (first u32 << 32) | second u32 (numpy's next_uint64).
func (rs *RandomState) Uint64() uint64 {
	hi := uint64(rs.src.Uint32())
	return hi<<32 | uint64(rs.src.Uint32())
}

// Float64 returns a double in [0, 1) with 53 random bits (next_double).
func (rs *RandomState) Float64() float64 {
	a := rs.src.Uint32() >> 5
	b := rs.src.Uint32() >> 6
	return (float64(a)*67108864.0 + float64(b)) / 9007199254740992.0
}

// Rand fills dst with Float64 draws in order, like np.random.rand or
// random_sample of len(dst) elements (C order for a multi-dimensional
// shape). It does not touch the cached Gaussian.
func (rs *RandomState) Rand(dst []float64) {
	for i := range dst {
		dst[i] = rs.Float64()
	}
}

// StandardNormal returns one legacy Gaussian (legacy_gauss): the cached
// value if there is one, else a fresh polar-method pair of which one is
// cached.
func (rs *RandomState) StandardNormal() float64 {
	if rs.hasGauss {
		rs.hasGauss = false
		g := rs.gaussNext
		rs.gaussNext = 0
		return g
	}
	var x1, x2, r2 float64
	for {
		x1 = 2*rs.Float64() - 1
		x2 = 2*rs.Float64() - 1
		// float64() forbids fusing into an FMA (Go does so on GOAMD64=v3).
		r2 = float64(x1*x1) + float64(x2*x2)
		if r2 < 1 && r2 != 0 {
			break
		}
	}
	f := math.Sqrt(-2 * libm.Log(r2) / r2)
	rs.gaussNext = f * x1
	rs.hasGauss = true
	return f * x2
}

// Randn fills dst with StandardNormal draws in order, like
// np.random.randn / standard_normal of len(dst) elements.
func (rs *RandomState) Randn(dst []float64) {
	for i := range dst {
		dst[i] = rs.StandardNormal()
	}
}

// Normal returns loc + scale·StandardNormal(), like np.random.normal.
func (rs *RandomState) Normal(loc, scale float64) float64 {
	return loc + float64(scale*rs.StandardNormal())
}

// interval returns a uniform integer in [0, max] by masked rejection on
// the low bits (numpy's random_interval). max = 0 draws nothing.
func (rs *RandomState) interval(max uint64) uint64 {
	if max == 0 {
		return 0
	}
	mask := uint64(1)<<bits.Len64(max) - 1
	if max <= math.MaxUint32 {
		for {
			v := uint64(rs.src.Uint32()) & mask
			if v <= max {
				return v
			}
		}
	}
	for {
		v := rs.Uint64() & mask
		if v <= max {
			return v
		}
	}
}

// RandInt returns a uniform integer in [low, high), like
// np.random.randint(low, high) with the default int64 dtype: rng =
// high−low−1; rng = 0 draws nothing, rng < 2³²−1 uses masked 32-bit
// rejection, rng = 2³²−1 takes one raw u32, larger ranges masked 64-bit
// rejection. It panics if low >= high.
func (rs *RandomState) RandInt(low, high int64) int64 {
	if low >= high {
		panic("numpyrand: RandInt: low >= high")
	}
	rng := uint64(high) - uint64(low) - 1
	var v uint64
	switch {
	case rng == 0:
	case rng < math.MaxUint32:
		mask := uint64(1)<<bits.Len64(rng) - 1
		for {
			v = uint64(rs.src.Uint32()) & mask
			if v <= rng {
				break
			}
		}
	case rng == math.MaxUint32:
		v = uint64(rs.src.Uint32())
	default:
		mask := uint64(1)<<bits.Len64(rng) - 1
		if rng == math.MaxUint64 {
			mask = math.MaxUint64
		}
		for {
			v = rs.Uint64() & mask
			if v <= rng {
				break
			}
		}
	}
	return int64(uint64(low) + v)
}

// RandIntN fills dst with RandInt(low, high) draws, like
// np.random.randint(low, high, size=len(dst)).
func (rs *RandomState) RandIntN(dst []int64, low, high int64) {
	for i := range dst {
		dst[i] = rs.RandInt(low, high)
	}
}

// Shuffle permutes x in place like np.random.shuffle on a 1-D array: for
// i = n−1 down to 1, swap x[i] with x[random_interval(i)].
func (rs *RandomState) Shuffle(x []int) {
	for i := len(x) - 1; i >= 1; i-- {
		j := rs.interval(uint64(i))
		x[i], x[j] = x[j], x[i]
	}
}

// ShuffleSwap permutes n items in place with the same draws as Shuffle,
// calling swap(i, j) for each exchange (like sort.Slice's swap). Use it for
// any container, for example the rows of a matrix.
func (rs *RandomState) ShuffleSwap(n int, swap func(i, j int)) {
	for i := n - 1; i >= 1; i-- {
		j := int(rs.interval(uint64(i)))
		swap(i, j)
	}
}

// ShuffleRows permutes the rows of the n×d row-major array x in place,
// like np.random.shuffle on a 2-D array. It panics if len(x) is not a
// multiple of d.
func (rs *RandomState) ShuffleRows(x []float64, d int) {
	if d <= 0 || len(x)%d != 0 {
		panic("numpyrand: ShuffleRows: length is not a multiple of the row width")
	}
	tmp := make([]float64, d)
	rs.ShuffleSwap(len(x)/d, func(i, j int) {
		if i == j {
			return
		}
		ri, rj := x[i*d:(i+1)*d], x[j*d:(j+1)*d]
		copy(tmp, ri)
		copy(ri, rj)
		copy(rj, tmp)
	})
}

// Permutation returns a shuffled arange(n), like np.random.permutation(n).
// It panics if n < 0.
func (rs *RandomState) Permutation(n int) []int {
	if n < 0 {
		panic("numpyrand: Permutation: negative n")
	}
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	rs.Shuffle(p)
	return p
}

// Choice returns k distinct integers from [0, n), like
// np.random.choice(n, k, replace=False) without p: the whole
// Permutation(n) is drawn and its first k entries are returned. It panics
// if k > n or k < 0.
func (rs *RandomState) Choice(n, k int) []int {
	if k < 0 || k > n {
		panic("numpyrand: Choice: sample larger than population or negative")
	}
	return rs.Permutation(n)[:k:k]
}
