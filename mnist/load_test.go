package mnist

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// fakeSet is a tiny valid data set: the four files' compressed bytes and
// a table like Official() that describes them.
type fakeSet struct {
	files map[string][]byte
	table []FileInfo
}

func newFakeSet(nTrain, nTest int) *fakeSet {
	f := &fakeSet{files: map[string][]byte{
		TrainImages: gz(idx(imagesMagic, []uint32{uint32(nTrain), 28, 28}, fakeImages(nTrain))),
		TrainLabels: gz(idx(labelsMagic, []uint32{uint32(nTrain)}, fakeLabels(nTrain))),
		TestImages:  gz(idx(imagesMagic, []uint32{uint32(nTest), 28, 28}, fakeImages(nTest))),
		TestLabels:  gz(idx(labelsMagic, []uint32{uint32(nTest)}, fakeLabels(nTest))),
	}}
	for _, o := range Official() {
		b := f.files[o.Name]
		sum := md5.Sum(b)
		n := nTrain
		if strings.HasPrefix(o.Name, "t10k") {
			n = nTest
		}
		f.table = append(f.table, FileInfo{Name: o.Name, MD5: hex.EncodeToString(sum[:]), Size: int64(len(b)), Count: n})
	}
	return f
}

func (f *fakeSet) writeDir(t *testing.T) string {
	dir := t.TempDir()
	for name, b := range f.files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// memSource serves files from memory and counts opens.
type memSource struct {
	name  string
	files map[string][]byte
	mu    sync.Mutex
	opens int
}

func (m *memSource) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	m.mu.Lock()
	m.opens++
	m.mu.Unlock()
	b, ok := m.files[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

func (m *memSource) String() string { return m.name }

type recorder struct{ fracs []float64 }

func (r *recorder) Progress(frac float64, msg string) { r.fracs = append(r.fracs, frac) }

func checkFake(t *testing.T, ds *Dataset, nTrain, nTest int) {
	t.Helper()
	for _, c := range []struct {
		set *Set
		n   int
	}{{&ds.Train, nTrain}, {&ds.Test, nTest}} {
		if c.set.Len() != c.n || !bytes.Equal(c.set.Images, fakeImages(c.n)) {
			t.Errorf("set of %d: wrong images", c.n)
		}
		want := make([]int64, c.n)
		for i, l := range fakeLabels(c.n) {
			want[i] = int64(l)
		}
		if !reflect.DeepEqual(c.set.Labels, want) {
			t.Errorf("labels %v, want %v", c.set.Labels, want)
		}
	}
}

func TestLoadDir(t *testing.T) {
	f := newFakeSet(5, 3)
	dir := f.writeDir(t)
	rec := &recorder{}
	l := &Loader{Sources: []Source{DirSource{Dir: dir}}, Reporter: rec, files: f.table}
	ds, err := l.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	checkFake(t, ds, 5, 3)
	for i, o := range ds.Origins {
		if o.File != f.table[i].Name || o.Source != "dir "+dir {
			t.Errorf("origin %d = %+v", i, o)
		}
	}
	if len(rec.fracs) != 8 || rec.fracs[7] != 1 {
		t.Errorf("progress %v", rec.fracs)
	}
	for i := 1; i < len(rec.fracs); i++ {
		if rec.fracs[i] <= rec.fracs[i-1] {
			t.Errorf("progress not increasing: %v", rec.fracs)
		}
	}
}

// TestLoadFallback: a source missing a file, then one serving a corrupt copy,
// then a good one. The corrupt copy is never used.
func TestLoadFallback(t *testing.T) {
	f := newFakeSet(4, 2)
	missing := &memSource{name: "empty", files: map[string][]byte{}}
	bad := map[string][]byte{}
	for k, v := range f.files {
		bad[k] = v
	}
	bad[TrainImages] = bad[TrainImages][:len(bad[TrainImages])-5] // truncated
	corrupt := &memSource{name: "corrupt", files: bad}
	good := &memSource{name: "good", files: f.files}
	l := &Loader{Sources: []Source{missing, corrupt, good}, files: f.table}
	ds, err := l.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	checkFake(t, ds, 4, 2)
	want := []string{"good", "corrupt", "corrupt", "corrupt"}
	for i, o := range ds.Origins {
		if o.Source != want[i] {
			t.Errorf("%s from %s, want %s", o.File, o.Source, want[i])
		}
	}
	if good.opens != 1 {
		t.Errorf("good source opened %d times, want 1", good.opens)
	}
}

func TestLoadAllFail(t *testing.T) {
	f := newFakeSet(4, 2)
	bad := map[string][]byte{}
	for k, v := range f.files {
		bad[k] = v
	}
	bad[TestLabels] = append(bytes.Clone(bad[TestLabels]), 0) // one byte too many
	l := &Loader{Sources: []Source{&memSource{name: "a", files: map[string][]byte{}}, &memSource{name: "b", files: bad}}, files: f.table}
	ds, err := l.Load(context.Background())
	if ds != nil || err == nil {
		t.Fatalf("Load = %v, %v", ds, err)
	}
	var fe *fetchError
	var ce *ChecksumError
	if !errors.As(err, &fe) || fe.File != TestLabels || len(fe.Errs) != 2 {
		t.Fatalf("err = %v, want *fetchError for %s with 2 causes", err, TestLabels)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("first cause lost: %v", err)
	}
	if !errors.As(err, &ce) || ce.File != TestLabels || ce.Source != "b" || ce.Want != f.table[3].MD5 || ce.Size != f.table[3].Size+1 {
		t.Fatalf("checksum error %+v", ce)
	}
	msg := err.Error()
	for _, s := range []string{TestLabels, ce.Want, ce.Got} {
		if !strings.Contains(msg, s) {
			t.Errorf("message %q lacks %q", msg, s)
		}
	}

	if _, err := (&Loader{}).Load(context.Background()); !errors.As(err, &fe) || !strings.Contains(err.Error(), "no sources") {
		t.Errorf("no sources: %v", err)
	}
}

// TestOfficialSumsAlwaysChecked: without the test hook, the fake files (valid
// IDX, wrong bytes) are refused against the official sums.
func TestOfficialSumsAlwaysChecked(t *testing.T) {
	f := newFakeSet(2, 2)
	l := &Loader{Sources: []Source{DirSource{Dir: f.writeDir(t)}}}
	_, err := l.Load(context.Background())
	var ce *ChecksumError
	if !errors.As(err, &ce) || ce.File != TrainImages || ce.Want != "f68b3c2dcbeaaa9fbdd348bbdeb94873" {
		t.Fatalf("err = %v, want checksum error for %s", err, TrainImages)
	}
}

func TestLoadValidatesContent(t *testing.T) {
	cases := []struct {
		name   string
		change func(f *fakeSet)
		msg    string
	}{
		{"geometry", func(f *fakeSet) {
			f.files[TrainImages] = gz(idx(imagesMagic, []uint32{4, 14, 56}, fakeImages(4)))
		}, "images are 14x56, want 28x28"},
		{"image_count", func(f *fakeSet) { f.table[0].Count = 5 }, "4 images, want 5"},
		{"label_count", func(f *fakeSet) { f.table[3].Count = 7 }, "2 labels, want 7"},
		{"label_value", func(f *fakeSet) {
			f.files[TestLabels] = gz(idx(labelsMagic, []uint32{2}, []byte{3, 200}))
		}, "label 200 at index 1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFakeSet(4, 2)
			c.change(f)
			for i := range f.table { // re-sum changed files
				sum := md5.Sum(f.files[f.table[i].Name])
				f.table[i].MD5, f.table[i].Size = hex.EncodeToString(sum[:]), int64(len(f.files[f.table[i].Name]))
			}
			_, err := (&Loader{Sources: []Source{&memSource{name: "m", files: f.files}}, files: f.table}).Load(context.Background())
			var fe *formatError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("err = %v, want formatError with %q", err, c.msg)
			}
		})
	}
}

func TestLoadCancelled(t *testing.T) {
	f := newFakeSet(2, 2)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := (&Loader{Sources: []Source{&memSource{name: "m", files: f.files}}, files: f.table}).Load(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
}

// TestHTTPMirrors: the first mirror is down, the second serves a corrupt
// train-images file, the third is good.
func TestHTTPMirrors(t *testing.T) {
	f := newFakeSet(6, 3)
	var mu sync.Mutex
	hits := map[string]int{}
	serve := func(name string, corrupt bool) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			hits[name+r.URL.Path]++
			mu.Unlock()
			file := strings.TrimPrefix(r.URL.Path, "/mnist/")
			b, ok := f.files[file]
			if !ok {
				http.NotFound(w, r)
				return
			}
			if corrupt && file == TrainImages {
				b = bytes.Clone(b)
				b[len(b)/2] ^= 0xff
			}
			w.Write(b)
		})
	}
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
	}))
	defer down.Close()
	bad := httptest.NewServer(serve("bad", true))
	defer bad.Close()
	good := httptest.NewServer(serve("good", false))
	defer good.Close()

	srcs := NewSources("", "", []string{down.URL + "/mnist/", bad.URL + "/mnist", good.URL + "/mnist/"})
	l := &Loader{Sources: srcs, files: f.table}
	ds, err := l.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	checkFake(t, ds, 6, 3)
	if ds.Origins[0].Source != "mirror "+good.URL+"/mnist/" || ds.Origins[1].Source != "mirror "+bad.URL+"/mnist" {
		t.Errorf("origins %+v", ds.Origins)
	}
	if hits["good/mnist/"+TrainImages] != 1 || hits["good/mnist/"+TrainLabels] != 0 {
		t.Errorf("hits %v", hits)
	}

	// With only the down and the corrupt mirror, the error names both.
	l.Sources = srcs[:2]
	_, err = l.Load(context.Background())
	var ce *ChecksumError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "503 Service Unavailable") {
		t.Errorf("err = %v", err)
	}
}

// writeFakeGo writes a shell script standing in for the go command: it
// appends its arguments to a log and prints out, exiting with code.
func writeFakeGo(t *testing.T, out string, code int) (gocmd, log string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("shell script")
	}
	dir := t.TempDir()
	log = filepath.Join(dir, "log")
	gocmd = filepath.Join(dir, "go")
	script := fmt.Sprintf("#!/bin/sh\necho \"$PWD $*\" >> %q\ncat <<'EOF'\n%s\nEOF\nexit %d\n", log, out, code)
	if err := os.WriteFile(gocmd, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return gocmd, log
}

func TestModuleSourceFake(t *testing.T) {
	f := newFakeSet(3, 2)
	mod := t.TempDir()
	os.Mkdir(filepath.Join(mod, "data"), 0o755)
	for name, b := range f.files {
		os.WriteFile(filepath.Join(mod, "data", name), b, 0o644)
	}
	gocmd, log := writeFakeGo(t, fmt.Sprintf(`{"Path": "example.com/m", "Version": "v1.0.0", "Dir": %q}`, mod), 0)
	src := &ModuleSource{Module: "example.com/m@v1.0.0", GoCmd: gocmd}
	ds, err := (&Loader{Sources: []Source{src}, files: f.table}).Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	checkFake(t, ds, 3, 2)
	calls, _ := os.ReadFile(log)
	lines := strings.Split(strings.TrimSpace(string(calls)), "\n")
	if len(lines) != 1 || !strings.HasSuffix(lines[0], " mod download -json example.com/m@v1.0.0") {
		t.Errorf("go invoked as %q, want once with mod download -json", lines)
	}
	if wd := strings.Fields(lines[0])[0]; strings.HasPrefix(wd, mustGetwd(t)) {
		t.Errorf("go ran in %s, inside this module", wd)
	}
	if ds.Origins[0].Source != "module example.com/m@v1.0.0" {
		t.Errorf("origin %+v", ds.Origins[0])
	}
}

func mustGetwd(t *testing.T) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return wd
}

func TestModuleSourceErrors(t *testing.T) {
	cases := []struct {
		name, out string
		code      int
		module    string
		msg       string
	}{
		{"json_error", `{"Path": "example.com/m", "Version": "v9", "Error": "example.com/m@v9: reading https://proxy.golang.org: 404 Not Found"}`, 1, "example.com/m@v9", "404 Not Found"},
		{"garbage", `go: something odd`, 1, "example.com/m@v9", "exit status 1"},
		{"no_dir", `{"Path": "example.com/m"}`, 0, "example.com/m@v9", "no Dir"},
		{"no_version", `{}`, 0, "example.com/m", "want path@version"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			gocmd, _ := writeFakeGo(t, c.out, c.code)
			_, err := (&ModuleSource{Module: c.module, GoCmd: gocmd}).Open(context.Background(), TrainImages)
			if err == nil || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("err = %v, want %q", err, c.msg)
			}
		})
	}
	// A missing file in a good module is an ordinary not-exist error.
	gocmd, _ := writeFakeGo(t, fmt.Sprintf(`{"Dir": %q}`, t.TempDir()), 0)
	if _, err := (&ModuleSource{Module: "m@v1", GoCmd: gocmd}).Open(context.Background(), TrainImages); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("err = %v", err)
	}
}

func TestNewSources(t *testing.T) {
	s := NewSources("/d", DefaultModule, DefaultMirrors())
	var names []string
	for _, x := range s {
		names = append(names, x.String())
	}
	want := []string{"dir /d", "module " + DefaultModule,
		"mirror https://ossci-datasets.s3.amazonaws.com/mnist/",
		"mirror https://storage.googleapis.com/cvdf-datasets/mnist/",
		"mirror http://yann.lecun.com/exdb/mnist/"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("%q", names)
	}
	if len(NewSources("", "", nil)) != 0 {
		t.Errorf("empty parameters give sources")
	}
}
