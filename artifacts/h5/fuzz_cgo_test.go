//go:build hdf5

package h5_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hw1pipe/artifacts/h5"
	"hw1pipe/golden/hostile"
)

// FuzzReadAttrs feeds arbitrary bytes, as a file, to ReadAttrs (libhdf5
// through cgo): any input must give attributes or an error within 10 s,
// never a crash or an allocation the file does not justify. Seeds: the
// golden linear.h5 and the hostile corpus's .h5 files (golden/hostile).
//
// Each input is read in a child process (this test binary, running
// TestReadAttrsChild), as `hw1pipe verify` and `inspect` read one HDF5
// file per process. Read in one process, a few hundred malformed files in
// a row made the fuzz worker block for good, yet no single one of them
// blocks a fresh process; that state is libhdf5's, which the CLI never
// accumulates. The child also turns a crash in C into a failed input
// rather than a lost fuzz worker.
func FuzzReadAttrs(f *testing.F) {
	if b, err := os.ReadFile(goldenH5); err == nil {
		f.Add(b)
	}
	for _, b := range hostile.Seeds(".h5") {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "f.h5")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestReadAttrsChild$")
		cmd.Env = append(os.Environ(), "HW1PIPE_H5_CHILD="+p)
		out, err := cmd.CombinedOutput()
		if ctx.Err() != nil {
			t.Fatalf("ReadAttrs still running after 10 s")
		}
		if err != nil || !strings.Contains(string(out), "PASS") {
			t.Fatalf("ReadAttrs failed: %v\n%s", err, out)
		}
	})
}

// TestReadAttrsChild is FuzzReadAttrs's child: it reads the file named by
// $HW1PIPE_H5_CHILD and checks what ReadAttrs returns.
func TestReadAttrsChild(t *testing.T) {
	p := os.Getenv("HW1PIPE_H5_CHILD")
	if p == "" {
		t.Skip("run by FuzzReadAttrs")
	}
	attrs, err := h5.ReadAttrs(p, h5.LinearGroup, "w", "b")
	if err != nil {
		return
	}
	for _, a := range attrs {
		n := 1
		for _, d := range a.Shape {
			n *= d
		}
		if n != len(a.Data) || n > h5.MaxAttrValues {
			t.Fatalf("attribute %s: shape %v, %d values", a.Name, a.Shape, len(a.Data))
		}
	}
}
