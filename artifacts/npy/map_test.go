package npy_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"hw1pipe/artifacts/npy"
)

// TestMapFile: every golden file maps to what ReadFile reads; a short, an
// empty and a missing file are ReadFile's errors.
func TestMapFile(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*.npy"))
	if err != nil || len(paths) == 0 {
		t.Fatal(err, paths)
	}
	for _, p := range paths {
		want, err := npy.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		got, release, err := npy.MapFile(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: mapped %+v, read %+v", p, got, want)
		}
		if err := release(); err != nil {
			t.Errorf("%s: release: %v", p, err)
		}
	}

	dir := t.TempDir()
	whole, err := os.ReadFile(filepath.Join("testdata", "f8_10x784.npy"))
	if err != nil {
		t.Fatal(err)
	}
	short := filepath.Join(dir, "short.npy")
	if err := os.WriteFile(short, whole[:len(whole)-8], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := npy.MapFile(short); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("short file: err = %v, want one wrapping io.ErrUnexpectedEOF", err)
	}
	empty := filepath.Join(dir, "empty.npy")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := npy.MapFile(empty); err == nil {
		t.Error("empty file: no error")
	}
	if _, _, err := npy.MapFile(filepath.Join(dir, "missing.npy")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: err = %v", err)
	}
}
