package imgresize_test

import (
	"fmt"

	"hw1pipe/imgresize"
)

func ExampleLinearFloat64() {
	// A 4×4 image reduced 2× takes the INTER_AREA fast path: 2×2 means.
	src := []float64{
		0, 1, 2, 3,
		4, 5, 6, 7,
		8, 9, 10, 11,
		12, 13, 14, 15,
	}
	dst := make([]float64, 2*2)
	imgresize.LinearFloat64(dst, 2, 2, src, 4, 4)
	fmt.Println(dst)
	// Output: [2.5 4.5 10.5 12.5]
}

func ExampleLinearUint8() {
	src := []uint8{0, 100, 200}
	dst := make([]uint8, 5)
	imgresize.LinearUint8(dst, 5, 1, src, 3, 1)
	fmt.Println(dst)
	// Output: [0 40 100 160 200]
}
