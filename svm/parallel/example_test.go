package parallel_test

import (
	"fmt"

	"hw1pipe/svm/parallel"
)

func ExampleFor() {
	squares := make([]int, 5)
	// Each call writes only its own slot, so the result is deterministic.
	parallel.For(len(squares), func(i int) { squares[i] = i * i })
	fmt.Println(squares)
	// Output: [0 1 4 9 16]
}
