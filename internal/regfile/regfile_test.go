package regfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestOpenRefusesIrregular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	zero := filepath.Join(dir, "zero.pkl")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		fifo: "is a named pipe (FIFO)",
		zero: "is a character device",
		dir:  "is a directory",
	} {
		f, _, err := Open(path)
		var nr *notRegularError
		if !errors.As(err, &nr) || !strings.Contains(err.Error(), want) {
			t.Errorf("Open(%s) = %v, want %q", path, err, want)
		}
		if f != nil {
			f.Close()
		}
		if _, err := ReadFile(path, 1<<20); !errors.As(err, &nr) {
			t.Errorf("ReadFile(%s) = %v", path, err)
		}
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	if err := os.WriteFile(p, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(p, link); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{p, link} {
		b, err := ReadFile(path, 5)
		if err != nil || string(b) != "hello" {
			t.Errorf("ReadFile(%s) = %q, %v", path, b, err)
		}
	}
	var tl *TooLargeError
	if _, err := ReadFile(p, 4); !errors.As(err, &tl) || tl.Size != 5 {
		t.Errorf("ReadFile over max = %v", err)
	}
}
