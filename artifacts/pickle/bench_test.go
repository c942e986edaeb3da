package pickle_test

import (
	"testing"

	"hw1pipe/artifacts/pickle"
)

func benchFloats(b *testing.B, n int) {
	v := make([]float64, n)
	for i := range v {
		v[i] = float64(i) / 7
	}
	b.SetBytes(int64(9 * n))
	for i := 0; i < b.N; i++ {
		if _, err := pickle.Marshal(v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarshalFloats10000(b *testing.B) { benchFloats(b, 10000) }
