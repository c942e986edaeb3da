package mnist

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
)

// IDX magic numbers: two zero bytes, the element type (0x08 = uint8) and
// the number of dimensions.
const (
	imagesMagic = 0x00000803
	labelsMagic = 0x00000801
)

// maxIDX bounds the decoded payload so a corrupt count cannot make us
// allocate more than the largest real file needs (47 MB) by far.
const maxIDX = 1 << 28

// formatError reports an IDX file that cannot be decoded.
type formatError struct {
	File string // file name, e.g. "train-images-idx3-ubyte.gz"
	Msg  string
	Err  error // cause, if any (a gzip error, io.ErrUnexpectedEOF)
}

func (e *formatError) Error() string {
	s := "mnist: " + e.File + ": " + e.Msg
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *formatError) Unwrap() error { return e.Err }

// DecodeImages decodes a gzip-compressed IDX3 uint8 image file (magic
// 0x00000803). It returns the pixels as a flat row-major slice of
// n×rows×cols. name is used in errors only. It checks nothing but the
// format: Loader adds the checksum and the expected sizes.
func DecodeImages(name string, gz []byte) (pixels []uint8, n, rows, cols int, err error) {
	body, err := gunzip(name, gz)
	if err != nil {
		return nil, 0, 0, 0, err
	}
	dims, data, err := header(name, body, imagesMagic, 3)
	if err != nil {
		return nil, 0, 0, 0, err
	}
	return data, dims[0], dims[1], dims[2], nil
}

// DecodeLabels decodes a gzip-compressed IDX1 uint8 label file (magic
// 0x00000801) into int64 labels, each checked to be a digit 0..9.
func DecodeLabels(name string, gz []byte) ([]int64, error) {
	body, err := gunzip(name, gz)
	if err != nil {
		return nil, err
	}
	_, data, err := header(name, body, labelsMagic, 1)
	if err != nil {
		return nil, err
	}
	labels := make([]int64, len(data))
	for i, b := range data {
		if b > 9 {
			return nil, &formatError{File: name, Msg: fmt.Sprintf("label %d at index %d is not a digit", b, i)}
		}
		labels[i] = int64(b)
	}
	return labels, nil
}

func gunzip(name string, gz []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, &formatError{File: name, Msg: "not gzip data", Err: err}
	}
	var out bytes.Buffer
	// One byte over the limit tells "too big" from "exactly the limit".
	if _, err := io.Copy(&out, io.LimitReader(bufio.NewReader(zr), maxIDX+1)); err != nil {
		return nil, &formatError{File: name, Msg: "corrupt gzip stream", Err: err}
	}
	if out.Len() > maxIDX {
		return nil, &formatError{File: name, Msg: fmt.Sprintf("decompresses to more than %d bytes", maxIDX)}
	}
	return out.Bytes(), nil
}

// header checks an IDX header and returns the dimensions and the payload,
// which must hold exactly their product of bytes.
func header(name string, body []byte, magic uint32, ndim int) ([]int, []byte, error) {
	if len(body) < 4+4*ndim {
		return nil, nil, &formatError{File: name, Msg: fmt.Sprintf("truncated header: %d bytes, want %d", len(body), 4+4*ndim), Err: io.ErrUnexpectedEOF}
	}
	if got := binary.BigEndian.Uint32(body); got != magic {
		return nil, nil, &formatError{File: name, Msg: fmt.Sprintf("magic 0x%08x, want 0x%08x", got, magic)}
	}
	dims := make([]int, ndim)
	size := 1
	for i := range dims {
		d := binary.BigEndian.Uint32(body[4+4*i:])
		if d > maxIDX || (d != 0 && size > maxIDX/int(d)) {
			return nil, nil, &formatError{File: name, Msg: fmt.Sprintf("dimension %d is %d: data would exceed %d bytes", i, d, maxIDX)}
		}
		dims[i] = int(d)
		size *= int(d)
	}
	data := body[4+4*ndim:]
	switch {
	case len(data) < size:
		return nil, nil, &formatError{File: name, Msg: fmt.Sprintf("truncated: dimensions %v need %d bytes, have %d", dims, size, len(data)), Err: io.ErrUnexpectedEOF}
	case len(data) > size:
		return nil, nil, &formatError{File: name, Msg: fmt.Sprintf("%d bytes after the %v data", len(data)-size, dims)}
	}
	return dims, data, nil
}
