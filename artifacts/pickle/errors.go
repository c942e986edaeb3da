package pickle

import (
	"fmt"
	"reflect"
)

// unsupportedTypeError is returned for a Go value with no Python form,
// such as a map, a channel or a complex number.
type unsupportedTypeError struct {
	Type reflect.Type
}

func (e *unsupportedTypeError) Error() string {
	if e.Type == nil {
		return "pickle: unsupported type <nil interface>"
	}
	return "pickle: unsupported type " + e.Type.String()
}

// unsupportedValueError is returned for a value of a supported type that
// cannot be written, such as a string that is not UTF-8 or a dotted
// global under protocol 2.
type unsupportedValueError struct {
	Value any
	Str   string
}

func (e *unsupportedValueError) Error() string {
	return "pickle: unsupported value: " + e.Str
}

// shapeError is returned for an Array or MaskedArray whose shape does not
// match its data.
type shapeError struct {
	Shape []int
	Len   int // number of elements in the data (or mask)
	What  string
}

func (e *shapeError) Error() string {
	return fmt.Sprintf("pickle: %s of %d elements does not match shape %v", e.What, e.Len, e.Shape)
}

// picklerError wraps an error returned by a Pickler's PickleReduce.
type picklerError struct {
	Type reflect.Type
	Err  error
}

func (e *picklerError) Error() string {
	return "pickle: PickleReduce of " + e.Type.String() + ": " + e.Err.Error()
}

func (e *picklerError) Unwrap() error { return e.Err }

// encodeError carries an error out of deep recursion; Encode recovers it.
type encodeError struct{ err error }
