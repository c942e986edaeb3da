package pickle

import (
	"fmt"
	"reflect"
)

// Tuple is a Python tuple.
type Tuple []any

// Dict is a Python dict that keeps insertion order, which is the order
// its items are pickled in. Keys must be comparable Go values (strings,
// ints, floats, bools, Global). The zero value is an empty dict; use it
// through a pointer.
type Dict struct {
	keys  []any
	vals  []any
	index map[any]int
}

// NewDict returns an empty dict; with pairs (key, value, key, value ...)
// it sets them in order. It panics on an odd count.
func NewDict(pairs ...any) *Dict {
	if len(pairs)%2 != 0 {
		panic("pickle: NewDict needs key, value pairs")
	}
	d := &Dict{}
	for i := 0; i < len(pairs); i += 2 {
		d.Set(pairs[i], pairs[i+1])
	}
	return d
}

// Set sets d[key] = value. A new key goes to the end; an existing key
// keeps its place, as in Python. It panics on an unhashable key.
func (d *Dict) Set(key, value any) {
	if key != nil && !reflect.TypeOf(key).Comparable() {
		panic(fmt.Sprintf("pickle: unhashable dict key of type %T", key))
	}
	if d.index == nil {
		d.index = map[any]int{}
	}
	if i, ok := d.index[key]; ok {
		d.vals[i] = value
		return
	}
	d.index[key] = len(d.keys)
	d.keys = append(d.keys, key)
	d.vals = append(d.vals, value)
}

// Get returns d[key] and whether it was present.
func (d *Dict) Get(key any) (any, bool) {
	if d == nil || d.index == nil {
		return nil, false
	}
	if key != nil && !reflect.TypeOf(key).Comparable() {
		return nil, false
	}
	i, ok := d.index[key]
	if !ok {
		return nil, false
	}
	return d.vals[i], true
}

// Len returns the number of items.
func (d *Dict) Len() int {
	if d == nil {
		return 0
	}
	return len(d.keys)
}

// Keys returns the keys in order. The slice is the dict's own: do not
// modify it.
func (d *Dict) Keys() []any {
	if d == nil {
		return nil
	}
	return d.keys
}

// OrderedDict is collections.OrderedDict. Attrs, when non-nil, become the
// instance's __dict__ (torch keeps a state_dict's _metadata there); it is
// pickled as a BUILD after the items, as CPython does.
type OrderedDict struct {
	Dict
	Attrs *Dict
}

// NewOrderedDict is NewDict for an OrderedDict.
func NewOrderedDict(pairs ...any) *OrderedDict {
	return &OrderedDict{Dict: *NewDict(pairs...)}
}

// Global names a module-level Python object, such as a class
// (Global{"sklearn.svm._classes", "SVC"}) or a function. Under protocol
// 2 and 3 a dotted Name is an error: only protocol 4 resolves it.
type Global struct {
	Module, Name string
}

func (g Global) String() string { return g.Module + "." + g.Name }

// Reduce is Func(*Args), pickled as REDUCE, then BUILD with State when
// State is non-nil. Func is usually a Global; Args nil means ().
type Reduce struct {
	Func  any
	Args  Tuple
	State any
}

// Object is what Python's object.__reduce_ex__(2+) gives for an instance
// of a plain class: Class.__new__(Class, *Args) (NEWOBJ), then BUILD with
// State (usually a *Dict of attributes) when State is non-nil.
type Object struct {
	Class Global
	Args  Tuple
	State any
}

// PersistentID is pickled as ID then BINPERSID; the unpickler's
// persistent_load turns it into an object (torch: a storage).
type PersistentID struct {
	ID any
}

// Pickler is implemented by values that describe their own pickled form,
// the way a Python class defines __reduce__. PickleReduce returns the
// value to encode in their place, typically an Object or a Reduce. It is
// called once per occurrence; returning another Pickler is allowed up to
// a small depth.
type Pickler interface {
	PickleReduce() (any, error)
}
