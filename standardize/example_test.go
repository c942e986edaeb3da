package standardize_test

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"hw1pipe/standardize"
)

func ExampleScaler() {
	x := mat.NewDense(3, 3, []float64{1, 2, 3, 4, 5, 6, 7, 8, 10})
	var s standardize.Scaler
	s.Fit(x)
	var z mat.Dense
	s.TransformTo(&z, x)
	fmt.Println(s.Mean, s.Scale)
	fmt.Println(z.RawRowView(0))
	// Output:
	// [4 5 6.333333333333333] [2.449489742783178 2.449489742783178 2.8674417556808756]
	// [-1.2247448713915892 -1.2247448713915892 -1.1624763874381927]
}
