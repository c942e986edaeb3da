package torchrand

import (
	"math"

	"hw1pipe/mt19937"
)

// Generator is torch's CPUGeneratorImpl: an MT19937 engine. The zero value
// is not usable; call New.
type Generator struct {
	src mt19937.Source
}

// New returns a generator after torch.manual_seed(seed): the engine is
// seeded with seed mod 2³².
func New(seed uint64) *Generator {
	g := &Generator{}
	g.ManualSeed(seed)
	return g
}

// ManualSeed reseeds like torch.manual_seed / Generator.manual_seed.
func (g *Generator) ManualSeed(seed uint64) {
	g.src.Seed(uint32(seed))
}

// Random returns one 32-bit draw (CPUGeneratorImpl::random).
func (g *Generator) Random() uint32 { return g.src.Uint32() }

// Random64 returns (first u32 << 32) | second u32
// (CPUGeneratorImpl::random64).
func (g *Generator) Random64() uint64 {
	hi := uint64(g.src.Uint32())
	return hi<<32 | uint64(g.src.Uint32())
}

// UniformFloat32 fills dst like a float32 tensor's uniform_(from, to) (and
// torch.rand for [0,1)): one Random per element, low 24 bits, fused
// multiply-add in float32.
func (g *Generator) UniformFloat32(dst []float32, from, to float64) {
	f, t := float32(from), float32(to)
	span := t - f
	for i := range dst {
		x := float32(g.Random()&0xFFFFFF) * (1.0 / (1 << 24))
		dst[i] = fmaf32(x, span, f)
	}
}

// fmaf32 is C's fmaf: x·y+z rounded once to float32. The product of two
// float32s is exact in float64; the sum is computed with TwoSum and, when
// inexact, rounded to odd in float64 so that the final float32 rounding
// cannot double-round (53 ≥ 24+2 bits).
func fmaf32(x, y, z float32) float32 {
	p := float64(float64(x) * float64(y)) // exact: 24+24 bits
	s := p + float64(z)
	// s is exact unless the sum needs more than 53 bits; detect with TwoSum.
	bb := s - p
	e := (p - (s - bb)) + (float64(z) - bb)
	if e == 0 {
		return float32(s)
	}
	// Round s toward the side of the error so that the final float32
	// rounding sees a sticky bit (round-to-odd on the low bit).
	bits := math.Float64bits(s)
	if bits&1 == 0 {
		if (e > 0) == (s > 0) {
			bits++
		} else {
			bits--
		}
	}
	return float32(math.Float64frombits(bits))
}

// UniformFloat64 fills dst like a float64 tensor's uniform_(from, to): one
// Random64 per element, x = (low 53 bits)·2⁻⁵³, then fma(x, to−from, from)
// (the AVX2 build contracts it; a plain x·(to−from)+from matched torch on
// only 1,186 of 2,000 draws of uniform_(−3.3, 5.7)).
func (g *Generator) UniformFloat64(dst []float64, from, to float64) {
	span := to - from
	for i := range dst {
		x := float64(g.Random64()&(1<<53-1)) * (1.0 / (1 << 53))
		dst[i] = math.FMA(x, span, from)
	}
}

// Rand fills dst like torch.rand(len(dst)) (float32).
func (g *Generator) Rand(dst []float32) { g.UniformFloat32(dst, 0, 1) }

// Randperm returns torch.randperm(n) on the CPU: Fisher–Yates from the
// front with z = Random() mod (n−i). It panics if n < 0.
func (g *Generator) Randperm(n int) []int {
	if n < 0 {
		panic("torchrand: Randperm: negative n")
	}
	r := make([]int, n)
	for i := range r {
		r[i] = i
	}
	for i := 0; i < n-1; i++ {
		z := int(g.Random() % uint32(n-i))
		r[i], r[i+z] = r[i+z], r[i]
	}
	return r
}

// LinearInit returns the initial parameters of nn.Linear(in, out) created
// while g is the global generator: w is out×in row-major (PyTorch's
// weight layout) and b has length out. It draws in·out + out values, the
// weight first. It panics if in or out is not positive.
func (g *Generator) LinearInit(in, out int) (w, b []float32) {
	if in <= 0 || out <= 0 {
		panic("torchrand: LinearInit: sizes must be positive")
	}
	// kaiming_uniform_(a=√5): gain = √(2/(1+a²)), std = gain/√fan_in,
	// bound = √3·std, all in Python float.
	gain := math.Sqrt(2.0 / (1 + float64(math.Sqrt(5)*math.Sqrt(5))))
	wb := math.Sqrt(3.0) * (gain / math.Sqrt(float64(in)))
	bb := 1 / math.Sqrt(float64(in))
	w = make([]float32, in*out)
	b = make([]float32, out)
	g.UniformFloat32(w, -wb, wb)
	g.UniformFloat32(b, -bb, bb)
	return w, b
}

// DataLoader describes a torch.utils.data.DataLoader with num_workers=0
// and drop_last=False over a dataset of Len items. Shuffle selects
// RandomSampler (true) or SequentialSampler (false). BatchSize only shapes
// Iterator.Next's batches (0 means torch's default, 1); it does not affect
// the draws.
type DataLoader struct {
	Len       int
	Shuffle   bool
	BatchSize int
}

// Iter advances g exactly as one full `for batch in loader` pass does and
// returns the order in which dataset indices are visited: the iterator
// draws _base_seed (one Random64); a shuffling sampler then draws its seed
// (Random64 mod 2⁶³) and permutes with a fresh generator. The order of a
// sequential loader is 0..Len−1. It panics if Len < 0.
func (d DataLoader) Iter(g *Generator) []int {
	it := d.NewIterator(g)
	it.start()
	return it.order
}

// Iterator mirrors the object iter(loader) returns, for schedules that draw
// from the global generator between creating an iterator and taking its
// first batch (for example a validation pass at update 0).
type Iterator struct {
	g       *Generator
	d       DataLoader
	order   []int
	pos     int
	started bool
}

// NewIterator is iter(loader): it draws _base_seed (one Random64) from g
// now; the sampler's draws happen at the first Next. It panics if
// d.Len < 0.
func (d DataLoader) NewIterator(g *Generator) *Iterator {
	if d.Len < 0 {
		panic("torchrand: DataLoader: negative Len")
	}
	g.Random64() // _base_seed
	return &Iterator{g: g, d: d}
}

func (it *Iterator) start() {
	if it.started {
		return
	}
	it.started = true
	if it.d.Shuffle {
		it.order = RandomSamplerOrder(it.g, it.d.Len)
		return
	}
	it.order = make([]int, it.d.Len)
	for i := range it.order {
		it.order[i] = i
	}
}

// Next returns the dataset indices of the next batch (a slice of the
// epoch's order, valid until the iterator is dropped) and false when the
// epoch is exhausted, like next(it) raising StopIteration. The first call
// runs the sampler, drawing from the generator given to NewIterator.
func (it *Iterator) Next() ([]int, bool) {
	it.start()
	if it.pos >= len(it.order) {
		return nil, false
	}
	bs := it.d.BatchSize
	if bs <= 0 {
		bs = 1
	}
	end := min(it.pos+bs, len(it.order))
	b := it.order[it.pos:end:end]
	it.pos = end
	return b, true
}

// RandomSamplerOrder is RandomSampler.__iter__ without a generator of its
// own: seed = Random64 mod 2⁶³ from g, then New(seed).Randperm(n). Use it
// with one explicit g.Random64() for _base_seed when other draws happen
// between creating an iterator and taking its first batch.
func RandomSamplerOrder(g *Generator, n int) []int {
	seed := g.Random64() & (1<<63 - 1)
	return New(seed).Randperm(n)
}

// DataLoaderOrder returns the index order of each of epochs passes of a
// shuffling DataLoader over n items, starting from g (the global generator
// after model construction), when every training pass is followed by
// valPasses full passes of a non-shuffling (validation) loader. Each
// validation pass costs one Random64. g is left where the last pass left
// it.
func DataLoaderOrder(g *Generator, n, epochs, valPasses int) [][]int {
	train := DataLoader{Len: n, Shuffle: true}
	orders := make([][]int, epochs)
	for e := range orders {
		orders[e] = train.Iter(g)
		for v := 0; v < valPasses; v++ {
			g.Random64()
		}
	}
	return orders
}
