//go:build hdf5

package verify

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hw1pipe/artifacts/h5"
	"hw1pipe/internal/pyref"
)

// TestVerifyH5 breaks linear.h5 in ways only a real HDF5 reader sees.
func TestVerifyH5(t *testing.T) {
	w := make([]float64, 10*783)
	b := make([]float64, 10)
	for _, c := range []struct {
		name  string
		group string
		attrs []h5.Attr
		want  string
	}{
		{"wrong shape", h5.LinearGroup, []h5.Attr{{Name: "w", Shape: []int{10, 783}, Data: w}, {Name: "b", Shape: []int{10, 1}, Data: b}},
			"attribute w has wrong shape [10 783], want [10 784]"},
		{"b flat", h5.LinearGroup, []h5.Attr{{Name: "w", Shape: []int{10, 784}, Data: make([]float64, 7840)}, {Name: "b", Shape: []int{10}, Data: b}},
			"attribute b has wrong shape [10], want [10 1]"},
		{"no group", "weights", []h5.Attr{{Name: "w", Shape: []int{10, 784}, Data: make([]float64, 7840)}},
			"unreadable: h5: open group instance"},
		{"no b", h5.LinearGroup, []h5.Attr{{Name: "w", Shape: []int{10, 784}, Data: make([]float64, 7840)}},
			"read attribute b"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := goodFolder(t)
			if err := h5.WriteFile(filepath.Join(dir, "problem3", "linear.h5"), c.group, c.attrs); err != nil {
				t.Fatal(err)
			}
			rep, err := Dir(context.Background(), dir, &Options{NoPython: true})
			if err != nil {
				t.Fatal(err)
			}
			r, _ := find(rep, "problem3/linear.h5", "go")
			if r.Status != Fail || !strings.Contains(r.Detail, c.want) {
				t.Errorf("%v %q, want FAIL with %q", r.Status, r.Detail, c.want)
			}
		})
	}
}

// TestVerifyH5DamagedType damages the datatype message of b in a
// linear.h5 from hw1pipe's writer. Before, libhdf5 converted the damaged
// float to zeros or garbage and the Go check passed, while h5py refused
// some ("Insufficient precision ...") and read others as garbage. Now
// both checks fail on any change of the stored type.
func TestVerifyH5DamagedType(t *testing.T) {
	py := pyref.Require(t, "h5py", "numpy")
	// The float64 datatype message h5py writes (version 1, class float,
	// little-endian, sign bit 63, 8 bytes, offset 0, precision 64,
	// exponent 11 bits at 52, mantissa 52 bits at 0, bias 1023).
	f64le := []byte{0x11, 0x20, 0x3f, 0x00, 8, 0, 0, 0, 0, 0, 64, 0, 52, 11, 0, 52, 0xff, 0x03, 0, 0}
	cases := []struct {
		name string
		at   int
		to   byte
	}{
		{"exponent 15 bits", 13, 15}, // h5py: "Insufficient precision ..."
		{"precision 32", 10, 32},     // h5py reads garbage
		{"exponent at 53", 12, 53},
		{"size 4", 4, 4},
		{"big endian", 1, 0x21},
	}
	w := make([]float64, 10*784)
	b := make([]float64, 10)
	for i := range b {
		b[i] = float64(i) - 4.5
	}
	dir := t.TempDir()
	var present []Deliverable
	for k, c := range cases {
		// Each in its own folder, all checked by one run of check.py.
		d := Deliverable{Assignment: fmt.Sprintf("case%d", k), Name: "linear.h5", Format: LinearH5}
		p := filepath.Join(dir, d.Assignment, d.Name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := h5.WriteLinear(p, w, 10, 784, b); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		// w's message comes first, b's last.
		i := bytes.LastIndex(data, f64le)
		if i < 0 || bytes.Index(data, f64le) == i {
			t.Fatal("b's float64 datatype message not found")
		}
		data[i+c.at] = c.to
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		present = append(present, d)
	}
	pyRes := checkPython(context.Background(), dir, present, &Options{Python: py})
	for k, d := range present {
		g := checkGo(dir, d, &Options{})
		if g.Status != Fail || !strings.Contains(g.Detail, "attribute b is stored as") {
			t.Errorf("%s: go: %v %q, want FAIL: attribute b is stored as ...", cases[k].name, g.Status, g.Detail)
		}
		r := pyRes[d.Path()]
		if r.Status != Fail || !strings.Contains(r.Detail, "attribute b is stored as") {
			t.Errorf("%s: python: %v %q, want FAIL: attribute b is stored as ...", cases[k].name, r.Status, r.Detail)
		}
		t.Logf("%s\n  go: %s\n  python: %s", cases[k].name, g.Detail, r.Detail)
	}
}
