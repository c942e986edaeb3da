package verify

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hw1pipe/artifacts/sklearn"
	"hw1pipe/internal/pyref"
)

// Hand-assembled pickle opcodes, so that a payload is exactly what a
// hostile file would hold (hw1pipe's encoder refuses to write most of
// them). Opcode letters as in CPython's Lib/pickle.py.
func pkStr(s string) []byte { // BINUNICODE
	b := []byte{'X', 0, 0, 0, 0}
	binary.LittleEndian.PutUint32(b[1:], uint32(len(s)))
	return append(b, s...)
}

func pkGlobal(module, name string) []byte { // STACK_GLOBAL
	return append(append(pkStr(module), pkStr(name)...), 0x93)
}

func pkFloat(f float64) []byte { // BINFLOAT, big-endian
	b := []byte{'G', 0, 0, 0, 0, 0, 0, 0, 0}
	binary.BigEndian.PutUint64(b[1:], math.Float64bits(f))
	return b
}

// pkCall calls fn(args...): MARK args TUPLE REDUCE.
func pkCall(fn []byte, args ...[]byte) []byte {
	out := append(append([]byte(nil), fn...), '(')
	for _, a := range args {
		out = append(out, a...)
	}
	return append(out, 't', 'R')
}

// pkList is EMPTY_LIST MARK items APPENDS.
func pkList(items ...[]byte) []byte {
	out := []byte{']', '('}
	for _, it := range items {
		out = append(out, it...)
	}
	return append(out, 'e')
}

// pkDict1 is {key: value}: EMPTY_DICT key value SETITEM.
func pkDict1(key string, value []byte) []byte {
	out := append([]byte{'}'}, pkStr(key)...)
	return append(append(out, value...), 's')
}

func pkFile(body []byte) []byte { return append(append([]byte{0x80, 4}, body...), '.') }

// payload is one way to run `touch marker` from a pickle.
type payload struct {
	name    string
	refused string // the global check.py must name
	build   func(marker string) []byte
}

func hostilePayloads() []payload {
	getattr := pkGlobal("builtins", "getattr")
	ga := func(obj []byte, attr string) []byte { return pkCall(getattr, obj, pkStr(attr)) }
	return []payload{
		{"os.system", "os.system", func(m string) []byte {
			return pkCall(pkGlobal("os", "system"), pkStr("touch "+m))
		}},
		{"posix.system", "posix.system", func(m string) []byte {
			return pkCall(pkGlobal("posix", "system"), pkStr("touch "+m))
		}},
		{"builtins.eval", "builtins.eval", func(m string) []byte {
			return pkCall(pkGlobal("builtins", "eval"), pkStr("__import__('os').system('touch "+m+"')"))
		}},
		{"subprocess.Popen", "subprocess.Popen", func(m string) []byte {
			return pkCall(pkGlobal("subprocess", "Popen"), pkList(pkStr("touch"), pkStr(m)))
		}},
		// getattr(__import__('os'), 'system')('touch m')
		{"__import__+getattr", "builtins.getattr", func(m string) []byte {
			return pkCall(ga(pkCall(pkGlobal("builtins", "__import__"), pkStr("os")), "system"), pkStr("touch "+m))
		}},
		// Only builtins.__import__, no getattr: __import__('os') runs
		// nothing by itself, but must be refused by name all the same.
		{"__import__", "builtins.__import__", func(m string) []byte {
			return pkCall(pkGlobal("builtins", "__import__"), pkStr("os"))
		}},
		// From an allowed class to os.system with getattr alone:
		// SVC.fit.__globals__.get('__builtins__').get('__import__')('os').system.
		{"getattr chain from SVC", "builtins.getattr", func(m string) []byte {
			glob := ga(ga(pkGlobal("sklearn.svm._classes", "SVC"), "fit"), "__globals__")
			builtins := pkCall(ga(glob, "get"), pkStr("__builtins__"))
			imp := pkCall(ga(builtins, "get"), pkStr("__import__"))
			return pkCall(ga(pkCall(imp, pkStr("os")), "system"), pkStr("touch "+m))
		}},
		// Protocol 4 resolves dotted names: a module on the allowlist
		// reaches os.system through its imports.
		{"dotted name under sklearn", "sklearn.svm._classes.np.lib.npyio.os.system", func(m string) []byte {
			return pkCall(pkGlobal("sklearn.svm._classes", "np.lib.npyio.os.system"), pkStr("touch "+m))
		}},
	}
}

// hostSVC returns a real fitted-SVC pickle from hw1pipe's writer (protocol
// 3: no frames, so bytes can be spliced in) and the offset just before its
// final SETITEMS of the attribute dict, where an extra attribute goes.
func hostSVC(t *testing.T) ([]byte, int) {
	t.Helper()
	svc := &sklearn.SVC{
		Params:         sklearn.DefaultParams(),
		Classes:        []int64{0, 1},
		GammaValue:     0.5,
		NFeatures:      2,
		NSamples:       4,
		Support:        []int32{0, 2},
		SupportVectors: []float64{0, 1, 1, 0},
		NSupport:       []int32{1, 1},
		DualCoef:       []float64{1, -1},
		Intercept:      []float64{0.25},
	}
	b, err := sklearn.Marshal(svc, &sklearn.Options{Protocol: 3})
	if err != nil {
		t.Fatal(err)
	}
	// Protocol 4 in the header, so that pickle.load resolves the dotted
	// payload too (frames are optional in protocol 4).
	b[1] = 4
	// ... SETITEMS BUILD STOP
	if !bytes.HasSuffix(b, []byte("ub.")) {
		t.Fatalf("SVC pickle ends %q, want SETITEMS BUILD STOP", b[len(b)-3:])
	}
	return b, len(b) - 3
}

// withState sets the SVC's kernel attribute to v: a later key wins in
// SETITEMS, so __setstate__ gets a dict whose "kernel" is the payload.
func withState(host []byte, at int, v []byte) []byte {
	out := append([]byte(nil), host[:at]...)
	out = append(append(out, pkStr("kernel")...), v...)
	return append(out, host[at:]...)
}

func floats(n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		out[i] = pkFloat(0.5)
	}
	return out
}

// TestVerifyNeverRunsPickles plants code-running payloads where a
// deliverable's pickle holds data and checks that verify's Python side
// refuses each by name and runs none. A control run with plain
// pickle.load proves each payload does run when loaded the old way.
func TestVerifyNeverRunsPickles(t *testing.T) {
	py := pyref.Require(t, "numpy", "sklearn")
	markers := t.TempDir()
	host, at := hostSVC(t)
	payloads := hostilePayloads()
	marker := func(pl payload, where, file string) string {
		return filepath.Join(markers, strings.NewReplacer(" ", "_", "/", "_").Replace(pl.name+"-"+where+"-"+file))
	}
	var floatFiles []Deliverable
	for _, d := range Deliverables() {
		if d.Format == FloatList {
			floatFiles = append(floatFiles, d)
		}
	}
	if len(payloads) > len(floatFiles) {
		t.Fatalf("%d payloads for %d float-list files", len(payloads), len(floatFiles))
	}
	var control []string
	fail := func(r Result, ok bool, pl payload, where string) {
		t.Helper()
		want := "refused global " + pl.refused
		if !ok || r.Status != Fail || !strings.Contains(r.Detail, want) {
			t.Errorf("%s in %s (%s): %s %v %q, want FAIL naming %q", pl.name, r.Path, where, r.Checker, r.Status, r.Detail, want)
		}
	}

	// Through Dir, as `hw1pipe verify` runs: one submission folder per
	// position, the i-th float list holding the i-th payload.
	positions := []struct {
		where string
		wrap  func(p []byte) []byte
	}{
		{"top", func(p []byte) []byte { return pkFile(p) }},
		{"list", func(p []byte) []byte { return pkFile(pkList(append(append(floats(3), p), floats(7)...)...)) }},
		{"list-dict", func(p []byte) []byte { return pkFile(pkList(append(floats(10), pkDict1("x", p))...)) }},
	}
	for _, pos := range positions {
		dir := t.TempDir()
		for _, a := range Assignments() {
			if err := os.MkdirAll(filepath.Join(dir, a), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		for i, pl := range payloads {
			p := filepath.Join(dir, filepath.FromSlash(floatFiles[i].Path()))
			if err := os.WriteFile(p, pos.wrap(pl.build(marker(pl, pos.where, floatFiles[i].Name))), 0o644); err != nil {
				t.Fatal(err)
			}
			if pos.where == "top" {
				control = append(control, p)
			}
		}
		rep, err := Dir(context.Background(), dir, &Options{Python: py})
		if err != nil {
			t.Fatal(err)
		}
		for i, pl := range payloads {
			r, ok := find(rep, floatFiles[i].Path(), "python")
			fail(r, ok, pl, pos.where)
			if g, _ := find(rep, floatFiles[i].Path(), "go"); g.Status != Fail {
				t.Errorf("%s in %s (%s): go check %v %q, want FAIL", pl.name, g.Path, pos.where, g.Status, g.Detail)
			}
		}
	}

	// grid_search_svm.pkl holding each payload at the top and as an
	// attribute of a real SVC, all in one run of check.py: each file sits
	// in its own folder under the name check.py dispatches on.
	dir := t.TempDir()
	var grids []Deliverable
	for i, pl := range payloads {
		for _, pos := range []struct {
			where string
			data  func(p []byte) []byte
		}{
			{"grid-top", func(p []byte) []byte { return pkFile(p) }},
			{"svc-state", func(p []byte) []byte { return withState(host, at, p) }},
		} {
			d := Deliverable{Assignment: fmt.Sprintf("%s%d", pos.where, i), Name: "grid_search_svm.pkl", Format: SklearnSVM}
			p := filepath.Join(dir, d.Assignment, d.Name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, pos.data(pl.build(marker(pl, pos.where, d.Name))), 0o644); err != nil {
				t.Fatal(err)
			}
			if pos.where == "svc-state" {
				control = append(control, p)
			}
			grids = append(grids, d)
		}
	}
	res := checkPython(context.Background(), dir, grids, &Options{Python: py})
	for i, d := range grids {
		r, ok := res[d.Path()]
		fail(r, ok, payloads[i/2], d.Assignment)
	}

	// Popen's child may still be starting: give it a moment before
	// concluding that nothing ran.
	time.Sleep(500 * time.Millisecond)
	if ents, _ := os.ReadDir(markers); len(ents) > 0 {
		for _, e := range ents {
			t.Errorf("payload ran during verify: %s", e.Name())
		}
		t.FailNow()
	}

	// Control: the same files through pickle.load do run their payloads
	// (bar __import__ alone, which runs nothing), so the test above is not
	// vacuous.
	src := "import pickle, sys\nfor p in sys.argv[1:]:\n    try:\n        pickle.load(open(p, 'rb'))\n    except Exception:\n        pass\n"
	cmd := exec.Command(py, append([]string{"-c", src}, control...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("control run: %v\n%s", err, out)
	}
	want := 2 * (len(payloads) - 1)
	var ents []os.DirEntry
	for range 50 {
		if ents, _ = os.ReadDir(markers); len(ents) >= want {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(ents) != want {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Errorf("control: pickle.load ran %d payloads, want %d: %v", len(ents), want, names)
	}
}

// makeStrictCases writes, with trusted Python, files that carry no code
// but would make numpy, libsvm or torch read out of bounds: each must be
// refused before those libraries see it. argv: dir, golden SVC, a .pth.
const makeStrictCases = `
import io, pickle, sys, zipfile
import numpy as np
out, svc_path, pth = sys.argv[1:4]
def put(name, data):
    import os
    os.makedirs(os.path.join(out, name), exist_ok=True)
    with open(os.path.join(out, name, "grid_search_svm.pkl" if not name.startswith("pth") else "pytorch_nn_weights.pth"), "wb") as f:
        f.write(data)
svc = pickle.load(open(svc_path, "rb"))
# libsvm reads k(k-1)/2 intercepts and sum(_n_support) rows.
bad = pickle.loads(pickle.dumps(svc)); bad._intercept_ = bad._intercept_[:1].copy()
put("intercept", pickle.dumps(bad))
bad = pickle.loads(pickle.dumps(svc)); bad._n_support = bad._n_support * 2
put("nsupport", pickle.dumps(bad))
bad = pickle.loads(pickle.dumps(svc)); bad.kernel = "precomputed"
put("kernel", pickle.dumps(bad))
# A dtype whose pickled state differs from numpy's own for it.
d = pickle.dumps(np.zeros(2, dtype=">f8"), protocol=2)
put("dtype-state", d)
# An allowed class called with arguments instead of created empty.
put("reduce-class", b"\x80\x04\x8c\x14sklearn.svm._classes\x94\x8c\x03SVC\x94\x93)R.")
# A torch archive whose storage is shorter than its tensor says.
src = zipfile.ZipFile(pth)
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
    for i in src.infolist():
        data = src.read(i)
        if i.filename.endswith("/data/0"):
            data = data[:16]
        z.writestr(i.filename, data)
put("pth-storage", buf.getvalue())
# Not hostile, but numpy 2 names (numpy._core) do not load on numpy 1.x:
# pickle.load fails there, so check.py must too.
p2 = pickle.dumps(svc, protocol=2)
assert b"numpy.core.multiarray\n" in p2
put("numpy2-names", p2.replace(b"numpy.core.multiarray\n", b"numpy._core.multiarray\n"))
# A million nested lists, and a 12-byte file claiming a 1 TB payload.
put("nested", b"\x80\x04" + b"](" * 1000000 + b".")
put("bytes8", b"\x80\x04\x8e" + (1 << 40).to_bytes(8, "little") + b".")
# torch's legacy (non-zip) format.
put("pth-legacy", b"\x80\x02\x8a\x0alZ\xfc\x9cF\xf9 j\xa8P\x19.")
`

// TestVerifyPythonStrict: files that hold no code but would make numpy,
// libsvm or torch read out of bounds are refused before those libraries
// run, and files built to cost memory fail cheaply.
func TestVerifyPythonStrict(t *testing.T) {
	py := pyref.Require(t, "numpy", "sklearn", "torch")
	dir := t.TempDir()
	pth := filepath.Join(t.TempDir(), "w.pth")
	writeTorch(t, pth, []int{10, 784})
	cmd := exec.Command(py, "-c", makeStrictCases, dir, goldenSVC, pth)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("making cases: %v\n%s", err, out)
	}
	want := map[string]string{
		"intercept":    "SVC._intercept_ is float64 (1,), want C-ordered f8 (45,)",
		"nsupport":     "SVC._n_support",
		"kernel":       "SVC kernel 'precomputed'",
		"dtype-state":  "refused dtype state",
		"reduce-class": "refused call of sklearn.svm._classes.SVC",
		"pth-storage":  "refused storage '0' of 7840 floats: the archive holds 16 bytes",
		"pth-legacy":   "not a zip archive",
		"nested":       "more pickle opcodes than a deliverable has",
		"bytes8":       "truncated pickle",
		"numpy2-names": "has no module numpy._core.multiarray",
	}
	var present []Deliverable
	for name := range want {
		d := Deliverable{Assignment: name, Name: "grid_search_svm.pkl", Format: SklearnSVM}
		if strings.HasPrefix(name, "pth") {
			d.Name, d.Format = "pytorch_nn_weights.pth", TorchStateDict
		}
		present = append(present, d)
	}
	res := checkPython(context.Background(), dir, present, &Options{Python: py})
	for _, d := range present {
		r := res[d.Path()]
		if r.Status != Fail || !strings.Contains(r.Detail, want[d.Assignment]) {
			t.Errorf("%s: %v %q, want FAIL with %q", d.Path(), r.Status, r.Detail, want[d.Assignment])
		}
	}
}
