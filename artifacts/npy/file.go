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

// ReadRowsFile reads rows [start, start+count) of the .npy file at path,
// a row being one index of the first axis, and only those rows' bytes:
// the returned Array has shape (count, Shape[1:]...), and shape is the
// whole file's. A file shorter than its header declares is an error
// wrapping io.ErrUnexpectedEOF, as for ReadFile.
func ReadRowsFile(path string, start, count int) (rows *Array, shape []int, err error) {
	f, size, err := regfile.Open(path)
	if err != nil {
		return nil, nil, err // names the file
	}
	defer f.Close()
	h, err := ReadHeader(bufio.NewReaderSize(f, 4096))
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(h.Shape) == 0 || start < 0 || count < 0 || start > h.Shape[0]-count {
		return nil, nil, fmt.Errorf("read %s: rows %d to %d of an array of shape %v", path, start, start+count, h.Shape)
	}
	if got := size - h.DataOffset; got < h.DataSize() {
		return nil, nil, fmt.Errorf("read %s: %w", path, &truncatedError{Part: "data", Want: h.DataSize(), Got: max(got, 0)})
	}
	rowBytes := int64(h.ItemSize)
	for _, d := range h.Shape[1:] {
		rowBytes *= int64(d)
	}
	raw := make([]byte, int64(count)*rowBytes)
	if _, err := f.ReadAt(raw, h.DataOffset+int64(start)*rowBytes); err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", path, err)
	}
	rs := append([]int{count}, h.Shape[1:]...)
	n := len(raw) / h.ItemSize
	return &Array{Shape: rs, Dtype: h.Dtype, Data: decode(h.Dtype, raw, n, true)}, h.Shape, nil
}

// WriteFile writes data of the given shape to path as Write does. It
// writes a temporary file in the same directory and renames it over path
// only after every byte is written and the file is closed, so path never
// holds a partial array. The file gets mode 0644.
func WriteFile(path string, shape []int, data any) error {
	return atomicfile.Write(path, func(w io.Writer) error { return Write(w, shape, data) })
}
