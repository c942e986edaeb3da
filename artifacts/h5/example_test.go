package h5_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"

	"hw1pipe/artifacts/h5"
)

// Bad input is rejected before any file is created, in every build.
func ExampleWriteLinear() {
	dir, _ := os.MkdirTemp("", "h5example")
	defer os.RemoveAll(dir)
	w := make([]float64, 10*784)
	b := make([]float64, 10)
	b[3] = math.NaN()
	err := h5.WriteLinear(filepath.Join(dir, "linear.h5"), w, 10, 784, b)
	fmt.Println(err)
	ents, _ := os.ReadDir(dir)
	fmt.Println(len(ents), "files")
	// Output:
	// h5: attribute "b": value NaN at flat index 3
	// 0 files
}
