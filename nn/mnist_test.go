package nn_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	mnistsrc "hw1pipe/mnist"
	"hw1pipe/nn"
)

type mnist struct {
	dir        string
	trX, teX   []byte // 60000×784 and 10000×784
	trY8, teY8 []byte
	trY, teY   []int
}

var (
	mnistOnce sync.Once
	mnistData *mnist
	mnistErr  error
)

// mnistDir is $HW1PIPE_MNIST_DIR, or else the data/ folder of the GoMNIST
// module in this machine's module cache (the pipeline's own source), so no
// machine path is written down here.
func mnistDir() string {
	if d := os.Getenv("HW1PIPE_MNIST_DIR"); d != "" {
		return d
	}
	d, err := (&mnistsrc.ModuleSource{Module: mnistsrc.DefaultModule}).Dir(context.Background())
	if err != nil {
		return ""
	}
	return filepath.Join(d, "data")
}

// loadMNIST decodes the four IDX files once; it skips the test when they
// are absent.
func loadMNIST(t testing.TB) *mnist {
	t.Helper()
	mnistOnce.Do(func() {
		m := &mnist{dir: mnistDir()}
		read := func(name string, wantMagic uint32) []byte {
			if mnistErr != nil {
				return nil
			}
			var b []byte
			b, mnistErr = readIDX(filepath.Join(m.dir, name), wantMagic)
			return b
		}
		m.trX = read("train-images-idx3-ubyte.gz", 2051)
		m.trY8 = read("train-labels-idx1-ubyte.gz", 2049)
		m.teX = read("t10k-images-idx3-ubyte.gz", 2051)
		m.teY8 = read("t10k-labels-idx1-ubyte.gz", 2049)
		if mnistErr == nil {
			m.trY, m.teY = ints(m.trY8), ints(m.teY8)
			mnistData = m
		}
	})
	if mnistErr != nil {
		if os.IsNotExist(mnistErr) {
			t.Skipf("MNIST IDX files not found (set HW1PIPE_MNIST_DIR): %v", mnistErr)
		}
		t.Fatal(mnistErr)
	}
	return mnistData
}

func ints(b []byte) []int {
	y := make([]int, len(b))
	for i, v := range b {
		y[i] = int(v)
	}
	return y
}

// readIDX returns the payload of a gzipped IDX file (images: n·rows·cols
// bytes; labels: n bytes) after checking its magic and size.
func readIDX(path string, wantMagic uint32) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(raw) < 8 || binary.BigEndian.Uint32(raw) != wantMagic {
		return nil, fmt.Errorf("%s: not an IDX file with magic %d", path, wantMagic)
	}
	hdr, n := 8, int(binary.BigEndian.Uint32(raw[4:]))
	if wantMagic == 2051 {
		hdr = 16
		n *= int(binary.BigEndian.Uint32(raw[8:]) * binary.BigEndian.Uint32(raw[12:]))
	}
	if len(raw) != hdr+n {
		return nil, fmt.Errorf("%s: %d payload bytes, header says %d", path, len(raw)-hdr, n)
	}
	return bytes.Clone(raw[hdr:]), nil
}

// halfMNIST returns the seeded 30,000/5,000 subsets as Datasets, with the
// original indices.
func halfMNIST(t testing.TB, seed uint32) (train, val nn.Dataset, trIdx, vaIdx []int) {
	t.Helper()
	m := loadMNIST(t)
	trIdx, vaIdx, err := nn.Subsample(m.trY, m.teY, 10, 0.5, seed)
	if err != nil {
		t.Fatal(err)
	}
	if train, err = nn.NewDataset(m.trX, m.trY8, 784, trIdx); err != nil {
		t.Fatal(err)
	}
	if val, err = nn.NewDataset(m.teX, m.teY8, 784, vaIdx); err != nil {
		t.Fatal(err)
	}
	return train, val, trIdx, vaIdx
}
