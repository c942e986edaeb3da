// Package npy reads and writes numpy's .npy array files, so that hw1pipe's
// intermediate arrays open with np.load and arrays made by numpy open here.
//
// # Format
//
// A file is the magic "\x93NUMPY", a version byte pair, a little-endian
// header length (uint16 in version 1.0, uint32 in 2.0 and 3.0; Read accepts
// all three, Write picks 1.0 unless the header needs 2.0), a Python dict
// literal such as
//
//	{'descr': '<f8', 'fortran_order': False, 'shape': (10, 784), }
//
// padded with spaces and a final '\n' so that the data starts at a multiple
// of 64 bytes, and then the raw elements in C (row-major) order. Write
// produces the same bytes as np.save in numpy 1.24, including numpy's spare
// spaces that let the first axis grow in place; the same array always gives
// the same bytes. The format is numpy's own (NEP 1, module
// numpy.lib.format); see docs/formats.md#npy-files.
//
// # Dtypes
//
// Five dtypes are supported, each mapped to one Go slice type:
//
//	'<f8' []float64   '<f4' []float32
//	'<i8' []int64     '<i4' []int32
//	'|u1' []uint8     (Read also accepts '<u1')
//
// Data is always flat and row-major; Shape gives its dimensions (nil or
// empty for a 0-D scalar, which holds one element). Big-endian data,
// Fortran order, structured and object dtypes are rejected with an error
// naming the feature rather than converted.
//
// # Errors
//
// Nothing in this package panics on bad input. Write refuses data whose
// length differs from the shape's product and Go types it cannot store.
// Read refuses a bad magic string, an unknown format version, a header it
// cannot parse and a feature it does not read, each error naming the
// problem (and the byte offset for a header); input that ends early is an
// error that wraps io.ErrUnexpectedEOF. The typed accessors of Array refuse
// an array of another dtype. ReadFile and WriteFile add the path.
//
// Write and Read never create files. WriteFile writes a temporary file in
// the destination's directory and renames it, so a failed write leaves
// nothing half-written under the final name.
//
// The functions are safe for concurrent use; an Array is plain data.
package npy
