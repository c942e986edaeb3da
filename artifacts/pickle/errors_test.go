package pickle_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"hw1pipe/artifacts/pickle"
)

func asErr[T error](err error, target *T) bool { return errors.As(err, target) }

type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	w.n++
	return 0, errors.New("disk full")
}

type badPickler struct{}

func (badPickler) PickleReduce() (any, error) { return nil, errors.New("no state") }

type selfPickler struct{}

func (selfPickler) PickleReduce() (any, error) { return selfPickler{}, nil }

func TestErrors(t *testing.T) {
	cases := []struct {
		name  string
		proto int
		v     any
		check func(error) bool
	}{
		{"map", 4, map[string]int{"a": 1}, func(err error) bool { var e *pickle.UnsupportedTypeError; return asErr(err, &e) }},
		{"complex", 4, []any{1, complex(1, 2)}, func(err error) bool { var e *pickle.UnsupportedTypeError; return asErr(err, &e) }},
		{"bad utf8", 4, []any{"ok", "\xff\xfe"}, func(err error) bool { var e *pickle.UnsupportedValueError; return asErr(err, &e) }},
		{"shape", 4, &pickle.Array{Shape: []int{2, 3}, Data: []float64{1, 2}}, func(err error) bool { var e *pickle.ShapeError; return asErr(err, &e) }},
		{"negative shape", 4, &pickle.Array{Shape: []int{-1}, Data: []float64{}}, func(err error) bool { var e *pickle.ShapeError; return asErr(err, &e) }},
		{"mask len", 4, &pickle.MaskedArray{Array: pickle.Array{Shape: []int{2}, Data: []float64{1, 2}}, Mask: []bool{true}}, func(err error) bool { var e *pickle.ShapeError; return asErr(err, &e) }},
		{"array dtype", 4, &pickle.Array{Shape: []int{1}, Data: []int16{1}}, func(err error) bool { var e *pickle.UnsupportedTypeError; return asErr(err, &e) }},
		{"pickler", 4, badPickler{}, func(err error) bool { var e *pickle.PicklerError; return asErr(err, &e) }},
		{"pickler loop", 4, selfPickler{}, func(err error) bool { var e *pickle.PicklerError; return asErr(err, &e) }},
		{"dotted p2", 2, pickle.Global{Module: "sklearn.base", Name: "ClassifierMixin.score"}, func(err error) bool { var e *pickle.UnsupportedValueError; return asErr(err, &e) }},
		{"empty global", 4, pickle.Global{Module: "m"}, func(err error) bool { var e *pickle.UnsupportedValueError; return asErr(err, &e) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			enc := pickle.NewEncoder(&buf)
			enc.SetProtocol(c.proto)
			err := enc.Encode(c.v)
			if err == nil || !c.check(err) {
				t.Fatalf("got error %v (%T)", err, err)
			}
			if buf.Len() != 0 {
				t.Errorf("%d bytes written despite the error", buf.Len())
			}
			if msg := err.Error(); len(msg) < 8 || msg[:8] != "pickle: " {
				t.Errorf("message %q lacks the package prefix", msg)
			}
			// the encoder stays usable after a value error
			if err := enc.Encode(1.5); err != nil {
				t.Errorf("encode after value error: %v", err)
			}
		})
	}
}

func TestSelfContaining(t *testing.T) {
	l := make([]any, 1)
	l[0] = l
	d := pickle.NewDict()
	d.Set("self", d)
	for _, memo := range []bool{true, false} {
		enc := pickle.NewEncoder(new(bytes.Buffer))
		enc.SetMemo(memo)
		if err := enc.Encode(l); !asErr(err, new(*pickle.UnsupportedValueError)) {
			t.Errorf("memo %v: self-containing list: %v", memo, err)
		}
		err := enc.Encode(d)
		if memo && err != nil {
			t.Errorf("self-containing dict with memo: %v", err)
		}
		if !memo && !asErr(err, new(*pickle.UnsupportedValueError)) {
			t.Errorf("self-containing dict without memo: %v", err)
		}
	}
}

func TestStickyWriteError(t *testing.T) {
	w := &failWriter{}
	enc := pickle.NewEncoder(w)
	err1 := enc.Encode([]float64{1})
	err2 := enc.Encode([]float64{2})
	if err1 == nil || err2 != err1 || w.n != 1 {
		t.Fatalf("errors %v, %v after %d writes; want the first error twice after one write", err1, err2, w.n)
	}
}

func TestSetProtocolPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("SetProtocol(5) did not panic")
		}
	}()
	pickle.NewEncoder(nil).SetProtocol(5)
}

func TestDictSetKeepsPlace(t *testing.T) {
	d := pickle.NewDict("a", 1, "b", 2)
	d.Set("a", 3)
	if k := d.Keys(); len(k) != 2 || k[0] != "a" {
		t.Fatalf("keys %v", k)
	}
	if v, _ := d.Get("a"); v != 3 {
		t.Fatalf("a = %v", v)
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.pkl")
	if err := pickle.WriteFile(p, []float64{1.5, -2}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	want, _ := os.ReadFile(filepath.Join(goldenDir, "floats_2_p3.pkl"))
	_ = want
	if len(b) != 34 {
		t.Errorf("len %d, want 34 (docs/formats.md#float-list-deliverables)", len(b))
	}
	bad := filepath.Join(dir, "bad.pkl")
	if err := pickle.WriteFile(bad, []any{"\xff"}); err == nil {
		t.Fatal("no error for invalid UTF-8")
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("directory holds %d entries, want only x.pkl", len(ents))
	}
}
