package gridsearch

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"go/build"
	"io"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/mat"

	"hw1pipe/svm"
)

// benchGrid runs Problem 1's 12-candidate grid with 5 folds on the first n
// digits of golden/svm/svc_cases.json (n ≤ 300, 64 features).
func benchGrid(b *testing.B, n int) {
	raw, err := os.ReadFile("../golden/svm/svc_cases.json")
	if err != nil {
		b.Skip(err)
	}
	var doc struct {
		Datasets map[string]struct {
			N, D int
			X    []float64
			Y    []int64
		}
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		b.Fatal(err)
	}
	ds := doc.Datasets["digits300"]
	x := mat.NewDense(n, ds.D, ds.X[:n*ds.D])
	grid := Grid{
		C:      []float64{0.1, 1, 10},
		Kernel: []svm.KernelType{svm.Linear, svm.RBF},
		Gamma:  []svm.Gamma{{Mode: svm.GammaScale}, {Mode: svm.GammaAuto}},
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Search(context.Background(), x, ds.Y[:n], grid, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGridSearch300(b *testing.B) { benchGrid(b, 300) }

// BenchmarkGridSearchMNIST2000 runs Problem 1's grid on the first 2,000
// MNIST training digits at 14×14 (raw IDX files from the GoMNIST module,
// or $HW1PIPE_MNIST_DIR); compare with bench/svm_bench.py --mnist DIR 2000
// --grid.
func BenchmarkGridSearchMNIST2000(b *testing.B) {
	benchMNISTGrid(b, 2000, []svm.KernelType{svm.Linear, svm.RBF}, svm.SolverExact)
}

// BenchmarkGridSearchMNIST2000Fast is the same grid with svm.SolverFast
// (p1_grid's default solver).
func BenchmarkGridSearchMNIST2000Fast(b *testing.B) {
	benchMNISTGrid(b, 2000, []svm.KernelType{svm.Linear, svm.RBF}, svm.SolverFast)
}

// BenchmarkGridSearchMNIST8000RBF is the full-size grid without the
// linear kernel, whose raw-pixel fits take libsvm hundreds of millions of
// iterations; compare with bench/svm_bench.py --mnist DIR 8000 --grid
// --fits= --kernels rbf.
func BenchmarkGridSearchMNIST8000RBF(b *testing.B) {
	benchMNISTGrid(b, 8000, []svm.KernelType{svm.RBF}, svm.SolverExact)
}

func benchMNISTGrid(b *testing.B, n int, kernels []svm.KernelType, solver svm.Solver) {
	x, y, err := mnist14(n)
	if err != nil {
		b.Skip(err)
	}
	grid := Grid{
		C:      []float64{0.1, 1, 10},
		Kernel: kernels,
		Gamma:  []svm.Gamma{{Mode: svm.GammaScale}, {Mode: svm.GammaAuto}},
	}
	b.ResetTimer()
	var r *Result
	for i := 0; i < b.N; i++ {
		if r, err = Search(context.Background(), x, y, grid, Options{Base: svm.Params{Solver: solver}}); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("mean_test_score %v", r.MeanTestScore)
	b.ReportMetric(float64(r.BestIndex), "best")
	b.ReportMetric(r.BestScore, "score")
	b.ReportMetric(float64(r.IPMPairs), "ipm_pairs")
}

// mnist14 reads the first n MNIST training images, reduced 28→14 by
// ((a+b)+c+d)·0.25, and their labels.
func mnist14(n int) (*mat.Dense, []int64, error) {
	dir := os.Getenv("HW1PIPE_MNIST_DIR")
	if dir == "" {
		gopath := os.Getenv("GOPATH")
		if gopath == "" {
			gopath = build.Default.GOPATH
		}
		dir = filepath.Join(gopath, "pkg/mod/github.com/petar/!go!m!n!i!s!t@v0.0.0-20150320212226-2fbe10d0fa63/data")
	}
	read := func(name string, size int) ([]byte, error) {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, err
		}
		var hdr [4]byte
		if _, err := io.ReadFull(zr, hdr[:]); err != nil {
			return nil, err
		}
		if _, err := io.CopyN(io.Discard, zr, 4*int64(hdr[3])); err != nil {
			return nil, err
		}
		buf := make([]byte, n*size)
		_, err = io.ReadFull(zr, buf)
		return buf, err
	}
	img, err := read("train-images-idx3-ubyte.gz", 784)
	if err != nil {
		return nil, nil, err
	}
	lab, err := read("train-labels-idx1-ubyte.gz", 1)
	if err != nil {
		return nil, nil, err
	}
	x := mat.NewDense(n, 196, nil)
	y := make([]int64, n)
	for i := range y {
		im := img[i*784:]
		row := x.RawRowView(i)
		for r := 0; r < 14; r++ {
			for c := 0; c < 14; c++ {
				a, b := float64(im[2*r*28+2*c]), float64(im[2*r*28+2*c+1])
				cc, d := float64(im[(2*r+1)*28+2*c]), float64(im[(2*r+1)*28+2*c+1])
				row[r*14+c] = (((a + b) + cc) + d) * 0.25
			}
		}
		y[i] = int64(lab[i])
	}
	return x, y, nil
}
