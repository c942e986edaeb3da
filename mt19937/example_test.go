package mt19937_test

import (
	"fmt"

	"hw1pipe/mt19937"
)

func ExampleSource_Uint32() {
	s := mt19937.New(20) // the state np.random.seed(20) and torch.manual_seed(20) start from
	fmt.Println(s.Uint32(), s.Uint32())
	// Output: 2526002531 3811404250
}
