package inspect

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math/big"
	"reflect"
	"strings"

	"hw1pipe/artifacts/h5"
	"hw1pipe/artifacts/npy"
	"hw1pipe/internal/regfile"
)

// fileFormat is a file kind Describe recognizes by its first bytes.
type fileFormat string

const (
	formatPickle fileFormat = "pickle"
	formatTorch  fileFormat = "torch.save zip"
	formatNpy    fileFormat = "npy"
	formatHDF5   fileFormat = "hdf5"
)

// unknownFormatError reports a file Describe does not recognize.
type unknownFormatError struct {
	Path string
	Head []byte
}

func (e *unknownFormatError) Error() string {
	return fmt.Sprintf("inspect: %s: unknown format (starts %q)", e.Path, e.Head)
}

// sniff returns the format of a file from its first bytes.
func sniff(head []byte) (fileFormat, bool) {
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return formatTorch, true
	case bytes.HasPrefix(head, []byte("\x93NUMPY")):
		return formatNpy, true
	case bytes.HasPrefix(head, []byte("\x89HDF\r\n\x1a\n")):
		return formatHDF5, true
	case len(head) >= 2 && head[0] == 0x80 && head[1] >= 2 && head[1] <= 5:
		return formatPickle, true
	}
	return "", false
}

// Describe writes a short tree of what the file at path holds: types,
// shapes, dtypes and a few values. It knows pickles (including numpy and
// scikit-learn objects), torch.save archives, .npy files and, in builds
// with the hdf5 tag, linear.h5 (group "instance", attributes w and b).
func Describe(w io.Writer, path string) error {
	f, size, err := regfile.Open(path)
	if err != nil {
		return fmt.Errorf("inspect: %w", err)
	}
	defer f.Close()
	head := make([]byte, 8)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	format, ok := sniff(head)
	if !ok {
		return &unknownFormatError{Path: path, Head: head}
	}
	bw := bufio.NewWriter(w)
	p := &printer{w: bw}
	switch format {
	case formatPickle:
		if size > MaxPickleSize {
			return fmt.Errorf("inspect: %w", &regfile.TooLargeError{Path: path, Size: size, Max: MaxPickleSize})
		}
		b := make([]byte, size)
		if _, err := f.ReadAt(b, 0); err != nil {
			return fmt.Errorf("inspect: %s: %w", path, err)
		}
		fmt.Fprintf(bw, "%s: pickle protocol %d, %d bytes\n", path, head[1], size)
		v, err := decodeBytes(b, nil)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		p.value("", v, 0)
	case formatTorch:
		if size > MaxTorchSize {
			return fmt.Errorf("inspect: %w", &regfile.TooLargeError{Path: path, Size: size, Max: MaxTorchSize})
		}
		fmt.Fprintf(bw, "%s: torch.save archive, %d bytes\n", path, size)
		v, err := ReadTorch(f, size)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		p.value("", v, 0)
	case formatNpy:
		// Only the header and the first few elements are read, so any
		// size costs the same; the size must match what the header says.
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return err
		}
		h, err := npy.ReadHeader(bufio.NewReader(io.LimitReader(f, size)))
		if err != nil {
			return fmt.Errorf("inspect: %s: %w", path, err)
		}
		if want := h.DataOffset + h.DataSize(); size != want {
			return fmt.Errorf("inspect: %s: %d bytes, but its header (shape %s, %s) makes %d: truncated or padded",
				path, size, shapeString(h.Shape), dtypeName(h.Dtype), want)
		}
		raw := make([]byte, min(h.DataSize(), 5*int64(h.ItemSize)))
		if _, err := f.ReadAt(raw, h.DataOffset); err != nil {
			return fmt.Errorf("inspect: %s: %w", path, err)
		}
		fmt.Fprintf(bw, "%s: npy, %d bytes\n", path, size)
		fmt.Fprintf(bw, "ndarray %s %s %s\n", dtypeName(h.Dtype), shapeString(h.Shape), sampleN(h.Elements(raw), h.Len))
	case formatHDF5:
		fmt.Fprintf(bw, "%s: HDF5, %d bytes\n", path, size)
		if !h5.Built {
			fmt.Fprintf(bw, "(contents not shown: built without the hdf5 tag)\n")
			break
		}
		attrs, err := h5.ReadAttrs(path, h5.LinearGroup, "w", "b")
		if err != nil {
			return fmt.Errorf("inspect: %s: %w", path, err)
		}
		fmt.Fprintf(bw, "group %q\n", h5.LinearGroup)
		for _, a := range attrs {
			fmt.Fprintf(bw, "  attr %s: float64 %s %s\n", a.Name, shapeString(a.Shape), sample(a.Data))
		}
	}
	return bw.Flush()
}

const (
	maxDepth = 6
	maxItems = 40 // dict items shown per level
	maxList  = 3  // list elements shown
)

type printer struct {
	w io.Writer
}

func (p *printer) line(depth int, label, text string) {
	fmt.Fprintf(p.w, "%s%s%s\n", strings.Repeat("  ", depth), label, text)
}

func (p *printer) value(label string, v any, depth int) {
	if label != "" {
		label += ": "
	}
	if depth > maxDepth {
		p.line(depth, label, "...")
		return
	}
	switch x := v.(type) {
	case nil:
		p.line(depth, label, "None")
	case bool:
		p.line(depth, label, map[bool]string{true: "True", false: "False"}[x])
	case int, float64, *big.Int:
		p.line(depth, label, fmt.Sprintf("%s %v", pyType(v), x))
	case string:
		s := x
		if len(s) > 60 {
			s = s[:60] + "..."
		}
		p.line(depth, label, fmt.Sprintf("str %q", s))
	case []byte:
		p.line(depth, label, fmt.Sprintf("bytes (%d)", len(x)))
	case []any:
		if t, ok := uniform(x); ok {
			p.line(depth, label, fmt.Sprintf("list of %d %s %s", len(x), t, sample(x)))
			return
		}
		p.line(depth, label, fmt.Sprintf("list (%d items)", len(x)))
		for i, e := range x {
			if i == maxList {
				p.line(depth+1, "", "...")
				break
			}
			p.value(fmt.Sprintf("[%d]", i), e, depth+1)
		}
	case Tuple:
		if t, ok := uniform(x); ok && len(x) > 0 {
			p.line(depth, label, fmt.Sprintf("tuple of %d %s %s", len(x), t, sample([]any(x))))
			return
		}
		p.line(depth, label, fmt.Sprintf("tuple (%d items)", len(x)))
		for i, e := range x {
			if i == maxItems {
				p.line(depth+1, "", fmt.Sprintf("... %d more", len(x)-i))
				break
			}
			p.value(fmt.Sprintf("[%d]", i), e, depth+1)
		}
	case *Dict:
		kind := "dict"
		if x.Class != "" {
			kind = x.Class
		}
		p.line(depth, label, fmt.Sprintf("%s (%d items)", kind, len(x.Keys)))
		for i, k := range x.Keys {
			if i == maxItems {
				p.line(depth+1, "", fmt.Sprintf("... %d more", len(x.Keys)-i))
				break
			}
			p.value(keyString(k), x.Values[i], depth+1)
		}
		if x.Attrs != nil {
			p.value("(attributes)", x.Attrs, depth+1)
		}
	case Global:
		p.line(depth, label, "global "+x.String())
	case *Object:
		how := "object"
		if x.Reduced {
			how = "call result"
		}
		p.line(depth, label, fmt.Sprintf("%s (%s)", x.Class, how))
		if len(x.Args) > 0 {
			p.value("(args)", Tuple(x.Args), depth+1)
		}
		if d, ok := x.State.(*Dict); ok {
			for i, k := range d.Keys {
				if i == maxItems {
					p.line(depth+1, "", fmt.Sprintf("... %d more", len(d.Keys)-i))
					break
				}
				p.value(keyString(k), d.Values[i], depth+1)
			}
		} else if x.State != nil {
			p.value("(state)", x.State, depth+1)
		}
	case *Array:
		kind := "ndarray"
		if x.Masked {
			kind = "MaskedArray"
		}
		p.line(depth, label, fmt.Sprintf("%s %s %s %s", kind, dtypeName(x.Dtype), shapeString(x.Shape), sample(x.Data)))
	case *Scalar:
		p.line(depth, label, fmt.Sprintf("numpy.%s %v", dtypeName(x.Dtype), x.Value))
	case *Tensor:
		p.line(depth, label, fmt.Sprintf("tensor %s %s %s", x.Dtype, shapeString(x.Shape), sample(x.Data)))
	default:
		p.line(depth, label, fmt.Sprintf("%T", v))
	}
}

func pyType(v any) string {
	switch v.(type) {
	case int, *big.Int:
		return "int"
	case float64:
		return "float"
	case string:
		return "str"
	case bool:
		return "bool"
	}
	return ""
}

// uniform reports whether every element is an int, a float or a str.
func uniform(xs []any) (string, bool) {
	t := ""
	for _, x := range xs {
		pt := pyType(x)
		if pt == "" || pt == "bool" || (t != "" && pt != t) {
			return "", false
		}
		t = pt
	}
	return t, true
}

func keyString(k any) string {
	if s, ok := k.(string); ok {
		return s
	}
	return Short(k)
}

// Short formats a decoded value in a few words: a scalar as Python prints
// it (a str quoted and cut at 60 bytes), a container or object by its type
// and length. It never descends into a container, so a value that holds
// itself prints like any other.
func Short(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case bool:
		return map[bool]string{true: "True", false: "False"}[x]
	case int, float64, float32, int64, int32, int16, int8, uint8:
		return fmt.Sprint(x)
	case *big.Int:
		if x.BitLen() > 256 {
			return fmt.Sprintf("int of %d bits", x.BitLen())
		}
		return x.String()
	case string:
		if len(x) > 60 {
			return fmt.Sprintf("%q...", x[:60])
		}
		return fmt.Sprintf("%q", x)
	case []byte:
		return fmt.Sprintf("bytes (%d)", len(x))
	case []any:
		return fmt.Sprintf("list (%d items)", len(x))
	case Tuple:
		return fmt.Sprintf("tuple (%d items)", len(x))
	case *Dict:
		if x.Class != "" {
			return fmt.Sprintf("%s (%d items)", x.Class, len(x.Keys))
		}
		return fmt.Sprintf("dict (%d items)", len(x.Keys))
	case Global:
		return "global " + x.String()
	case *Object:
		return x.Class.String() + " object"
	case *Array:
		return fmt.Sprintf("ndarray %s %s", dtypeName(x.Dtype), shapeString(x.Shape))
	case *Scalar:
		return fmt.Sprintf("numpy.%s %v", dtypeName(x.Dtype), x.Value)
	case *Tensor:
		return fmt.Sprintf("tensor %s %s", x.Dtype, shapeString(x.Shape))
	}
	return fmt.Sprintf("%T", v)
}

func dtypeName(code string) string {
	switch code {
	case "f8", "<f8", "float64":
		return "float64"
	case "f4", "<f4", "float32":
		return "float32"
	case "i8", "<i8", "int64":
		return "int64"
	case "i4", "<i4", "int32":
		return "int32"
	case "u1", "|u1", "uint8":
		return "uint8"
	case "b1", "|b1":
		return "bool"
	case "O8":
		return "object"
	}
	return code
}

func shapeString(s []int) string {
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = fmt.Sprint(d)
	}
	if len(s) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// sample formats the first few elements of a slice.
func sample(data any) string {
	v := reflect.ValueOf(data)
	if v.Kind() != reflect.Slice {
		return ""
	}
	return sampleN(data, v.Len())
}

// sampleN formats the first few elements of data, the start of a
// sequence of n.
func sampleN(data any, n int) string {
	v := reflect.ValueOf(data)
	if v.Kind() != reflect.Slice {
		return ""
	}
	parts := []string{}
	for i := 0; i < n && i < 4 && i < v.Len(); i++ {
		parts = append(parts, Short(v.Index(i).Interface()))
	}
	if n > 4 {
		parts = append(parts, fmt.Sprintf("... %d more", n-4))
	}
	return "[" + strings.Join(parts, " ") + "]"
}
