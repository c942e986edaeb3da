package npy

import (
	"encoding/binary"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// chunkBytes bounds the buffer Write encodes numbers into, so writing a
// large array does not double its memory.
const chunkBytes = 1 << 16

// Write writes data as a .npy file (format 1.0, or 2.0 when the header
// needs more than 65535 bytes) of the given shape to w. Data is one of
// []float64, []float32, []int64, []int32, []uint8, flat in row-major order;
// its length must equal the product of shape (1 for an empty shape, which
// writes a 0-D scalar), otherwise Write returns an error and writes
// nothing, as it does for other types. The bytes equal
// np.save's in numpy 1.24.
func Write(w io.Writer, shape []int, data any) error {
	descr, size, n, ok := descrOf(data)
	if !ok {
		return &unsupportedTypeError{Type: reflect.TypeOf(data)}
	}
	want, ok := elements(shape)
	if !ok || want != n {
		return &shapeError{Shape: append([]int(nil), shape...), Len: n}
	}
	if _, err := w.Write(header(descr, shape)); err != nil {
		return err
	}
	if b, ok := data.([]uint8); ok {
		_, err := w.Write(b)
		return err
	}
	buf := make([]byte, 0, min(n*size, chunkBytes))
	for i := 0; i < n; {
		buf = buf[:0]
		for ; i < n && len(buf)+size <= cap(buf); i++ {
			buf = appendElem(buf, data, i)
		}
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return nil
}

func appendElem(b []byte, data any, i int) []byte {
	le := binary.LittleEndian
	switch d := data.(type) {
	case []float64:
		return le.AppendUint64(b, math.Float64bits(d[i]))
	case []float32:
		return le.AppendUint32(b, math.Float32bits(d[i]))
	case []int64:
		return le.AppendUint64(b, uint64(d[i]))
	case []int32:
		return le.AppendUint32(b, uint32(d[i]))
	}
	panic("npy: unreachable element type")
}

// elements returns the product of shape, and false when a dimension is
// negative or the product overflows an int.
func elements(shape []int) (int, bool) {
	n := 1
	for _, d := range shape {
		if d < 0 {
			return 0, false
		}
		if d != 0 && n > math.MaxInt/d {
			return 0, false
		}
		n *= d
	}
	return n, true
}

// header returns everything before the data: magic, version, header length
// and the padded dict, laid out as numpy.lib.format._wrap_header does.
func header(descr string, shape []int) []byte {
	var dict strings.Builder
	dict.WriteString("{'descr': '")
	dict.WriteString(descr)
	dict.WriteString("', 'fortran_order': False, 'shape': ")
	dict.WriteString(shapeRepr(shape))
	dict.WriteString(", }")
	if len(shape) > 0 {
		// Spare room so the first axis can grow in place (numpy >= 1.23).
		dict.WriteString(strings.Repeat(" ", max(0, growthDigits-len(strconv.Itoa(shape[0])))))
	}
	text := dict.String()

	major, lenBytes := byte(1), 2
	hlen := len(text) + 1 // + '\n'
	pad := align - (len(magic)+2+lenBytes+hlen)%align
	if hlen+pad > math.MaxUint16 {
		major, lenBytes = 2, 4
		pad = align - (len(magic)+2+lenBytes+hlen)%align
	}
	out := make([]byte, 0, len(magic)+2+lenBytes+hlen+pad)
	out = append(out, magic...)
	out = append(out, major, 0)
	if major == 1 {
		out = binary.LittleEndian.AppendUint16(out, uint16(hlen+pad))
	} else {
		out = binary.LittleEndian.AppendUint32(out, uint32(hlen+pad))
	}
	out = append(out, text...)
	for range pad {
		out = append(out, ' ')
	}
	return append(out, '\n')
}
