package pickle

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// Limits on what Scan accepts. A pickle is a program for a stack machine:
// each opcode may allocate, and a length field may claim any size. These
// bounds keep the memory an unpickler spends on one stream near a small
// multiple of the stream's own size, whatever its bytes say.
const (
	// MaxCost bounds Scan's estimate of the memory, in bytes, that
	// unpickling allocates for the objects a stream creates, beyond the
	// copies of its payloads (strings, bytes), which the caller bounds by
	// bounding the stream's size. A training curve of 10,000 floats costs
	// about 0.2 MB; a fitted SVC a few KB (its arrays are byte strings).
	MaxCost = 32 << 20
	// MaxNumberLen bounds the argument of a text number opcode (INT,
	// LONG, FLOAT) and of LONG4, in bytes. Converting a long integer is
	// quadratic in its length in some unpicklers; CPython itself refuses
	// int strings over 4300 digits.
	MaxNumberLen = 4300
)

// scanError reports a pickle stream Scan refuses.
type scanError struct {
	Offset int // of the opcode at fault
	Op     byte
	Msg    string
}

func (e *scanError) Error() string {
	if e.Offset < 0 {
		return "pickle: " + e.Msg
	}
	return fmt.Sprintf("pickle: opcode 0x%02x at byte %d: %s", e.Op, e.Offset, e.Msg)
}

// argument kinds of the opcodes (Lib/pickletools.py names them the same way).
const (
	argNone   = iota
	argFixed  // n bytes
	argLine   // one line ending in '\n'
	argLine2  // two lines
	argNumber // one line, a number of at most MaxNumberLen bytes
	argLen1   // 1-byte length, then that many bytes
	argLen4   // 4-byte little-endian unsigned length, then bytes
	argLen4s  // 4-byte signed length (BINSTRING, LONG4), then bytes
	argLen8   // 8-byte length, then bytes
	argFrame  // 8-byte frame length
)

type opInfo struct {
	arg  int
	n    int // argFixed: size
	cost int // estimated bytes allocated when run
}

// opTable lists every opcode of protocols 0 to 5 with its argument and
// an estimate of what running it allocates: a stack slot (16 bytes), plus
// for containers their header and initial backing array, for MARK the
// new stack the unpickler starts. Unknown opcodes are refused.
var opTable = func() [256]*opInfo {
	var t [256]*opInfo
	set := func(ops string, arg, n, cost int) {
		for i := 0; i < len(ops); i++ {
			t[ops[i]] = &opInfo{arg: arg, n: n, cost: cost}
		}
	}
	const slot = 16
	// no argument
	set(".012NabeostuRQ", argNone, 0, slot)
	set("\x88\x89", argNone, 0, slot)
	set("(", argNone, 0, 320)             // MARK: a fresh 16-slot stack
	set("}d", argNone, 0, 192)            // dict with room for 4 entries
	set("]l", argNone, 0, 64)             // list
	set(")t\x85\x86\x87", argNone, 0, 96) // tuples
	set("\x81\x92\x93", argNone, 0, 96)   // NEWOBJ, NEWOBJ_EX, STACK_GLOBAL
	set("\x8f\x90\x91", argNone, 0, 96)   // sets
	set("\x94", argNone, 0, 64)           // MEMOIZE: a map entry
	set("\x97\x98", argNone, 0, slot)
	// fixed-size arguments
	set("K", argFixed, 1, slot)
	set("M", argFixed, 2, slot)
	set("J", argFixed, 4, slot)
	set("G", argFixed, 8, slot)
	set("h\x82", argFixed, 1, slot)
	set("\x83", argFixed, 2, slot)
	set("j\x84", argFixed, 4, slot)
	set("q", argFixed, 1, 64) // BINPUT: a map entry
	set("r", argFixed, 4, 64)
	set("\x80", argFixed, 1, 0)
	// lines
	set("SVPgp", argLine, 0, 64)
	set("ci", argLine2, 0, 96)
	set("FIL", argNumber, 0, 64)
	// counted arguments
	set("UC\x8c\x8a", argLen1, 0, 64)
	set("XB", argLen4, 0, 64)
	set("T\x8b", argLen4s, 0, 64)
	set("\x8d\x8e\x96", argLen8, 0, 64)
	set("\x95", argFrame, 0, 0)
	return t
}()

// Scan checks a pickle stream before an unpickler runs it: every opcode
// is known, every length fits in the bytes that follow, text numbers and
// LONG4 are at most MaxNumberLen bytes, the stream reaches STOP, and the
// estimated allocation for the objects it creates stays under
// MaxCost. It reads the opcodes only, never running them, in time linear
// in len(data). It returns the offset just past STOP; bytes after it are
// not looked at.
//
// Unpicklers such as github.com/nlpodyssey/gopickle trust length fields
// (a BINBYTES8 claiming a terabyte is one make call) and keep every
// object a stream creates; Scan is the check to run on untrusted bytes
// first.
func Scan(data []byte) (int, error) {
	cost := 0
	for i := 0; i < len(data); {
		at, op := i, data[i]
		fail := func(msg string, args ...any) (int, error) {
			return 0, &scanError{Offset: at, Op: op, Msg: fmt.Sprintf(msg, args...)}
		}
		info := opTable[op]
		if info == nil {
			return fail("unknown opcode")
		}
		i++
		rest := len(data) - i
		switch info.arg {
		case argFixed:
			if rest < info.n {
				return fail("truncated: needs %d argument bytes, %d left", info.n, rest)
			}
			i += info.n
		case argLine, argLine2, argNumber:
			lines := 1
			if info.arg == argLine2 {
				lines = 2
			}
			for range lines {
				j := bytes.IndexByte(data[i:], '\n')
				if j < 0 {
					return fail("truncated: argument line has no end")
				}
				if info.arg == argNumber && j > MaxNumberLen {
					return fail("number of %d digits; at most %d are read", j, MaxNumberLen)
				}
				i += j + 1
			}
		case argLen1, argLen4, argLen4s, argLen8, argFrame:
			w := map[int]int{argLen1: 1, argLen4: 4, argLen4s: 4, argLen8: 8, argFrame: 8}[info.arg]
			if rest < w {
				return fail("truncated: needs a %d-byte length, %d bytes left", w, rest)
			}
			var n uint64
			switch w {
			case 1:
				n = uint64(data[i])
			case 4:
				n = uint64(binary.LittleEndian.Uint32(data[i:]))
				if info.arg == argLen4s && int32(n) < 0 {
					return fail("negative length %d", int32(n))
				}
			case 8:
				n = binary.LittleEndian.Uint64(data[i:])
			}
			i += w
			if n > uint64(len(data)-i) {
				return fail("length %d exceeds the %d bytes left in the stream", n, len(data)-i)
			}
			if op == '\x8b' && n > MaxNumberLen {
				return fail("LONG4 of %d bytes; at most %d are read", n, MaxNumberLen)
			}
			if info.arg != argFrame {
				// A frame's bytes are opcodes, scanned in turn; any
				// other payload is skipped.
				i += int(n)
			}
		}
		cost += info.cost
		if cost > MaxCost {
			return fail("too many objects: unpickling would allocate more than %d MiB for them; refusing", MaxCost>>20)
		}
		if op == '.' {
			return i, nil
		}
	}
	return 0, &scanError{Offset: -1, Msg: fmt.Sprintf("truncated: no STOP opcode in %d bytes", len(data))}
}
