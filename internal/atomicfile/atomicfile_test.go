package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.bin")
	if err := WriteBytes(path, []byte("old")); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	for name, fill := range map[string]func(io.Writer) error{
		"fill fails after writing": func(w io.Writer) error {
			io.WriteString(w, strings.Repeat("new", 1<<16))
			return boom
		},
	} {
		t.Run(name, func(t *testing.T) {
			err := Write(path, fill)
			if !errors.Is(err, boom) || !strings.Contains(err.Error(), path) {
				t.Fatalf("error %v: want boom, naming %s", err, path)
			}
			if b, _ := os.ReadFile(path); string(b) != "old" {
				t.Errorf("destination changed to %d bytes", len(b))
			}
			if ents, _ := os.ReadDir(dir); len(ents) != 1 {
				t.Errorf("%d files left in the directory, want only the destination", len(ents))
			}
		})
	}
	if err := WriteBytes(path, []byte("new")); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new" || fi.Mode().Perm() != 0o644 {
		t.Errorf("content %q mode %v, want \"new\" 0644", b, fi.Mode().Perm())
	}
	if err := WriteBytes(filepath.Join(dir, "no", "such", "dir"), nil); err == nil {
		t.Error("writing into a missing directory succeeded")
	}
}
