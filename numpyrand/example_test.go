package numpyrand_test

import (
	"fmt"

	"hw1pipe/numpyrand"
)

func ExampleRandomState_Permutation() {
	rs := numpyrand.New(42) // np.random.RandomState(42)
	fmt.Println(rs.Permutation(10))
	// Output: [8 1 5 0 7 2 9 4 3 6]
}

func ExampleRandomState_Randn() {
	rs := numpyrand.New(20) // np.random.seed(20)
	x := make([]float64, 3)
	rs.Randn(x)
	fmt.Println(x)
	// Output: [0.8838931126173458 0.1958650220376449 0.3575365158852867]
}
