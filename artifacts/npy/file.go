package npy

import (
	"bufio"
	"fmt"
	"io"

	"hw1pipe/internal/atomicfile"
	"hw1pipe/internal/regfile"
)

// ReadFile reads the .npy file at path, which must be a regular file (a
// named pipe or a device is refused at once, see internal/regfile).
// Errors name the path and wrap the typed errors of Read.
func ReadFile(path string) (*Array, error) {
	f, size, err := regfile.Open(path)
	if err != nil {
		return nil, err // names the file
	}
	defer f.Close()
	a, err := read(bufio.NewReaderSize(f, 1<<16), size)
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
