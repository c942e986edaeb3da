package torchsave

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"hw1pipe/artifacts/pickle"
	"hw1pipe/internal/atomicfile"
)

// DefaultPrefix is the archive's directory name when none is set; torch
// uses it when saving to a file-like object.
const DefaultPrefix = "archive"

// alignment is torch's storage alignment in the archive.
const alignment = 64

// ErrClosed is returned by Add and Close after Close.
var ErrClosed = errors.New("torchsave: writer closed")

// nameError reports a bad tensor name or archive prefix.
type nameError struct {
	Name   string
	Reason string
}

func (e *nameError) Error() string {
	return fmt.Sprintf("torchsave: name %q: %s", e.Name, e.Reason)
}

// shapeError reports a shape that does not match the data.
type shapeError struct {
	Name  string
	Shape []int
	Len   int
}

func (e *shapeError) Error() string {
	return fmt.Sprintf("torchsave: tensor %q: %d values do not fit shape %v", e.Name, e.Len, e.Shape)
}

// nonFiniteError reports a NaN or infinite value.
type nonFiniteError struct {
	Name  string
	Index int
	Value float32
}

func (e *nonFiniteError) Error() string {
	return fmt.Sprintf("torchsave: tensor %q: value %v at flat index %d", e.Name, e.Value, e.Index)
}

// Tensor is a named dense float32 tensor: Shape in elements, Data in C
// (row-major) order, len(Data) = product(Shape).
type Tensor struct {
	Name  string
	Shape []int
	Data  []float32
}

// Writer builds a torch.save archive on an io.Writer.
type Writer struct {
	w        io.Writer
	prefix   string
	metadata bool
	tensors  []Tensor
	names    map[string]bool
	closed   bool
}

// NewWriter returns a Writer that will write the archive to w when
// closed. The prefix is DefaultPrefix and _metadata is written.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: w, prefix: DefaultPrefix, metadata: true, names: map[string]bool{}}
}

// SetPrefix sets the archive's top directory; torch.save uses the file
// name without extension. It must be a non-empty UTF-8 name without '/'
// or '\\'; otherwise Close returns an error.
func (w *Writer) SetPrefix(p string) { w.prefix = p }

// SetMetadata turns the state_dict's _metadata attribute on (default) or
// off. nn.Linear loads either way (docs/formats.md#pickled-state-dict).
func (w *Writer) SetMetadata(on bool) { w.metadata = on }

// Add appends a tensor. shape is in elements (nil or empty: a scalar);
// data holds product(shape) values in C order.
func (w *Writer) Add(name string, shape []int, data []float32) error {
	if w.closed {
		return ErrClosed
	}
	switch {
	case name == "":
		return &nameError{Name: name, Reason: "empty tensor name"}
	case !utf8.ValidString(name):
		return &nameError{Name: name, Reason: "not valid UTF-8"}
	case w.names[name]:
		return &nameError{Name: name, Reason: "duplicate tensor name"}
	}
	n := 1
	for _, s := range shape {
		if s < 0 {
			return &shapeError{Name: name, Shape: shape, Len: len(data)}
		}
		n *= s
	}
	if n != len(data) {
		return &shapeError{Name: name, Shape: shape, Len: len(data)}
	}
	for i, x := range data {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return &nonFiniteError{Name: name, Index: i, Value: x}
		}
	}
	w.names[name] = true
	w.tensors = append(w.tensors, Tensor{Name: name, Shape: append([]int{}, shape...), Data: data})
	return nil
}

// Close writes the archive. It does not close the underlying writer. A
// second Close returns ErrClosed.
func (w *Writer) Close() error {
	if w.closed {
		return ErrClosed
	}
	w.closed = true
	if w.prefix == "" || !utf8.ValidString(w.prefix) || strings.ContainsAny(w.prefix, "/\\") {
		return &nameError{Name: w.prefix, Reason: "archive prefix must be a non-empty UTF-8 name without slashes"}
	}
	pkl, err := w.dataPickle()
	if err != nil {
		return err
	}
	type record struct {
		name string
		data []byte
	}
	recs := []record{{"data.pkl", pkl}}
	keys := make([]int, len(w.tensors))
	for i := range keys {
		keys[i] = i
	}
	// torch 1.13 writes storages in the order of their keys as strings
	sort.Slice(keys, func(a, b int) bool { return strconv.Itoa(keys[a]) < strconv.Itoa(keys[b]) })
	for _, k := range keys {
		recs = append(recs, record{"data/" + strconv.Itoa(k), float32Bytes(w.tensors[k].Data)})
	}
	recs = append(recs, record{"version", []byte("3\n")})

	cw := &countingWriter{w: w.w}
	bw := bufio.NewWriter(cw)
	zw := zip.NewWriter(bw)
	pending := 0 // data descriptor of the previous entry, written by the next CreateRaw
	for _, r := range recs {
		name := w.prefix + "/" + r.name
		if err := bw.Flush(); err != nil { // zip.Writer buffers through bw
			return err
		}
		offset := cw.n + int64(pending)
		pad := int((-(offset + 30 + int64(len(name)) + 4)) % alignment)
		if pad < 0 {
			pad += alignment
		}
		extra := make([]byte, 4+pad)
		extra[0], extra[1] = 'F', 'B'
		binary.LittleEndian.PutUint16(extra[2:], uint16(pad))
		for i := 4; i < len(extra); i++ {
			extra[i] = 'Z'
		}
		fw, err := zw.CreateRaw(&zip.FileHeader{
			Name:               name,
			Flags:              0x0808, // data descriptor, UTF-8 names
			Method:             zip.Store,
			CRC32:              crc32.ChecksumIEEE(r.data),
			CompressedSize64:   uint64(len(r.data)),
			UncompressedSize64: uint64(len(r.data)),
			Extra:              extra,
		})
		if err != nil {
			return err
		}
		if _, err := fw.Write(r.data); err != nil {
			return err
		}
		pending = 16
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return bw.Flush()
}

// dataPickle returns data.pkl: an OrderedDict of _rebuild_tensor_v2
// reductions over persistent storage ids (docs/formats.md#pickled-state-dict).
func (w *Writer) dataPickle() ([]byte, error) {
	sd := pickle.NewOrderedDict()
	for k, t := range w.tensors {
		size := make(pickle.Tuple, len(t.Shape))
		stride := make(pickle.Tuple, len(t.Shape))
		st := 1
		for i := len(t.Shape) - 1; i >= 0; i-- {
			size[i] = t.Shape[i]
			stride[i] = st
			st *= t.Shape[i]
		}
		storage := pickle.PersistentID{ID: pickle.Tuple{
			"storage", pickle.Global{Module: "torch", Name: "FloatStorage"}, strconv.Itoa(k), "cpu", len(t.Data),
		}}
		sd.Set(t.Name, pickle.Reduce{
			Func: pickle.Global{Module: "torch._utils", Name: "_rebuild_tensor_v2"},
			Args: pickle.Tuple{storage, 0, size, stride, false, pickle.NewOrderedDict()},
		})
	}
	if w.metadata {
		md := pickle.NewOrderedDict()
		md.Set("", pickle.NewDict("version", 1))
		for _, t := range w.tensors {
			parts := strings.Split(t.Name, ".")
			for i := 1; i < len(parts); i++ {
				p := strings.Join(parts[:i], ".")
				if _, ok := md.Get(p); !ok {
					md.Set(p, pickle.NewDict("version", 1))
				}
			}
		}
		sd.Attrs = pickle.NewDict("_metadata", md)
	}
	var buf bytes.Buffer
	enc := pickle.NewEncoder(&buf)
	enc.SetProtocol(2)
	enc.SetMemo(true)
	if err := enc.Encode(sd); err != nil {
		return nil, fmt.Errorf("torchsave: data.pkl: %w", err)
	}
	return buf.Bytes(), nil
}

func float32Bytes(d []float32) []byte {
	b := make([]byte, 4*len(d))
	for i, x := range d {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// WriteFile writes tensors to path as torch.save(state_dict, path) would,
// with the archive prefix taken from the file name as torch does
// ("pytorch_nn_weights.pth" -> "pytorch_nn_weights"). It writes a
// temporary file in the same directory and renames it, so on error no
// file is left.
func WriteFile(path string, tensors []Tensor) error {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	base := filepath.Base(path)
	w.SetPrefix(strings.TrimSuffix(base, filepath.Ext(base)))
	for _, t := range tensors {
		if err := w.Add(t.Name, t.Shape, t.Data); err != nil {
			return err
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	return atomicfile.WriteBytes(path, buf.Bytes())
}
