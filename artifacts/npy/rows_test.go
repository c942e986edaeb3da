package npy_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"hw1pipe/artifacts/npy"
)

// TestReadRowsFile: a slice of rows equals the same rows of the whole
// array; bad ranges and a short file are errors.
func TestReadRowsFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.npy")
	data := make([]float64, 5*3*2)
	for i := range data {
		data[i] = float64(i) + 0.5
	}
	if err := npy.WriteFile(path, []int{5, 3, 2}, data); err != nil {
		t.Fatal(err)
	}
	rows, shape, err := npy.ReadRowsFile(path, 1, 3)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(shape, []int{5, 3, 2}) || !slices.Equal(rows.Shape, []int{3, 3, 2}) || rows.Dtype != npy.Float64 {
		t.Fatalf("shape %v, rows %v %s", shape, rows.Shape, rows.Dtype)
	}
	if got := rows.Data.([]float64); !slices.Equal(got, data[6:24]) {
		t.Errorf("rows 1-3: %v, want %v", got, data[6:24])
	}
	for _, r := range [][2]int{{-1, 1}, {4, 2}, {0, 6}, {5, 1}} {
		if _, _, err := npy.ReadRowsFile(path, r[0], r[1]); err == nil {
			t.Errorf("rows %d+%d of 5: no error", r[0], r[1])
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b[:len(b)-8], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := npy.ReadRowsFile(path, 0, 1); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("short file: %v, want io.ErrUnexpectedEOF inside", err)
	}
}
