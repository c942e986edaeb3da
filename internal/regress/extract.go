package regress

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	_ "image/png" // PNG outputs: their size is recorded
	"math"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"hw1pipe/artifacts/h5"
	"hw1pipe/artifacts/inspect"
	"hw1pipe/artifacts/npy"
	"hw1pipe/pipeline"
)

// MaxArray is the longest JSON array whose elements are recorded one by
// one; longer arrays are summarised.
const MaxArray = 16

// maxCSVRows caps the CSV rows recorded cell by cell.
const maxCSVRows = 64

// extractError reports an output that could not be read or decoded.
type extractError struct {
	Stage, Output, Path string
	Err                 error
}

func (e *extractError) Error() string {
	return fmt.Sprintf("regress: stage %s output %s (%s): %v", e.Stage, e.Output, e.Path, e.Err)
}

func (e *extractError) Unwrap() error { return e.Err }

// Extract records every declared output of every stage of p, as they are
// on disk under p.Outdir. config is stored in the Golden for the reader.
func Extract(p *pipeline.Pipeline, config string) (*Golden, error) {
	g := &Golden{Config: config, Stages: map[string]*Stage{}}
	for _, s := range p.Stages {
		st := &Stage{Kind: s.Kind.Name, Files: map[string]*File{}}
		for _, o := range s.Outputs {
			f, err := ExtractFile(o.Path)
			if err != nil {
				return nil, &extractError{Stage: s.Name, Output: o.Key, Path: o.Path, Err: err}
			}
			f.Path = filepath.ToSlash(o.Rel)
			st.Files[o.Key] = f
		}
		g.Stages[s.Name] = st
	}
	return g, nil
}

// ExtractFile records one file: its masked sha256 and its values.
func ExtractFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	masked, n := Mask(path, data)
	sum := sha256.Sum256(masked)
	v := values{}
	if err := v.file(path, data); err != nil {
		return nil, err
	}
	f := &File{Path: filepath.Base(path), SHA256: hex.EncodeToString(sum[:]), Masked: n}
	if len(v) > 0 {
		f.Values = v
	}
	return f, nil
}

// values collects a file's named values.
type values map[string]any

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// num records a number; JSON cannot hold NaN or ±Inf, so they are
// recorded as strings.
func (v values) num(key string, x float64) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		v[key] = strconv.FormatFloat(x, 'g', -1, 64)
		return
	}
	v[key] = x
}

// summary records len, first, last, min, max and mean of xs.
func (v values) summary(prefix string, xs []float64) {
	v[join(prefix, "len")] = float64(len(xs))
	if len(xs) == 0 {
		return
	}
	lo, hi, sum := math.Inf(1), math.Inf(-1), 0.0
	for _, x := range xs {
		lo, hi, sum = math.Min(lo, x), math.Max(hi, x), sum+x
	}
	v.num(join(prefix, "first"), xs[0])
	v.num(join(prefix, "last"), xs[len(xs)-1])
	v.num(join(prefix, "min"), lo)
	v.num(join(prefix, "max"), hi)
	v.num(join(prefix, "mean"), sum/float64(len(xs)))
}

// stats records sum, min and max of xs (an array's content).
func (v values) stats(prefix string, xs []float64) {
	if len(xs) == 0 {
		return
	}
	lo, hi, sum := math.Inf(1), math.Inf(-1), 0.0
	for _, x := range xs {
		lo, hi, sum = math.Min(lo, x), math.Max(hi, x), sum+x
	}
	v.num(join(prefix, "sum"), sum)
	v.num(join(prefix, "min"), lo)
	v.num(join(prefix, "max"), hi)
}

func shapeString(shape []int) string {
	parts := make([]string, len(shape))
	for i, d := range shape {
		parts[i] = strconv.Itoa(d)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// floats converts a numeric slice to []float64.
func floats(data any) ([]float64, bool) {
	switch d := data.(type) {
	case []float64:
		return d, true
	case []float32:
		return conv(d), true
	case []int64:
		return conv(d), true
	case []int32:
		return conv(d), true
	case []uint8:
		return conv(d), true
	case []bool:
		out := make([]float64, len(d))
		for i, b := range d {
			if b {
				out[i] = 1
			}
		}
		return out, true
	}
	return nil, false
}

func conv[T float32 | int64 | int32 | uint8](in []T) []float64 {
	out := make([]float64, len(in))
	for i, x := range in {
		out[i] = float64(x)
	}
	return out
}

func (v values) file(path string, data []byte) error {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".npy":
		return v.npy(data)
	case ".pkl", ".pickle":
		return v.pickle(data)
	case ".pth", ".pt":
		return v.torch(path)
	case ".h5", ".hdf5":
		return v.hdf5(path)
	case ".png":
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return err
		}
		v["width"], v["height"] = float64(cfg.Width), float64(cfg.Height)
	case ".json":
		var doc any
		if err := json.Unmarshal(data, &doc); err != nil {
			return err
		}
		v.json("", doc)
	case ".csv":
		return v.csv(data)
	case ".md", ".txt":
		v["lines"] = float64(bytes.Count(data, []byte("\n")))
	case ".html", ".htm":
		v["sections"] = float64(bytes.Count(data, []byte("<section ")))
		v["sections_ok"] = float64(bytes.Count(data, []byte(`data-status="ok"`)))
		v["images"] = float64(bytes.Count(data, []byte("<img ")))
	}
	return nil
}

func (v values) npy(data []byte) error {
	a, err := npy.Read(bytes.NewReader(data))
	if err != nil {
		return err
	}
	v["shape"], v["dtype"] = shapeString(a.Shape), a.Dtype
	if xs, ok := floats(a.Data); ok {
		v.stats("", xs)
	}
	return nil
}

func (v values) pickle(data []byte) error {
	obj, err := inspect.DecodePickle(bytes.NewReader(data))
	if err != nil {
		return err
	}
	switch o := obj.(type) {
	case []any:
		v["type"] = "list"
		if xs, ok := numbers(o); ok {
			v.summary("", xs)
		} else {
			v["len"] = float64(len(o))
		}
	case *inspect.Object:
		v["type"] = o.Class.String()
		if d, ok := o.State.(*inspect.Dict); ok {
			v.dict("", d)
		}
	case *inspect.Dict:
		v["type"] = "dict"
		v.dict("", o)
	default:
		v["type"] = fmt.Sprintf("%T", obj)
		v.scalar("value", obj)
	}
	return nil
}

// numbers returns xs as floats when every element is a number.
func numbers(xs []any) ([]float64, bool) {
	out := make([]float64, len(xs))
	for i, x := range xs {
		switch n := x.(type) {
		case float64:
			out[i] = n
		case int:
			out[i] = float64(n)
		default:
			return nil, false
		}
	}
	return out, true
}

// dict records a pickled dict's string keys: scalars, arrays (shape,
// dtype, sum, min, max), short lists of scalars, and the class of nested
// objects.
func (v values) dict(prefix string, d *inspect.Dict) {
	for i, k := range d.Keys {
		ks, ok := k.(string)
		if !ok {
			continue
		}
		key := join(prefix, ks)
		switch x := d.Values[i].(type) {
		case *inspect.Array:
			v[key+".shape"], v[key+".dtype"] = shapeString(x.Shape), x.Dtype
			if xs, ok := floats(x.Data); ok {
				v.stats(key, xs)
			}
		case *inspect.Object:
			v[key+".type"] = x.Class.String()
		case *inspect.Dict:
			v.dict(key, x)
		case []any:
			v.list(key, x)
		case inspect.Tuple:
			v.list(key, x)
		default:
			v.scalar(key, x)
		}
	}
}

func (v values) list(key string, xs []any) {
	if len(xs) > MaxArray {
		v[key+".len"] = float64(len(xs))
		return
	}
	for i, x := range xs {
		v.scalar(fmt.Sprintf("%s[%d]", key, i), x)
	}
}

// scalar records one decoded pickle value when it is a plain scalar.
func (v values) scalar(key string, x any) {
	switch s := x.(type) {
	case nil:
		v[key] = "None"
	case bool:
		v[key] = s
	case int:
		v[key] = float64(s)
	case float64:
		v.num(key, s)
	case string:
		v[key] = s
	case *big.Int:
		v[key] = s.String()
	case *inspect.Scalar:
		switch n := s.Value.(type) {
		case float64:
			v.num(key, n)
		case float32:
			v.num(key, float64(n))
		case int64:
			v[key] = float64(n)
		case int32:
			v[key] = float64(n)
		case uint8:
			v[key] = float64(n)
		case bool:
			v[key] = n
		}
	case inspect.Global:
		v[key] = s.String()
	}
}

func (v values) torch(path string) error {
	obj, err := inspect.LoadTorch(path)
	if err != nil {
		return err
	}
	d, ok := obj.(*inspect.Dict)
	if !ok {
		v["type"] = fmt.Sprintf("%T", obj)
		return nil
	}
	for i, k := range d.Keys {
		ks, ok := k.(string)
		if !ok {
			continue
		}
		t, ok := d.Values[i].(*inspect.Tensor)
		if !ok {
			continue
		}
		v[ks+".shape"], v[ks+".dtype"] = shapeString(t.Shape), t.Dtype
		n := 1
		for _, s := range t.Shape {
			n *= s
		}
		if xs, ok := floats(t.Data); ok && t.Offset+n <= len(xs) {
			v.stats(ks, xs[t.Offset:t.Offset+n])
		}
	}
	return nil
}

// hdf5 records linear.h5's attributes (group h5.LinearGroup, attrs w and
// b): the only HDF5 file the pipeline writes.
func (v values) hdf5(path string) error {
	attrs, err := h5.ReadAttrs(path, h5.LinearGroup, "w", "b")
	if err != nil {
		return err
	}
	for _, a := range attrs {
		key := h5.LinearGroup + "." + a.Name
		v[key+".shape"] = shapeString(a.Shape)
		v.stats(key, a.Data)
	}
	return nil
}

func (v values) json(prefix string, doc any) {
	switch x := doc.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			if !volatileKey(k) {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			v.json(join(prefix, k), x[k])
		}
	case []any:
		if len(x) <= MaxArray {
			for i, e := range x {
				v.json(fmt.Sprintf("%s[%d]", prefix, i), e)
			}
			return
		}
		if xs, ok := numbers(x); ok {
			v.summary(prefix, xs)
			return
		}
		v[join(prefix, "len")] = float64(len(x))
		v.json(fmt.Sprintf("%s[0]", prefix), x[0])
		v.json(fmt.Sprintf("%s[%d]", prefix, len(x)-1), x[len(x)-1])
	case float64:
		v.num(prefix, x)
	case string:
		v[prefix] = x
	case bool:
		v[prefix] = x
	case nil:
		v[prefix] = "null"
	}
}

func (v values) csv(data []byte) error {
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return err
	}
	if len(recs) == 0 {
		return nil
	}
	head := recs[0]
	v["rows"], v["cols"] = float64(len(recs)-1), float64(len(head))
	for i, r := range recs[1:] {
		if i == maxCSVRows {
			break
		}
		for j, cell := range r {
			if j >= len(head) || volatileColumn(head[j]) {
				continue
			}
			key := fmt.Sprintf("r%d.%s", i, head[j])
			if f, err := strconv.ParseFloat(cell, 64); err == nil {
				v.num(key, f)
			} else {
				v[key] = cell
			}
		}
	}
	return nil
}
