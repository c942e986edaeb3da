//go:build hdf5

package h5

import (
	"fmt"
	"os"
	"sync"

	"gonum.org/v1/hdf5"

	"hw1pipe/internal/atomicfile"
)

// Built reports whether this binary has libhdf5 (build tag hdf5).
const Built = true

// libError is a failure reported by libhdf5.
type libError struct {
	Op   string // what was being done: "create file", "write attribute w" ...
	Path string
	Err  error
}

func (e *libError) Error() string { return "h5: " + e.Op + " " + e.Path + ": " + e.Err.Error() }

func (e *libError) Unwrap() error { return e.Err }

// libMu serializes libhdf5 calls: the serial library is not thread-safe.
var libMu sync.Mutex

// quietOnce turns off libhdf5's habit of printing its error stack to
// stderr: every failure already reaches the caller as a *libError, and the
// stack would spill into `hw1pipe verify`'s report for a malformed file.
var quietOnce sync.Once

func lockLib() {
	libMu.Lock()
	quietOnce.Do(func() { _ = hdf5.DisplayErrors(false) })
}

// WriteFile writes group with float64 attrs into a new HDF5 file at path,
// as h5py's f.create_group(group).attrs[name] = array does, attributes in
// the order given. It writes a temporary file in path's directory and
// renames it over path when complete; on error no file is left.
func WriteFile(path, group string, attrs []Attr) error {
	if err := validate(group, attrs); err != nil {
		return err
	}
	return atomicfile.WritePath(path, func(tmp string) error { return writeTemp(tmp, group, attrs) })
}

func writeTemp(tmp, group string, attrs []Attr) (err error) {
	lockLib()
	defer libMu.Unlock()
	lib := func(op string, e error) error { return &libError{Op: op, Path: tmp, Err: e} }
	file, e := hdf5.CreateFile(tmp, hdf5.F_ACC_TRUNC)
	if e != nil {
		return lib("create file", e)
	}
	defer func() {
		if e := file.Close(); e != nil && err == nil {
			err = lib("close file", e)
		}
	}()
	g, e := file.CreateGroup(group)
	if e != nil {
		return lib("create group "+group, e)
	}
	defer func() {
		if e := g.Close(); e != nil && err == nil {
			err = lib("close group", e)
		}
	}()
	for _, a := range attrs {
		if err := writeAttr(g, a); err != nil {
			return lib("write attribute "+a.Name, err)
		}
	}
	return nil
}

func writeAttr(g *hdf5.Group, a Attr) (err error) {
	dims := make([]uint, len(a.Shape))
	for i, s := range a.Shape {
		dims[i] = uint(s)
	}
	space, err := hdf5.CreateSimpleDataspace(dims, nil)
	if err != nil {
		return err
	}
	defer space.Close()
	attr, err := g.CreateAttribute(a.Name, hdf5.T_IEEE_F64LE, space)
	if err != nil {
		return err
	}
	defer func() {
		if e := attr.Close(); e != nil && err == nil {
			err = e
		}
	}()
	// Attribute.Write has no slice case: pass the first element, whose
	// address is the start of the contiguous data (docs/formats.md#gonum-hdf5-binding).
	return attr.Write(&a.Data[0], hdf5.T_NATIVE_DOUBLE)
}

// ReadAttrs reads the named attributes of group with their shapes. Each
// must be stored as IEEE 754 float64 little-endian, exactly what h5py
// writes for a float64 array; any other datatype, including a float whose
// precision or field layout disagrees with its size, is a *TypeError
// rather than a conversion.
func ReadAttrs(path, group string, names ...string) (out []Attr, err error) {
	lockLib()
	defer libMu.Unlock()
	lib := func(op string, e error) error { return &libError{Op: op, Path: path, Err: e} }
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	file, e := hdf5.OpenFile(path, hdf5.F_ACC_RDONLY)
	if e != nil {
		return nil, lib("open file", e)
	}
	defer file.Close()
	g, e := file.OpenGroup(group)
	if e != nil {
		return nil, lib("open group "+group, e)
	}
	defer g.Close()
	for _, name := range names {
		a, err := readAttr(g, name)
		if te, ok := err.(*TypeError); ok {
			te.Path = path
			return nil, te
		}
		if err != nil {
			return nil, lib("read attribute "+name, err)
		}
		out = append(out, a)
	}
	return out, nil
}

func readAttr(g *hdf5.Group, name string) (Attr, error) {
	attr, err := g.OpenAttribute(name)
	if err != nil {
		return Attr{}, err
	}
	defer attr.Close()
	space := attr.Space()
	if space == nil {
		return Attr{}, fmt.Errorf("no dataspace")
	}
	defer space.Close()
	if space.SimpleExtentNDims() < 1 {
		return Attr{}, fmt.Errorf("not a simple dataspace of rank >= 1")
	}
	dims, _, err := space.SimpleExtentDims()
	if err != nil {
		return Attr{}, err
	}
	got, err := storedType(attr)
	if err != nil {
		return Attr{}, err
	}
	if got != "" {
		return Attr{}, &TypeError{Name: name, Got: got}
	}
	a := Attr{Name: name, Shape: make([]int, len(dims))}
	n := 1
	for i, d := range dims {
		// The dims come from the file: bound them before allocating.
		if d > MaxAttrValues || (d > 0 && n > MaxAttrValues/int(d)) {
			return Attr{}, &tooLargeError{Name: name, Len: int(min(d, 1<<62))}
		}
		a.Shape[i] = int(d)
		n *= int(d)
	}
	a.Data = make([]float64, n)
	if n == 0 {
		return a, nil
	}
	if err := attr.Read(&a.Data[0], hdf5.T_NATIVE_DOUBLE); err != nil {
		return Attr{}, err
	}
	return a, nil
}
