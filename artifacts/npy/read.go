package npy

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"slices"
	"strconv"
	"unsafe"

	"hw1pipe/internal/hugepages"
)

// maxHeader bounds the header length Read accepts; numpy's own headers are
// a few hundred bytes, and a corrupt length must not make us allocate GiBs.
const maxHeader = 1 << 20

// Header is what a .npy file's header declares.
type Header struct {
	Shape    []int
	Dtype    string // one of Float64, Float32, Int64, Int32, Uint8
	ItemSize int    // bytes per element
	// Len is the number of elements, the product of Shape.
	Len int
	// DataOffset is where the data starts: magic, version, length and
	// header text.
	DataOffset int64
}

// DataSize is the number of data bytes the header declares.
func (h *Header) DataSize() int64 { return int64(h.Len) * int64(h.ItemSize) }

// Elements decodes the whole elements at the start of raw (len(raw) /
// ItemSize of them) into a slice of the header's element type.
func (h *Header) Elements(raw []byte) any {
	n := len(raw) / h.ItemSize
	return decode(h.Dtype, raw[:n*h.ItemSize], n, false)
}

// ReadHeader reads a .npy file's magic, version and header from r and
// leaves r at the first data byte. The header is at most 1 MiB and its
// shape's byte size must fit in an int; nothing is allocated from it.
// Errors are as for Read.
func ReadHeader(r io.Reader) (*Header, error) {
	var pre [8]byte
	if n, err := io.ReadFull(r, pre[:]); err != nil {
		if !bytes.HasPrefix([]byte(magic), pre[:min(n, len(magic))]) {
			return nil, &magicError{Got: append([]byte(nil), pre[:n]...)}
		}
		return nil, truncated("magic", 8, int64(n), err)
	}
	if string(pre[:6]) != magic {
		return nil, &magicError{Got: append([]byte(nil), pre[:6]...)}
	}
	major, minor := pre[6], pre[7]
	if minor != 0 || major < 1 || major > 3 {
		return nil, &versionError{Major: major, Minor: minor}
	}
	lenBytes := 2
	if major > 1 {
		lenBytes = 4
	}
	var lb [4]byte
	if n, err := io.ReadFull(r, lb[:lenBytes]); err != nil {
		return nil, truncated("header length", int64(lenBytes), int64(n), err)
	}
	hlen := int64(binary.LittleEndian.Uint16(lb[:]))
	if lenBytes == 4 {
		hlen = int64(binary.LittleEndian.Uint32(lb[:]))
	}
	if hlen > maxHeader {
		return nil, &headerError{Offset: 0, Msg: "header length " + itoa(hlen) + " exceeds " + itoa(maxHeader)}
	}
	text, err := readN(r, hlen, -1, "header")
	if err != nil {
		return nil, err
	}
	h, err := parseHeader(text)
	if err != nil {
		return nil, err
	}
	n, ok := elements(h.shape)
	if !ok || n > math.MaxInt/h.size {
		return nil, &headerError{Offset: h.shapeAt, Msg: "shape " + shapeRepr(h.shape) + " is too large"}
	}
	return &Header{Shape: h.shape, Dtype: h.descr, ItemSize: h.size, Len: n,
		DataOffset: 8 + int64(lenBytes) + hlen}, nil
}

// Read reads one .npy array (format 1.0, 2.0 or 3.0) from r, consuming
// exactly its bytes, so several arrays written back to back read in turn.
// Errors name the problem (see the package comment); input that ends
// early wraps io.ErrUnexpectedEOF, and an error from r itself is returned
// as is. Memory grows with the bytes actually read, not with what the
// header claims.
func Read(r io.Reader) (*Array, error) {
	return read(r, -1)
}

// read is Read; avail, when not negative, is how many bytes r is known to
// hold (a regular file's size), so that a data block that fits is read
// into one allocation instead of a growing buffer.
func read(r io.Reader, avail int64) (*Array, error) {
	h, err := ReadHeader(r)
	if err != nil {
		return nil, err
	}
	if avail >= 0 {
		avail -= h.DataOffset
	}
	raw, err := readN(r, h.DataSize(), avail, "data")
	if err != nil {
		return nil, err
	}
	return &Array{Shape: h.Shape, Dtype: h.Dtype, Data: decode(h.Dtype, raw, h.Len, true)}, nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func truncated(part string, want, got int64, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &truncatedError{Part: part, Want: want, Got: got}
	}
	return err
}

// readN reads exactly n bytes. When avail (the bytes r is known to hold,
// or -1) covers n, one allocation of n bytes is made; otherwise the buffer
// grows as bytes arrive rather than trusting n, so a header claiming more
// than the file holds costs only what is there. The one allocation may
// take huge pages (internal/hugepages): a feature matrix is tens of MB.
func readN(r io.Reader, n, avail int64, part string) ([]byte, error) {
	if n <= avail {
		buf := hugepages.Make[byte](int(n))
		m, err := io.ReadFull(r, buf)
		if err != nil {
			return nil, truncated(part, n, int64(m), err)
		}
		return buf, nil
	}
	const first = 1 << 20
	buf := make([]byte, 0, min(n, first))
	for int64(len(buf)) < n {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, int(min(n-int64(len(buf)), int64(cap(buf)))))
		}
		m, err := io.ReadFull(r, buf[len(buf):min(int64(cap(buf)), n)])
		buf = buf[:len(buf)+m]
		if err != nil {
			return nil, truncated(part, n, int64(len(buf)), err)
		}
	}
	return buf, nil
}

// decode converts raw (little-endian, as every descriptor hw1pipe reads
// says) into n values of descr's type. Uint8 is raw itself. Otherwise,
// when raw is a buffer the caller hands over (owned) and this machine is
// little-endian, the values are raw's own memory seen as the element type,
// with no copy and no second allocation (an owned buffer is a fresh
// make([]byte), aligned for any element type); else they are converted
// one by one into a new slice.
func decode(descr string, raw []byte, n int, owned bool) any {
	switch descr {
	case Float64:
		return decodeAs(raw, n, owned, func(b []byte) float64 { return math.Float64frombits(binary.LittleEndian.Uint64(b)) })
	case Float32:
		return decodeAs(raw, n, owned, func(b []byte) float32 { return math.Float32frombits(binary.LittleEndian.Uint32(b)) })
	case Int64:
		return decodeAs(raw, n, owned, func(b []byte) int64 { return int64(binary.LittleEndian.Uint64(b)) })
	case Int32:
		return decodeAs(raw, n, owned, func(b []byte) int32 { return int32(binary.LittleEndian.Uint32(b)) })
	case Uint8:
		return raw
	}
	panic("npy: unreachable dtype " + descr)
}

func decodeAs[T float64 | float32 | int64 | int32](raw []byte, n int, owned bool, conv func([]byte) T) []T {
	var zero T
	size := int(unsafe.Sizeof(zero))
	if n == 0 {
		return []T{}
	}
	if owned && littleEndian() && uintptr(unsafe.Pointer(&raw[0]))%uintptr(size) == 0 {
		return unsafe.Slice((*T)(unsafe.Pointer(&raw[0])), n)
	}
	out := make([]T, n)
	for i := range out {
		out[i] = conv(raw[size*i:])
	}
	return out
}

// littleEndian reports whether this machine stores numbers as .npy's '<'
// descriptors do.
func littleEndian() bool {
	return binary.NativeEndian.Uint16([]byte{1, 0}) == 1
}
