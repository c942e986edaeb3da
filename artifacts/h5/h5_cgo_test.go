//go:build hdf5

package h5_test

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"hw1pipe/artifacts/h5"
	"hw1pipe/artifacts/inspect"
	"hw1pipe/internal/pyref"
)

const goldenH5 = "../../golden/artifacts/h5/linear.h5"

// TestGoldenH5py: the file equals h5py's byte for byte (docs/formats.md#hdf5-attributes).
func TestGoldenH5py(t *testing.T) {
	w, b := goldenWB()
	p := filepath.Join(t.TempDir(), "linear.h5")
	if err := h5.WriteLinear(p, w, 10, 784, b); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(p)
	want, err := os.ReadFile(goldenH5)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("file differs from h5py's (len %d vs %d)", len(got), len(want))
	}
}

// TestLiveH5py regenerates h5py's file now and compares again.
func TestLiveH5py(t *testing.T) {
	dir := t.TempDir()
	ref := filepath.Join(dir, "ref.h5")
	pyref.RunFile(t, []string{"h5py", "numpy"}, "../../golden/artifacts/make_h5_golden.py", ref)
	w, b := goldenWB()
	p := filepath.Join(dir, "linear.h5")
	if err := h5.WriteLinear(p, w, 10, 784, b); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(p)
	want, _ := os.ReadFile(ref)
	if !bytes.Equal(got, want) {
		t.Fatalf("file differs from h5py's (len %d vs %d)", len(got), len(want))
	}
}

func randomWB(seed uint64) (w, b []float64) {
	r := rand.New(rand.NewPCG(seed, 2))
	w = make([]float64, 10*784)
	for i := range w {
		w[i] = r.NormFloat64()
	}
	w[0] = math.Copysign(0, -1)
	w[1] = 5e-324
	b = make([]float64, 10)
	for i := range b {
		b[i] = r.NormFloat64()
	}
	return w, b
}

func TestRoundTrip(t *testing.T) {
	w, b := randomWB(1)
	p := filepath.Join(t.TempDir(), "linear.h5")
	if err := h5.WriteLinear(p, w, 10, 784, b); err != nil {
		t.Fatal(err)
	}
	attrs, err := h5.ReadAttrs(p, "instance", "w", "b")
	if err != nil {
		t.Fatal(err)
	}
	if !inspect.Equal(attrs[0].Shape, []int{10, 784}) || !inspect.Equal(attrs[1].Shape, []int{10, 1}) {
		t.Errorf("shapes %v %v", attrs[0].Shape, attrs[1].Shape)
	}
	if !inspect.Equal(attrs[0].Data, w) || !inspect.Equal(attrs[1].Data, b) {
		t.Error("values differ")
	}
	if _, err := h5.ReadAttrs(p, "instance", "nope"); err == nil {
		t.Error("no error for a missing attribute")
	}
}

func bits64(d []float64) []uint64 {
	out := make([]uint64, len(d))
	for i, x := range d {
		out[i] = math.Float64bits(x)
	}
	return out
}

// TestH5pyReads checks the file with h5py: shapes, dtype, values.
func TestH5pyReads(t *testing.T) {
	pyref.Require(t, "h5py", "numpy")
	w, b := randomWB(2)
	dir := t.TempDir()
	p := filepath.Join(dir, "linear.h5")
	if err := h5.WriteLinear(p, w, 10, 784, b); err != nil {
		t.Fatal(err)
	}
	side := map[string]any{
		"w": map[string]any{"shape": []int{10, 784}, "bits": bits64(w)},
		"b": map[string]any{"shape": []int{10, 1}, "bits": bits64(b)},
	}
	sp := filepath.Join(dir, "side.json")
	js, _ := json.Marshal(side)
	os.WriteFile(sp, js, 0o644)
	out := pyref.RunFile(t, []string{"h5py", "numpy"}, "../../golden/artifacts/check_artifacts.py", "h5", p, sp)
	t.Logf("%s", out)
	if !bytes.HasPrefix(out, []byte("OK")) {
		t.Fatal(string(out))
	}
}
