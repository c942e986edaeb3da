package npy

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// goldenCase is one file made by testdata/gen_golden.py (numpy 1.24.2,
// np.save); shape and data rebuild the same array in Go.
type goldenCase struct {
	name  string
	shape []int
	data  any
}

func goldenCases() []goldenCase {
	f8x784 := make([]float64, 10*784)
	for i := range f8x784 {
		f8x784[i] = float64(i) / 7.0
	}
	u1 := make([]uint8, 24)
	for i := range u1 {
		u1[i] = uint8(i * 11 % 256)
	}
	pad64 := []int{0, 100}
	for range 12 {
		pad64 = append(pad64, 1)
	}
	return []goldenCase{
		{"f8_2x3", []int{2, 3}, []float64{-1, -0.5, 0, 0.5, 1, 1.5}},
		{"f8_special", []int{6}, []float64{math.Inf(1), math.Inf(-1), math.Copysign(0, -1), 1e-300, math.Pi, math.SmallestNonzeroFloat64}},
		{"f8_scalar", nil, []float64{3.25}},
		{"f8_10x784", []int{10, 784}, f8x784},
		{"f4_3", []int{3}, []float32{1.5, -2.25, 3.4028235e38}},
		{"f4_1x1", []int{1, 1}, []float32{0.1}},
		{"i8_5", []int{5}, []int64{math.MinInt64, -1, 0, 1, math.MaxInt64}},
		{"i8_empty", []int{0}, []int64{}},
		{"i4_2x2", []int{2, 2}, []int32{math.MinInt32, -1, 0, math.MaxInt32}},
		{"u1_2x3x4", []int{2, 3, 4}, u1},
		{"u1_5", []int{5}, []uint8{0, 1, 127, 128, 255}},
		{"u1_big_dim", []int{12345678901, 0}, []uint8{}},
		{"f8_pad64", pad64, []float64{}},
	}
}

// TestGolden checks that Write reproduces np.save byte for byte and that
// Read gives back the array numpy wrote.
func TestGolden(t *testing.T) {
	for _, c := range goldenCases() {
		t.Run(c.name, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join("testdata", c.name+".npy"))
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := Write(&buf, c.shape, c.data); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("Write differs from np.save:\n got %q\nwant %q", head(buf.Bytes()), head(want))
			}
			a, err := Read(bytes.NewReader(want))
			if err != nil {
				t.Fatal(err)
			}
			checkArray(t, a, c.shape, c.data)
		})
	}
}

// TestGoldenV2 reads a version 2.0 file written by numpy.lib.format.write_array.
func TestGoldenV2(t *testing.T) {
	a, err := ReadFile(filepath.Join("testdata", "v2_f8_2x3.npy"))
	if err != nil {
		t.Fatal(err)
	}
	checkArray(t, a, []int{2, 3}, []float64{-1, -0.5, 0, 0.5, 1, 1.5})
}

// head returns the header part of a .npy file for error messages.
func head(b []byte) []byte {
	return b[:min(len(b), 200)]
}

func checkArray(t *testing.T, a *Array, shape []int, data any) {
	t.Helper()
	if len(a.Shape) != len(shape) || (len(shape) > 0 && !reflect.DeepEqual(a.Shape, shape)) {
		t.Errorf("shape %v, want %v", a.Shape, shape)
	}
	descr, _, _, _ := descrOf(data)
	if a.Dtype != descr {
		t.Errorf("dtype %s, want %s", a.Dtype, descr)
	}
	if !sameBits(a.Data, data) {
		t.Errorf("data %v, want %v", trim(a.Data), trim(data))
	}
}

// sameBits compares element bit patterns, so -0 and NaN payloads count.
func sameBits(a, b any) bool {
	switch x := a.(type) {
	case []float64:
		y, ok := b.([]float64)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if math.Float64bits(x[i]) != math.Float64bits(y[i]) {
				return false
			}
		}
		return true
	case []float32:
		y, ok := b.([]float32)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if math.Float32bits(x[i]) != math.Float32bits(y[i]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}

func trim(v any) any {
	r := reflect.ValueOf(v)
	if r.Kind() == reflect.Slice && r.Len() > 8 {
		return r.Slice(0, 8).Interface()
	}
	return v
}
