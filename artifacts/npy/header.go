package npy

import (
	"math"
	"strconv"
	"strings"
)

// hdr is a parsed header dict.
type hdr struct {
	descr   string // normalised: one of the five supported descriptors
	size    int    // item size in bytes
	shape   []int
	shapeAt int // offset of the shape value, for error messages
}

// pyKind tells which Python literal a pyVal holds.
type pyKind int

const (
	pyStr pyKind = iota
	pyInt
	pyBool
	pyNone
	pyTuple
	pyList
	pyDict
)

// pyVal is a Python literal of the small subset numpy writes in headers
// (numpy reads them with ast.literal_eval).
type pyVal struct {
	kind  pyKind
	at    int // offset where the literal starts
	str   string
	num   int
	flag  bool
	items []pyVal
	keys  []string // for pyDict, parallel to items
	text  string   // source text, for error messages
}

// parseHeader parses the header dict and checks its three keys.
func parseHeader(text []byte) (*hdr, error) {
	p := &parser{s: string(text)}
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i != len(p.s) {
		return nil, p.fail("trailing text after the dict")
	}
	if v.kind != pyDict {
		return nil, &headerError{Offset: v.at, Msg: "header is not a dict"}
	}
	var descr, order, shape *pyVal
	for i, k := range v.keys {
		switch k {
		case "descr":
			descr = &v.items[i]
		case "fortran_order":
			order = &v.items[i]
		case "shape":
			shape = &v.items[i]
		default:
			return nil, &headerError{Offset: v.items[i].at, Msg: "unexpected key " + strconv.Quote(k)}
		}
	}
	switch {
	case descr == nil:
		return nil, &headerError{Offset: v.at, Msg: "missing key 'descr'"}
	case order == nil:
		return nil, &headerError{Offset: v.at, Msg: "missing key 'fortran_order'"}
	case shape == nil:
		return nil, &headerError{Offset: v.at, Msg: "missing key 'shape'"}
	}

	h := &hdr{shapeAt: shape.at}
	if err := h.setDescr(descr); err != nil {
		return nil, err
	}
	if order.kind != pyBool {
		return nil, &headerError{Offset: order.at, Msg: "'fortran_order' is " + order.text + ", not a bool"}
	}
	if order.flag {
		return nil, &unsupportedError{Feature: "fortran_order", Value: "True"}
	}
	if shape.kind != pyTuple {
		return nil, &headerError{Offset: shape.at, Msg: "'shape' is " + shape.text + ", not a tuple"}
	}
	h.shape = make([]int, len(shape.items))
	for i, d := range shape.items {
		if d.kind != pyInt || d.num < 0 {
			return nil, &headerError{Offset: d.at, Msg: "shape entry " + d.text + " is not a non-negative int"}
		}
		h.shape[i] = d.num
	}
	return h, nil
}

func (h *hdr) setDescr(v *pyVal) error {
	if v.kind == pyList {
		return &unsupportedError{Feature: "structured dtype", Value: v.text}
	}
	if v.kind != pyStr {
		return &headerError{Offset: v.at, Msg: "'descr' is " + v.text + ", not a str"}
	}
	switch v.str {
	case Float64:
		h.descr, h.size = Float64, 8
	case Float32:
		h.descr, h.size = Float32, 4
	case Int64:
		h.descr, h.size = Int64, 8
	case Int32:
		h.descr, h.size = Int32, 4
	case Uint8, "<u1":
		h.descr, h.size = Uint8, 1
	default:
		q := v.text
		switch {
		case strings.HasPrefix(v.str, ">"):
			return &unsupportedError{Feature: "big-endian dtype", Value: q}
		case strings.Contains(v.str, "O"):
			return &unsupportedError{Feature: "object dtype", Value: q}
		}
		return &unsupportedError{Feature: "dtype", Value: q}
	}
	return nil
}

type parser struct {
	s string
	i int
}

func (p *parser) fail(msg string) error { return &headerError{Offset: p.i, Msg: msg} }

func (p *parser) space() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

// depth guards against inputs such as "((((((..." exhausting the stack.
const maxDepth = 32

func (p *parser) value() (pyVal, error) { return p.valueAt(0) }

func (p *parser) valueAt(depth int) (pyVal, error) {
	if depth > maxDepth {
		return pyVal{}, p.fail("literal nested too deeply")
	}
	p.space()
	if p.i >= len(p.s) {
		return pyVal{}, p.fail("unexpected end of header")
	}
	start := p.i
	v := pyVal{at: start}
	var err error
	switch c := p.s[p.i]; {
	case c == '\'' || c == '"':
		v.kind = pyStr
		v.str, err = p.str()
	case c == '-' || c == '+' || (c >= '0' && c <= '9'):
		v.kind = pyInt
		v.num, err = p.int()
	case c == '(':
		v.kind = pyTuple
		v.items, _, err = p.seq(')', false, depth)
	case c == '[':
		v.kind = pyList
		v.items, _, err = p.seq(']', false, depth)
	case c == '{':
		v.kind = pyDict
		v.items, v.keys, err = p.seq('}', true, depth)
	default:
		switch {
		case strings.HasPrefix(p.s[p.i:], "True"):
			v.kind, v.flag = pyBool, true
			p.i += 4
		case strings.HasPrefix(p.s[p.i:], "False"):
			v.kind = pyBool
			p.i += 5
		case strings.HasPrefix(p.s[p.i:], "None"):
			v.kind = pyNone
			p.i += 4
		default:
			return v, p.fail("unexpected character " + strconv.QuoteRune(rune(c)))
		}
	}
	if err != nil {
		return v, err
	}
	v.text = p.s[start:p.i]
	if v.kind == pyTuple && len(v.items) == 1 && !strings.HasSuffix(strings.TrimRight(v.text[:len(v.text)-1], " \t\r\n"), ",") {
		// "(5)" is a parenthesised int in Python, not a tuple.
		v = v.items[0]
		v.at, v.text = start, p.s[start:p.i]
	}
	return v, nil
}

// seq parses the items of a tuple, list or dict up to the closing byte.
func (p *parser) seq(end byte, dict bool, depth int) ([]pyVal, []string, error) {
	p.i++ // opening bracket
	var items []pyVal
	var keys []string
	for {
		p.space()
		if p.i < len(p.s) && p.s[p.i] == end {
			p.i++
			return items, keys, nil
		}
		if dict {
			k, err := p.valueAt(depth + 1)
			if err != nil {
				return nil, nil, err
			}
			if k.kind != pyStr {
				return nil, nil, &headerError{Offset: k.at, Msg: "dict key " + k.text + " is not a str"}
			}
			p.space()
			if p.i >= len(p.s) || p.s[p.i] != ':' {
				return nil, nil, p.fail("expected ':'")
			}
			p.i++
			keys = append(keys, k.str)
		}
		v, err := p.valueAt(depth + 1)
		if err != nil {
			return nil, nil, err
		}
		items = append(items, v)
		p.space()
		if p.i >= len(p.s) {
			return nil, nil, p.fail("unexpected end of header")
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case end:
		default:
			return nil, nil, p.fail("expected ',' or " + strconv.QuoteRune(rune(end)))
		}
	}
}

// str parses a quoted string without escapes; numpy's descriptors have none.
func (p *parser) str() (string, error) {
	q := p.s[p.i]
	j := strings.IndexByte(p.s[p.i+1:], q)
	if j < 0 {
		return "", p.fail("unterminated string")
	}
	s := p.s[p.i+1 : p.i+1+j]
	if strings.IndexByte(s, '\\') >= 0 {
		return "", p.fail("escapes in strings are not supported")
	}
	p.i += j + 2
	return s, nil
}

// int parses a decimal int; a trailing 'L' (Python 2 long) is accepted.
func (p *parser) int() (int, error) {
	start := p.i
	if p.s[p.i] == '-' || p.s[p.i] == '+' {
		p.i++
	}
	for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		p.i++
	}
	n, err := strconv.ParseInt(p.s[start:p.i], 10, 64)
	if err != nil || n > math.MaxInt || n < math.MinInt {
		p.i = start
		return 0, p.fail("bad int " + strconv.Quote(p.s[start:min(len(p.s), start+24)]))
	}
	if p.i < len(p.s) && (p.s[p.i] == 'L' || p.s[p.i] == 'l') {
		p.i++
	}
	return int(n), nil
}
