package pickle_test

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/big"
	"strings"
	"testing"

	"hw1pipe/artifacts/inspect"
	"hw1pipe/artifacts/pickle"
	"hw1pipe/golden/hostile"
)

// valueGen turns fuzz bytes into a nested value the encoder supports.
type valueGen struct{ b []byte }

func (g *valueGen) byte() byte {
	if len(g.b) == 0 {
		return 0
	}
	c := g.b[0]
	g.b = g.b[1:]
	return c
}

func (g *valueGen) u64() uint64 {
	var buf [8]byte
	for i := range buf {
		buf[i] = g.byte()
	}
	return binary.LittleEndian.Uint64(buf[:])
}

func (g *valueGen) str() string {
	n := int(g.byte() % 40)
	s := make([]byte, 0, n)
	for i := 0; i < n; i++ {
		s = append(s, g.byte())
	}
	return strings.ToValidUTF8(string(s), "\uFFFD")
}

func (g *valueGen) value(depth int) any {
	op := g.byte() % 18
	if depth > 4 && op >= 6 {
		op %= 6
	}
	switch op {
	case 0:
		return nil
	case 1:
		return g.byte()%2 == 1
	case 2:
		return int64(g.u64()) >> (g.byte() % 64)
	case 3:
		return math.Float64frombits(g.u64())
	case 4:
		return g.str()
	case 5:
		return []byte(g.str())
	case 6, 7:
		n := int(g.byte() % 6)
		l := make([]any, n)
		for i := range l {
			l[i] = g.value(depth + 1)
		}
		if op == 7 {
			return pickle.Tuple(l)
		}
		return l
	case 8, 9:
		d := pickle.NewDict()
		for n := int(g.byte() % 5); n > 0; n-- {
			d.Set(g.str(), g.value(depth+1))
		}
		if op == 9 {
			return &pickle.OrderedDict{Dict: *d}
		}
		return d
	case 10:
		n := int(g.byte() % 20)
		raw := make([]byte, n)
		for i := range raw {
			raw[i] = g.byte()
		}
		x := new(big.Int).SetBytes(raw)
		if g.byte()%2 == 1 {
			x.Neg(x)
		}
		return x
	case 11:
		n := int(g.byte() % 7)
		d := make([]float64, n)
		for i := range d {
			d[i] = math.Float64frombits(g.u64())
		}
		return &pickle.Array{Shape: []int{n}, Data: d}
	case 12:
		r, c := int(g.byte()%3), int(g.byte()%3)
		d := make([]int32, r*c)
		for i := range d {
			d[i] = int32(g.u64())
		}
		return &pickle.Array{Shape: []int{r, c}, Data: d}
	case 13:
		n := int(g.byte() % 4)
		d := make([]any, n)
		for i := range d {
			d[i] = g.value(depth + 1)
		}
		return &pickle.Array{Shape: []int{n}, Data: d}
	case 14:
		switch g.byte() % 4 {
		case 0:
			return pickle.Scalar{Value: math.Float64frombits(g.u64())}
		case 1:
			return pickle.Scalar{Value: int64(g.u64())}
		case 2:
			return pickle.Scalar{Value: int32(g.u64())}
		default:
			return pickle.Scalar{Value: g.byte()%2 == 0}
		}
	case 15:
		return &pickle.Object{Class: pickle.Global{Module: "pkg.mod", Name: "K" + string('A'+rune(g.byte()%3))},
			State: pickle.NewDict("x", g.value(depth+1))}
	case 16:
		n := int(g.byte() % 4)
		d := make([]any, n)
		m := make([]bool, n)
		for i := range d {
			d[i] = float64(g.byte())
			m[i] = g.byte()%2 == 0
		}
		return &pickle.MaskedArray{Array: pickle.Array{Shape: []int{n}, Data: d}, Mask: m}
	default:
		return g.str() + g.str()
	}
}

// FuzzRoundTrip encodes random nested values in every protocol and
// decodes them with gopickle: the result must be the value written. The
// seeds (f.Add and testdata/fuzz) run in every `go test`.
func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte{6, 5, 3, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f, 4, 3, 'a', 'b', 'c', 2, 1, 2, 3, 4, 5, 6, 7, 8, 0})
	f.Add([]byte{8, 3, 1, 'k', 11, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24})
	f.Add([]byte{7, 4, 10, 12, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 15, 0, 13, 2, 3, 0, 0, 0, 0, 0, 0, 0xf0, 0x7f})
	f.Add([]byte{9, 2, 2, 'o', 'd', 16, 3, 1, 0, 2, 1, 3, 0, 14, 0, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f})
	f.Add(bytes.Repeat([]byte{6, 5}, 12))
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &valueGen{b: data}
		v := g.value(0)
		want := expect(v)
		for _, proto := range []int{2, 3, 4} {
			var buf bytes.Buffer
			enc := pickle.NewEncoder(&buf)
			enc.SetProtocol(proto)
			enc.SetMemo(proto != 2)
			if err := enc.Encode(v); err != nil {
				t.Fatalf("protocol %d: %v", proto, err)
			}
			got, err := inspect.DecodePickle(&buf)
			if err != nil {
				t.Fatalf("protocol %d: decode: %v", proto, err)
			}
			if !inspect.Equal(got, want) {
				t.Fatalf("protocol %d: got %s, want %s", proto, short(got), short(want))
			}
		}
	})
}

// FuzzDecode feeds arbitrary bytes to the reading side (pickle.Scan, then
// gopickle through inspect.DecodePickle): any input must give a value or
// an error, never a panic, a crash or an allocation the input does not
// justify. Seeds: the hostile corpus (golden/hostile) and valid pickles.
func FuzzDecode(f *testing.F) {
	for _, b := range hostile.Seeds(".pkl") {
		f.Add(b)
	}
	for _, v := range []any{[]float64{1, 2.5, math.Copysign(0, -1)}, pickle.Tuple{nil, true, "s", []byte("b")},
		pickle.NewDict("a", []any{1, big.NewInt(1 << 62)}), &pickle.Array{Shape: []int{2}, Data: []float64{1, 2}}} {
		b, err := pickle.Marshal(v)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		end, err := pickle.Scan(data)
		if err == nil && (end < 1 || end > len(data) || data[end-1] != '.') {
			t.Fatalf("Scan accepted %d bytes ending at %d", len(data), end)
		}
		inspect.DecodePickle(bytes.NewReader(data))
	})
}
