package pca_test

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"hw1pipe/pca"
)

func ExamplePCA() {
	// docs/numerics.md#pca.
	x := mat.NewDense(5, 3, []float64{2, 0, 1, 1, 3, 2, 0, 1, 4, 4, 2, 0, 3, 5, 3})
	var p pca.PCA
	if !p.Fit(x, 2) {
		panic("svd failed")
	}
	var y mat.Dense
	p.TransformTo(&y, x)
	fmt.Printf("%.10f\n", mat.Formatted(p.Components))
	fmt.Printf("%.10f\n", y.RawRowView(0))
	// Output:
	// ⎡-0.7039688308  -0.5640374850   0.4316127904⎤
	// ⎣-0.2206896849   0.7513430273   0.6219161666⎦
	// [0.8092696766 -2.2748708267]
}
