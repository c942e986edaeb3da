package nn_test

import (
	"context"
	"os"
	"testing"

	"gonum.org/v1/gonum/mat"
	"hw1pipe/nn"
	"hw1pipe/numpyrand"
)

// mnistLike returns n×784 pixels p/255 with p uniform in 0..255, about
// 81% of them zero like MNIST's.
func mnistLike(rs *numpyrand.RandomState, n int) []float64 {
	x := make([]float64, n*784)
	rs.Rand(x)
	for i, u := range x {
		if u < 0.81 {
			x[i] = 0
		} else {
			x[i] = float64(rs.RandInt(1, 256)) / 255
		}
	}
	return x
}

// benchLinear times one forward and BackwardParams of the 784→10 layer on
// an n×784 MNIST-like batch, dense (gonum Gemm and Axpy) or from CSR (the
// path Train takes).
func benchLinear(b *testing.B, n int, sparse bool) {
	rs := numpyrand.New(1)
	x := mnistLike(rs, n)
	dy := make([]float64, n*10)
	rs.Randn(dy)
	l := nn.NewLinear(784, 10)
	nn.Initialize(l, nn.InitUniform, rs)
	csr, err := nn.NewCSR(mat.NewDense(n, 784, x))
	if err != nil {
		b.Fatal(err)
	}
	rows := make([]int, n)
	for i := range rows {
		rows[i] = i
	}
	b.ReportAllocs()
	for b.Loop() {
		if sparse {
			l.ForwardCSR(csr, rows)
		} else {
			l.Forward(x, n)
		}
		l.BackwardParams(dy)
	}
}

func BenchmarkLinearDense1(b *testing.B)  { benchLinear(b, 1, false) }
func BenchmarkLinearDense64(b *testing.B) { benchLinear(b, 64, false) }
func BenchmarkLinearCSR64(b *testing.B)   { benchLinear(b, 64, true) }

// BenchmarkTrainStep times one SGD update as Train does it (batch 64,
// CSR rows, uniform init) and shows it allocates nothing.
func BenchmarkTrainStep(b *testing.B) {
	const n = 640
	rs := numpyrand.New(2)
	x := mat.NewDense(n, 784, mnistLike(rs, n))
	y := make([]int, n)
	for i := range y {
		y[i] = int(rs.RandInt(0, 10))
	}
	ds := nn.Dataset{X: x, Y: y}
	csr, err := nn.NewCSR(x)
	if err != nil {
		b.Fatal(err)
	}
	net := nn.NewNet(784, 10)
	nn.Initialize(net.L, nn.InitUniform, rs)
	perm := rs.Permutation(n)
	ld := nn.NewLoader(ds, 64, func(int) []int { return perm })
	b.ReportAllocs()
	for b.Loop() {
		rows, yb, err := ld.NextRows()
		if err != nil {
			b.Fatal(err)
		}
		net.ForwardCSR(csr, rows, yb)
		net.Backward()
		net.L.Step(0.1)
	}
}

// BenchmarkTrain is the full Problem 3 run: 10,000 updates of batch 64 on
// the 30,000 training images plus 11 passes over the 5,000 validation
// images (bench/nn_bench.py times numpy on the same work).
func BenchmarkTrain(b *testing.B) {
	train, val, _, _ := halfMNIST(b, 20)
	var res *nn.Result
	for b.Loop() {
		var err error
		if res, err = nn.Train(context.Background(), train, val, nn.DefaultConfig()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(mean(res.TrainErr[len(res.TrainErr)-1000:]), "train-err-last1000")
	b.ReportMetric(res.ValErr[len(res.ValErr)-1], "val-err-final")
}

func mean(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// TestFullRunReport prints the numbers of a default 10,000-update run and
// the diagnostics behind them. It is too slow for `go test`; run it with
// HW1PIPE_NN_FULL=1 go test -run FullRunReport -v ./nn/.
func TestFullRunReport(t *testing.T) {
	if os.Getenv("HW1PIPE_NN_FULL") == "" {
		t.Skip("set HW1PIPE_NN_FULL=1 to run the full training")
	}
	train, val, _, _ := halfMNIST(t, 20)
	for _, init := range []nn.Init{nn.InitUniform, nn.InitGaussian} {
		cfg := nn.DefaultConfig()
		cfg.Init = init
		res, err := nn.Train(context.Background(), train, val, cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("init %v: train loss/err mean over last 1000 updates %.4f / %.4f", init,
			mean(res.TrainLoss[9000:]), mean(res.TrainErr[9000:]))
		t.Logf("  first 5 train losses %.4g", res.TrainLoss[:5])
		t.Logf("  validation loss %.4f", res.ValLoss)
		t.Logf("  validation err  %.4f", res.ValErr)
		for _, w := range []struct {
			name string
			w, b []float64
		}{{"initial", res.W0, res.B0}, {"final", res.W, res.B}} {
			for _, ds := range []struct {
				name string
				d    nn.Dataset
			}{{"train", train}, {"val", val}} {
				dg := nn.Diagnose(w.w, w.b, ds.d)
				t.Logf("  %s weights on %s: logits mean %.2f std %.2f [%.2f, %.2f], mean max prob %.3f, dead %.3f, dead units %v, loss %.4f err %.4f",
					w.name, ds.name, dg.LogitMean, dg.LogitStd, dg.LogitMin, dg.LogitMax, dg.MeanMaxProb, dg.DeadFraction, dg.DeadUnits, dg.Loss, dg.Err)
			}
		}
	}
}

// BenchmarkNewCSR converts 30,000 MNIST-like images, as Train does once.
func BenchmarkNewCSR(b *testing.B) {
	x := mat.NewDense(30000, 784, mnistLike(numpyrand.New(3), 30000))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := nn.NewCSR(x); err != nil {
			b.Fatal(err)
		}
	}
}
