package nn_test

import (
	"fmt"

	"hw1pipe/nn"
	"hw1pipe/numpyrand"
)

// A forward and backward pass of the homework's net on a batch of two
// 3-pixel "images". The printed values equal golden/nn/nn_ref.py's
// forward and backward on the same weights and batch.
func ExampleNet() {
	net := nn.NewNet(3, 10)
	// np.random.seed(20); w = rand(10,3); b = rand(10,1)
	nn.Initialize(net.L, nn.InitUniform, numpyrand.New(20))
	// a 2×3 batch, row-major
	x := []float64{
		0, 0.5, 1,
		1, 0, 0,
	}
	loss, errRate := net.Forward(x, []int{3, 7})
	net.Backward()
	fmt.Printf("W[0,0]=%.6f loss=%.4f error=%.1f\n", net.L.W[0], loss, errRate)
	fmt.Printf("dL/db=%.4f\n", net.L.DB)
	// Output:
	// W[0,0]=0.588131 loss=2.3507 error=1.0
	// dL/db=[0.1535 0.1216 0.0729 -0.4469 0.1691 0.0734 0.0760 -0.3944 0.0864 0.0885]
}

// GradCheck compares every layer's backward pass with central finite
// differences on one sample.
func ExampleGradCheck() {
	net := nn.NewNet(784, 10)
	nn.Initialize(net.L, nn.InitUniform, numpyrand.New(20))
	x := make([]float64, 784)
	numpyrand.New(1).Rand(x)
	rep, err := nn.GradCheck(net, x, 4, nn.GradCheckConfig{Seed: 2})
	fmt.Println(len(rep.Entries), "derivatives checked; max error below 1e-6:", rep.MaxAbsErr < 1e-6, err)
	// Output:
	// 270 derivatives checked; max error below 1e-6: true <nil>
}
