package h5_test

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hw1pipe/artifacts/h5"
)

// goldenWB mirrors make_h5_golden.py.
func goldenWB() (w, b []float64) {
	w = make([]float64, 10*784)
	for k := range w {
		w[k] = float64(k%97-48) / 64
	}
	b = make([]float64, 10)
	for i := range b {
		b[i] = 0.5*float64(i) - 2
	}
	return w, b
}

// TestBadInput holds in both builds: validation happens before libhdf5.
func TestBadInput(t *testing.T) {
	w, b := goldenWB()
	cases := []struct {
		name  string
		group string
		attrs []h5.Attr
		want  any
	}{
		{"empty group", "", []h5.Attr{{Name: "w", Shape: []int{1}, Data: []float64{1}}}, new(*h5.NameError)},
		{"empty attr", "g", []h5.Attr{{Name: "", Shape: []int{1}, Data: []float64{1}}}, new(*h5.NameError)},
		{"utf8", "g", []h5.Attr{{Name: "\xff", Shape: []int{1}, Data: []float64{1}}}, new(*h5.NameError)},
		{"slash", "a/b", []h5.Attr{{Name: "w", Shape: []int{1}, Data: []float64{1}}}, new(*h5.NameError)},
		{"dup", "g", []h5.Attr{{Name: "w", Shape: []int{1}, Data: []float64{1}}, {Name: "w", Shape: []int{1}, Data: []float64{1}}}, new(*h5.NameError)},
		{"shape", "g", []h5.Attr{{Name: "w", Shape: []int{10, 784}, Data: b}}, new(*h5.ShapeError)},
		{"no shape", "g", []h5.Attr{{Name: "w", Data: []float64{1}}}, new(*h5.ShapeError)},
		{"nan", "g", []h5.Attr{{Name: "b", Shape: []int{2}, Data: []float64{0, math.NaN()}}}, new(*h5.NonFiniteError)},
		{"too large", "g", []h5.Attr{{Name: "w", Shape: []int{10, 1000}, Data: make([]float64, 10000)}}, new(*h5.TooLargeError)},
	}
	_ = w
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			err := h5.WriteFile(filepath.Join(dir, "x.h5"), c.group, c.attrs)
			if err == nil || !errors.As(err, c.want) || !strings.HasPrefix(err.Error(), "h5: ") {
				t.Fatalf("error %v (%T)", err, err)
			}
			if ents, _ := os.ReadDir(dir); len(ents) != 0 {
				t.Errorf("%d files left", len(ents))
			}
		})
	}
}

func TestNotBuilt(t *testing.T) {
	if h5.Built {
		t.Skip("built with libhdf5")
	}
	w, b := goldenWB()
	dir := t.TempDir()
	if err := h5.WriteLinear(filepath.Join(dir, "linear.h5"), w, 10, 784, b); err != h5.ErrNotBuilt {
		t.Fatalf("WriteLinear: %v, want ErrNotBuilt", err)
	}
	if _, err := h5.ReadAttrs(filepath.Join(dir, "linear.h5"), "instance", "w"); err != h5.ErrNotBuilt {
		t.Fatalf("ReadAttrs: %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("%d files left", len(ents))
	}
}
