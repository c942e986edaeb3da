package inspect

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/big"
	"reflect"

	gopickle "github.com/nlpodyssey/gopickle/pickle"
	"github.com/nlpodyssey/gopickle/types"

	"hw1pipe/artifacts/pickle"
)

// Tuple is a decoded Python tuple.
type Tuple []any

// Dict is a decoded dict or OrderedDict, in stored order.
type Dict struct {
	Keys, Values []any
	// Class is "" for a plain dict, "collections.OrderedDict" otherwise.
	Class string
	// Attrs is an OrderedDict's __dict__ (torch's _metadata), or nil.
	Attrs *Dict
}

// Get returns the value under key (compared with ==) and whether found.
func (d *Dict) Get(key any) (any, bool) {
	for i, k := range d.Keys {
		if k == key {
			return d.Values[i], true
		}
	}
	return nil, false
}

// Global is a module-level name used as a value (a class or function).
type Global struct {
	Module, Name string
}

func (g Global) String() string { return g.Module + "." + g.Name }

// Object is an instance of a class the decoder does not model: made by
// NEWOBJ (Class.__new__(Class, *Args)) or, when Reduced, by calling a
// global (REDUCE); State is what BUILD gave it, or nil.
type Object struct {
	Class   Global
	Args    []any
	State   any
	Reduced bool
}

// Array is a decoded numpy.ndarray or numpy.ma.MaskedArray. Data is a
// []float64, []float32, []int64, []int32, []uint8, []bool or, for dtype
// object, []any, in the order stored (C order unless Fortran).
type Array struct {
	Shape     []int
	Dtype     string // array-protocol code: "f8", "i4", "O8" ...
	Fortran   bool
	Data      any
	Masked    bool   // a numpy.ma.MaskedArray
	Mask      []bool // MaskedArray only
	FillValue any    // MaskedArray only
}

// Scalar is a decoded numpy scalar (np.float64 ...).
type Scalar struct {
	Dtype string
	Value any // float64, float32, int64, int32, uint8 or bool
}

// Tensor is a tensor from a torch.save archive.
type Tensor struct {
	Dtype        string // "float32", "float64", ...
	Shape        []int
	Stride       []int
	Offset       int
	RequiresGrad bool
	Data         any // the whole storage: []float32, []float64 ...
}

// MaxPickleSize bounds the pickles DecodePickle reads. The largest
// deliverable, a fitted SVC whose support vectors are all 8,000 training
// images, is about 51 MB.
const MaxPickleSize = 64 << 20

// MaxNesting bounds how deeply decoded containers may nest. Deliverables
// nest about ten levels (GridSearchCV, its best_estimator_, its state dict,
// an array, its elements).
const MaxNesting = 256

// DecodePickle reads one pickle from r and returns it as plain Go values:
// nil, bool, int or *big.Int, float64, string, []byte, []any (list),
// Tuple, *Dict, Global, *Object, *Array, *Scalar. Objects shared in the
// pickle (through its memo) are shared pointers here too, and so are
// cycles (a list holding itself).
//
// Nothing in the pickle is executed. Untrusted input is safe: the stream
// (at most MaxPickleSize bytes) is checked with pickle.Scan before it is
// unpickled, so no length field makes it allocate more than the stream
// holds and no opcode sequence more than pickle.MaxCost for its objects;
// values nested deeper than MaxNesting are an error.
func DecodePickle(r io.Reader) (any, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxPickleSize+1))
	if err != nil {
		return nil, fmt.Errorf("inspect: %w", err)
	}
	if len(b) > MaxPickleSize {
		return nil, fmt.Errorf("inspect: pickle larger than %d bytes", MaxPickleSize)
	}
	return decodeBytes(b, nil)
}

// DecodePickleBytes is DecodePickle for a pickle already in memory (at
// most MaxPickleSize bytes); b is not modified or kept.
func DecodePickleBytes(b []byte) (any, error) {
	if len(b) > MaxPickleSize {
		return nil, fmt.Errorf("inspect: pickle larger than %d bytes", MaxPickleSize)
	}
	return decodeBytes(b, nil)
}

// decodeBytes checks and unpickles b; setup, when not nil, adjusts the
// unpickler (torch's persistent storages).
func decodeBytes(b []byte, setup func(u *gopickle.Unpickler)) (v any, err error) {
	end, err := pickle.Scan(b)
	if err != nil {
		return nil, fmt.Errorf("inspect: %w", err)
	}
	u := gopickle.NewUnpickler(bytes.NewReader(b[:end]))
	u.FindClass = findClass
	if setup != nil {
		setup(&u)
	}
	raw, err := load(&u)
	if err != nil {
		return nil, fmt.Errorf("inspect: %w", err)
	}
	return normalize(raw, map[any]any{}, 0)
}

// load runs gopickle. Scan has bounded the stream, but gopickle still
// panics on some well-formed yet ill-typed streams (an unhashable key in
// an OrderedDict, a set of lists); such a panic is a malformed file, and
// is reported as one rather than crashing the program.
func load(u *gopickle.Unpickler) (v any, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, fmt.Errorf("malformed pickle (the unpickler stopped on it: %v)", r)
		}
	}()
	return u.Load()
}

// brief names a value's type and size for an error message without
// printing its contents (which may be large, or hold itself).
func brief(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case string:
		return fmt.Sprintf("str of %d bytes", len(x))
	case []byte:
		return fmt.Sprintf("bytes of %d", len(x))
	case *types.Tuple:
		return fmt.Sprintf("tuple of %d", x.Len())
	case *types.List:
		return fmt.Sprintf("list of %d", len(*x))
	case int, bool, float64:
		return fmt.Sprintf("%T %v", v, v)
	}
	return fmt.Sprintf("%T", v)
}

var (
	_ types.PyStateSettable = (*Object)(nil)
	_ types.PyStateSettable = (*Array)(nil)
	_ types.PyStateSettable = (*dtypeVal)(nil)
	_ types.Callable        = (*classStub)(nil)
	_ types.PyNewable       = (*classStub)(nil)
	_ types.Callable        = reconstructStub{}
	_ types.Callable        = dtypeStub{}
	_ types.Callable        = scalarStub{}
	_ types.Callable        = codecsEncode{}
)

type classStub struct{ g Global }

func (c *classStub) Call(args ...any) (any, error) {
	return &Object{Class: c.g, Args: args, Reduced: true}, nil
}

func (c *classStub) PyNew(args ...any) (any, error) {
	return &Object{Class: c.g, Args: args}, nil
}

// PySetState records BUILD's state; it makes *Object a gopickle
// types.PyStateSettable and is not meant to be called directly.
func (o *Object) PySetState(state any) error {
	o.State = state
	return nil
}

type reconstructStub struct{ masked bool }

func (s reconstructStub) Call(args ...any) (any, error) {
	return &Array{Masked: s.masked}, nil
}

type dtypeVal struct {
	code  string
	order string
}

type dtypeStub struct{}

func (dtypeStub) Call(args ...any) (any, error) {
	if len(args) < 1 {
		return nil, fmt.Errorf("numpy.dtype: no arguments")
	}
	code, ok := args[0].(string)
	if !ok {
		return nil, fmt.Errorf("numpy.dtype: code is a %s, not a str", brief(args[0]))
	}
	return &dtypeVal{code: code}, nil
}

func (d *dtypeVal) PySetState(state any) error {
	t, ok := state.(*types.Tuple)
	if !ok || t.Len() < 2 {
		return fmt.Errorf("numpy.dtype state is a %s", brief(state))
	}
	d.order, _ = t.Get(1).(string)
	return nil
}

type scalarStub struct{}

func (scalarStub) Call(args ...any) (any, error) {
	if len(args) != 2 {
		return nil, fmt.Errorf("numpy scalar: %d arguments", len(args))
	}
	dt, ok1 := args[0].(*dtypeVal)
	raw, ok2 := args[1].([]byte)
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("numpy scalar: arguments %s and %s, want a dtype and bytes", brief(args[0]), brief(args[1]))
	}
	data, err := decodeRaw(dt, raw)
	if err != nil {
		return nil, err
	}
	if reflect.ValueOf(data).Len() != 1 {
		return nil, fmt.Errorf("numpy scalar: %d bytes for dtype %s", len(raw), dt.code)
	}
	return &Scalar{Dtype: dt.code, Value: reflect.ValueOf(data).Index(0).Interface()}, nil
}

type codecsEncode struct{}

func (codecsEncode) Call(args ...any) (any, error) {
	if len(args) != 2 {
		return nil, fmt.Errorf("_codecs.encode: %d arguments", len(args))
	}
	s, ok := args[0].(string)
	if !ok || args[1] != "latin1" {
		return nil, fmt.Errorf("_codecs.encode: arguments %s and %s, want a str and 'latin1'", brief(args[0]), brief(args[1]))
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xff {
			return nil, fmt.Errorf("_codecs.encode: rune %U not latin-1", r)
		}
		b = append(b, byte(r))
	}
	return b, nil
}

func findClass(module, name string) (any, error) {
	switch module + "." + name {
	case "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct":
		return reconstructStub{}, nil
	case "numpy.ma.core._mareconstruct":
		return reconstructStub{masked: true}, nil
	case "numpy.dtype":
		return dtypeStub{}, nil
	case "numpy.core.multiarray.scalar", "numpy._core.multiarray.scalar":
		return scalarStub{}, nil
	case "_codecs.encode":
		return codecsEncode{}, nil
	}
	return &classStub{Global{module, name}}, nil
}

// PySetState takes ndarray's (1, shape, dtype, fortran, data) or
// MaskedArray's 7-tuple with mask bytes and fill value, as BUILD passes
// it; it makes *Array a gopickle types.PyStateSettable.
func (a *Array) PySetState(state any) error {
	t, ok := state.(*types.Tuple)
	want := 5
	if a.Masked {
		want = 7
	}
	if !ok || t.Len() != want {
		return fmt.Errorf("ndarray state: want a %d-tuple, got a %s", want, brief(state))
	}
	if v, _ := t.Get(0).(int); v != 1 {
		return fmt.Errorf("ndarray state version is %s, want 1", brief(t.Get(0)))
	}
	st, ok := t.Get(1).(*types.Tuple)
	if !ok {
		return fmt.Errorf("ndarray shape is a %s, want a tuple", brief(t.Get(1)))
	}
	n := 1
	a.Shape = make([]int, st.Len())
	for i := range a.Shape {
		s, ok := st.Get(i).(int)
		if !ok {
			return fmt.Errorf("ndarray shape item is a %s, want an int", brief(st.Get(i)))
		}
		if s < 0 || (s > 0 && n > math.MaxInt/s) {
			return fmt.Errorf("ndarray shape: item %d is negative or makes the shape too large", s)
		}
		a.Shape[i] = s
		n *= s
	}
	dt, ok := t.Get(2).(*dtypeVal)
	if !ok {
		return fmt.Errorf("ndarray dtype is a %s", brief(t.Get(2)))
	}
	a.Dtype = dt.code
	a.Fortran, _ = t.Get(3).(bool)
	switch d := t.Get(4).(type) {
	case []byte:
		data, err := decodeRaw(dt, d)
		if err != nil {
			return err
		}
		a.Data = data
	case *types.List:
		if dt.code != "O8" {
			return fmt.Errorf("ndarray: list data for dtype %s", dt.code)
		}
		a.Data = []any(*d)
	default:
		return fmt.Errorf("ndarray data %T", d)
	}
	if m := reflect.ValueOf(a.Data).Len(); m != n {
		return fmt.Errorf("ndarray: %d elements for shape %v", m, a.Shape)
	}
	if a.Masked {
		mb, ok := t.Get(5).([]byte)
		if !ok || len(mb) != n {
			return fmt.Errorf("masked array mask is a %s, want %d bytes", brief(t.Get(5)), n)
		}
		a.Mask = make([]bool, n)
		for i, b := range mb {
			a.Mask[i] = b != 0
		}
		a.FillValue = t.Get(6)
	}
	return nil
}

func decodeRaw(dt *dtypeVal, b []byte) (any, error) {
	size := map[string]int{"f8": 8, "f4": 4, "i8": 8, "i4": 4, "u1": 1, "b1": 1}[dt.code]
	if size == 0 {
		return nil, fmt.Errorf("numpy dtype %q not supported", dt.code)
	}
	if size > 1 && dt.order != "<" && dt.order != "=" {
		return nil, fmt.Errorf("numpy dtype %s with byte order %q", dt.code, dt.order)
	}
	if len(b)%size != 0 {
		return nil, fmt.Errorf("numpy data of %d bytes for dtype %s", len(b), dt.code)
	}
	n := len(b) / size
	le := binary.LittleEndian
	switch dt.code {
	case "f8":
		out := make([]float64, n)
		for i := range out {
			out[i] = math.Float64frombits(le.Uint64(b[8*i:]))
		}
		return out, nil
	case "f4":
		out := make([]float32, n)
		for i := range out {
			out[i] = math.Float32frombits(le.Uint32(b[4*i:]))
		}
		return out, nil
	case "i8":
		out := make([]int64, n)
		for i := range out {
			out[i] = int64(le.Uint64(b[8*i:]))
		}
		return out, nil
	case "i4":
		out := make([]int32, n)
		for i := range out {
			out[i] = int32(le.Uint32(b[4*i:]))
		}
		return out, nil
	case "u1":
		return append([]uint8{}, b...), nil
	default: // b1
		out := make([]bool, n)
		for i, c := range b {
			out[i] = c != 0
		}
		return out, nil
	}
}

// normalize turns gopickle's values and the stand-ins into the exported
// types, keeping shared objects shared (seen maps old to new). Every
// container is entered in seen before its items are converted, so a cycle
// ends at the container's own new value; depth counts the containers
// entered, up to MaxNesting.
func normalize(v any, seen map[any]any, depth int) (any, error) {
	switch v.(type) {
	case nil, bool, int, float64, string, []byte, *big.Int:
		return v, nil
	}
	if reflect.TypeOf(v).Kind() == reflect.Pointer {
		if n, ok := seen[v]; ok {
			return n, nil
		}
	}
	if depth >= MaxNesting {
		return nil, fmt.Errorf("inspect: values nested more than %d levels deep", MaxNesting)
	}
	var err error
	// fill converts in into out (of the same length) in place.
	fill := func(out, in []any) {
		for i, e := range in {
			if err != nil {
				return
			}
			out[i], err = normalize(e, seen, depth+1)
		}
	}
	all := func(in []any) []any {
		out := make([]any, len(in))
		fill(out, in)
		return out
	}
	switch x := v.(type) {
	case *types.List:
		out := make([]any, len(*x))
		seen[v] = out
		fill(out, *x)
		return out, err
	case *types.Tuple:
		t := make(Tuple, len(*x))
		seen[v] = t
		fill(t, *x)
		return t, err
	case *types.Dict:
		d := &Dict{}
		seen[v] = d
		for _, e := range *x {
			d.Keys = append(d.Keys, e.Key)
			d.Values = append(d.Values, e.Value)
		}
		fill(d.Keys, d.Keys)
		fill(d.Values, d.Values)
		return d, err
	case *types.OrderedDict:
		d := &Dict{Class: "collections.OrderedDict"}
		seen[v] = d
		for e := x.List.Front(); e != nil; e = e.Next() {
			ent := e.Value.(*types.OrderedDictEntry)
			d.Keys = append(d.Keys, ent.Key)
			d.Values = append(d.Values, ent.Value)
		}
		fill(d.Keys, d.Keys)
		fill(d.Values, d.Values)
		if len(x.PyDict) > 0 {
			d.Attrs = &Dict{}
			for _, k := range sortedKeys(x.PyDict) {
				d.Attrs.Keys = append(d.Attrs.Keys, k)
				d.Attrs.Values = append(d.Attrs.Values, x.PyDict[k])
			}
			fill(d.Attrs.Values, d.Attrs.Values)
		}
		return d, err
	case *classStub:
		return x.g, nil
	case *Object:
		seen[v] = x
		x.Args = all(x.Args)
		if err == nil && x.State != nil {
			x.State, err = normalize(x.State, seen, depth+1)
		}
		return x, err
	case *Array:
		seen[v] = x
		if d, ok := x.Data.([]any); ok {
			x.Data = all(d)
		}
		if err == nil && x.FillValue != nil {
			x.FillValue, err = normalize(x.FillValue, seen, depth+1)
		}
		return x, err
	case *Scalar, *Tensor:
		return x, nil
	case *dtypeVal:
		return Global{"numpy", "dtype(" + x.code + ")"}, nil
	case *storage:
		return nil, fmt.Errorf("inspect: a torch storage outside a tensor")
	}
	return nil, fmt.Errorf("inspect: cannot decode a value of Go type %T", v)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}
