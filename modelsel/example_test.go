package modelsel_test

import (
	"fmt"

	"hw1pipe/modelsel"
)

func ExampleTrainTestSplitStratified() {
	y := []int64{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2}
	train, test, err := modelsel.TrainTestSplitStratified(y, 0.25, 42)
	fmt.Println(train, test, err)
	// Output: [17 10 8 9 11 12 6 15 19 5 2 0 1 18 13] [4 16 3 14 7] <nil>
}

func ExampleStratifiedKFold() {
	y := []int64{0, 0, 1, 1, 1, 2, 2, 2, 2, 0, 1, 2, 0, 1, 2, 1, 0, 2, 1, 2}
	folds, _ := modelsel.StratifiedKFold(y, 5)
	fmt.Println(folds[0].Test)
	// Output: [0 2 3 5]
}
