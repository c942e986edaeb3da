package verify_test

import (
	"fmt"

	"hw1pipe/verify"
)

func ExampleDeliverables() {
	for _, d := range verify.Deliverables() {
		if d.Len > 0 {
			fmt.Println(d.Path(), d.Len)
		} else {
			fmt.Println(d.Path())
		}
	}
	// Output:
	// problem1/grid_search_svm.pkl
	// problem3/self_NN_training_loss.pkl 10000
	// problem3/self_NN_training_error.pkl 10000
	// problem3/self_NN_validation_loss.pkl 11
	// problem3/self_NN_validation_error.pkl 11
	// problem3/pytorch_NN_training_loss.pkl 10000
	// problem3/pytorch_NN_training_error.pkl 10000
	// problem3/pytorch_NN_validation_loss.pkl 11
	// problem3/pytorch_NN_validation_error.pkl 11
	// problem3/linear.h5
	// problem3/pytorch_nn_weights.pth
}
