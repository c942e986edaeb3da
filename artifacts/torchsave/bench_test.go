package torchsave_test

import (
	"io"
	"testing"

	"hw1pipe/artifacts/torchsave"
)

func benchWrite(b *testing.B, n int) {
	data := make([]float32, n)
	b.SetBytes(int64(4 * n))
	for i := 0; i < b.N; i++ {
		w := torchsave.NewWriter(io.Discard)
		if err := w.Add("fc1.weight", []int{n}, data); err != nil {
			b.Fatal(err)
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWrite7840(b *testing.B) { benchWrite(b, 7840) }
