package npy

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hw1pipe/golden/hostile"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	cases := []struct {
		name  string
		shape []int
		data  any
	}{
		{"f8_scalar", nil, []float64{-7.5}},
		{"f8_1d", []int{4}, []float64{0, math.NaN(), math.MaxFloat64, -math.SmallestNonzeroFloat64}},
		{"f8_2d", []int{2, 2}, []float64{1, 2, 3, 4}},
		{"f4_2d", []int{1, 3}, []float32{float32(math.NaN()), 1e-45, -3}},
		{"i8_3d", []int{1, 2, 1}, []int64{math.MinInt64, math.MaxInt64}},
		{"i4_1d", []int{3}, []int32{-5, 0, 5}},
		{"u1_2d", []int{2, 3}, []uint8{0, 1, 2, 253, 254, 255}},
		{"u1_empty_2d", []int{3, 0}, []uint8{}},
		// Larger than one encode chunk, with an odd tail.
		{"f8_chunks", []int{3, 4099}, seqFloat64(3 * 4099)},
		{"i4_chunks", []int{16385}, seqInt32(16385)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, c.shape, c.data); err != nil {
				t.Fatal(err)
			}
			if n := buf.Len(); n%64 != int(payload(c.data))%64 {
				t.Errorf("header not 64-byte aligned: file size %d", n)
			}
			// Two arrays back to back: Read must consume exactly one.
			buf.Write(buf.Bytes())
			for i := range 2 {
				a, err := Read(&buf)
				if err != nil {
					t.Fatalf("array %d: %v", i, err)
				}
				checkArray(t, a, c.shape, c.data)
			}
			if buf.Len() != 0 {
				t.Errorf("%d bytes left unread", buf.Len())
			}
		})
	}
}

func payload(data any) int64 {
	_, size, n, _ := descrOf(data)
	return int64(size * n)
}

func seqFloat64(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = float64(i)*0.25 - 3
	}
	return s
}

func seqInt32(n int) []int32 {
	s := make([]int32, n)
	for i := range s {
		s[i] = int32(i*7919 - 50000)
	}
	return s
}

func TestAccessors(t *testing.T) {
	a := &Array{Shape: []int{2}, Dtype: Int64, Data: []int64{1, 2}}
	if s, err := a.Int64s(); err != nil || !reflect.DeepEqual(s, []int64{1, 2}) {
		t.Errorf("Int64s = %v, %v", s, err)
	}
	var de *dtypeError
	if _, err := a.Float64s(); !errors.As(err, &de) || de.Have != Int64 || de.Want != Float64 {
		t.Errorf("Float64s on int64: %v", err)
	}
	for name, f := range map[string]func() error{
		"Float32s": func() error { _, err := a.Float32s(); return err },
		"Int32s":   func() error { _, err := a.Int32s(); return err },
		"Uint8s":   func() error { _, err := a.Uint8s(); return err },
	} {
		if err := f(); !errors.As(err, &de) {
			t.Errorf("%s on int64: %v", name, err)
		}
	}
	if a.Len() != 2 || (&Array{}).Len() != 1 {
		t.Errorf("Len wrong")
	}
}

func TestWriteErrors(t *testing.T) {
	cases := []struct {
		name  string
		shape []int
		data  any
		want  any // pointer to the expected error type
	}{
		{"short", []int{2, 3}, []float64{1, 2}, new(*shapeError)},
		{"long", []int{2}, []uint8{1, 2, 3}, new(*shapeError)},
		{"scalar_two", nil, []int32{1, 2}, new(*shapeError)},
		{"negative_dim", []int{-1, -2}, []int64{1, 2}, new(*shapeError)},
		{"overflow", []int{math.MaxInt / 2, 4}, []int64{}, new(*shapeError)},
		{"int", []int{1}, []int{1}, new(*unsupportedTypeError)},
		{"nil", []int{1}, nil, new(*unsupportedTypeError)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := Write(&buf, c.shape, c.data)
			if err == nil || !errors.As(err, c.want) {
				t.Fatalf("err = %v, want %T", err, reflect.ValueOf(c.want).Elem().Interface())
			}
			if !strings.HasPrefix(err.Error(), "npy: ") {
				t.Errorf("message %q lacks the npy: prefix", err)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes before failing", buf.Len())
			}
		})
	}
}

// rawNpy builds a version 1.0 file around an arbitrary header text,
// padded as numpy pads, followed by data.
func rawNpy(dict string, data []byte) []byte {
	hlen := len(dict) + 1
	pad := 64 - (10+hlen)%64
	b := []byte(magic + "\x01\x00")
	b = binary.LittleEndian.AppendUint16(b, uint16(hlen+pad))
	b = append(b, dict...)
	b = append(b, bytes.Repeat([]byte(" "), pad)...)
	b = append(b, '\n')
	return append(b, data...)
}

func TestReadErrors(t *testing.T) {
	good := rawNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", make([]byte, 16))
	cases := []struct {
		name  string
		in    []byte
		want  any
		check func(t *testing.T, err error)
	}{
		{"empty", nil, new(*truncatedError), nil},
		{"magic_short", []byte("\x93NUM"), new(*truncatedError), nil},
		{"bad_magic", []byte("PK\x03\x04 not npy at all"), new(*magicError), nil},
		{"bad_magic_short", []byte("PK"), new(*magicError), nil},
		{"version_9", append([]byte(magic+"\x09\x00"), good[8:]...), new(*versionError), nil},
		{"version_1_1", append([]byte(magic+"\x01\x01"), good[8:]...), new(*versionError), nil},
		{"no_header_len", good[:9], new(*truncatedError), func(t *testing.T, err error) {
			if e := err.(*truncatedError); e.Part != "header length" || e.Want != 2 || e.Got != 1 {
				t.Errorf("%+v", e)
			}
		}},
		{"truncated_header", good[:40], new(*truncatedError), func(t *testing.T, err error) {
			if e := err.(*truncatedError); e.Part != "header" || e.Want != 118 || e.Got != 30 {
				t.Errorf("%+v", e)
			}
		}},
		{"truncated_data", good[:len(good)-3], new(*truncatedError), func(t *testing.T, err error) {
			if e := err.(*truncatedError); e.Part != "data" || e.Want != 16 || e.Got != 13 {
				t.Errorf("%+v", e)
			}
		}},
		// The length field claims fewer bytes than the dict: it is cut mid-way.
		{"wrong_length_short", func() []byte {
			b := bytes.Clone(good)
			binary.LittleEndian.PutUint16(b[8:], 40)
			return b
		}(), new(*headerError), nil},
		// The length field claims more than the file holds.
		{"wrong_length_long", func() []byte {
			b := bytes.Clone(good)
			binary.LittleEndian.PutUint16(b[8:], 5000)
			return b
		}(), new(*truncatedError), nil},
		{"huge_v2_header", append([]byte(magic+"\x02\x00\xff\xff\xff\xff"), good[10:]...), new(*headerError), nil},
		{"fortran", rawNpy("{'descr': '<f8', 'fortran_order': True, 'shape': (2,), }", make([]byte, 16)), new(*unsupportedError), func(t *testing.T, err error) {
			if e := err.(*unsupportedError); e.Feature != "fortran_order" || !strings.Contains(err.Error(), "fortran_order") {
				t.Errorf("%v", e)
			}
		}},
		{"big_endian", rawNpy("{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }", make([]byte, 16)), new(*unsupportedError), func(t *testing.T, err error) {
			if e := err.(*unsupportedError); e.Feature != "big-endian dtype" || e.Value != "'>f8'" {
				t.Errorf("%v", e)
			}
		}},
		{"object", rawNpy("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", make([]byte, 16)), new(*unsupportedError), func(t *testing.T, err error) {
			if e := err.(*unsupportedError); e.Feature != "object dtype" {
				t.Errorf("%v", e)
			}
		}},
		{"structured", rawNpy("{'descr': [('a', '<i4'), ('b', '<f8')], 'fortran_order': False, 'shape': (2,), }", make([]byte, 24)), new(*unsupportedError), nil},
		{"complex", rawNpy("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", make([]byte, 16)), new(*unsupportedError), nil},
		{"missing_shape", rawNpy("{'descr': '<f8', 'fortran_order': False}", nil), new(*headerError), nil},
		{"extra_key", rawNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (), 'x': 1}", nil), new(*headerError), nil},
		{"not_dict", rawNpy("('<f8', False, (2,))", nil), new(*headerError), nil},
		{"negative_dim", rawNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (-2,), }", nil), new(*headerError), nil},
		{"shape_not_tuple", rawNpy("{'descr': '<f8', 'fortran_order': False, 'shape': 2, }", nil), new(*headerError), nil},
		{"order_not_bool", rawNpy("{'descr': '<f8', 'fortran_order': 0, 'shape': (2,), }", nil), new(*headerError), nil},
		{"too_large", rawNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4), }", nil), new(*headerError), nil},
		{"unterminated", rawNpy("{'descr': '<f8", nil), new(*headerError), nil},
		{"garbage", rawNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), } junk", nil), new(*headerError), nil},
		{"deep", rawNpy(strings.Repeat("(", 100), nil), new(*headerError), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := Read(bytes.NewReader(c.in))
			if err == nil {
				t.Fatalf("no error; read %+v", a)
			}
			if !errors.As(err, c.want) {
				t.Fatalf("err = %v (%T), want %T", err, err, reflect.ValueOf(c.want).Elem().Interface())
			}
			if !strings.HasPrefix(err.Error(), "npy: ") {
				t.Errorf("message %q lacks the npy: prefix", err)
			}
			if c.check != nil {
				c.check(t, err)
			}
		})
	}
}

// TestReadAccepts covers header spellings numpy's loader accepts but
// np.save does not write.
func TestReadAccepts(t *testing.T) {
	cases := []struct {
		name, dict string
		data       []byte
		shape      []int
		want       any
	}{
		{"u1_little", "{'descr': '<u1', 'fortran_order': False, 'shape': (3,), }", []byte{1, 2, 3}, []int{3}, []uint8{1, 2, 3}},
		{"py2_long", "{'descr': '<i4', 'shape': (1L, 2L), 'fortran_order': False}", []byte{1, 0, 0, 0, 255, 255, 255, 255}, []int{1, 2}, []int32{1, -1}},
		{"double_quotes", `{"descr": "|u1", "fortran_order": False, "shape": ()}`, []byte{9}, nil, []uint8{9}},
		{"no_spaces", "{'descr':'|u1','fortran_order':False,'shape':(2,)}", []byte{4, 5}, []int{2}, []uint8{4, 5}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := Read(bytes.NewReader(rawNpy(c.dict, c.data)))
			if err != nil {
				t.Fatal(err)
			}
			checkArray(t, a, c.shape, c.want)
		})
	}
}

func TestReadWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.npy")
	if err := WriteFile(path, []int{2, 2}, []int64{1, 2, 3, 4}); err != nil {
		t.Fatal(err)
	}
	a, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	checkArray(t, a, []int{2, 2}, []int64{1, 2, 3, 4})
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, %v", fi.Mode(), err)
	}

	// A failed write leaves the old file in place and no temporary behind.
	err = WriteFile(path, []int{3}, []int64{1})
	var se *shapeError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), path) {
		t.Errorf("WriteFile with bad shape: %v", err)
	}
	if a, err := ReadFile(path); err != nil || a.Len() != 4 {
		t.Errorf("old file damaged: %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("directory holds %d entries, want 1", len(ents))
	}

	// ReadFile names the file.
	bad := filepath.Join(dir, "bad.npy")
	os.WriteFile(bad, []byte("hello"), 0o644)
	var me *magicError
	if _, err := ReadFile(bad); !errors.As(err, &me) || !strings.Contains(err.Error(), bad) {
		t.Errorf("ReadFile on garbage: %v", err)
	}
	if _, err := ReadFile(filepath.Join(dir, "missing.npy")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ReadFile on missing file: %v", err)
	}
	if err := WriteFile(filepath.Join(dir, "no", "such", "dir.npy"), nil, []uint8{1}); err == nil {
		t.Errorf("WriteFile into a missing directory succeeded")
	}
}

type failWriter struct{ after int }

func (w *failWriter) Write(p []byte) (int, error) {
	if w.after <= 0 {
		return 0, io.ErrShortWrite
	}
	w.after--
	return len(p), nil
}

func TestWriteFailure(t *testing.T) {
	for _, after := range []int{0, 1, 2} {
		err := Write(&failWriter{after: after}, []int{20000}, seqFloat64(20000))
		if !errors.Is(err, io.ErrShortWrite) {
			t.Errorf("after %d writes: err = %v", after, err)
		}
	}
}

func FuzzRead(f *testing.F) {
	for _, c := range goldenCases() {
		if b, err := os.ReadFile(filepath.Join("testdata", c.name+".npy")); err == nil && len(b) < 4096 {
			f.Add(b)
		}
	}
	f.Add(rawNpy("{'descr': '<u1', 'fortran_order': False, 'shape': (3,), }", []byte{1, 2, 3}))
	f.Add(rawNpy("{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': ((2,),), }", nil))
	f.Add([]byte(magic + "\x02\x00\x10\x00\x00\x00{}"))
	for _, b := range hostile.Seeds(".npy") {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		a, err := Read(bytes.NewReader(in))
		if err != nil {
			return
		}
		// Whatever reads must write back and read again to the same array.
		var buf bytes.Buffer
		if err := Write(&buf, a.Shape, a.Data); err != nil {
			t.Fatalf("read %+v but cannot write it: %v", a.Shape, err)
		}
		b, err := Read(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a.Shape, b.Shape) || a.Dtype != b.Dtype || !sameBits(a.Data, b.Data) {
			t.Fatalf("re-read differs")
		}
	})
}

func benchMNIST(b *testing.B, n int) {
	data := make([]uint8, n*784)
	for i := range data {
		data[i] = uint8(i * 31)
	}
	shape := []int{n, 784}
	var buf bytes.Buffer
	if err := Write(&buf, shape, data); err != nil {
		b.Fatal(err)
	}
	file := buf.Bytes()
	b.Run("Write", func(b *testing.B) {
		b.SetBytes(int64(len(file)))
		for b.Loop() {
			if err := Write(io.Discard, shape, data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Read", func(b *testing.B) {
		b.SetBytes(int64(len(file)))
		for b.Loop() {
			if _, err := Read(bytes.NewReader(file)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkMNIST writes and reads the MNIST training images as stored by
// the mnist stage: uint8, 60000x784.
func BenchmarkMNIST(b *testing.B) { benchMNIST(b, 60000) }

func benchFloat64(b *testing.B, n int) {
	data := seqFloat64(n * 784)
	shape := []int{n, 784}
	var buf bytes.Buffer
	if err := Write(&buf, shape, data); err != nil {
		b.Fatal(err)
	}
	file := buf.Bytes()
	b.Run("Write", func(b *testing.B) {
		b.SetBytes(int64(len(file)))
		for b.Loop() {
			if err := Write(io.Discard, shape, data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Read", func(b *testing.B) {
		b.SetBytes(int64(len(file)))
		for b.Loop() {
			if _, err := Read(bytes.NewReader(file)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkFloat64 is the same with pixels as float64, as later stages store them.
func BenchmarkFloat64(b *testing.B) { benchFloat64(b, 10000) }
