//go:build unix

package npy

import (
	"bytes"
	"fmt"
	"syscall"

	"hw1pipe/internal/regfile"
)

// MapFile is ReadFile without the copy: the file is mapped read-only
// into memory (mmap with its pages populated at once) and the returned
// Array's Data is that memory seen as the element type, when the machine
// is little-endian and the data aligned (else a decoded copy, as ReadFile
// makes). Reading a 47 MB file this way costs the page-table entries of
// pages already in the page cache instead of a copy into 47 MB of fresh,
// page-faulted heap.
//
// Data is valid, and must not be written, until release is called; after
// that any use of it crashes the program. The file must not be truncated
// or rewritten in place while mapped (files written by rename, as hw1pipe
// writes its own, are safe). Errors are ReadFile's.
func MapFile(path string) (a *Array, release func() error, err error) {
	f, size, err := regfile.Open(path)
	if err != nil {
		return nil, nil, err // names the file
	}
	defer f.Close()
	if size == 0 || int64(int(size)) != size {
		// mmap refuses an empty file; read it the ordinary way to get
		// ReadFile's error.
		a, err := ReadFile(path)
		return a, func() error { return nil }, err
	}
	m, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED|syscall.MAP_POPULATE)
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: mmap: %w", path, err)
	}
	release = func() error { return syscall.Munmap(m) }
	a, err = decodeMapped(m)
	if err != nil {
		_ = release()
		return nil, nil, fmt.Errorf("read %s: %w", path, err)
	}
	return a, release, nil
}

// decodeMapped decodes a whole .npy file held in memory, aliasing its
// data where decode allows.
func decodeMapped(m []byte) (*Array, error) {
	h, err := ReadHeader(bytes.NewReader(m))
	if err != nil {
		return nil, err
	}
	if got := int64(len(m)) - h.DataOffset; got < h.DataSize() {
		return nil, &truncatedError{Part: "data", Want: h.DataSize(), Got: max(got, 0)}
	}
	raw := m[h.DataOffset : h.DataOffset+h.DataSize()]
	return &Array{Shape: h.Shape, Dtype: h.Dtype, Data: decode(h.Dtype, raw, h.Len, true)}, nil
}
