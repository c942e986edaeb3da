package npy

import (
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
)

// Dtype descriptors as numpy writes them.
const (
	Float64 = "<f8"
	Float32 = "<f4"
	Int64   = "<i8"
	Int32   = "<i4"
	Uint8   = "|u1"
)

// magic opens every .npy file.
const magic = "\x93NUMPY"

// align is the boundary numpy pads the header to (numpy.lib.format.ARRAY_ALIGN).
const align = 64

// growthDigits is numpy's GROWTH_AXIS_MAX_DIGITS (1.23 on): np.save leaves
// room for the first axis to grow to this many digits, and we must too to
// produce the same bytes.
const growthDigits = 21

// Array is a decoded .npy file.
type Array struct {
	// Shape lists the dimensions in C order; empty for a 0-D scalar.
	Shape []int
	// Dtype is the normalised descriptor: one of Float64, Float32, Int64,
	// Int32, Uint8 ('<u1' in a file reads as Uint8).
	Dtype string
	// Data is the flat row-major data: []float64, []float32, []int64,
	// []int32 or []uint8 to match Dtype, of length Len().
	Data any
}

// Len returns the number of elements, the product of Shape (1 for a scalar).
func (a *Array) Len() int {
	n := 1
	for _, d := range a.Shape {
		n *= d
	}
	return n
}

// Float64s returns the data of a '<f8' array, or an error
// naming both dtypes.
func (a *Array) Float64s() ([]float64, error) { return as[float64](a, Float64) }

// Float32s returns the data of a '<f4' array, or an error
// naming both dtypes.
func (a *Array) Float32s() ([]float32, error) { return as[float32](a, Float32) }

// Int64s returns the data of a '<i8' array, or an error
// naming both dtypes.
func (a *Array) Int64s() ([]int64, error) { return as[int64](a, Int64) }

// Int32s returns the data of a '<i4' array, or an error
// naming both dtypes.
func (a *Array) Int32s() ([]int32, error) { return as[int32](a, Int32) }

// Uint8s returns the data of a '|u1' array, or an error
// naming both dtypes.
func (a *Array) Uint8s() ([]uint8, error) { return as[uint8](a, Uint8) }

func as[T any](a *Array, want string) ([]T, error) {
	s, ok := a.Data.([]T)
	if !ok {
		return nil, &dtypeError{Have: a.Dtype, Want: want}
	}
	return s, nil
}

// descrOf returns the descriptor and item size for a supported slice type.
func descrOf(data any) (descr string, itemSize, n int, ok bool) {
	switch d := data.(type) {
	case []float64:
		return Float64, 8, len(d), true
	case []float32:
		return Float32, 4, len(d), true
	case []int64:
		return Int64, 8, len(d), true
	case []int32:
		return Int32, 4, len(d), true
	case []uint8:
		return Uint8, 1, len(d), true
	}
	return "", 0, 0, false
}

// shapeError reports data whose length is not the product of the shape, or
// a shape with a negative dimension.
type shapeError struct {
	Shape []int
	Len   int // number of elements in the data
}

func (e *shapeError) Error() string {
	n, ok := elements(e.Shape)
	if !ok {
		return fmt.Sprintf("npy: invalid shape %s (negative or overflowing dimensions)", shapeRepr(e.Shape))
	}
	return fmt.Sprintf("npy: shape %s needs %d elements, data has %d", shapeRepr(e.Shape), n, e.Len)
}

// unsupportedTypeError reports a Go value Write cannot store.
type unsupportedTypeError struct {
	Type reflect.Type
}

func (e *unsupportedTypeError) Error() string {
	return fmt.Sprintf("npy: unsupported data type %v (want []float64, []float32, []int64, []int32 or []uint8)", e.Type)
}

// magicError reports input that does not start with "\x93NUMPY".
type magicError struct {
	Got []byte // the first bytes read
}

func (e *magicError) Error() string {
	return fmt.Sprintf("npy: not a .npy file: magic %q, want %q", e.Got, magic)
}

// versionError reports a format version other than 1.0 or 2.0.
type versionError struct {
	Major, Minor byte
}

func (e *versionError) Error() string {
	return fmt.Sprintf("npy: unsupported format version %d.%d (want 1.0 or 2.0)", e.Major, e.Minor)
}

// headerError reports a header dict that cannot be parsed or lacks a key.
type headerError struct {
	Offset int    // byte offset within the header text
	Msg    string // what is wrong
}

func (e *headerError) Error() string {
	return fmt.Sprintf("npy: bad header at byte %d: %s", e.Offset, e.Msg)
}

// unsupportedError reports a well-formed file that uses a feature this
// package does not read: Fortran order, a big-endian, object, structured or
// otherwise unsupported dtype.
type unsupportedError struct {
	Feature string // "fortran_order", "big-endian dtype", "object dtype", "dtype"
	Value   string // the header value, e.g. "True" or "'>f8'"
}

func (e *unsupportedError) Error() string {
	return fmt.Sprintf("npy: unsupported %s %s", e.Feature, e.Value)
}

// truncatedError reports input that ended early.
type truncatedError struct {
	Part string // "magic", "header length", "header" or "data"
	Want int64  // bytes that part needs
	Got  int64  // bytes that were there
}

func (e *truncatedError) Error() string {
	return fmt.Sprintf("npy: truncated %s: got %d of %d bytes", e.Part, e.Got, e.Want)
}

// Unwrap lets callers test for a short input with errors.Is(err,
// io.ErrUnexpectedEOF), the standard library's word for it.
func (e *truncatedError) Unwrap() error { return io.ErrUnexpectedEOF }

// dtypeError reports a typed accessor called on an array of another dtype.
type dtypeError struct {
	Have, Want string
}

func (e *dtypeError) Error() string {
	return fmt.Sprintf("npy: array has dtype %s, not %s", e.Have, e.Want)
}

// shapeRepr formats a shape as Python's repr of a tuple of ints does.
func shapeRepr(shape []int) string {
	var b strings.Builder
	b.WriteByte('(')
	for i, d := range shape {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(d))
	}
	if len(shape) == 1 {
		b.WriteByte(',')
	}
	b.WriteByte(')')
	return b.String()
}
