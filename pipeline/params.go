package pipeline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"reflect"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// field is one yaml-visible field of a params struct.
type field struct {
	name  string
	index []int
	typ   reflect.Type
}

// yamlFields lists the fields yaml.v3 would decode into struct type t, in
// declaration order, following its tag rules: `yaml:"name"`, `yaml:"-"`,
// `,inline`, and the lowercased field name when there is no tag.
func yamlFields(t reflect.Type) []field {
	var out []field
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("yaml")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if strings.Contains(","+opts+",", ",inline,") && f.Type.Kind() == reflect.Struct {
			for _, sub := range yamlFields(f.Type) {
				sub.index = append([]int{i}, sub.index...)
				out = append(out, sub)
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out = append(out, field{name: name, index: []int{i}, typ: f.Type})
	}
	return out
}

func fieldByName(fs []field, name string) (field, bool) {
	for _, f := range fs {
		if f.name == name {
			return f, true
		}
	}
	return field{}, false
}

func fieldNames(fs []field) string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.name
	}
	return strings.Join(names, ", ")
}

// paramDecoder decodes YAML nodes into a params struct, checking every
// mapping key against the struct's yaml tags (yaml.v3's Node.Decode does
// not) and reporting each bad key or value at its own position.
type paramDecoder struct {
	errs  *errorList
	file  string // overrides errs.file when non-empty (for --set)
	stage string
	// origins, when set, records where each decoded value came from.
	origins paramOrigins
}

// paramOrigin is where a param's value was last set: a YAML node (the
// stage's params or a global) or a --set flag.
type paramOrigin struct {
	node *yaml.Node
	flag string // "--set stage.param=value"
}

// paramOrigins maps param names, dotted as `hw1pipe kinds` prints them
// ("grid.C", and "grid.C[1]" for an element written in the file), to
// where their values came from. Names absent from it hold the default.
type paramOrigins map[string]paramOrigin

// set records that name's value came from n (file "") or the --set flag
// file. The name's nested fields and elements now come from there too.
func (o paramOrigins) set(name string, n *yaml.Node, file string) {
	for k := range o {
		if strings.HasPrefix(k, name+".") || strings.HasPrefix(k, name+"[") {
			delete(o, k)
		}
	}
	if file != "" {
		o[name] = paramOrigin{flag: file}
		return
	}
	o[name] = paramOrigin{node: n}
	if n.Kind == yaml.SequenceNode {
		for i, el := range n.Content {
			o[fmt.Sprintf("%s[%d]", name, i)] = paramOrigin{node: el}
		}
	}
}

// lookup returns where name's value came from: its own entry, else the
// nearest enclosing param's ("grid.C[1]", then "grid.C", then "grid").
func (o paramOrigins) lookup(name string) paramOrigin {
	for {
		if p, ok := o[name]; ok {
			return p
		}
		i := strings.LastIndexAny(name, ".[")
		if i <= 0 {
			return paramOrigin{}
		}
		name = name[:i]
	}
}

func (d *paramDecoder) fail(n *yaml.Node, format string, args ...any) {
	e := &ConfigError{File: d.errs.file, Stage: d.stage, Err: fmt.Errorf(format, args...)}
	if d.file != "" {
		e.File = d.file
	} else if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	d.errs.errs = append(d.errs.errs, e)
}

// mapping decodes the mapping n into the struct v (addressable), prefixing
// key names with prefix in messages. It returns the keys it saw.
func (d *paramDecoder) mapping(v reflect.Value, n *yaml.Node, prefix string) map[string]bool {
	seen := map[string]bool{}
	if n.Kind != yaml.MappingNode {
		if prefix == "" {
			d.fail(n, "params must be a mapping, not %s", nodeKind(n))
		} else {
			d.fail(n, "param %q must be a mapping, not %s", strings.TrimSuffix(prefix, "."), nodeKind(n))
		}
		return seen
	}
	fs := yamlFields(v.Type())
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if seen[k.Value] {
			d.fail(k, "param %q set twice", prefix+k.Value)
			continue
		}
		seen[k.Value] = true
		f, ok := fieldByName(fs, k.Value)
		if !ok {
			d.fail(k, "unknown param %q (known: %s)", prefix+k.Value, fieldNames(fs))
			continue
		}
		d.value(v.FieldByIndex(f.index), val, prefix+k.Value)
	}
	return seen
}

// value decodes n into v, recursing into structs so that nested keys are
// checked too.
func (d *paramDecoder) value(v reflect.Value, n *yaml.Node, name string) {
	if d.origins != nil {
		d.origins.set(name, n, d.file)
	}
	switch {
	case v.Kind() == reflect.Struct && n.Kind == yaml.MappingNode:
		d.mapping(v, n, name+".")
		return
	case v.Kind() == reflect.Pointer && v.Type().Elem().Kind() == reflect.Struct && n.Kind == yaml.MappingNode:
		p := reflect.New(v.Type().Elem())
		d.mapping(p.Elem(), n, name+".")
		v.Set(p)
		return
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Struct && n.Kind == yaml.SequenceNode:
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, el := range n.Content {
			d.value(s.Index(i), el, fmt.Sprintf("%s[%d]", name, i))
		}
		v.Set(s)
		return
	}
	if t := v.Type(); t.Kind() == reflect.Struct || t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct {
		d.fail(n, "param %q must be a mapping, not %s", name, nodeKind(n))
		return
	}
	src, bad, why := wholeInts(v.Type(), n)
	if bad != nil {
		d.fail(bad, "param %q: %s %s", name, bad.Value, why)
		return
	}
	p := reflect.New(v.Type())
	if err := src.Decode(p.Interface()); err != nil {
		d.fail(n, "param %q: %s", name, typeErrorText(err))
		return
	}
	v.Set(p.Elem())
}

// wholeInts guards integer params against yaml.v3, which decodes a float
// into an integer field by truncating it (2.5 becomes 2; see
// https://github.com/go-yaml/yaml/blob/v3.0.1/decode.go#L641). It returns
// n, or a copy of it in which every float scalar bound for an integer of
// type t (or of its elements) is a whole number respelled as an !!int, so
// that 1.0 and 1e3 still mean 1 and 1000 and yaml.v3's own range checks
// still apply. bad is the first float bound for an integer that is not a
// whole number or does not fit the integer's type (yaml.v3 would wrap
// -1.0 for a uint), and why says which.
func wholeInts(t reflect.Type, n *yaml.Node) (out, bad *yaml.Node, why string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return wholeInts(t, n.Alias)
	}
	switch {
	case isInteger(t.Kind()) && n.Kind == yaml.ScalarNode && n.ShortTag() == "!!float":
		r, ok := new(big.Rat).SetString(strings.ReplaceAll(n.Value, "_", ""))
		if !ok || !r.IsInt() {
			return n, n, "is not an integer"
		}
		if !fitsInt(r.Num(), t) {
			return n, n, "is out of range for " + t.String()
		}
		c := *n
		c.Tag, c.Value, c.Style = "!!int", r.Num().String(), 0
		return &c, nil, ""
	case (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) && n.Kind == yaml.SequenceNode:
		return wholeIntsIn(n, 0, 1, func(int) reflect.Type { return t.Elem() })
	case t.Kind() == reflect.Map && n.Kind == yaml.MappingNode:
		return wholeIntsIn(n, 1, 2, func(int) reflect.Type { return t.Elem() })
	case t.Kind() == reflect.Struct && n.Kind == yaml.MappingNode:
		fs := yamlFields(t)
		return wholeIntsIn(n, 1, 2, func(i int) reflect.Type {
			if f, ok := fieldByName(fs, n.Content[i-1].Value); ok {
				return f.typ
			}
			return nil
		})
	}
	return n, nil, ""
}

// fitsInt reports whether i is a value of the integer type t.
func fitsInt(i *big.Int, t reflect.Type) bool {
	bits := t.Bits()
	switch t.Kind() {
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return i.Sign() >= 0 && i.BitLen() <= bits
	}
	// Signed: -2^(bits-1) <= i < 2^(bits-1).
	lim := new(big.Int).Lsh(big.NewInt(1), uint(bits-1))
	return i.Cmp(lim) < 0 && i.Cmp(new(big.Int).Neg(lim)) >= 0
}

// wholeIntsIn applies wholeInts to n.Content[first], [first+step], ...,
// each against the type elem(i) (nil: leave it), copying n only when a
// child changed.
func wholeIntsIn(n *yaml.Node, first, step int, elem func(i int) reflect.Type) (out, bad *yaml.Node, why string) {
	out = n
	for i := first; i < len(n.Content); i += step {
		t := elem(i)
		if t == nil {
			continue
		}
		c, bad, why := wholeInts(t, n.Content[i])
		if bad != nil {
			return n, bad, why
		}
		if c != n.Content[i] {
			if out == n {
				cp := *n
				cp.Content = slices.Clone(n.Content)
				out = &cp
			}
			out.Content[i] = c
		}
	}
	return out, nil, ""
}

func isInteger(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return true
	}
	return false
}

// paramField returns the field of the params struct v that name picks,
// dotted as `hw1pipe kinds` prints nested params ("grid.C"), allocating
// nil struct pointers on the way.
func paramField(v reflect.Value, name string) (reflect.Value, error) {
	segs := strings.Split(name, ".")
	prefix := ""
	for i, seg := range segs {
		fs := yamlFields(v.Type())
		f, ok := fieldByName(fs, seg)
		if !ok {
			names := make([]string, len(fs))
			for j, f := range fs {
				names[j] = prefix + f.name
			}
			return reflect.Value{}, fmt.Errorf("unknown param %q (known: %s)", prefix+seg, strings.Join(names, ", "))
		}
		fv := v.FieldByIndex(f.index)
		if i == len(segs)-1 {
			return fv, nil
		}
		switch {
		case fv.Kind() == reflect.Struct:
			v = fv
		case fv.Kind() == reflect.Pointer && fv.Type().Elem().Kind() == reflect.Struct:
			if fv.IsNil() {
				fv.Set(reflect.New(fv.Type().Elem()))
			}
			v = fv.Elem()
		default:
			return reflect.Value{}, fmt.Errorf("param %q is a %s, not a mapping, so %q names nothing", prefix+seg, f.typ, name)
		}
		prefix += seg + "."
	}
	panic("unreachable")
}

// typeErrorText strips yaml.v3's "yaml: unmarshal errors:\n  line N: "
// wrapping, since ConfigError already carries the position.
func typeErrorText(err error) string {
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg := te.Errors[0]
		if strings.HasPrefix(msg, "line ") {
			if _, rest, ok := strings.Cut(msg, ": "); ok {
				msg = rest
			}
		}
		return msg
	}
	return strings.TrimPrefix(err.Error(), "yaml: ")
}

func nodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a sequence"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "null"
		}
		return fmt.Sprintf("the scalar %q", n.Value)
	case yaml.AliasNode:
		return "an alias"
	}
	return "an empty document"
}

// Params is a stage's parameters in canonical form: each top-level param's
// name mapped to its value as compact JSON (object keys sorted). Two
// decoded params structs are equal exactly when their Params are.
type Params map[string]json.RawMessage

// canonicalParams turns a decoded params struct into Params. It goes
// through YAML so that names follow the yaml tags, then through JSON so
// that map keys are sorted and numbers have one spelling.
func canonicalParams(p any) (Params, error) {
	if p == nil {
		return Params{}, nil
	}
	b, err := yaml.Marshal(p)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := yaml.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	out := make(Params, len(m))
	for k, v := range m {
		j, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("param %q: %w", k, err)
		}
		out[k] = j
	}
	return out, nil
}

// diff names the params that differ between old and p, sorted, each with
// its old and new value.
func (p Params) diff(old Params) []string {
	keys := map[string]bool{}
	for k := range p {
		keys[k] = true
	}
	for k := range old {
		keys[k] = true
	}
	var out []string
	for k := range keys {
		a, b := compactJSON(old[k]), compactJSON(p[k])
		if bytes.Equal(a, b) {
			continue
		}
		switch {
		case a == nil:
			out = append(out, fmt.Sprintf("param %s added (%s)", k, b))
		case b == nil:
			out = append(out, fmt.Sprintf("param %s removed (was %s)", k, a))
		default:
			out = append(out, fmt.Sprintf("param %s changed (%s -> %s)", k, a, b))
		}
	}
	sort.Strings(out)
	return out
}

func compactJSON(b json.RawMessage) []byte {
	if b == nil {
		return nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return b
	}
	return buf.Bytes()
}

// Override is one --set stage.param=value.
type Override struct {
	Stage, Param string
	Value        *yaml.Node
	// Text is the original argument, for messages.
	Text string
}

// ParseOverride parses "stage.param=value"; value is read as YAML (a
// scalar such as 0.5, true or rbf, or a flow sequence or mapping). param
// may name a nested param as `hw1pipe kinds` prints it ("grid.C"); Load
// then sets that field only.
func ParseOverride(s string) (Override, error) {
	lhs, val, ok := strings.Cut(s, "=")
	stage, param, ok2 := strings.Cut(lhs, ".")
	if !ok || !ok2 || stage == "" || param == "" {
		return Override{}, fmt.Errorf("pipeline: --set %q: want stage.param=value", s)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(val), &doc); err != nil {
		return Override{}, fmt.Errorf("pipeline: --set %q: %v", s, err)
	}
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: ""}
	if len(doc.Content) > 0 {
		n = doc.Content[0]
	}
	return Override{Stage: stage, Param: param, Value: n, Text: s}, nil
}
