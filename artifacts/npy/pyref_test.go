package npy

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"testing"

	"hw1pipe/internal/pyref"
)

// TestNumpyLoadsGo writes one array of every dtype with Go and checks that
// numpy's np.load sees the same shape, dtype and values.
func TestNumpyLoadsGo(t *testing.T) {
	pyref.Require(t, "numpy")
	dir := t.TempDir()
	cases := []goldenCase{
		{"f8", []int{2, 3}, []float64{-1.5, 0, math.Pi, 1e300, -1e-300, math.Inf(1)}},
		{"f4", []int{4}, []float32{0.1, -2, 3.4e38, 1e-40}},
		{"i8", []int{2, 1, 2}, []int64{math.MinInt64, -1, 1, math.MaxInt64}},
		{"i4", []int{1, 3}, []int32{math.MinInt32, 0, math.MaxInt32}},
		{"u1", []int{2, 784}, func() []uint8 {
			s := make([]uint8, 2*784)
			for i := range s {
				s[i] = uint8(i * 7)
			}
			return s
		}()},
		{"scalar", nil, []float64{42.25}},
	}
	for _, c := range cases {
		if err := WriteFile(filepath.Join(dir, c.name+".npy"), c.shape, c.data); err != nil {
			t.Fatal(err)
		}
	}
	// numpy reports each array as dtype, shape and the float64 bits (hex)
	// or integer values of its elements, all exact.
	out := pyref.Run(t, []string{"numpy"}, `
import json, sys, numpy as np
res = {}
for name in ["f8", "f4", "i8", "i4", "u1", "scalar"]:
    a = np.load(sys.argv[1] + "/" + name + ".npy", allow_pickle=False)
    if a.dtype.kind == "f":
        vals = [float(x).hex() for x in a.astype(np.float64).ravel()]
    else:
        vals = [int(x) for x in a.ravel()]
    res[name] = {"dtype": a.dtype.str, "shape": list(a.shape), "c": bool(a.flags.c_contiguous), "vals": vals}
print(json.dumps(res))
`, dir)
	var got map[string]struct {
		Dtype string
		Shape []int
		C     bool
		Vals  []any
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := got[c.name]
			descr, _, _, _ := descrOf(c.data)
			if g.Dtype != descr || fmt.Sprint(g.Shape) != fmt.Sprint(nonNil(c.shape)) || !g.C {
				t.Fatalf("numpy sees %s %v (C order %v), want %s %v", g.Dtype, g.Shape, g.C, descr, c.shape)
			}
			want := pyVals(c.data)
			if fmt.Sprint(g.Vals) != fmt.Sprint(want) {
				t.Errorf("numpy values %v\nwant %v", trim(g.Vals), trim(want))
			}
		})
	}
}

func nonNil(s []int) []int {
	if s == nil {
		return []int{}
	}
	return s
}

// pyVals renders data as the Python script above does: float.hex() for
// floats, JSON numbers (decoded as float64 by encoding/json) for ints.
func pyVals(data any) []any {
	var out []any
	switch d := data.(type) {
	case []float64:
		for _, x := range d {
			out = append(out, pyHex(x))
		}
	case []float32:
		for _, x := range d {
			out = append(out, pyHex(float64(x)))
		}
	case []int64:
		for _, x := range d {
			out = append(out, float64(x))
		}
	case []int32:
		for _, x := range d {
			out = append(out, float64(x))
		}
	case []uint8:
		for _, x := range d {
			out = append(out, float64(x))
		}
	}
	return out
}

// pyHex formats x like Python's float.hex().
func pyHex(x float64) string {
	switch {
	case math.IsInf(x, 1):
		return "inf"
	case math.IsInf(x, -1):
		return "-inf"
	case x == 0:
		if math.Signbit(x) {
			return "-0x0.0p+0"
		}
		return "0x0.0p+0"
	}
	sign := ""
	if x < 0 {
		sign, x = "-", -x
	}
	bits := math.Float64bits(x)
	exp := int(bits>>52) - 1023
	mant := bits & (1<<52 - 1)
	lead := 1
	if exp == -1023 { // subnormal
		lead, exp = 0, -1022
	}
	return fmt.Sprintf("%s0x%d.%013xp%+d", sign, lead, mant, exp)
}

// TestGoLoadsNumpy has numpy write arrays (including a transposed, hence
// Fortran-ordered, one that must be refused) and reads them with Read.
func TestGoLoadsNumpy(t *testing.T) {
	pyref.Require(t, "numpy")
	dir := t.TempDir()
	pyref.Run(t, []string{"numpy"}, `
import sys, numpy as np
d = sys.argv[1]
np.save(d + "/f8.npy", np.linspace(-1, 1, 12).reshape(3, 4))
np.save(d + "/f4.npy", (np.arange(5, dtype=np.float32) / np.float32(3)))
np.save(d + "/i8.npy", np.array([[-(2**62), 3], [5, 2**62]], dtype=np.int64))
np.save(d + "/i4.npy", np.arange(-3, 3, dtype=np.int32))
np.save(d + "/u1.npy", (np.arange(2 * 784) % 256).astype(np.uint8).reshape(2, 784))
np.save(d + "/fortran.npy", np.arange(6.0).reshape(2, 3).T)
np.save(d + "/be.npy", np.arange(3, dtype=">f8"))
np.save(d + "/obj.npy", np.array([None, 1], dtype=object), allow_pickle=True)
`, dir)
	lin := make([]float64, 12)
	for i := range lin {
		// numpy's linspace: start + i*step, with the end point set exactly.
		lin[i] = -1 + float64(i)*(2.0/11)
	}
	lin[11] = 1
	f4 := make([]float32, 5)
	for i := range f4 {
		f4[i] = float32(i) / 3
	}
	u1 := make([]uint8, 2*784)
	for i := range u1 {
		u1[i] = uint8(i % 256)
	}
	for _, c := range []goldenCase{
		{"f8", []int{3, 4}, lin},
		{"f4", []int{5}, f4},
		{"i8", []int{2, 2}, []int64{-(1 << 62), 3, 5, 1 << 62}},
		{"i4", []int{6}, []int32{-3, -2, -1, 0, 1, 2}},
		{"u1", []int{2, 784}, u1},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, err := ReadFile(filepath.Join(dir, c.name+".npy"))
			if err != nil {
				t.Fatal(err)
			}
			checkArray(t, a, c.shape, c.data)
		})
	}
	for name, feature := range map[string]string{"fortran": "fortran_order", "be": "big-endian dtype", "obj": "object dtype"} {
		t.Run(name, func(t *testing.T) {
			_, err := ReadFile(filepath.Join(dir, name+".npy"))
			ue, ok := asUnsupported(err)
			if !ok || ue.Feature != feature {
				t.Errorf("err = %v, want unsupported %s", err, feature)
			}
		})
	}
}

func asUnsupported(err error) (*unsupportedError, bool) {
	var ue *unsupportedError
	return ue, errors.As(err, &ue)
}
