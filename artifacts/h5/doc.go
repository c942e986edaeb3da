// Package h5 writes and reads the HDF5 file of the linear model
// (linear.h5): one group holding float64 attributes, exactly as h5py's
// `grp = f.create_group('instance'); grp.attrs['w'] = w` writes them
// (docs/formats.md#hdf5-attributes): IEEE 754 64-bit little-endian, a simple dataspace with
// max dims = dims, compact attribute messages in a version-1 object
// header, default file property lists. The file is byte-identical to
// h5py 3.7's (HDF5 1.10.8).
//
// # Build
//
// The real implementation uses libhdf5 through gonum.org/v1/hdf5 (cgo)
// and is compiled only with the build tag hdf5:
//
//	CGO_CFLAGS=-I/usr/include/hdf5/serial \
//	CGO_LDFLAGS=-L/usr/lib/x86_64-linux-gnu/hdf5/serial \
//	go test -tags hdf5 ./artifacts/h5/
//
// Without the tag every function returns ErrNotBuilt, so `go test ./...`
// passes on machines without libhdf5. Built reports which one you have.
//
// # Paths, not writers
//
// Unlike hw1pipe's other writers, WriteFile takes a path: libhdf5 writes
// files, not streams. It writes to a temporary name in the same
// directory and renames it over path after the file is closed, so a
// failure leaves no file.
//
// # Errors and limits
//
// Bad input (an empty or unusable name, a shape that does not fit the data,
// NaN or Inf) gives an error naming the attribute before anything is
// created. With the default file format an attribute's
// message is limited to 64 KiB, so an attribute holds at most 8,181
// float64 values (more is an error); 10x784 fits. libhdf5 failures are
// errors naming the libhdf5 call that failed.
//
// ReadAttrs reads only attributes stored exactly as IEEE 754 float64
// little-endian (libhdf5's H5Tequal against H5T_IEEE_F64LE); anything else
// is a *TypeError naming the stored type. libhdf5 would convert any float
// layout, so a damaged datatype message (wrong precision, exponent or
// mantissa fields) would otherwise read as zeros or garbage.
//
// libhdf5 (the serial build) is not thread-safe: this package serializes
// its calls with a mutex, so the functions are safe for concurrent use.
package h5
