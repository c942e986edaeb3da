package pipeline

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// parseYAML checks that src is text YAML accepts and holds at most one
// document, and returns that document (with no Content when src holds
// none). Every error is a *ConfigError with the best position known.
func parseYAML(file string, src []byte) (*yaml.Node, error) {
	if err := checkText(file, src); err != nil {
		return nil, err
	}
	d := yaml.NewDecoder(bytes.NewReader(src))
	var doc yaml.Node
	if err := d.Decode(&doc); errors.Is(err, io.EOF) {
		return &yaml.Node{Kind: yaml.DocumentNode}, nil
	} else if err != nil {
		return nil, syntaxError(file, src, err)
	}
	// yaml.Unmarshal reads the first document and ignores the rest; a
	// second one would silently not count.
	var next yaml.Node
	switch err := d.Decode(&next); {
	case errors.Is(err, io.EOF):
		return &doc, nil
	case err != nil:
		return nil, syntaxError(file, src, err)
	}
	return nil, &ConfigError{File: file, Line: next.Line, Column: next.Column,
		Err: errors.New("a second YAML document starts here; the pipeline is one document (remove this ---)")}
}

// checkText reports the first byte that is not UTF-8 or is a character
// YAML forbids (NUL and the other C0 and C1 controls but tab, LF, CR and
// NEL; U+FFFE, U+FFFF), with its byte offset. yaml.v3 refuses both
// without saying where. Input starting with a UTF-16 byte order mark is
// left to yaml.v3, which decodes it.
func checkText(file string, src []byte) error {
	if bytes.HasPrefix(src, []byte{0xFE, 0xFF}) || bytes.HasPrefix(src, []byte{0xFF, 0xFE}) {
		return nil
	}
	for off := 0; off < len(src); {
		r, size := utf8.DecodeRune(src[off:])
		var msg string
		switch {
		case r == utf8.RuneError && size <= 1:
			msg = fmt.Sprintf("not UTF-8: byte 0x%02x at offset %d", src[off], off)
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r',
			r >= 0x7F && r <= 0x9F && r != 0x85,
			r == 0xFFFE, r == 0xFFFF:
			msg = fmt.Sprintf("control character %U at byte offset %d; YAML allows tab, newline and carriage return only", r, off)
		default:
			off += size
			continue
		}
		line, col := position(src, off)
		return &ConfigError{File: file, Line: line, Column: col, Err: errors.New(msg)}
	}
	return nil
}

// position returns the 1-based line and column (in characters, as
// yaml.v3 counts them) of byte offset off in src.
func position(src []byte, off int) (line, col int) {
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	return bytes.Count(src[:off], []byte{'\n'}) + 1, utf8.RuneCount(src[start:off]) + 1
}

var (
	yamlLineRE      = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)
	unknownAnchorRE = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)
)

// syntaxError turns a yaml.v3 parse error into a ConfigError at the
// character where parsing fails.
//
// yaml.v3's message gives at most a line, and often not the failing one:
// it prefers the line where the enclosing construct began, and is off by
// one for parser errors. Since parsing is a single forward pass, the
// failing character is the end of the shortest prefix of src that fails
// with the very same message (the line in it included); syntaxError
// finds that prefix by bisection, at O(log n) parses. When no prefix
// reproduces the message (an error that only the end of input causes,
// such as a quote opened on line 1 and never closed) it keeps yaml.v3's
// line.
func syntaxError(file string, src []byte, err error) error {
	e := &ConfigError{File: file, Err: err}
	m := yamlLineRE.FindStringSubmatch(err.Error())
	if m == nil {
		return e
	}
	e.Err = errors.New("syntax error: " + m[2])
	if off, ok := failingOffset(src, err.Error()); ok {
		// An unknown alias fails at its last character; point at its *.
		if a := unknownAnchorRE.FindStringSubmatch(m[2]); a != nil {
			if start := off + 1 - len(a[1]) - 1; start >= 0 && string(src[start:off+1]) == "*"+a[1] {
				off = start
			}
		}
		e.Line, e.Column = position(src, off)
	} else if m[1] != "" {
		e.Line, _ = strconv.Atoi(m[1])
	}
	return e
}

// failingOffset returns the offset of the first byte of the last
// character of the shortest prefix of src whose parse fails with msg.
func failingOffset(src []byte, msg string) (int, bool) {
	fails := func(n int) bool {
		err := parseAll(src[:n])
		return err != nil && err.Error() == msg
	}
	// fails(lo) is false, fails(hi) true.
	lo, hi := 0, len(src)
	if !fails(hi) {
		return 0, false
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if fails(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	// A prefix cut inside a character fails with a UTF-8 error, not
	// msg, so hi ends a whole character.
	off := hi - 1
	for off > 0 && !utf8.RuneStart(src[off]) {
		off--
	}
	return off, true
}

// parseAll parses every document of src, returning the first error.
func parseAll(src []byte) error {
	d := yaml.NewDecoder(bytes.NewReader(src))
	for {
		var n yaml.Node
		if err := d.Decode(&n); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return err
		}
	}
}
