package inspect_test

import (
	"os"

	"hw1pipe/artifacts/inspect"
)

func ExampleDescribe() {
	if err := inspect.Describe(os.Stdout, "../../golden/artifacts/pickle/ordered.pkl"); err != nil {
		panic(err)
	}
	// Output:
	// ../../golden/artifacts/pickle/ordered.pkl: pickle protocol 4, 86 bytes
	// collections.OrderedDict (2 items)
	//   w: float 1
	//   b: list of 2 float [2 3]
}
