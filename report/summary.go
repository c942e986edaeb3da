package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"hw1pipe/results"
)

// jsonValue is a JSON document as results.json's data block shows it:
// object keys sorted (the order encoding/json gives a map, which the
// data block has always had), numbers as float64.
type jsonValue struct {
	obj    []member // when isObj
	arr    []jsonValue
	scalar any // string, float64, int, bool or nil
	isObj  bool
	isArr  bool
}

type member struct {
	key string
	val jsonValue
}

// parseJSON reads one JSON document. A key given twice keeps its last
// value, as encoding/json does.
func parseJSON(b []byte) (jsonValue, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	v, err := parseValue(d)
	if err != nil {
		return v, err
	}
	if _, err := d.Token(); err != io.EOF {
		return v, fmt.Errorf("data after the JSON document")
	}
	return v, nil
}

func parseValue(d *json.Decoder) (jsonValue, error) {
	tok, err := d.Token()
	if err != nil {
		return jsonValue{}, err
	}
	switch tok {
	case json.Delim('{'):
		v := jsonValue{isObj: true, obj: []member{}}
		for d.More() {
			k, err := d.Token()
			if err != nil {
				return v, err
			}
			e, err := parseValue(d)
			if err != nil {
				return v, err
			}
			v.obj = slices.DeleteFunc(v.obj, func(m member) bool { return m.key == k.(string) })
			v.obj = append(v.obj, member{k.(string), e})
		}
		slices.SortFunc(v.obj, func(a, b member) int { return strings.Compare(a.key, b.key) })
		_, err := d.Token() // '}'
		return v, err
	case json.Delim('['):
		v := jsonValue{isArr: true, arr: []jsonValue{}}
		for d.More() {
			e, err := parseValue(d)
			if err != nil {
				return v, err
			}
			v.arr = append(v.arr, e)
		}
		_, err := d.Token() // ']'
		return v, err
	}
	return jsonValue{scalar: tok}, nil
}

// MarshalJSON writes the value compactly, keys in order.
func (v jsonValue) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	err := v.write(&b)
	return b.Bytes(), err
}

func (v jsonValue) write(b *bytes.Buffer) error {
	switch {
	case v.isObj:
		b.WriteByte('{')
		for i, m := range v.obj {
			if i > 0 {
				b.WriteByte(',')
			}
			k, _ := json.Marshal(m.key)
			b.Write(k)
			b.WriteByte(':')
			if err := m.val.write(b); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case v.isArr:
		b.WriteByte('[')
		for i, e := range v.arr {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := e.write(b); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	default:
		s, err := json.Marshal(v.scalar)
		if err != nil {
			return err
		}
		b.Write(s)
	}
	return nil
}

// numbers returns the array's elements when every one is a number.
func (v jsonValue) numbers() ([]float64, bool) {
	if !v.isArr {
		return nil, false
	}
	out := make([]float64, len(v.arr))
	for i, e := range v.arr {
		f, ok := e.scalar.(float64)
		if !ok {
			return nil, false
		}
		out[i] = f
	}
	return out, true
}

func object(ms ...member) jsonValue { return jsonValue{isObj: true, obj: ms} }

func scalar(x any) jsonValue { return jsonValue{scalar: x} }

// summarize replaces arrays longer than MaxArray by a summary: numbers
// by len, first, last, min, max and the mean of the last 100, other
// arrays (the gradient check's 270 records, which would dwarf the
// numbers) by len and their ends.
func summarize(v jsonValue) jsonValue {
	switch {
	case v.isObj:
		out := object(make([]member, len(v.obj))...)
		for i, m := range v.obj {
			out.obj[i] = member{m.key, summarize(m.val)}
		}
		return out
	case v.isArr:
		if nums, ok := v.numbers(); ok && len(nums) > MaxArray {
			lo, hi := math.Inf(1), math.Inf(-1)
			for _, f := range nums {
				lo, hi = math.Min(lo, f), math.Max(hi, f)
			}
			return object(member{"first", scalar(nums[0])}, member{"last", scalar(nums[len(nums)-1])},
				member{"len", scalar(len(nums))}, member{"max", scalar(hi)},
				member{"mean_last_100", scalar(results.MeanLast100(nums))}, member{"min", scalar(lo)})
		}
		if len(v.arr) > MaxArray {
			return object(member{"first", summarize(v.arr[0])}, member{"last", summarize(v.arr[len(v.arr)-1])},
				member{"len", scalar(len(v.arr))})
		}
		out := jsonValue{isArr: true, arr: make([]jsonValue, len(v.arr))}
		for i, e := range v.arr {
			out.arr[i] = summarize(e)
		}
		return out
	}
	return v
}

// summary is a results document's data block: its JSON with long arrays
// summarised.
func summary(doc []byte) (json.RawMessage, error) {
	v, err := parseJSON(doc)
	if err != nil {
		return nil, err
	}
	return summarize(v).MarshalJSON()
}
