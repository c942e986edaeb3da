package npy

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"hw1pipe/internal/atomicfile"
)

// ReadFile reads the .npy file at path. Errors name the path and wrap the
// typed errors of Read.
func ReadFile(path string) (*Array, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err // *PathError already names the file
	}
	defer f.Close()
	avail := int64(-1)
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		avail = fi.Size()
	}
	a, err := read(bufio.NewReaderSize(f, 1<<16), avail)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return a, nil
}

// WriteFile writes data of the given shape to path as Write does. It
// writes a temporary file in the same directory and renames it over path
// only after every byte is written and the file is closed, so path never
// holds a partial array. The file gets mode 0644.
func WriteFile(path string, shape []int, data any) error {
	return atomicfile.Write(path, func(w io.Writer) error { return Write(w, shape, data) })
}
