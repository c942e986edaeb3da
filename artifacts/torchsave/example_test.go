package torchsave_test

import (
	"archive/zip"
	"bytes"
	"fmt"

	"hw1pipe/artifacts/torchsave"
)

func ExampleWriter() {
	var buf bytes.Buffer
	w := torchsave.NewWriter(&buf)
	w.SetPrefix("pytorch_nn_weights")
	w.Add("fc1.weight", []int{2, 2}, []float32{1, 2, 3, 4})
	w.Add("fc1.bias", []int{2}, []float32{0.5, -0.5})
	if err := w.Close(); err != nil {
		panic(err)
	}
	zr, _ := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	for _, f := range zr.File {
		off, _ := f.DataOffset()
		fmt.Println(f.Name, off%64, f.UncompressedSize64)
	}
	// Output:
	// pytorch_nn_weights/data.pkl 0 317
	// pytorch_nn_weights/data/0 0 16
	// pytorch_nn_weights/data/1 0 8
	// pytorch_nn_weights/version 0 2
}
