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
//	*Array, Array               numpy.ndarray (formats.md 2.1)
//	Scalar                      numpy scalar such as np.float64 (2.2)
//	*MaskedArray, MaskedArray   numpy.ma.MaskedArray (2.3)
//	Pickler                     whatever its PickleReduce returns
//
// Go maps are rejected (*UnsupportedTypeError): their order is random and
// the same value must always give the same bytes. Use *Dict.
//
// # Protocols
//
// The default is protocol 4 with the memo (MEMOIZE) and CPython's framing,
// which is what pickle.dumps writes in Python 3.8 to 3.13: for a list of
// floats the bytes are identical to CPython's. SetProtocol(2) with
// SetMemo(false) gives the restricted form torch.save uses and torch's
// weights-only unpickler accepts (formats.md 4.3, 4.4): GLOBAL instead of
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
// so a bad value leaves nothing written. Bad values give
// *UnsupportedTypeError, *UnsupportedValueError, *ShapeError or
// *PicklerError; a failed write is returned by every later Encode.
// SetProtocol panics on a protocol outside 2..4 (a programmer error).
// An Encoder is not safe for concurrent use.
//
// References: /work/shared/spec/formats.md sections 1 and 2 (copied in
// spirit into this package's tests), Python's Lib/pickletools.py for the
// opcode meanings.
package pickle
