// Package pickle writes Python pickle streams (protocols 2 to 4) from Go
// values, so that Python's pickle.load, torch.load and scikit-learn read
// them as the objects hw1pipe means.
//
// # Values
//
// Encode maps Go values to Python objects:
//
//	nil                         None
//	bool                        bool
//	int, int8..int64, uint..    int (BININT1/BININT2/BININT/LONG1 by range)
//	*big.Int                    int of any size
//	float64, float32            float (BINFLOAT; float32 is widened exactly)
//	string                      str (must be valid UTF-8)
//	[]byte                      bytes
//	[]any, []float64, []int,
//	[]string, []bool            list
//	Tuple                       tuple
//	*Dict                       dict, in insertion order
//	*OrderedDict                collections.OrderedDict
//	Global                      a module-level name (class or function)
//	*Reduce, Reduce             callable(*args), then optional BUILD state
//	*Object, Object             cls.__new__(cls, *args) + BUILD state
//	PersistentID                BINPERSID (torch storages)
//	*Array, Array               numpy.ndarray (docs/formats.md#ndarray)
//	Scalar                      numpy scalar such as np.float64 (docs/formats.md#numpy-scalars)
//	*MaskedArray, MaskedArray   numpy.ma.MaskedArray (docs/formats.md#masked-arrays)
//	Pickler                     whatever its PickleReduce returns
//
// Go maps are rejected: their order is random and
// the same value must always give the same bytes. Use *Dict.
//
// # Protocols
//
// The default is protocol 4 with the memo (MEMOIZE) and CPython's framing,
// which is what pickle.dumps writes in Python 3.8 to 3.13: for a list of
// floats the bytes are identical to CPython's. SetProtocol(2) with
// SetMemo(false) gives the restricted form torch.save uses and torch's
// weights-only unpickler accepts (docs/formats.md#pickled-state-dict and docs/formats.md#weights-only-loading): GLOBAL instead of
// STACK_GLOBAL, BINUNICODE, no FRAME, no MEMOIZE.
//
// With the memo on, values that are the same Go pointer (*Dict, *Array,
// *Object ...) are written once and fetched again with BINGET, so they
// load as one shared Python object; strings and globals are shared by
// value, as CPython shares interned strings.
//
// # Errors
//
// Encode builds the whole stream in memory and writes it with one call,
// so a bad value leaves nothing written. A bad value (a type with no
// Python form, a value its type cannot write, a shape that does not match
// the data, a failing PickleReduce) gives an error naming it; a failed
// write is returned by every later Encode.
// SetProtocol panics on a protocol outside 2..4 (a programmer error).
// An Encoder is not safe for concurrent use.
//
// References: docs/formats.md#pickle and
// docs/formats.md#numpy-objects-in-pickles (checked by this package's
// tests); CPython's Lib/pickletools.py for the opcode meanings
// (https://github.com/python/cpython/blob/3.11/Lib/pickletools.py).
package pickle
