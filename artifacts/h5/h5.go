package h5

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// ErrNotBuilt is returned by every function of a binary built without the
// hdf5 build tag.
var ErrNotBuilt = errors.New("h5: built without libhdf5 (build tag hdf5)")

// MaxAttrValues is the most float64 values one attribute holds in the
// default (h5py 'earliest') file format, whose header messages are
// limited to 64 KiB (docs/formats.md#hdf5-attributes).
const MaxAttrValues = 8181

// Attr is a float64 attribute: Shape in elements, Data row-major,
// len(Data) = product(Shape).
type Attr struct {
	Name  string
	Shape []int
	Data  []float64
}

// LinearGroup is the group name of linear.h5.
const LinearGroup = "instance"

// nameError reports an empty or unusable group or attribute name.
type nameError struct {
	Name   string
	Reason string
}

func (e *nameError) Error() string { return fmt.Sprintf("h5: name %q: %s", e.Name, e.Reason) }

// shapeError reports a shape that does not match the data.
type shapeError struct {
	Name  string
	Shape []int
	Len   int
}

func (e *shapeError) Error() string {
	return fmt.Sprintf("h5: attribute %q: %d values do not fit shape %v", e.Name, e.Len, e.Shape)
}

// nonFiniteError reports a NaN or infinite value.
type nonFiniteError struct {
	Name  string
	Index int
	Value float64
}

func (e *nonFiniteError) Error() string {
	return fmt.Sprintf("h5: attribute %q: value %v at flat index %d", e.Name, e.Value, e.Index)
}

// tooLargeError reports an attribute over MaxAttrValues.
type tooLargeError struct {
	Name string
	Len  int
}

func (e *tooLargeError) Error() string {
	return fmt.Sprintf("h5: attribute %q: %d values exceed the %d a compact attribute holds", e.Name, e.Len, MaxAttrValues)
}

// TypeError reports an attribute stored with a datatype other than IEEE
// 754 float64 little-endian.
type TypeError struct {
	Path, Name string
	// Got describes the stored datatype.
	Got string
}

func (e *TypeError) Error() string {
	return fmt.Sprintf("h5: %s: attribute %q is stored as %s, want an IEEE 754 float64 little-endian", e.Path, e.Name, e.Got)
}

func checkName(name string) error {
	switch {
	case name == "":
		return &nameError{Name: name, Reason: "empty"}
	case !utf8.ValidString(name):
		return &nameError{Name: name, Reason: "not valid UTF-8"}
	case strings.ContainsAny(name, "/\x00") || name == ".":
		return &nameError{Name: name, Reason: "contains '/' or NUL"}
	}
	return nil
}

func validate(group string, attrs []Attr) error {
	if err := checkName(group); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, a := range attrs {
		if err := checkName(a.Name); err != nil {
			return err
		}
		if seen[a.Name] {
			return &nameError{Name: a.Name, Reason: "duplicate attribute"}
		}
		seen[a.Name] = true
		if len(a.Shape) == 0 {
			return &shapeError{Name: a.Name, Shape: a.Shape, Len: len(a.Data)}
		}
		n := 1
		for _, s := range a.Shape {
			if s <= 0 {
				return &shapeError{Name: a.Name, Shape: a.Shape, Len: len(a.Data)}
			}
			n *= s
		}
		if n != len(a.Data) {
			return &shapeError{Name: a.Name, Shape: a.Shape, Len: len(a.Data)}
		}
		if n > MaxAttrValues {
			return &tooLargeError{Name: a.Name, Len: n}
		}
		for i, x := range a.Data {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return &nonFiniteError{Name: a.Name, Index: i, Value: x}
			}
		}
	}
	return nil
}

// WriteLinear writes linear.h5: group "instance" with attributes w
// (rows x cols) and b (rows x 1), both row-major float64.
func WriteLinear(path string, w []float64, rows, cols int, b []float64) error {
	return WriteFile(path, LinearGroup, []Attr{
		{Name: "w", Shape: []int{rows, cols}, Data: w},
		{Name: "b", Shape: []int{rows, 1}, Data: b},
	})
}
