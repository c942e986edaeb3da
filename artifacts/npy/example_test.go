package npy_test

import (
	"bytes"
	"fmt"

	"hw1pipe/artifacts/npy"
)

func ExampleWrite() {
	var buf bytes.Buffer
	if err := npy.Write(&buf, []int{2, 3}, []uint8{1, 2, 3, 4, 5, 6}); err != nil {
		fmt.Println(err)
		return
	}
	b := buf.Bytes()
	hlen := int(b[8]) | int(b[9])<<8
	fmt.Printf("%q\n", b[:8])
	fmt.Printf("header %d bytes: %q\n", 10+hlen, bytes.TrimRight(b[10:10+hlen], " \n"))
	fmt.Println("data:", b[10+hlen:])
	// Output:
	// "\x93NUMPY\x01\x00"
	// header 128 bytes: "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3), }"
	// data: [1 2 3 4 5 6]
}

func ExampleRead() {
	var buf bytes.Buffer
	npy.Write(&buf, []int{3}, []float64{0.5, 1.5, 2.5})

	a, err := npy.Read(&buf)
	if err != nil {
		fmt.Println(err)
		return
	}
	x, err := a.Float64s()
	fmt.Println(a.Shape, a.Dtype, x, err)
	_, err = a.Int64s()
	fmt.Println(err)
	// Output:
	// [3] <f8 [0.5 1.5 2.5] <nil>
	// npy: array has dtype <f8, not <i8
}
