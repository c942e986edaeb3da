package mt19937

// N is the number of 32-bit words of state.
const N = 624

const (
	m         = 397
	matrixA   = 0x9908b0df
	upperMask = 0x80000000
	lowerMask = 0x7fffffff
)

// Source is an MT19937 state: 624 words and a position in them. The zero
// value is the all-zero state, which is degenerate; use New or Seed.
type Source struct {
	mt  [N]uint32
	pos int
}

// New returns a source seeded with s (see Seed).
func New(s uint32) *Source {
	src := &Source{}
	src.Seed(s)
	return src
}

// Seed applies Knuth's integer initialisation (the reference init_genrand):
// mt[0] = s, mt[i] = 1812433253·(mt[i−1] ⊕ (mt[i−1]>>30)) + i mod 2³², and
// sets the position to N so that the first draw regenerates the block.
func (s *Source) Seed(seed uint32) {
	s.mt[0] = seed
	for i := 1; i < N; i++ {
		p := s.mt[i-1]
		s.mt[i] = 1812433253*(p^(p>>30)) + uint32(i)
	}
	s.pos = N
}

func (s *Source) regenerate() {
	mt := &s.mt
	for i := 0; i < N; i++ {
		y := (mt[i] & upperMask) | (mt[(i+1)%N] & lowerMask)
		v := mt[(i+m)%N] ^ (y >> 1)
		if y&1 != 0 {
			v ^= matrixA
		}
		mt[i] = v
	}
	s.pos = 0
}

// Uint32 returns the next tempered 32-bit output.
func (s *Source) Uint32() uint32 {
	if s.pos >= N {
		s.regenerate()
	}
	y := s.mt[s.pos]
	s.pos++
	y ^= y >> 11
	y ^= (y << 7) & 0x9d2c5680
	y ^= (y << 15) & 0xefc60000
	y ^= y >> 18
	return y
}

// State copies the 624 state words into dst (which must have length N)
// and returns the position, as numpy's get_state() reports them.
func (s *Source) State(dst []uint32) int {
	if len(dst) != N {
		panic("mt19937: State needs a slice of length 624")
	}
	copy(dst, s.mt[:])
	return s.pos
}
