package pickle_test

import (
	"bytes"
	"fmt"
	"math"
	"math/big"
	"sort"
	"testing"

	"hw1pipe/artifacts/inspect"
	"hw1pipe/artifacts/pickle"
)

// expect converts an encoder input into what inspect.DecodePickle
// (gopickle underneath) must return for it.
func expect(v any) any {
	switch x := v.(type) {
	case nil, bool, string, []byte, float64:
		return v
	case float32:
		return float64(x)
	case int:
		return x
	case int8, int16, int32, int64, uint8, uint16, uint32, uint, uint64:
		return expectBig(new(big.Int).SetBytes(nil).SetInt64(0), x)
	case *big.Int:
		if x.IsInt64() {
			return int(x.Int64())
		}
		// gopickle returns int for LONG1 payloads of up to 8 bytes
		if x.BitLen() < 63 {
			return int(x.Int64())
		}
		return x
	case []float64:
		return mapList(len(x), func(i int) any { return x[i] })
	case []int:
		return mapList(len(x), func(i int) any { return x[i] })
	case []string:
		return mapList(len(x), func(i int) any { return x[i] })
	case []bool:
		return mapList(len(x), func(i int) any { return x[i] })
	case []any:
		return mapList(len(x), func(i int) any { return expect(x[i]) })
	case pickle.Tuple:
		t := inspect.Tuple{}
		for _, e := range x {
			t = append(t, expect(e))
		}
		return t
	case *pickle.Dict:
		return expectDict(x, "")
	case *pickle.OrderedDict:
		d := expectDict(&x.Dict, "collections.OrderedDict")
		if x.Attrs != nil && x.Attrs.Len() > 0 {
			a := expectDict(x.Attrs, "")
			idx := make([]int, len(a.Keys))
			for i := range idx {
				idx[i] = i
			}
			sort.Slice(idx, func(i, j int) bool { return a.Keys[idx[i]].(string) < a.Keys[idx[j]].(string) })
			s := &inspect.Dict{}
			for _, i := range idx {
				s.Keys = append(s.Keys, a.Keys[i])
				s.Values = append(s.Values, a.Values[i])
			}
			d.Attrs = s
		}
		return d
	case pickle.Global:
		return inspect.Global{Module: x.Module, Name: x.Name}
	case pickle.Object:
		return &inspect.Object{Class: inspect.Global(x.Class), Args: expectArgs(x.Args), State: expect(x.State)}
	case *pickle.Object:
		return expect(*x)
	case pickle.Reduce:
		g := x.Func.(pickle.Global)
		return &inspect.Object{Class: inspect.Global(g), Args: expectArgs(x.Args), State: expect(x.State), Reduced: true}
	case *pickle.Reduce:
		return expect(*x)
	case *pickle.Array:
		return expectArray(x)
	case pickle.Array:
		return expectArray(&x)
	case *pickle.MaskedArray:
		a := expectArray(&x.Array)
		a.Masked = true
		a.Mask = make([]bool, reflectLen(x.Data))
		copy(a.Mask, x.Mask)
		a.FillValue = expect(x.FillValue)
		return a
	case pickle.Scalar:
		s := &inspect.Scalar{Value: x.Value}
		switch x.Value.(type) {
		case float64:
			s.Dtype = "f8"
		case float32:
			s.Dtype = "f4"
		case int64:
			s.Dtype = "i8"
		case int32:
			s.Dtype = "i4"
		case uint8:
			s.Dtype = "u1"
		case bool:
			s.Dtype = "b1"
		}
		return s
	}
	panic(fmt.Sprintf("expect: %T", v))
}

func expectBig(_ *big.Int, x any) any {
	var b big.Int
	switch y := x.(type) {
	case int8:
		b.SetInt64(int64(y))
	case int16:
		b.SetInt64(int64(y))
	case int32:
		b.SetInt64(int64(y))
	case int64:
		b.SetInt64(y)
	case uint8:
		b.SetUint64(uint64(y))
	case uint16:
		b.SetUint64(uint64(y))
	case uint32:
		b.SetUint64(uint64(y))
	case uint:
		b.SetUint64(uint64(y))
	case uint64:
		b.SetUint64(y)
	}
	return expect(&b)
}

func expectArgs(t pickle.Tuple) []any {
	out := []any{}
	for _, e := range t {
		out = append(out, expect(e))
	}
	return out
}

func expectDict(d *pickle.Dict, class string) *inspect.Dict {
	out := &inspect.Dict{Class: class}
	for _, k := range d.Keys() {
		v, _ := d.Get(k)
		out.Keys = append(out.Keys, expect(k))
		out.Values = append(out.Values, expect(v))
	}
	return out
}

func expectArray(a *pickle.Array) *inspect.Array {
	out := &inspect.Array{Shape: append([]int{}, a.Shape...), Data: a.Data}
	switch d := a.Data.(type) {
	case []float64:
		out.Dtype = "f8"
	case []float32:
		out.Dtype = "f4"
	case []int64:
		out.Dtype = "i8"
	case []int32:
		out.Dtype = "i4"
	case []uint8:
		out.Dtype = "u1"
	case []bool:
		out.Dtype = "b1"
	case []any:
		out.Dtype = "O8"
		out.Data = expect(d)
	}
	return out
}

func reflectLen(d any) int {
	switch x := d.(type) {
	case []float64:
		return len(x)
	case []any:
		return len(x)
	case []int32:
		return len(x)
	}
	panic("reflectLen")
}

func mapList(n int, f func(int) any) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = f(i)
	}
	return out
}

func roundTripCases() []goldenCase {
	cases := goldenCases()
	shared := &pickle.Array{Shape: []int{1, 2}, Data: []float64{1, 2}}
	cases = append(cases,
		goldenCase{"uints", 4, []any{uint64(math.MaxUint64), uint(7), uint8(255), int8(-5), int16(-300), uint16(65535), uint32(1 << 31)}},
		goldenCase{"object", 4, &pickle.Object{Class: pickle.Global{Module: "m.sub", Name: "C"},
			State: pickle.NewDict("a", 1, "arr", shared, "same", shared, "g", pickle.Global{Module: "mod", Name: "fn"})}},
		goldenCase{"reduce", 3, pickle.Reduce{Func: pickle.Global{Module: "builtins", Name: "complex"}, Args: pickle.Tuple{1.0, 2.0}}},
		goldenCase{"od_attrs_p2", 2, &pickle.OrderedDict{Dict: *pickle.NewDict("w", 1.5), Attrs: pickle.NewDict("_metadata", pickle.NewOrderedDict("", pickle.NewDict("version", 1)))}},
		goldenCase{"bytes_p2", 2, []any{[]byte{0, 1, 200, 255}, []byte{}}},
		goldenCase{"masked_fill", 4, &pickle.MaskedArray{Array: pickle.Array{Shape: []int{2, 2}, Data: []float64{1, 2, 3, 4}}, Mask: []bool{true, false, false, true}, FillValue: 1e20}},
		goldenCase{"large_list", 2, floats(2500)},
		goldenCase{"zero_d", 4, &pickle.Array{Shape: []int{}, Data: []float64{3}}},
		goldenCase{"empty_2d", 4, &pickle.Array{Shape: []int{0, 3}, Data: []float64{}}},
	)
	return cases
}

// TestRoundTripGopickle decodes every encoded value with gopickle (via
// inspect.DecodePickle) and checks it is the value written, floats bit
// for bit, in protocols 2, 3 and 4, with and without the memo.
func TestRoundTripGopickle(t *testing.T) {
	for _, c := range roundTripCases() {
		for _, proto := range []int{2, 3, 4} {
			for _, memo := range []bool{true, false} {
				t.Run(fmt.Sprintf("%s/p%d/memo=%v", c.name, proto, memo), func(t *testing.T) {
					var buf bytes.Buffer
					enc := pickle.NewEncoder(&buf)
					enc.SetProtocol(proto)
					enc.SetMemo(memo)
					if err := enc.Encode(c.value); err != nil {
						var uv *pickle.UnsupportedValueError
						if proto < 4 && asErr(err, &uv) {
							return // dotted names need protocol 4
						}
						t.Fatal(err)
					}
					got, err := inspect.DecodePickle(&buf)
					if err != nil {
						t.Fatal(err)
					}
					want := expect(c.value)
					if !inspect.Equal(got, want) {
						t.Errorf("decoded value differs\n got  %s\n want %s", short(got), short(want))
					}
				})
			}
		}
	}
}

func short(v any) string {
	s := fmt.Sprintf("%#v", v)
	if len(s) > 400 {
		s = s[:400] + "..."
	}
	return s
}

func TestSharedObjectStaysShared(t *testing.T) {
	shared := &pickle.Array{Shape: []int{2}, Data: []float64{1, 2}}
	b, err := pickle.Marshal(pickle.NewDict("dual_coef_", shared, "_dual_coef_", shared))
	if err != nil {
		t.Fatal(err)
	}
	got, err := inspect.DecodePickle(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	d := got.(*inspect.Dict)
	if d.Values[0] != d.Values[1] {
		t.Errorf("shared array decoded as two objects")
	}
}

// point describes its own pickled form, as a Python class with
// __reduce__ would.
type point struct{ x, y float64 }

func (p point) PickleReduce() (any, error) {
	return &pickle.Object{Class: pickle.Global{Module: "geom", Name: "Point"}, State: pickle.NewDict("x", p.x, "y", p.y)}, nil
}

func TestPickler(t *testing.T) {
	b, err := pickle.Marshal([]any{point{1, 2}, point{3, -4}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := inspect.DecodePickle(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	want := []any{
		&inspect.Object{Class: inspect.Global{Module: "geom", Name: "Point"}, Args: []any{}, State: &inspect.Dict{Keys: []any{"x", "y"}, Values: []any{1.0, 2.0}}},
		&inspect.Object{Class: inspect.Global{Module: "geom", Name: "Point"}, Args: []any{}, State: &inspect.Dict{Keys: []any{"x", "y"}, Values: []any{3.0, -4.0}}},
	}
	if !inspect.Equal(got, want) {
		t.Errorf("got %s", short(got))
	}
}
