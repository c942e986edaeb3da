package gabor_test

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"hw1pipe/gabor"
)

func ExampleNewKernel() {
	// docs/numerics.md#gabor-test-vectors: gabor_kernel(0.25, pi/4, bandwidth=1).
	k, err := gabor.NewKernel(gabor.Params{Frequency: 0.25, Theta: math.Pi / 4, Bandwidth: 1})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d×%d sigma=%.12f K[5,6]=%.12f%+.12fi\n", k.Rows, k.Cols, k.SigmaX, k.Re[5*11+6], k.Im[5*11+6])
	// Output:
	// 11×11 sigma=2.248687501551 K[5,6]=0.012659513475+0.025546754784i
}

func ExampleBank() {
	bank, err := gabor.NewBank(14, 14, gabor.DefaultFilters())
	if err != nil {
		panic(err)
	}
	// Two images, one per row: arange(196)/195 and a bright corner.
	x := mat.NewDense(2, 196, nil)
	for j := 0; j < 196; j++ {
		x.Set(0, j, float64(j)/195)
	}
	x.Set(1, 0, 255)
	var feat mat.Dense
	bank.FeaturesTo(&feat, x)
	r, c := feat.Dims()
	fmt.Println(r, c)
	// Filter 5 is θ=π/2, f=0.05, b=1; its pixel (0,0) is feature 5·196.
	fmt.Printf("%.12f\n", feat.At(0, 5*196))
	for i := 0; i < bank.NumFilters(); i++ {
		if gabor.SciPyUnsafe(bank.Kernel(i), 14, 14) {
			fmt.Print(i, " ")
		}
	}
	fmt.Println()
	// Output:
	// 2 3136
	// -0.120865834785
	// 0 4 6 8 12 14
}
