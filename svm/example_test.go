package svm_test

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"hw1pipe/svm"
)

// The ten-point set of docs/numerics.md#svc-prediction; the values equal scikit-learn's.
func ExampleFit() {
	x := mat.NewDense(10, 2, []float64{0, 0, 1, 0, 0, 1, 1, 1, 2, 2, 2, 0, 0, 2, 3, 3, 3, 0, 1, 2})
	y := []int64{2, 0, 1, 0, 2, 1, 1, 2, 0, 1}
	m, err := svm.Fit(x, y, svm.Params{C: 1}) // rbf, gamma='scale'
	if err != nil {
		panic(err)
	}
	fmt.Println("gamma:", m.Gamma)
	fmt.Println("support_:", m.Support, "n_support_:", m.NSupport)
	fmt.Println("intercept_:", m.Intercept)
	fmt.Println("n_iter_:", m.NIter)
	xt := mat.NewDense(3, 2, []float64{0.5, 0.5, 2.5, 1.0, 0.2, 1.8})
	fmt.Println("predict:", m.Predict(xt))
	// Output:
	// gamma: 0.43103448275862055
	// support_: [1 3 8 2 5 9 0 4 7] n_support_: [3 3 3]
	// intercept_: [-0.26608768245205283 0.07371615070468475 0.21401660017727409]
	// n_iter_: [3 11 6]
	// predict: [1 0 1]
}
