//go:build hdf5

package h5_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hw1pipe/artifacts/h5"
	"hw1pipe/internal/pyref"
)

// f64le is the datatype message h5py writes for a float64 attribute:
// version 1, class 1 (floating point); bit field 0x20 0x3f 0x00 (little
// endian, mantissa normalised with an implied leading 1, sign at bit 63);
// size 8; then bit offset 0, precision 64, exponent at bit 52 of 11 bits,
// mantissa at bit 0 of 52 bits, exponent bias 1023. Layout:
// https://docs.hdfgroup.org/hdf5/develop/_f_m_t3.html#DatatypeMessage
var f64le = []byte{0x11, 0x20, 0x3f, 0x00, 8, 0, 0, 0, 0, 0, 64, 0, 52, 11, 0, 52, 0xff, 0x03, 0, 0}

// typeCorruptions change one field of an attribute's datatype message.
var typeCorruptions = []struct {
	name string
	at   int
	to   []byte
}{
	{"precision 65", 10, []byte{65}},
	{"precision 63", 10, []byte{63}},
	{"precision 32", 10, []byte{32}},
	{"precision 0", 10, []byte{0}},
	{"bit offset 8", 8, []byte{8}},
	{"bit offset 1", 8, []byte{1}},
	{"exponent at 53", 12, []byte{53}},
	{"exponent at 63", 12, []byte{63}},
	{"exponent 12 bits", 13, []byte{12}},
	{"exponent 8 bits", 13, []byte{8}},
	{"mantissa at 1", 14, []byte{1}},
	{"mantissa 53 bits", 15, []byte{53}},
	{"mantissa 23 bits", 15, []byte{23}},
	{"size 4", 4, []byte{4}},
	{"size 16", 4, []byte{16}},
	{"size 7", 4, []byte{7}},
	{"big endian", 1, []byte{0x21}},
	{"no normalisation", 1, []byte{0x00}},
	{"msb-set normalisation", 1, []byte{0x10}},
	{"padding bits set", 1, []byte{0x2e}},
	{"sign at bit 62", 2, []byte{62}},
	{"exponent bias 1024", 16, []byte{0x00, 0x04}},
	{"exponent bias 127", 16, []byte{0x7f, 0x00}},
	{"class integer", 0, []byte{0x10}},
	{"class time", 0, []byte{0x12}},
	{"mantissa 64 bits", 15, []byte{64}},
	{"mantissa 112 bits", 15, []byte{112}},
	{"exponent 15 bits", 13, []byte{15}},
	{"exponent 20 bits", 13, []byte{20}},
	{"precision 255", 10, []byte{255}},
	// The same float in a version 2 message: not a change of type.
	{"version 2", 0, []byte{0x21}},
}

// sameType are the corruptions that leave the datatype IEEE float64 LE.
var sameType = map[string]bool{"version 2": true}

// TestCorruptTypeLikeH5py corrupts the datatype of w, then of b, one
// field at a time and checks that ReadAttrs fails whenever h5py cannot
// read the attribute as float64, and on every change of the datatype
// (h5py "reads" many of them by converting, to garbage).
func TestCorruptTypeLikeH5py(t *testing.T) {
	pyref.Require(t, "h5py", "numpy")
	w, b := goldenWB()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.h5")
	if err := h5.WriteLinear(good, w, 10, 784, b); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(good)
	var offs []int
	for i := 0; ; i++ {
		j := bytes.Index(data[i:], f64le)
		if j < 0 {
			break
		}
		i += j
		offs = append(offs, i)
	}
	if len(offs) != 2 {
		t.Fatalf("found the float64 datatype message %d times, want 2 (w, b)", len(offs))
	}
	type file struct{ name, attr, path string }
	var files []file
	for k, attr := range []string{"w", "b"} {
		for i, c := range typeCorruptions {
			bad := append([]byte(nil), data...)
			copy(bad[offs[k]+c.at:], c.to)
			p := filepath.Join(dir, fmt.Sprintf("%s%02d.h5", attr, i))
			if err := os.WriteFile(p, bad, 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, file{c.name, attr, p})
		}
	}
	// What h5py makes of each: "ok" or its error.
	src := `
import json, sys, h5py, numpy as np
out = []
for p, attr in zip(sys.argv[1::2], sys.argv[2::2]):
    try:
        with h5py.File(p, "r") as f:
            a = f["instance"].attrs[attr]
            out.append("ok %s %s" % (a.dtype.str, a.shape) if a.dtype == np.float64 else "dtype %s" % a.dtype.str)
    except Exception as e:
        out.append("%s: %s" % (type(e).__name__, str(e).split("\n")[0]))
print(json.dumps(out))
`
	var args []string
	for _, f := range files {
		args = append(args, f.path, f.attr)
	}
	var got []string
	if err := json.Unmarshal(pyref.Run(t, []string{"h5py", "numpy"}, src, args...), &got); err != nil {
		t.Fatal(err)
	}
	for i, f := range files {
		attrs, err := h5.ReadAttrs(f.path, h5.LinearGroup, "w", "b")
		h5pyOK := strings.HasPrefix(got[i], "ok <f8")
		t.Logf("%s %-22s h5py: %-50.50s go: %.90v", f.attr, f.name, got[i], err)
		switch {
		case !h5pyOK && err == nil:
			t.Errorf("%s with %s: h5py fails (%s), ReadAttrs reads it", f.attr, f.name, got[i])
		case sameType[f.name] && err != nil:
			t.Errorf("%s with %s: same float64 type, ReadAttrs: %v", f.attr, f.name, err)
		case sameType[f.name] && !(equalBits(attrs[0].Data, w) && equalBits(attrs[1].Data, b)):
			t.Errorf("%s with %s: values differ", f.attr, f.name)
		case !sameType[f.name] && err == nil:
			t.Errorf("%s with %s: ReadAttrs reads a changed datatype", f.attr, f.name)
		}
	}
}

func equalBits(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}
