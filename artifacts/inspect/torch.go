package inspect

import (
	"archive/zip"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"path"
	"strings"

	gopickle "github.com/nlpodyssey/gopickle/pickle"
	"github.com/nlpodyssey/gopickle/types"

	"hw1pipe/internal/regfile"
)

// MaxTorchSize bounds the torch.save archives LoadTorch reads, and the
// total bytes it decompresses from one. pytorch_nn_weights.pth is 32 KB.
const MaxTorchSize = 16 << 20

// LoadTorch reads a torch.save zip archive (torch 1.6 and later) and
// returns its object with tensors as *Tensor. path must be a regular file
// of at most MaxTorchSize bytes.
func LoadTorch(path string) (any, error) {
	f, size, err := regfile.OpenMax(path, MaxTorchSize)
	if err != nil {
		return nil, fmt.Errorf("inspect: %w", err)
	}
	defer f.Close()
	return ReadTorch(f, size)
}

// ReadTorch reads a torch.save zip archive of size bytes from r.
//
// The archive holds <prefix>/data.pkl, a pickle whose persistent IDs
// ('storage', torch.<Type>Storage, key, location, numel) name the records
// <prefix>/data/<key> with each storage's raw little-endian bytes; see
// torch/serialization.py (_save and _load) at
// https://github.com/pytorch/pytorch/blob/v1.13.1/torch/serialization.py.
// Nothing is executed. Every size is checked before it is used: a storage
// must have exactly numel * itemsize bytes in its record, a tensor's view
// must lie inside its storage, records are decompressed through a limit,
// and at most MaxTorchSize bytes are decompressed in all.
func ReadTorch(r io.ReaderAt, size int64) (any, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("inspect: not a valid zip archive (truncated or corrupt?): %w", err)
	}
	records := make(map[string]*zip.File, len(zr.File))
	var pkl *zip.File
	for _, zf := range zr.File {
		records[zf.Name] = zf
		if path.Base(zf.Name) == "data.pkl" && strings.Count(zf.Name, "/") == 1 {
			if pkl != nil {
				return nil, fmt.Errorf("inspect: torch archive has two data.pkl records (%s, %s)", pkl.Name, zf.Name)
			}
			pkl = zf
		}
	}
	if pkl == nil {
		return nil, fmt.Errorf("inspect: zip archive has no <folder>/data.pkl record: not a torch.save archive")
	}
	l := &torchLoader{records: records, prefix: path.Dir(pkl.Name), budget: MaxTorchSize, storages: map[string]*storage{}}
	b, err := l.record(pkl)
	if err != nil {
		return nil, fmt.Errorf("inspect: %w", err)
	}
	v, err := decodeBytes(b, func(u *gopickle.Unpickler) {
		u.FindClass = torchFindClass
		u.PersistentLoad = l.persistentLoad
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", pkl.Name, err)
	}
	return v, nil
}

type torchLoader struct {
	records  map[string]*zip.File
	prefix   string
	budget   int64 // bytes left to decompress
	storages map[string]*storage
}

// record reads a whole zip record, trusting neither its declared size
// (checked against the budget before reading) nor its compressed data
// (read through a limit, so a zip bomb stops at the declared size).
func (l *torchLoader) record(zf *zip.File) ([]byte, error) {
	if zf.UncompressedSize64 > uint64(l.budget) {
		return nil, fmt.Errorf("record %s declares %d bytes; at most %d bytes are read from a torch archive", zf.Name, zf.UncompressedSize64, int64(MaxTorchSize))
	}
	n := int64(zf.UncompressedSize64)
	l.budget -= n
	rc, err := zf.Open()
	if err != nil {
		return nil, fmt.Errorf("record %s: %w", zf.Name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, n+1))
	if err != nil {
		return nil, fmt.Errorf("record %s: %w", zf.Name, err)
	}
	if int64(len(b)) != n {
		return nil, fmt.Errorf("record %s: %d bytes, its header says %d", zf.Name, len(b), n)
	}
	return b, nil
}

// storageClass stands in for torch.<Type>Storage.
type storageClass struct {
	name     string
	dtype    string
	itemSize int
}

// storage is a loaded storage: Data is []float32, []float64, []int64,
// []int32, []int16, []int8, []uint8 or []bool.
type storage struct {
	class storageClass
	numel int
	data  any
}

var storageClasses = map[string]storageClass{
	"FloatStorage":  {"FloatStorage", "float32", 4},
	"DoubleStorage": {"DoubleStorage", "float64", 8},
	"LongStorage":   {"LongStorage", "int64", 8},
	"IntStorage":    {"IntStorage", "int32", 4},
	"ShortStorage":  {"ShortStorage", "int16", 2},
	"CharStorage":   {"CharStorage", "int8", 1},
	"ByteStorage":   {"ByteStorage", "uint8", 1},
	"BoolStorage":   {"BoolStorage", "bool", 1},
}

func torchFindClass(module, name string) (any, error) {
	if module == "torch" {
		if c, ok := storageClasses[name]; ok {
			return c, nil
		}
	}
	if module == "torch._utils" && name == "_rebuild_tensor_v2" {
		return rebuildTensor{}, nil
	}
	return findClass(module, name)
}

func (l *torchLoader) persistentLoad(id any) (any, error) {
	t, ok := id.(*types.Tuple)
	if !ok || t.Len() != 5 {
		return nil, fmt.Errorf("persistent id is a %s, want ('storage', class, key, location, numel)", brief(id))
	}
	kind, _ := t.Get(0).(string)
	class, ok1 := t.Get(1).(storageClass)
	key, ok2 := t.Get(2).(string)
	_, ok3 := t.Get(3).(string)
	numel, ok4 := t.Get(4).(int)
	if kind != "storage" || !ok1 || !ok2 || !ok3 || !ok4 {
		return nil, fmt.Errorf("persistent id (%s, %s, %s, %s, %s) is not ('storage', a known torch storage class, key, location, numel)",
			brief(t.Get(0)), brief(t.Get(1)), brief(t.Get(2)), brief(t.Get(3)), brief(t.Get(4)))
	}
	if s, ok := l.storages[key]; ok {
		if s.class != class || s.numel != numel {
			return nil, fmt.Errorf("storage %q: used as %d %s and as %d %s", key, s.numel, s.class.dtype, numel, class.dtype)
		}
		return s, nil
	}
	name := l.prefix + "/data/" + key
	zf, ok := l.records[name]
	if !ok {
		return nil, fmt.Errorf("storage %q: no record %s", key, name)
	}
	if numel < 0 || uint64(numel) > zf.UncompressedSize64/uint64(class.itemSize) ||
		uint64(numel)*uint64(class.itemSize) != zf.UncompressedSize64 {
		return nil, fmt.Errorf("storage %q: %d elements of %s do not fill its record of %d bytes", key, numel, class.dtype, zf.UncompressedSize64)
	}
	b, err := l.record(zf)
	if err != nil {
		return nil, err
	}
	s := &storage{class: class, numel: numel, data: storageData(class.dtype, b)}
	l.storages[key] = s
	return s, nil
}

func storageData(dtype string, b []byte) any {
	le := binary.LittleEndian
	switch dtype {
	case "float32":
		out := make([]float32, len(b)/4)
		for i := range out {
			out[i] = math.Float32frombits(le.Uint32(b[4*i:]))
		}
		return out
	case "float64":
		out := make([]float64, len(b)/8)
		for i := range out {
			out[i] = math.Float64frombits(le.Uint64(b[8*i:]))
		}
		return out
	case "int64":
		out := make([]int64, len(b)/8)
		for i := range out {
			out[i] = int64(le.Uint64(b[8*i:]))
		}
		return out
	case "int32":
		out := make([]int32, len(b)/4)
		for i := range out {
			out[i] = int32(le.Uint32(b[4*i:]))
		}
		return out
	case "int16":
		out := make([]int16, len(b)/2)
		for i := range out {
			out[i] = int16(le.Uint16(b[2*i:]))
		}
		return out
	case "int8":
		out := make([]int8, len(b))
		for i, c := range b {
			out[i] = int8(c)
		}
		return out
	case "bool":
		out := make([]bool, len(b))
		for i, c := range b {
			out[i] = c != 0
		}
		return out
	}
	return b // uint8
}

// rebuildTensor stands in for torch._utils._rebuild_tensor_v2(storage,
// storage_offset, size, stride, requires_grad, backward_hooks).
type rebuildTensor struct{}

var _ types.Callable = rebuildTensor{}

func (rebuildTensor) Call(args ...any) (any, error) {
	if len(args) < 5 {
		return nil, fmt.Errorf("_rebuild_tensor_v2: %d arguments, want 6", len(args))
	}
	s, ok := args[0].(*storage)
	if !ok {
		return nil, fmt.Errorf("_rebuild_tensor_v2: storage is a %s", brief(args[0]))
	}
	offset, ok := args[1].(int)
	if !ok || offset < 0 {
		return nil, fmt.Errorf("_rebuild_tensor_v2: storage offset is %s", brief(args[1]))
	}
	shape, err := intTuple(args[2], "size")
	if err != nil {
		return nil, err
	}
	stride, err := intTuple(args[3], "stride")
	if err != nil {
		return nil, err
	}
	if len(stride) != len(shape) {
		return nil, fmt.Errorf("_rebuild_tensor_v2: stride %v does not match size %v", stride, shape)
	}
	grad, _ := args[4].(bool)
	// The view's elements must lie in the storage: its last element is at
	// offset + sum((size-1)*stride), computed without overflow.
	last, empty := offset, false
	for i, n := range shape {
		if n == 0 {
			empty = true
			break
		}
		if stride[i] > 0 && n-1 > (math.MaxInt-last)/stride[i] {
			return nil, fmt.Errorf("_rebuild_tensor_v2: size %v with stride %v overflows", shape, stride)
		}
		last += (n - 1) * stride[i]
	}
	if !empty && last >= s.numel {
		return nil, fmt.Errorf("_rebuild_tensor_v2: size %v, stride %v at offset %d reach element %d of a storage of %d",
			shape, stride, offset, last, s.numel)
	}
	return &Tensor{Dtype: s.class.dtype, Shape: shape, Stride: stride, Offset: offset, RequiresGrad: grad, Data: s.data}, nil
}

// intTuple reads a tuple of non-negative ints (a size or stride).
func intTuple(v any, what string) ([]int, error) {
	t, ok := v.(*types.Tuple)
	if !ok {
		return nil, fmt.Errorf("_rebuild_tensor_v2: %s is a %s, want a tuple", what, brief(v))
	}
	out := make([]int, t.Len())
	for i := range out {
		n, ok := t.Get(i).(int)
		if !ok || n < 0 {
			return nil, fmt.Errorf("_rebuild_tensor_v2: %s item %d is %s, want an int >= 0", what, i, brief(t.Get(i)))
		}
		out[i] = n
	}
	return out, nil
}
