package pickle

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/big"
	"reflect"
	"strings"
	"unicode/utf8"
)

// Opcodes, named as in Python's pickletools.
const (
	opMark           = '('
	opStop           = '.'
	opBinInt         = 'J'
	opBinInt1        = 'K'
	opBinInt2        = 'M'
	opNone           = 'N'
	opBinPersID      = 'Q'
	opReduce         = 'R'
	opBinUnicode     = 'X'
	opAppend         = 'a'
	opBuild          = 'b'
	opGlobal         = 'c'
	opEmptyDict      = '}'
	opAppends        = 'e'
	opBinGet         = 'h'
	opLongBinGet     = 'j'
	opEmptyList      = ']'
	opBinPut         = 'q'
	opLongBinPut     = 'r'
	opSetItem        = 's'
	opTuple          = 't'
	opEmptyTuple     = ')'
	opSetItems       = 'u'
	opBinFloat       = 'G'
	opProto          = 0x80
	opNewObj         = 0x81
	opTuple1         = 0x85
	opTuple2         = 0x86
	opTuple3         = 0x87
	opNewTrue        = 0x88
	opNewFalse       = 0x89
	opLong1          = 0x8a
	opLong4          = 0x8b
	opBinBytes       = 'B'
	opShortBinBytes  = 'C'
	opShortBinUnicod = 0x8c
	opBinUnicode8    = 0x8d
	opBinBytes8      = 0x8e
	opStackGlobal    = 0x93
	opMemoize        = 0x94
	opFrame          = 0x95
)

const (
	batchSize       = 1000  // CPython's _BATCHSIZE
	frameSizeTarget = 65536 // CPython's _FRAME_SIZE_TARGET
	frameSizeMin    = 4     // a shorter frame gets no header
	frameHeaderSize = 9
	maxPicklerDepth = 8
	// maxNesting bounds recursion as CPython's recursion limit does; a
	// self-containing value without the memo would otherwise never end.
	maxNesting = 1000
)

// DefaultProtocol is the protocol NewEncoder uses: Python 3.8 to 3.13's
// pickle.DEFAULT_PROTOCOL.
const DefaultProtocol = 4

// Encoder writes pickles to an output stream.
type Encoder struct {
	w     io.Writer
	proto int
	memo  bool
	err   error // sticky write error

	// per-Encode state
	out        []byte
	framing    bool
	frameStart int // offset of the open frame's header, -1 if none
	memoIdx    map[any]int
	depth      int // Pickler nesting
	level      int // value nesting
}

// NewEncoder returns an encoder that writes to w with protocol 4 and the
// memo on, as CPython's pickle.dump does by default.
func NewEncoder(w io.Writer) *Encoder {
	return &Encoder{w: w, proto: DefaultProtocol, memo: true}
}

// SetProtocol selects protocol 2, 3 or 4 (default 4). Protocol 4 frames
// its output as CPython does. It panics on any other value.
func (e *Encoder) SetProtocol(p int) {
	if p < 2 || p > 4 {
		panic(fmt.Sprintf("pickle: protocol %d not supported (want 2..4)", p))
	}
	e.proto = p
}

// SetMemo turns the memo on (default) or off. Without it shared objects
// load as equal copies and no BINPUT/MEMOIZE opcodes are written, which
// torch.save's layout wants.
func (e *Encoder) SetMemo(on bool) { e.memo = on }

// Encode writes the pickle of v followed by STOP. The stream is built in
// memory first, so an unsupported value writes nothing.
func (e *Encoder) Encode(v any) (err error) {
	if e.err != nil {
		return e.err
	}
	b, err := e.marshal(v)
	if err != nil {
		return err
	}
	if _, err := e.w.Write(b); err != nil {
		e.err = err
		return err
	}
	return nil
}

// Marshal returns the protocol-4 pickle of v, as pickle.dumps(v) would.
func Marshal(v any) ([]byte, error) {
	e := &Encoder{proto: DefaultProtocol, memo: true}
	return e.marshal(v)
}

func (e *Encoder) marshal(v any) (b []byte, err error) {
	e.out = make([]byte, 0, 256)
	e.frameStart = -1
	e.framing = false
	e.memoIdx = nil
	e.depth = 0
	e.level = 0
	if e.memo {
		e.memoIdx = map[any]int{}
	}
	defer func() {
		if r := recover(); r != nil {
			if ee, ok := r.(encodeError); ok {
				err = ee.err
				b = nil
				return
			}
			panic(r)
		}
	}()
	e.out = append(e.out, opProto, byte(e.proto))
	e.framing = e.proto >= 4
	e.save(v)
	e.write(opStop)
	e.commitFrame()
	b, e.out, e.memoIdx = e.out, nil, nil
	return b, nil
}

func (e *Encoder) fail(err error) { panic(encodeError{err}) }

// write appends bytes, opening a frame first when framing is on.
func (e *Encoder) write(b ...byte) {
	if e.framing && e.frameStart < 0 {
		e.frameStart = len(e.out)
		e.out = append(e.out, make([]byte, frameHeaderSize)...)
	}
	e.out = append(e.out, b...)
}

func (e *Encoder) writeString(s string) {
	if e.framing && e.frameStart < 0 {
		e.write()
	}
	e.out = append(e.out, s...)
}

// commitFrame closes the open frame, dropping the header of a frame too
// short to deserve one (CPython's _Pickler_CommitFrame).
func (e *Encoder) commitFrame() {
	if e.frameStart < 0 {
		return
	}
	n := len(e.out) - e.frameStart - frameHeaderSize
	if n >= frameSizeMin {
		e.out[e.frameStart] = opFrame
		binary.LittleEndian.PutUint64(e.out[e.frameStart+1:], uint64(n))
	} else {
		copy(e.out[e.frameStart:], e.out[e.frameStart+frameHeaderSize:])
		e.out = e.out[:len(e.out)-frameHeaderSize]
	}
	e.frameStart = -1
}

// boundary is called before each value is saved, as pickle.py's save()
// calls commit_frame(): a frame that reached the target size is closed.
func (e *Encoder) boundary() {
	if e.frameStart >= 0 && len(e.out)-e.frameStart-frameHeaderSize >= frameSizeTarget {
		e.commitFrame()
	}
}

// writeLarge writes an opcode header and a payload; a payload of at least
// the frame target goes outside any frame, as CPython writes it.
func (e *Encoder) writeLarge(header []byte, payload string) {
	if e.framing && len(payload) >= frameSizeTarget {
		e.commitFrame()
		e.out = append(e.out, header...)
		e.out = append(e.out, payload...)
		return
	}
	e.write(header...)
	e.writeString(payload)
}

// Memo keys: strings and globals are shared by value, containers by
// pointer identity.
type (
	strKey    string
	dtypeKey  string
	bytesKey  string // only for len <= 1: CPython caches those bytes objects
	sharedKey string
)

// memoGet writes a BINGET for key and reports whether key was memoized.
func (e *Encoder) memoGet(key any) bool {
	if e.memoIdx == nil || key == nil {
		return false
	}
	i, ok := e.memoIdx[key]
	if !ok {
		return false
	}
	if i < 256 {
		e.write(opBinGet, byte(i))
	} else {
		var b [5]byte
		b[0] = opLongBinGet
		binary.LittleEndian.PutUint32(b[1:], uint32(i))
		e.write(b[:]...)
	}
	return true
}

// memoPut stores the stack top under key.
func (e *Encoder) memoPut(key any) {
	if e.memoIdx == nil {
		return
	}
	i := len(e.memoIdx)
	if key == nil {
		key = &i // unique: never fetched again
	}
	e.memoIdx[key] = i
	switch {
	case e.proto >= 4:
		e.write(opMemoize)
	case i < 256:
		e.write(opBinPut, byte(i))
	default:
		var b [5]byte
		b[0] = opLongBinPut
		binary.LittleEndian.PutUint32(b[1:], uint32(i))
		e.write(b[:]...)
	}
}

func (e *Encoder) save(v any) {
	e.boundary()
	e.level++
	defer func() { e.level-- }()
	if e.level > maxNesting {
		e.fail(&unsupportedValueError{Value: nil, Str: fmt.Sprintf("value nested deeper than %d levels (does it contain itself?)", maxNesting)})
	}
	switch x := v.(type) {
	case nil:
		e.write(opNone)
	case bool:
		if x {
			e.write(opNewTrue)
		} else {
			e.write(opNewFalse)
		}
	case int:
		e.saveInt(int64(x))
	case int8:
		e.saveInt(int64(x))
	case int16:
		e.saveInt(int64(x))
	case int32:
		e.saveInt(int64(x))
	case int64:
		e.saveInt(x)
	case uint8:
		e.saveInt(int64(x))
	case uint16:
		e.saveInt(int64(x))
	case uint32:
		e.saveInt(int64(x))
	case uint:
		e.saveUint(uint64(x))
	case uint64:
		e.saveUint(x)
	case *big.Int:
		if x == nil {
			e.write(opNone)
		} else if x.IsInt64() {
			e.saveInt(x.Int64())
		} else {
			e.saveLong(x)
		}
	case float64:
		e.saveFloat(x)
	case float32:
		e.saveFloat(float64(x))
	case string:
		e.saveStr(x)
	case []byte:
		e.saveBytes(x)
	case []any:
		e.saveList(len(x), func(i int) any { return x[i] }, nil)
	case []float64:
		e.saveList(len(x), func(i int) any { return x[i] }, nil)
	case []int:
		e.saveList(len(x), func(i int) any { return x[i] }, nil)
	case []string:
		e.saveList(len(x), func(i int) any { return x[i] }, nil)
	case []bool:
		e.saveList(len(x), func(i int) any { return x[i] }, nil)
	case Tuple:
		e.saveTuple(x, nil)
	case sharedTuple:
		if e.memoGet(sharedKey(x.name)) {
			return
		}
		e.saveTuple(x.t, sharedKey(x.name))
	case *Dict:
		if x == nil {
			e.write(opNone)
			return
		}
		if e.memoGet(x) {
			return
		}
		e.write(opEmptyDict)
		e.memoPut(x)
		e.saveItems(x)
	case *OrderedDict:
		e.saveOrderedDict(x)
	case Global:
		e.saveGlobal(x)
	case *Reduce:
		if x == nil {
			e.write(opNone)
			return
		}
		if e.memoGet(x) {
			return
		}
		e.saveReduce(*x, x)
	case Reduce:
		e.saveReduce(x, nil)
	case *Object:
		if x == nil {
			e.write(opNone)
			return
		}
		if e.memoGet(x) {
			return
		}
		e.saveObject(*x, x)
	case Object:
		e.saveObject(x, nil)
	case PersistentID:
		e.save(x.ID)
		e.write(opBinPersID)
	case *Array:
		if x == nil {
			e.write(opNone)
			return
		}
		if e.memoGet(x) {
			return
		}
		e.saveReduce(e.arrayReduce(x), x)
	case Array:
		e.saveReduce(e.arrayReduce(&x), nil)
	case *MaskedArray:
		if x == nil {
			e.write(opNone)
			return
		}
		if e.memoGet(x) {
			return
		}
		e.saveReduce(e.maskedReduce(x), x)
	case MaskedArray:
		e.saveReduce(e.maskedReduce(&x), nil)
	case Scalar:
		e.saveReduce(e.scalarReduce(x), nil)
	case Dtype:
		e.saveDtype(x)
	case Pickler:
		if e.depth >= maxPicklerDepth {
			e.fail(&picklerError{Type: reflect.TypeOf(v), Err: fmt.Errorf("PickleReduce nested deeper than %d", maxPicklerDepth)})
		}
		r, err := x.PickleReduce()
		if err != nil {
			e.fail(&picklerError{Type: reflect.TypeOf(v), Err: err})
		}
		e.depth++
		e.save(r)
		e.depth--
	default:
		e.fail(&unsupportedTypeError{Type: reflect.TypeOf(v)})
	}
}

func (e *Encoder) saveInt(x int64) {
	switch {
	case x >= 0 && x <= 0xff:
		e.write(opBinInt1, byte(x))
	case x >= 0 && x <= 0xffff:
		e.write(opBinInt2, byte(x), byte(x>>8))
	case x >= math.MinInt32 && x <= math.MaxInt32:
		var b [5]byte
		b[0] = opBinInt
		binary.LittleEndian.PutUint32(b[1:], uint32(int32(x)))
		e.write(b[:]...)
	default:
		e.saveLong(big.NewInt(x))
	}
}

func (e *Encoder) saveUint(x uint64) {
	if x <= math.MaxInt64 {
		e.saveInt(int64(x))
		return
	}
	e.saveLong(new(big.Int).SetUint64(x))
}

// saveLong writes LONG1/LONG4 with Python's encode_long: little-endian
// two's complement, (bit_length >> 3) + 1 bytes, minus a redundant 0xff
// sign byte for negatives.
func (e *Encoder) saveLong(x *big.Int) {
	n := x.BitLen()>>3 + 1
	b := make([]byte, n)
	if x.Sign() >= 0 {
		x.FillBytes(b) // big-endian
	} else {
		// two's complement: 2^(8n) + x
		m := new(big.Int).Lsh(big.NewInt(1), uint(8*n))
		m.Add(m, x)
		m.FillBytes(b)
	}
	for i, j := 0, n-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	if x.Sign() < 0 && n > 1 && b[n-1] == 0xff && b[n-2]&0x80 != 0 {
		b = b[:n-1]
		n--
	}
	if n < 256 {
		e.write(opLong1, byte(n))
	} else {
		var h [5]byte
		h[0] = opLong4
		binary.LittleEndian.PutUint32(h[1:], uint32(n))
		e.write(h[:]...)
	}
	e.write(b...)
}

// saveFloat writes BINFLOAT: the IEEE-754 bits big-endian, NaN payloads
// included, as CPython's PyFloat_Pack8 does.
func (e *Encoder) saveFloat(x float64) {
	var b [9]byte
	b[0] = opBinFloat
	binary.BigEndian.PutUint64(b[1:], math.Float64bits(x))
	e.write(b[:]...)
}

func (e *Encoder) saveStr(s string) {
	if !utf8.ValidString(s) {
		e.fail(&unsupportedValueError{Value: s, Str: fmt.Sprintf("string %q is not valid UTF-8", s)})
	}
	if e.memoGet(strKey(s)) {
		return
	}
	e.writeStrOp(s)
	e.memoPut(strKey(s))
}

func (e *Encoder) writeStrOp(s string) {
	n := len(s)
	switch {
	case e.proto >= 4 && n < 256:
		e.write(opShortBinUnicod, byte(n))
		e.writeString(s)
	case n <= math.MaxUint32:
		var h [5]byte
		h[0] = opBinUnicode
		binary.LittleEndian.PutUint32(h[1:], uint32(n))
		e.writeLarge(h[:], s)
	default:
		if e.proto < 4 {
			e.fail(&unsupportedValueError{Value: n, Str: "string over 4 GiB needs protocol 4"})
		}
		var h [9]byte
		h[0] = opBinUnicode8
		binary.LittleEndian.PutUint64(h[1:], uint64(n))
		e.writeLarge(h[:], s)
	}
}

func (e *Encoder) saveBytes(b []byte) {
	if e.proto < 3 {
		// Protocol 2 has no bytes opcode; Python writes
		// _codecs.encode(b.decode('latin1'), 'latin1').
		var sb strings.Builder
		for _, c := range b {
			sb.WriteRune(rune(c))
		}
		e.saveReduce(Reduce{Func: Global{"_codecs", "encode"}, Args: Tuple{sb.String(), "latin1"}}, nil)
		return
	}
	n := len(b)
	var key any
	if n <= 1 {
		key = bytesKey(b)
		if e.memoGet(key) {
			return
		}
	}
	switch {
	case n < 256:
		e.write(opShortBinBytes, byte(n))
		e.write(b...)
	case n <= math.MaxUint32:
		var h [5]byte
		h[0] = opBinBytes
		binary.LittleEndian.PutUint32(h[1:], uint32(n))
		e.writeLarge(h[:], string(b))
	default:
		if e.proto < 4 {
			e.fail(&unsupportedValueError{Value: n, Str: "bytes over 4 GiB need protocol 4"})
		}
		var h [9]byte
		h[0] = opBinBytes8
		binary.LittleEndian.PutUint64(h[1:], uint64(n))
		e.writeLarge(h[:], string(b))
	}
	e.memoPut(key)
}

// saveList writes EMPTY_LIST and the items in batches of 1000.
func (e *Encoder) saveList(n int, item func(int) any, key any) {
	e.write(opEmptyList)
	e.memoPut(key)
	for start := 0; start < n; start += batchSize {
		end := min(start+batchSize, n)
		if end-start == 1 {
			e.save(item(start))
			e.write(opAppend)
			continue
		}
		e.write(opMark)
		for i := start; i < end; i++ {
			e.save(item(i))
		}
		e.write(opAppends)
	}
}

func (e *Encoder) saveItems(d *Dict) {
	n := d.Len()
	for start := 0; start < n; start += batchSize {
		end := min(start+batchSize, n)
		if end-start == 1 {
			e.save(d.keys[start])
			e.save(d.vals[start])
			e.write(opSetItem)
			continue
		}
		e.write(opMark)
		for i := start; i < end; i++ {
			e.save(d.keys[i])
			e.save(d.vals[i])
		}
		e.write(opSetItems)
	}
}

// sharedTuple is a tuple that CPython shares as one constant object,
// such as the (0,) in MaskedArray.__reduce__; it is memoized by name.
type sharedTuple struct {
	name string
	t    Tuple
}

func (e *Encoder) saveTuple(t Tuple, key any) {
	n := len(t)
	if n == 0 {
		e.write(opEmptyTuple)
		return
	}
	if n <= 3 {
		for _, x := range t {
			e.save(x)
		}
		e.write(opTuple1 + byte(n-1))
	} else {
		e.write(opMark)
		for _, x := range t {
			e.save(x)
		}
		e.write(opTuple)
	}
	e.memoPut(key)
}

func (e *Encoder) saveOrderedDict(d *OrderedDict) {
	if d == nil {
		e.write(opNone)
		return
	}
	if e.memoGet(d) {
		return
	}
	e.save(Global{"collections", "OrderedDict"})
	e.write(opEmptyTuple)
	e.write(opReduce)
	e.memoPut(d)
	e.saveItems(&d.Dict)
	if d.Attrs != nil {
		e.save(d.Attrs)
		e.write(opBuild)
	}
}

func (e *Encoder) saveGlobal(g Global) {
	if g.Module == "" || g.Name == "" {
		e.fail(&unsupportedValueError{Value: g, Str: fmt.Sprintf("global %q has an empty module or name", g.String())})
	}
	if e.memoGet(g) {
		return
	}
	if e.proto >= 4 {
		e.save(g.Module)
		e.save(g.Name)
		e.write(opStackGlobal)
	} else {
		if strings.Contains(g.Name, ".") {
			e.fail(&unsupportedValueError{Value: g, Str: fmt.Sprintf("dotted global %s needs protocol 4", g)})
		}
		for _, s := range []string{g.Module, g.Name} {
			if !utf8.ValidString(s) || strings.ContainsRune(s, '\n') {
				e.fail(&unsupportedValueError{Value: g, Str: fmt.Sprintf("global name %q is not one line of UTF-8", s)})
			}
		}
		e.write(opGlobal)
		e.writeString(g.Module + "\n" + g.Name + "\n")
	}
	e.memoPut(g)
}

func (e *Encoder) saveReduce(r Reduce, key any) {
	if r.Func == nil {
		e.fail(&unsupportedValueError{Value: r, Str: "Reduce with a nil Func"})
	}
	e.save(r.Func)
	e.saveTuple(r.Args, nil)
	e.write(opReduce)
	e.memoPut(key)
	if r.State != nil {
		e.save(r.State)
		e.write(opBuild)
	}
}

func (e *Encoder) saveObject(o Object, key any) {
	e.save(o.Class)
	e.saveTuple(o.Args, nil)
	e.write(opNewObj)
	e.memoPut(key)
	if o.State != nil {
		e.save(o.State)
		e.write(opBuild)
	}
}
