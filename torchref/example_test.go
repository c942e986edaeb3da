package torchref_test

import (
	"fmt"

	"hw1pipe/torchref"
)

// ExampleInit prints the start of fc1.weight under torch.manual_seed(20),
// the values Python's nn.Linear(784, 10) has (docs/numerics.md#torch-test-vectors).
func ExampleInit() {
	w, b, err := torchref.Init(20)
	if err != nil {
		panic(err)
	}
	fmt.Println(w[:3], len(w), len(b))
	// Output:
	// [0.0043916833 -0.023043115 0.02247953] 7840 10
}
