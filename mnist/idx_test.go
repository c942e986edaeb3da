package mnist

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

// idx builds an uncompressed IDX file: magic, big-endian dims, payload.
func idx(magic uint32, dims []uint32, payload []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, magic)
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	return append(b, payload...)
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// fakeImages returns n 28x28 images whose pixel j of image i is (i*7+j)%256.
func fakeImages(n int) []byte {
	p := make([]byte, n*Pixels)
	for i := range n {
		for j := range Pixels {
			p[i*Pixels+j] = byte((i*7 + j) % 256)
		}
	}
	return p
}

func fakeLabels(n int) []byte {
	l := make([]byte, n)
	for i := range l {
		l[i] = byte((i * 3) % 10)
	}
	return l
}

func TestDecodeImages(t *testing.T) {
	pix := fakeImages(3)
	got, n, rows, cols, err := DecodeImages("x.gz", gz(idx(imagesMagic, []uint32{3, 28, 28}, pix)))
	if err != nil || n != 3 || rows != 28 || cols != 28 || !bytes.Equal(got, pix) {
		t.Fatalf("n=%d rows=%d cols=%d err=%v equal=%v", n, rows, cols, err, bytes.Equal(got, pix))
	}
	// Other geometries decode; Loader is the one that insists on 28x28.
	if _, n, rows, cols, err := DecodeImages("y.gz", gz(idx(imagesMagic, []uint32{2, 1, 3}, []byte{1, 2, 3, 4, 5, 6}))); err != nil || n != 2 || rows != 1 || cols != 3 {
		t.Errorf("2x1x3: %d %d %d %v", n, rows, cols, err)
	}
}

func TestDecodeLabels(t *testing.T) {
	got, err := DecodeLabels("l.gz", gz(idx(labelsMagic, []uint32{4}, []byte{0, 9, 5, 1})))
	if err != nil || !reflect.DeepEqual(got, []int64{0, 9, 5, 1}) {
		t.Fatalf("%v %v", got, err)
	}
}

func TestDecodeErrors(t *testing.T) {
	good := idx(imagesMagic, []uint32{2, 28, 28}, fakeImages(2))
	gzGood := gz(good)
	cases := []struct {
		name   string
		labels bool
		in     []byte
		msg    string // substring of the error
		eof    bool   // wraps io.ErrUnexpectedEOF
	}{
		{"not_gzip", false, good, "not gzip", false},
		{"gzip_cut", false, gzGood[:len(gzGood)/2], "corrupt gzip", true},
		{"bad_magic", false, gz(idx(labelsMagic, []uint32{2, 28, 28}, fakeImages(2))), "magic 0x00000801, want 0x00000803", false},
		{"short_header", false, gz(good[:10]), "truncated header", true},
		{"short_data", false, gz(good[:len(good)-1]), "truncated", true},
		{"trailing", false, gz(append(bytes.Clone(good), 0)), "1 bytes after", false},
		{"huge_dims", false, gz(idx(imagesMagic, []uint32{1 << 31, 1 << 31, 28}, nil)), "exceed", false},
		{"label_magic", true, gz(good), "magic 0x00000803, want 0x00000801", false},
		{"label_not_digit", true, gz(idx(labelsMagic, []uint32{3}, []byte{1, 10, 2})), "label 10 at index 1", false},
		{"label_count", true, gz(idx(labelsMagic, []uint32{5}, []byte{1, 2})), "truncated", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var err error
			if c.labels {
				_, err = DecodeLabels("f.gz", c.in)
			} else {
				_, _, _, _, err = DecodeImages("f.gz", c.in)
			}
			var fe *formatError
			if !errors.As(err, &fe) || fe.File != "f.gz" {
				t.Fatalf("err = %v, want *formatError for f.gz", err)
			}
			if !strings.Contains(err.Error(), c.msg) || !strings.HasPrefix(err.Error(), "mnist: f.gz: ") {
				t.Errorf("err = %q, want it to contain %q", err, c.msg)
			}
			if got := errors.Is(err, io.ErrUnexpectedEOF); got != c.eof {
				t.Errorf("errors.Is(err, io.ErrUnexpectedEOF) = %v", got)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(gz(idx(imagesMagic, []uint32{2, 28, 28}, fakeImages(2))))
	f.Add(gz(idx(labelsMagic, []uint32{3}, []byte{1, 2, 3})))
	f.Add(gz(idx(imagesMagic, []uint32{0xffffffff, 28, 28}, nil)))
	f.Fuzz(func(t *testing.T, in []byte) {
		if pix, n, rows, cols, err := DecodeImages("f", in); err == nil && len(pix) != n*rows*cols {
			t.Fatalf("%d pixels for %dx%dx%d", len(pix), n, rows, cols)
		}
		if labels, err := DecodeLabels("f", in); err == nil {
			for _, l := range labels {
				if l < 0 || l > 9 {
					t.Fatalf("label %d", l)
				}
			}
		}
	})
}
