package pickle_test

import (
	"bytes"
	"encoding/hex"
	"flag"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hw1pipe/artifacts/pickle"
	"hw1pipe/internal/pyref"
)

// goldenDir holds CPython's pickles of the cases below, made by
// golden/artifacts/make_pickle_goldens.py (Python 3.11, numpy 1.24.2).
const goldenDir = "../../golden/artifacts/pickle"

var special = []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1),
	math.Float64frombits(0x7ff8000000000000), 1e-300, 5e-324, 1.7976931348623157e308,
	2.2250738585072014e-308, 0.1, -1.5}

// floats mirrors floats(n) in the Python script.
func floats(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		if i < len(special) {
			out[i] = special[i]
		} else {
			out[i] = float64(i) / 7.0
		}
	}
	return out
}

func bigPow(base, exp int64, neg bool) *big.Int {
	x := new(big.Int).Exp(big.NewInt(base), big.NewInt(exp), nil)
	if neg {
		x.Neg(x)
	}
	return x
}

type goldenCase struct {
	name  string
	proto int
	value any
}

func goldenCases() []goldenCase {
	many := make([]any, 3000)
	for i := range many {
		many[i] = pickle.NewDict("k", i, "v", itoa(i))
	}
	np2d := pickle.NewDict(
		"x", &pickle.Array{Shape: []int{2, 3}, Data: []float64{0, 0.25, 0.5, 0.75, 1, 1.25}},
		"y", &pickle.Array{Shape: []int{1, 3}, Data: []int32{1, -2, 3}},
		"z", &pickle.Array{Shape: []int{3}, Data: []bool{true, false, true}},
		"u", &pickle.Array{Shape: []int{3}, Data: []uint8{0, 7, 255}},
		"i", &pickle.Array{Shape: []int{2}, Data: []int64{-1, 1 << 40}},
		"s", &pickle.Array{Shape: []int{2}, Data: []float32{0.5, 2.5}},
		"o", &pickle.Array{Shape: []int{3}, Data: []any{0.1, 1, "rbf"}},
	)
	npBig := make([]float64, 10000)
	for i := range npBig {
		npBig[i] = float64(i) / 3
	}
	return []goldenCase{
		{"floats_0", 4, floats(0)},
		{"floats_1", 4, floats(1)},
		{"floats_11", 4, floats(11)},
		{"floats_1000", 4, floats(1000)},
		{"floats_2500", 4, floats(2500)},
		{"floats_10000", 4, floats(10000)},
		{"floats_2_p3", 3, []float64{1.5, -2.0}},
		{"ints", 4, []any{0, 1, 127, 128, 255, 256, 65535, 65536, -1, -128, -129, -256,
			1 << 15, int64(1<<31 - 1), int64(1 << 31), int64(-1 << 31), int64(-1<<31 - 1),
			int64(math.MaxInt64), int64(math.MinInt64), bigPow(2, 64, false), bigPow(2, 64, true),
			bigPow(10, 30, false), bigPow(10, 30, true)}},
		{"mixed", 4, pickle.NewDict("a", nil, "b", true, "c", false, "d", "h\u00e9llo \u2603",
			"e", []byte{0, 1}, "f", pickle.Tuple{}, "g", pickle.Tuple{1}, "h", pickle.Tuple{1, 2},
			"i", pickle.Tuple{1, 2, 3}, "j", pickle.Tuple{1, 2, 3, 4}, "k", []any{}, "l", []int{1},
			"m", pickle.NewDict(), "n", pickle.NewDict("a", 1.5), "o", strings.Repeat("x", 300),
			"p", bytes.Repeat([]byte("y"), 300))},
		{"mixed_p2", 2, []any{nil, true, 1, -1, int64(1 << 40), 1.5, "abc", pickle.Tuple{1, "abc"},
			pickle.NewDict("k", []int{2})}},
		{"ordered", 4, pickle.NewOrderedDict("w", 1.0, "b", []float64{2, 3})},
		{"large_str", 4, []any{strings.Repeat("a", 70000), 1.0, bytes.Repeat([]byte("b"), 70000), "tail"}},
		{"many_small", 4, many},
		{"np_f8", 4, &pickle.Array{Shape: []int{2}, Data: []float64{1.5, -2}}},
		{"np_2d", 4, np2d},
		{"np_scalars", 4, []any{pickle.Scalar{Value: 0.25}, pickle.Scalar{Value: int64(7)},
			pickle.Scalar{Value: int32(-3)}, pickle.Scalar{Value: float32(1.5)},
			pickle.Scalar{Value: true}, pickle.Scalar{Value: uint8(200)}}},
		{"np_masked", 4, &pickle.MaskedArray{Array: pickle.Array{Shape: []int{3}, Data: []any{0.1, 1, 10}},
			Mask: []bool{false, false, false}}},
		{"np_big", 4, &pickle.Array{Shape: []int{10000}, Data: npBig}},
	}
}

func itoa(i int) string { return big.NewInt(int64(i)).String() }

func encode(t testing.TB, proto int, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := pickle.NewEncoder(&buf)
	enc.SetProtocol(proto)
	if err := enc.Encode(v); err != nil {
		t.Fatalf("Encode: %v", err)
	}
	return buf.Bytes()
}

func compareBytes(t *testing.T, got, want []byte) {
	t.Helper()
	if bytes.Equal(got, want) {
		return
	}
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	lo := max(0, i-16)
	t.Errorf("bytes differ at offset %d (len got %d, want %d)\n got  ...%s\n want ...%s",
		i, len(got), len(want), hex.EncodeToString(got[lo:min(len(got), i+24)]),
		hex.EncodeToString(want[lo:min(len(want), i+24)]))
}

// TestGoldenCPython compares the encoder's bytes with CPython's committed
// pickles; it needs no Python.
func TestGoldenCPython(t *testing.T) {
	for _, c := range goldenCases() {
		t.Run(c.name, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join(goldenDir, c.name+".pkl"))
			if err != nil {
				t.Fatal(err)
			}
			compareBytes(t, encode(t, c.proto, c.value), want)
		})
	}
}

var livePython = flag.Bool("live", true, "also compare with pickles made now by the reference Python")

// TestLiveCPython regenerates the goldens with the reference interpreter
// and compares again, so a stale golden cannot hide a mismatch.
func TestLiveCPython(t *testing.T) {
	if !*livePython {
		t.Skip("-live=false")
	}
	dir := t.TempDir()
	pyref.RunFile(t, []string{"numpy"}, "../../golden/artifacts/make_pickle_goldens.py", dir)
	for _, c := range goldenCases() {
		t.Run(c.name, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join(dir, c.name+".pkl"))
			if err != nil {
				t.Fatal(err)
			}
			compareBytes(t, encode(t, c.proto, c.value), want)
		})
	}
}
