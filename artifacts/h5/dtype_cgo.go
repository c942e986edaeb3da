//go:build hdf5

package h5

// /* Debian keeps the serial libhdf5 out of the default search paths;
//    the Makefile's CGO_CFLAGS and CGO_LDFLAGS say the same, and
//    gonum.org/v1/hdf5 names them too, so a bare go build -tags hdf5
//    works. */
// #cgo LDFLAGS: -lhdf5
// #cgo linux,amd64 CFLAGS: -I/usr/include/hdf5/serial
// #cgo linux,amd64 LDFLAGS: -L/usr/lib/x86_64-linux-gnu/hdf5/serial
// #include <hdf5.h>
//
// static int is_ieee_f64le(hid_t t) { return H5Tequal(t, H5T_IEEE_F64LE) > 0; }
import "C"

import (
	"fmt"

	"gonum.org/v1/hdf5"
)

// storedType returns "" when the attribute's file datatype is exactly IEEE
// 754 binary64 little-endian (H5Tequal compares every field of the
// datatype message: size, byte order, precision, bit offset, sign,
// exponent and mantissa positions and sizes, exponent bias,
// normalisation, padding), and a description of it otherwise.
//
// Reading with a conversion to native double is not enough: libhdf5
// converts any floating-point layout, so a datatype message whose
// precision or field positions were damaged still "reads", as zeros or
// garbage, where h5py refuses it ("Insufficient precision ...") or maps it
// to another numpy dtype.
func storedType(a *hdf5.Attribute) (string, error) {
	t := C.H5Aget_type(C.hid_t(a.ID()))
	if t < 0 {
		return "", fmt.Errorf("no datatype")
	}
	defer C.H5Tclose(t)
	if C.is_ieee_f64le(t) != 0 {
		return "", nil
	}
	size := int(C.H5Tget_size(t))
	switch C.H5Tget_class(t) {
	case C.H5T_FLOAT:
	case C.H5T_INTEGER:
		return fmt.Sprintf("an integer of %d bytes", size), nil
	case C.H5T_STRING:
		return "a string", nil
	default:
		return fmt.Sprintf("datatype class %d", int(C.H5Tget_class(t))), nil
	}
	order := "little-endian"
	if C.H5Tget_order(t) != C.H5T_ORDER_LE {
		order = "not little-endian"
	}
	norm := "implied leading 1"
	switch C.H5Tget_norm(t) {
	case C.H5T_NORM_MSBSET:
		norm = "leading 1 stored"
	case C.H5T_NORM_NONE:
		norm = "not normalised"
	}
	var spos, epos, esize, mpos, msize C.size_t
	C.H5Tget_fields(t, &spos, &epos, &esize, &mpos, &msize)
	return fmt.Sprintf("a float of %d bytes, %s, precision %d at bit offset %d, sign bit %d, exponent %d bits at %d (bias %d), mantissa %d bits at %d (%s)",
		size, order, int(C.H5Tget_precision(t)), int(C.H5Tget_offset(t)), int(spos), int(esize), int(epos),
		int(C.H5Tget_ebias(t)), int(msize), int(mpos), norm), nil
}
