package pickle

import (
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
)

// Array is a C-ordered numpy.ndarray. Data is one of []float64,
// []float32, []int64, []int32, []uint8, []bool (stored as numpy
// float64, float32, int64, int32, uint8, bool) or []any (dtype object,
// whose elements are pickled as values). Shape is the numpy shape;
// product(Shape) must equal len(Data), and an empty Shape is a 0-d array
// of one element. Arrays are written as numpy 1.x and 2.x both load them
// (docs/formats.md#ndarray and docs/formats.md#numpy-2-compatibility).
type Array struct {
	Shape []int
	Data  any
}

// MaskedArray is numpy.ma.MaskedArray: Array plus a mask of one bool per
// element (nil means nothing masked) and a fill value (nil: None, numpy's
// default until fill_value is read). docs/formats.md#masked-arrays.
type MaskedArray struct {
	Array
	Mask      []bool
	FillValue any
}

// Scalar is a numpy scalar such as np.float64(0.5) or np.int64(3). Value
// is a float64, float32, int64, int32, uint8 or bool; its Go type picks
// the numpy type.
type Scalar struct {
	Value any
}

// Dtype is a numpy dtype object by its array-protocol code ("f8", "i4",
// "b1", "O8", ...). Only the codes Array supports are accepted.
type Dtype string

type dtypeInfo struct {
	order string // '<' little-endian, '|' not applicable
	flags int
	size  int
}

var dtypes = map[Dtype]dtypeInfo{
	"f8": {"<", 0, 8},
	"f4": {"<", 0, 4},
	"i8": {"<", 0, 8},
	"i4": {"<", 0, 4},
	"u1": {"|", 0, 1},
	"b1": {"|", 0, 1},
	"O8": {"|", 63, 8},
}

// dtypeOf returns the dtype code of a Data slice and its element count.
func dtypeOf(data any) (Dtype, int, bool) {
	switch d := data.(type) {
	case []float64:
		return "f8", len(d), true
	case []float32:
		return "f4", len(d), true
	case []int64:
		return "i8", len(d), true
	case []int32:
		return "i4", len(d), true
	case []uint8:
		return "u1", len(d), true
	case []bool:
		return "b1", len(d), true
	case []any:
		return "O8", len(d), true
	}
	return "", 0, false
}

// rawBytes returns the little-endian bytes of a non-object Data slice.
func rawBytes(data any) []byte {
	switch d := data.(type) {
	case []float64:
		b := make([]byte, 8*len(d))
		for i, x := range d {
			binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(x))
		}
		return b
	case []float32:
		b := make([]byte, 4*len(d))
		for i, x := range d {
			binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
		}
		return b
	case []int64:
		b := make([]byte, 8*len(d))
		for i, x := range d {
			binary.LittleEndian.PutUint64(b[8*i:], uint64(x))
		}
		return b
	case []int32:
		b := make([]byte, 4*len(d))
		for i, x := range d {
			binary.LittleEndian.PutUint32(b[4*i:], uint32(x))
		}
		return b
	case []uint8:
		return append([]byte{}, d...)
	case []bool:
		b := make([]byte, len(d))
		for i, x := range d {
			if x {
				b[i] = 1
			}
		}
		return b
	}
	panic("pickle: rawBytes of unsupported data")
}

func shapeTuple(shape []int) Tuple {
	t := make(Tuple, len(shape))
	for i, s := range shape {
		t[i] = s
	}
	return t
}

// arrayState checks a and returns ndarray.__reduce__'s state tuple
// (1, shape, dtype, is_fortran, data).
func (e *Encoder) arrayState(a *Array) Tuple {
	code, n, ok := dtypeOf(a.Data)
	if !ok {
		e.fail(&unsupportedTypeError{Type: reflect.TypeOf(a.Data)})
	}
	want := 1
	for _, s := range a.Shape {
		if s < 0 {
			e.fail(&shapeError{Shape: a.Shape, Len: n, What: "array"})
		}
		want *= s
	}
	if want != n {
		e.fail(&shapeError{Shape: a.Shape, Len: n, What: "array"})
	}
	var data any
	if code == "O8" {
		data = a.Data.([]any)
	} else {
		data = rawBytes(a.Data)
	}
	return Tuple{1, shapeTuple(a.Shape), Dtype(code), false, data}
}

var (
	globalReconstruct = Global{"numpy.core.multiarray", "_reconstruct"}
	globalNdarray     = Global{"numpy", "ndarray"}
	globalDtype       = Global{"numpy", "dtype"}
	globalScalar      = Global{"numpy.core.multiarray", "scalar"}
	globalMaReconstr  = Global{"numpy.ma.core", "_mareconstruct"}
	globalMaskedArray = Global{"numpy.ma.core", "MaskedArray"}
)

func (e *Encoder) arrayReduce(a *Array) Reduce {
	return Reduce{
		Func:  globalReconstruct,
		Args:  Tuple{globalNdarray, Tuple{0}, []byte("b")},
		State: e.arrayState(a),
	}
}

func (e *Encoder) maskedReduce(m *MaskedArray) Reduce {
	st := e.arrayState(&m.Array)
	_, count, _ := dtypeOf(m.Data)
	mask := make([]byte, count)
	if m.Mask != nil {
		if len(m.Mask) != count {
			e.fail(&shapeError{Shape: m.Shape, Len: len(m.Mask), What: "mask"})
		}
		for i, x := range m.Mask {
			if x {
				mask[i] = 1
			}
		}
	}
	return Reduce{
		Func:  globalMaReconstr,
		Args:  Tuple{globalMaskedArray, globalNdarray, sharedTuple{"ma (0,)", Tuple{0}}, "b"},
		State: append(st, mask, m.FillValue),
	}
}

func (e *Encoder) scalarReduce(s Scalar) Reduce {
	var data any
	switch v := s.Value.(type) {
	case float64:
		data = []float64{v}
	case float32:
		data = []float32{v}
	case int64:
		data = []int64{v}
	case int32:
		data = []int32{v}
	case uint8:
		data = []uint8{v}
	case bool:
		data = []bool{v}
	default:
		e.fail(&unsupportedTypeError{Type: reflect.TypeOf(s.Value)})
	}
	code, _, _ := dtypeOf(data)
	return Reduce{Func: globalScalar, Args: Tuple{Dtype(code), rawBytes(data)}}
}

// saveDtype writes numpy.dtype(code, False, True) with its state, shared
// through the memo by code as numpy shares its builtin dtype objects.
func (e *Encoder) saveDtype(d Dtype) {
	info, ok := dtypes[d]
	if !ok {
		e.fail(&unsupportedValueError{Value: d, Str: fmt.Sprintf("numpy dtype %q", string(d))})
	}
	if e.memoGet(dtypeKey(d)) {
		return
	}
	e.saveReduce(Reduce{
		Func:  globalDtype,
		Args:  Tuple{string(d), false, true},
		State: Tuple{3, info.order, nil, nil, nil, -1, -1, info.flags},
	}, dtypeKey(d))
}
