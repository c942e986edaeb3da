//go:build hdf5

package verify

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"hw1pipe/artifacts/h5"
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
