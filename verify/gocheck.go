package verify

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/big"
	"path/filepath"
	"strings"

	"hw1pipe/artifacts/h5"
	"hw1pipe/artifacts/inspect"
	"hw1pipe/internal/regfile"
)

// checkGo runs the Go reader's checks on a present deliverable.
func checkGo(dir string, d Deliverable, o *Options) Result {
	p := filepath.Join(dir, filepath.FromSlash(d.Path()))
	var detail string
	var err error
	switch d.Format {
	case FloatList:
		detail, err = checkFloatList(p, d.Len)
	case SklearnSVM:
		detail, err = checkSVM(p, o.Classes)
	case TorchStateDict:
		detail, err = checkTorch(p)
	case LinearH5:
		detail, err = checkH5(p)
	}
	r := Result{Path: d.Path(), Checker: "go", Status: Pass, Detail: detail}
	switch {
	case errors.Is(err, h5.ErrNotBuilt):
		r.Status, r.Detail = NotBuilt, "HDF5 signature ok; hw1pipe was built without libhdf5 (build tag hdf5), so attributes were not read"
	case err != nil:
		r.Status, r.Detail = Fail, err.Error()
	}
	return r
}

// decodePickle reads a pickle file, telling "not a pickle" apart from a
// pickle the decoder cannot read.
func decodePickle(p string) (any, error) {
	// A regular file of bounded size only: a FIFO or /dev/zero swapped
	// in after Dir's check must not block or flood the reader.
	b, err := regfile.ReadFile(p, inspect.MaxPickleSize)
	if err != nil {
		return nil, err
	}
	if len(b) < 2 || b[0] != 0x80 || b[1] < 2 || b[1] > 5 || b[len(b)-1] != '.' {
		return nil, fmt.Errorf("not a pickle (protocol 2-5 streams start with 0x80 0x02..0x05 and end with '.')")
	}
	v, err := inspect.DecodePickleBytes(b)
	if err != nil {
		return nil, fmt.Errorf("unreadable pickle: %v", err)
	}
	return v, nil
}

// pyType names a decoded value's Python type for messages.
func pyType(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case bool:
		return "bool"
	case int, *big.Int:
		return "int"
	case float64:
		return "float"
	case string:
		return "str"
	case []byte:
		return "bytes"
	case []any:
		return "list"
	case inspect.Tuple:
		return "tuple"
	case *inspect.Dict:
		if x.Class != "" {
			return x.Class
		}
		return "dict"
	case *inspect.Object:
		return x.Class.String()
	case *inspect.Array:
		return fmt.Sprintf("numpy.ndarray (dtype %s, shape %v)", x.Dtype, x.Shape)
	case *inspect.Scalar:
		return "numpy scalar " + x.Dtype
	case inspect.Global:
		return "global " + x.String()
	}
	return fmt.Sprintf("%T", v)
}

func checkFloatList(p string, n int) (string, error) {
	v, err := decodePickle(p)
	if err != nil {
		return "", err
	}
	l, ok := v.([]any)
	if !ok {
		return "", fmt.Errorf("holds a %s, want a list of %d floats", pyType(v), n)
	}
	if len(l) != n {
		return "", fmt.Errorf("wrong length: %d values, want %d", len(l), n)
	}
	for i, x := range l {
		f, ok := x.(float64)
		if !ok {
			return "", fmt.Errorf("item %d is a %s, want a Python float", i, pyType(x))
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return "", fmt.Errorf("item %d is %v (not finite)", i, f)
		}
	}
	return fmt.Sprintf("list of %d floats, first %.4g, last %.4g", n, l[0], l[n-1]), nil
}

const (
	svcClass  = "sklearn.svm._classes.SVC"
	gridClass = "sklearn.model_selection._search.GridSearchCV"
)

// state returns an object's BUILD state as a map keyed by attribute.
func state(o *inspect.Object) (map[string]any, error) {
	d, ok := o.State.(*inspect.Dict)
	if !ok {
		return nil, fmt.Errorf("%s has no attribute dict (state is %s)", o.Class, pyType(o.State))
	}
	m := make(map[string]any, len(d.Keys))
	for i, k := range d.Keys {
		s, ok := k.(string)
		if !ok {
			return nil, fmt.Errorf("%s attribute name %s is not a str", o.Class, inspect.Short(k))
		}
		m[s] = d.Values[i]
	}
	return m, nil
}

func checkSVM(p string, classes int) (string, error) {
	v, err := decodePickle(p)
	if err != nil {
		return "", err
	}
	o, ok := v.(*inspect.Object)
	if !ok || (o.Class.String() != svcClass && o.Class.String() != gridClass) {
		return "", fmt.Errorf("holds a %s, want a fitted sklearn SVC or GridSearchCV", pyType(v))
	}
	st, err := state(o)
	if err != nil {
		return "", err
	}
	if o.Class.String() == svcClass {
		s, err := checkSVC(st, classes)
		if err != nil {
			return "", fmt.Errorf("SVC: %v", err)
		}
		return "fitted SVC: " + s, nil
	}
	for _, k := range []string{"best_params_", "cv_results_", "best_score_", "best_index_", "scorer_"} {
		if _, ok := st[k]; !ok {
			return "", fmt.Errorf("GridSearchCV lacks %s (not fitted?)", k)
		}
	}
	if bs, ok := scalarFloat(st["best_score_"]); !ok || math.IsNaN(bs) || bs < 0 || bs > 1 {
		return "", fmt.Errorf("GridSearchCV best_score_ is %s, want an accuracy in [0,1]", inspect.Short(st["best_score_"]))
	}
	be, ok := st["best_estimator_"].(*inspect.Object)
	if !ok {
		return "", fmt.Errorf("GridSearchCV has no fitted best_estimator_ (refit=False?)")
	}
	if be.Class.String() != svcClass {
		return "", fmt.Errorf("GridSearchCV best_estimator_ is a %s, want an SVC", be.Class)
	}
	bst, err := state(be)
	if err != nil {
		return "", err
	}
	s, err := checkSVC(bst, classes)
	if err != nil {
		return "", fmt.Errorf("GridSearchCV best_estimator_: %v", err)
	}
	return "fitted GridSearchCV, best_estimator_ " + s, nil
}

// array fetches a required ndarray attribute with a given dtype and rank.
func array(st map[string]any, key, dtype string, rank int) (*inspect.Array, error) {
	v, ok := st[key]
	if !ok {
		return nil, fmt.Errorf("missing attribute %s (not fitted?)", key)
	}
	a, ok := v.(*inspect.Array)
	if !ok {
		return nil, fmt.Errorf("%s is a %s, want a numpy array", key, pyType(v))
	}
	if dtype != "" && a.Dtype != dtype {
		return nil, fmt.Errorf("%s has dtype %s, want %s (libsvm rejects other dtypes)", key, a.Dtype, dtype)
	}
	if len(a.Shape) != rank {
		return nil, fmt.Errorf("%s has shape %v, want rank %d", key, a.Shape, rank)
	}
	if a.Fortran && rank > 1 {
		return nil, fmt.Errorf("%s is Fortran-ordered; libsvm needs C order", key)
	}
	if f, ok := a.Data.([]float64); ok {
		for i, x := range f {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("%s[%d] is %v (not finite)", key, i, x)
			}
		}
	}
	return a, nil
}

func scalarFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case *inspect.Scalar:
		switch y := x.Value.(type) {
		case float64:
			return y, true
		case float32:
			return float64(y), true
		case int64:
			return float64(y), true
		case int32:
			return float64(y), true
		}
	}
	return 0, false
}

// checkSVC checks a fitted SVC's attributes for what predict reads
// (docs/formats.md#fitted-svc) and their mutual consistency.
func checkSVC(st map[string]any, classes int) (string, error) {
	kernel, ok := st["kernel"].(string)
	if !ok {
		return "", fmt.Errorf("kernel is %s, want a str", pyType(st["kernel"]))
	}
	gamma, ok := scalarFloat(st["_gamma"])
	if !ok || math.IsNaN(gamma) || math.IsInf(gamma, 0) || gamma < 0 {
		return "", fmt.Errorf("_gamma is %s, want a finite float >= 0 (not fitted?)", inspect.Short(st["_gamma"]))
	}
	cls, err := array(st, "classes_", "", 1)
	if err != nil {
		return "", err
	}
	k := cls.Shape[0]
	if classes > 0 && k != classes {
		return "", fmt.Errorf("classes_ has %d classes, want %d", k, classes)
	}
	sv, err := array(st, "support_vectors_", "f8", 2)
	if err != nil {
		return "", err
	}
	nSV, d := sv.Shape[0], sv.Shape[1]
	sup, err := array(st, "support_", "i4", 1)
	if err != nil {
		return "", err
	}
	if sup.Shape[0] != nSV {
		return "", fmt.Errorf("support_ has %d entries but support_vectors_ %d rows", sup.Shape[0], nSV)
	}
	ns, err := array(st, "_n_support", "i4", 1)
	if err != nil {
		return "", err
	}
	sum := 0
	for _, c := range ns.Data.([]int32) {
		sum += int(c)
	}
	if ns.Shape[0] != k || sum != nSV {
		return "", fmt.Errorf("_n_support (%d counts, sum %d) does not split %d support vectors into %d classes", ns.Shape[0], sum, nSV, k)
	}
	dc, err := array(st, "_dual_coef_", "f8", 2)
	if err != nil {
		return "", err
	}
	if dc.Shape[0] != k-1 || dc.Shape[1] != nSV {
		return "", fmt.Errorf("_dual_coef_ has shape %v, want [%d %d]", dc.Shape, k-1, nSV)
	}
	ic, err := array(st, "_intercept_", "f8", 1)
	if err != nil {
		return "", err
	}
	if m := k * (k - 1) / 2; ic.Shape[0] != m {
		return "", fmt.Errorf("_intercept_ has %d values, want %d (one per class pair)", ic.Shape[0], m)
	}
	for _, key := range []string{"_probA", "_probB"} {
		if _, err := array(st, key, "f8", 1); err != nil {
			return "", err
		}
	}
	if nf, ok := scalarFloat(st["n_features_in_"]); !ok || int(nf) != d {
		return "", fmt.Errorf("n_features_in_ is %s but support_vectors_ has %d columns", inspect.Short(st["n_features_in_"]), d)
	}
	var params []string
	for _, key := range []string{"C", "gamma"} {
		switch x := st[key].(type) {
		case string:
			params = append(params, key+"="+x)
		default:
			if f, ok := scalarFloat(x); ok {
				params = append(params, fmt.Sprintf("%s=%g", key, f))
			}
		}
	}
	return fmt.Sprintf("kernel %s %s, %d classes, %d features, %d support vectors",
		kernel, strings.Join(params, " "), k, d, nSV), nil
}

// tensorValues returns the elements a tensor views, in row-major order.
func tensorValues(t *inspect.Tensor) ([]float32, error) {
	data, ok := t.Data.([]float32)
	if !ok {
		return nil, fmt.Errorf("dtype %s, want float32", t.Dtype)
	}
	n := 1
	for _, s := range t.Shape {
		n *= s
	}
	if len(t.Stride) != len(t.Shape) {
		return nil, fmt.Errorf("stride %v does not match shape %v", t.Stride, t.Shape)
	}
	out := make([]float32, 0, n)
	idx := make([]int, len(t.Shape))
	for range n {
		off := t.Offset
		for i, x := range idx {
			off += x * t.Stride[i]
		}
		if off < 0 || off >= len(data) {
			return nil, fmt.Errorf("element at %v lies outside its storage of %d", idx, len(data))
		}
		out = append(out, data[off])
		for i := len(idx) - 1; i >= 0; i-- {
			idx[i]++
			if idx[i] < t.Shape[i] {
				break
			}
			idx[i] = 0
		}
	}
	return out, nil
}

func checkTorch(p string) (string, error) {
	v, err := inspect.LoadTorch(p)
	if err != nil {
		return "", fmt.Errorf("not a loadable torch.save archive: %v", err)
	}
	sd, ok := v.(*inspect.Dict)
	if !ok {
		return "", fmt.Errorf("holds a %s, want a state_dict (OrderedDict)", pyType(v))
	}
	want := []struct {
		key   string
		shape []int
	}{{"fc1.weight", []int{10, 784}}, {"fc1.bias", []int{10}}}
	for _, k := range sd.Keys {
		if k != "fc1.weight" && k != "fc1.bias" {
			return "", fmt.Errorf("unexpected key %s: load_state_dict into Net(fc1=Linear(784,10)) is strict", inspect.Short(k))
		}
	}
	var parts []string
	for _, w := range want {
		x, ok := sd.Get(w.key)
		if !ok {
			return "", fmt.Errorf("missing key %s", w.key)
		}
		t, ok := x.(*inspect.Tensor)
		if !ok {
			return "", fmt.Errorf("%s is a %s, want a tensor", w.key, pyType(x))
		}
		if fmt.Sprint(t.Shape) != fmt.Sprint(w.shape) {
			return "", fmt.Errorf("%s has wrong shape %v, want %v", w.key, t.Shape, w.shape)
		}
		vals, err := tensorValues(t)
		if err != nil {
			return "", fmt.Errorf("%s: %v", w.key, err)
		}
		for i, f := range vals {
			if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
				return "", fmt.Errorf("%s[%d] is %v (not finite)", w.key, i, f)
			}
		}
		parts = append(parts, fmt.Sprintf("%s float32 %v", w.key, t.Shape))
	}
	return "state_dict " + strings.Join(parts, ", "), nil
}

var h5Signature = []byte("\x89HDF\r\n\x1a\n")

func checkH5(p string) (string, error) {
	f, _, err := regfile.Open(p)
	if err != nil {
		return "", err
	}
	head := make([]byte, len(h5Signature))
	_, err = f.Read(head)
	f.Close()
	if err != nil || !bytes.Equal(head, h5Signature) {
		return "", fmt.Errorf("not an HDF5 file (no signature at offset 0)")
	}
	attrs, err := h5.ReadAttrs(p, h5.LinearGroup, "w", "b")
	var te *h5.TypeError
	if errors.As(err, &te) {
		return "", fmt.Errorf("attribute %s is stored as %s, want an IEEE 754 float64 little-endian (what h5py writes for float64)", te.Name, te.Got)
	}
	if err != nil {
		if errors.Is(err, h5.ErrNotBuilt) {
			return "", err
		}
		return "", fmt.Errorf("unreadable: %v", err)
	}
	want := map[string][]int{"w": {10, 784}, "b": {10, 1}}
	for _, a := range attrs {
		if fmt.Sprint(a.Shape) != fmt.Sprint(want[a.Name]) {
			return "", fmt.Errorf("attribute %s has wrong shape %v, want %v", a.Name, a.Shape, want[a.Name])
		}
		for i, x := range a.Data {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return "", fmt.Errorf("attribute %s[%d] is %v (not finite)", a.Name, i, x)
			}
		}
	}
	return "group instance: w [10 784], b [10 1], finite", nil
}
