package bundle

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"hw1pipe/internal/pyref"
	"hw1pipe/pipeline"
)

type fakeParams struct {
	Value string `yaml:"value"`
}

func (*fakeParams) Validate() error { return nil }

// fakeKind writes "<stage> <output key> <value>" into every output.
func fakeKind(name string, outputs ...string) pipeline.Kind {
	return pipeline.NewKind(pipeline.Kind{Name: name, Version: "7", Outputs: outputs},
		func() *fakeParams { return &fakeParams{Value: "v"} },
		func(ctx context.Context, env *pipeline.Env, p *fakeParams) error {
			for k, path := range env.Outputs {
				if err := os.WriteFile(path, []byte(env.Stage+" "+k+" "+p.Value+"\n"), 0o644); err != nil {
					return err
				}
			}
			return nil
		})
}

// delivering returns k declaring the deliverables d (output key ->
// submission path).
func delivering(k pipeline.Kind, d map[string]string) pipeline.Kind {
	k.Deliverables = d
	return k
}

var kinds = []pipeline.Kind{
	delivering(fakeKind("p1", "model", "summary"), map[string]string{"model": "problem1/grid_search_svm.pkl"}),
	delivering(fakeKind("p3", "tl", "te", "vl", "ve", "ptl", "pte", "pvl", "pve", "h5", "pth", "curves"), map[string]string{
		"tl": "problem3/self_NN_training_loss.pkl", "te": "problem3/self_NN_training_error.pkl",
		"vl": "problem3/self_NN_validation_loss.pkl", "ve": "problem3/self_NN_validation_error.pkl",
		"ptl": "problem3/pytorch_NN_training_loss.pkl", "pte": "problem3/pytorch_NN_training_error.pkl",
		"pvl": "problem3/pytorch_NN_validation_loss.pkl", "pve": "problem3/pytorch_NN_validation_error.pkl",
		"h5": "problem3/linear.h5", "pth": "problem3/pytorch_nn_weights.pth"}),
	fakeKind("report", "html", "results"),
	fakeKind("latex", "tex", "fig"),
	// p1odd names its model like the deliverable but does not declare it.
	fakeKind("p1odd", "model"),
	delivering(fakeKind("p1bad", "model"), map[string]string{"model": "problem1/svm.pkl"}),
}

const config = `outdir: out
stages:
  grid:
    kind: p1
    params: {value: %s}
    outputs: {model: p1/best.pkl, summary: p1/summary.json}
  nets:
    kind: p3
    outputs:
      tl: p3/self_NN_training_loss.pkl
      te: p3/self_NN_training_error.pkl
      vl: p3/self_NN_validation_loss.pkl
      ve: p3/self_NN_validation_error.pkl
      ptl: p3/torch/pytorch_NN_training_loss.pkl
      pte: p3/torch/pytorch_NN_training_error.pkl
      pvl: p3/torch/pytorch_NN_validation_loss.pkl
      pve: p3/torch/pytorch_NN_validation_error.pkl
      h5: p3/linear.h5
      pth: p3/torch/pytorch_nn_weights.pth
      curves: p3/curves.json
  report:
    kind: report
    inputs: {a: grid.summary, b: nets.curves}
    outputs: {html: report/index.html, results: report/results.json}
  latex:
    kind: latex
    inputs: {a: grid.summary}
    outputs: {tex: report/latex/results.tex, fig: report/latex/compare.pdf}
`

func setup(t *testing.T, value string) (dir string, load func() *pipeline.Pipeline) {
	t.Helper()
	dir = t.TempDir()
	load = func() *pipeline.Pipeline {
		t.Helper()
		reg, err := pipeline.NewRegistry(kinds...)
		if err != nil {
			t.Fatal(err)
		}
		p, err := pipeline.Load(filepath.Join(dir, "pipeline.yaml"), reg, nil)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	writeConfig(t, dir, value)
	return dir, load
}

func writeConfig(t *testing.T, dir, value string) {
	if err := os.WriteFile(filepath.Join(dir, "pipeline.yaml"), []byte(fmt.Sprintf(config, value)), 0o644); err != nil {
		t.Fatal(err)
	}
}

func run(t *testing.T, p *pipeline.Pipeline) {
	t.Helper()
	if _, err := (&pipeline.Runner{Pipeline: p, Jobs: 1}).Run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
}

func fixedDescribe(context.Context, string) string { return "v1.2-3-gabc" }

// snapshot maps every file under dir to its bytes and mtime.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = fmt.Sprintf("%x %d", sha256.Sum256(b), fi.ModTime().UnixNano())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestBundleWrite(t *testing.T) {
	dir, load := setup(t, "a")
	out := filepath.Join(dir, "submit")
	opt := &Options{Out: out, Describe: fixedDescribe}

	// Nothing ran: every stage is stale and Write refuses, naming them.
	_, err := Write(context.Background(), load(), opt)
	var se *StaleError
	if !errors.As(err, &se) || len(se.Stages) != 4 || !strings.Contains(err.Error(), "grid (never run)") {
		t.Fatalf("before run: %v, want a StaleError naming 4 stages", err)
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("Write created the folder while refusing")
	}

	p := load()
	run(t, p)
	res, err := Write(context.Background(), p, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Missing) != 0 || len(res.Deliverables) != 11 {
		t.Fatalf("missing %v, %d deliverables", res.Missing, len(res.Deliverables))
	}
	want := []string{
		"MANIFEST.json", "problem1.zip", "problem1/grid_search_svm.pkl", "problem3.zip",
		"problem3/linear.h5", "problem3/pytorch_NN_training_error.pkl", "problem3/pytorch_NN_training_loss.pkl",
		"problem3/pytorch_NN_validation_error.pkl", "problem3/pytorch_NN_validation_loss.pkl",
		"problem3/pytorch_nn_weights.pth", "problem3/self_NN_training_error.pkl", "problem3/self_NN_training_loss.pkl",
		"problem3/self_NN_validation_error.pkl", "problem3/self_NN_validation_loss.pkl",
		"report/index.html", "report/latex/compare.pdf", "report/latex/results.tex", "report/results.json",
	}
	snap := snapshot(t, out)
	if len(snap) != len(want) {
		t.Errorf("folder holds %d files, want %d: %v", len(snap), len(want), snap)
	}
	for _, w := range want {
		if _, ok := snap[w]; !ok {
			t.Errorf("no %s", w)
		}
	}
	if got, _ := os.ReadFile(filepath.Join(out, "problem3", "linear.h5")); string(got) != "nets h5 v\n" {
		t.Errorf("linear.h5 holds %q", got)
	}

	// The manifest describes every other file truly.
	var m Manifest
	b, _ := os.ReadFile(filepath.Join(out, ManifestName))
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Files) != len(want)-1 {
		t.Errorf("manifest lists %d files, want %d", len(m.Files), len(want)-1)
	}
	for _, f := range m.Files {
		c, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(f.Path)))
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.Sum256(c)
		if hex.EncodeToString(h[:]) != f.SHA256 || int64(len(c)) != f.Size {
			t.Errorf("manifest entry %+v does not match the file", f)
		}
	}
	if m.Code.Git != "v1.2-3-gabc" || m.Code.Kinds["p3"] != "7" {
		t.Errorf("code %+v", m.Code)
	}
	if g := m.Stages["grid"]; g.Kind != "p1" || string(g.Params["value"]) != `"a"` || g.Finished.IsZero() {
		t.Errorf("stage grid %+v", g)
	}
	if f := m.Files[1]; f.Path != "problem1/grid_search_svm.pkl" || f.Stage != "grid" || f.Output != "model" {
		t.Errorf("files[1] = %+v", f)
	}

	// The zips: files at the root, sorted, fixed time, same bytes.
	zr, err := zip.OpenReader(filepath.Join(out, "problem3.zip"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if !f.Modified.Equal(zipTime) {
			t.Errorf("%s: time %v", f.Name, f.Modified)
		}
	}
	zr.Close()
	if got := strings.Join(names, " "); got != "linear.h5 pytorch_NN_training_error.pkl pytorch_NN_training_loss.pkl "+
		"pytorch_NN_validation_error.pkl pytorch_NN_validation_loss.pkl pytorch_nn_weights.pth "+
		"self_NN_training_error.pkl self_NN_training_loss.pkl self_NN_validation_error.pkl self_NN_validation_loss.pkl" {
		t.Errorf("problem3.zip entries: %s", got)
	}

	// A second run with nothing changed writes nothing: same bytes and
	// mtimes (set far in the past so that a rewrite would show).
	old := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	for rel := range snap {
		os.Chtimes(filepath.Join(out, filepath.FromSlash(rel)), old, old)
	}
	before := snapshot(t, out)
	res, err = Write(context.Background(), load(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Written) != 0 || len(res.Removed) != 0 {
		t.Errorf("second run wrote %v, removed %v", res.Written, res.Removed)
	}
	after := snapshot(t, out)
	for rel, s := range before {
		if after[rel] != s {
			t.Errorf("%s changed: %s -> %s", rel, s, after[rel])
		}
	}

	// A stray file in an owned folder goes; only changed files are written.
	os.WriteFile(filepath.Join(out, "problem3", "old.pkl"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(out, "notes.txt"), []byte("mine"), 0o644)
	writeConfig(t, dir, "b")
	_, err = Write(context.Background(), load(), opt)
	if !errors.As(err, &se) || len(se.Stages) != 3 || se.Stages[0].Name != "grid" ||
		!strings.Contains(err.Error(), "param value changed") {
		t.Fatalf("after a param change: %v, want grid, report and latex stale", err)
	}
	p = load()
	run(t, p)
	res, err = Write(context.Background(), p, opt)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(res.Removed, " "); got != "problem3/old.pkl" {
		t.Errorf("removed %q", got)
	}
	if got := strings.Join(res.Written, " "); got != "problem1.zip problem1/grid_search_svm.pkl MANIFEST.json" {
		t.Errorf("written %q", got)
	}
	if _, err := os.Stat(filepath.Join(out, "notes.txt")); err != nil {
		t.Error("a file outside the owned folders was removed")
	}
}

func TestBundleMissingAndConflict(t *testing.T) {
	dir := t.TempDir()
	cfg := `stages:
  a:
    kind: p1
    outputs: {model: a/grid_search_svm.pkl, summary: a/s.json}
`
	os.WriteFile(filepath.Join(dir, "pipeline.yaml"), []byte(cfg), 0o644)
	reg, _ := pipeline.NewRegistry(kinds...)
	p, err := pipeline.Load(filepath.Join(dir, "pipeline.yaml"), reg, nil)
	if err != nil {
		t.Fatal(err)
	}
	run(t, p)
	res, err := Write(context.Background(), p, &Options{Out: filepath.Join(dir, "submit"), Describe: fixedDescribe})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Missing) != 10 || res.Missing[0] != "problem3/self_NN_training_loss.pkl" {
		t.Errorf("missing %v", res.Missing)
	}

	cfg += `  b:
    kind: p1
    outputs: {model: b/grid_search_svm.pkl, summary: b/s.json}
`
	os.WriteFile(filepath.Join(dir, "pipeline.yaml"), []byte(cfg), 0o644)
	p, err = pipeline.Load(filepath.Join(dir, "pipeline.yaml"), reg, nil)
	if err != nil {
		t.Fatal(err)
	}
	run(t, p)
	_, err = Write(context.Background(), p, &Options{Out: filepath.Join(dir, "submit"), Describe: fixedDescribe})
	var ce *conflictError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "a.model, b.model") {
		t.Errorf("two producers: %v", err)
	}

	// A file named like a deliverable is not one unless its kind says so;
	// a kind that declares a file the autograder does not take is an
	// error.
	for _, c := range []struct{ kind, want string }{
		{"p1odd", ""},
		{"p1bad", "bundle: kind p1bad declares output model as problem1/svm.pkl, which is not a deliverable"},
	} {
		cfg := "stages:\n  a:\n    kind: " + c.kind + "\n    outputs: {model: a/grid_search_svm.pkl}\n"
		os.WriteFile(filepath.Join(dir, "pipeline.yaml"), []byte(cfg), 0o644)
		p, err = pipeline.Load(filepath.Join(dir, "pipeline.yaml"), reg, nil)
		if err != nil {
			t.Fatal(err)
		}
		run(t, p)
		res, err := Write(context.Background(), p, &Options{Out: filepath.Join(dir, "submit"), Describe: fixedDescribe})
		switch {
		case c.want != "" && (err == nil || err.Error() != c.want):
			t.Errorf("%s: %v, want %q", c.kind, err, c.want)
		case c.want == "" && (err != nil || len(res.Missing) != 11):
			t.Errorf("%s: %v, missing %v", c.kind, err, res)
		}
	}
}

// TestBundleZipPython opens the zips with Python's zipfile, as Gradescope's
// upload does: CRCs valid, names at the root, the 1980 timestamp.
func TestBundleZipPython(t *testing.T) {
	dir, load := setup(t, "a")
	p := load()
	run(t, p)
	out := filepath.Join(dir, "submit")
	if _, err := Write(context.Background(), p, &Options{Out: out, Describe: fixedDescribe}); err != nil {
		t.Fatal(err)
	}
	got := pyref.Run(t, nil, `
import sys, zipfile
for path in sys.argv[1:]:
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        for i in z.infolist():
            print(i.filename, i.date_time, i.file_size, z.read(i).decode().strip())
`, filepath.Join(out, "problem1.zip"), filepath.Join(out, "problem3.zip"))
	lines := strings.Split(strings.TrimSpace(string(got)), "\n")
	if len(lines) != 11 || lines[0] != "grid_search_svm.pkl (1980, 1, 1, 0, 0, 0) 13 grid model a" ||
		lines[1] != "linear.h5 (1980, 1, 1, 0, 0, 0) 10 nets h5 v" {
		t.Errorf("python zipfile read:\n%s", got)
	}
}

// TestBundlePDF: the printed page lands in report/, is printed again only
// when the page changed (per the previous manifest) or the PDF is gone,
// and a stray file in report/latex/ goes without taking the folder.
func TestBundlePDF(t *testing.T) {
	dir, load := setup(t, "a")
	out := filepath.Join(dir, "submit")
	prints := 0
	opt := &Options{Out: out, Describe: fixedDescribe, PrintPDF: func(ctx context.Context, path string) ([]byte, error) {
		prints++
		b, err := os.ReadFile(path)
		return append([]byte("%PDF-fake of "), b...), err
	}}
	p := load()
	run(t, p)
	write := func(wantHow string, wantPrints int) *Result {
		t.Helper()
		res, err := Write(context.Background(), load(), opt)
		if err != nil {
			t.Fatal(err)
		}
		if res.PDF != wantHow || prints != wantPrints {
			t.Errorf("PDF %q after %d prints, want %q after %d", res.PDF, prints, wantHow, wantPrints)
		}
		return res
	}
	write("printed", 1)
	pdf := filepath.Join(out, "report", "report.pdf")
	if b, _ := os.ReadFile(pdf); string(b) != "%PDF-fake of report html v\n" {
		t.Errorf("report.pdf holds %q", b)
	}
	var m Manifest
	b, _ := os.ReadFile(filepath.Join(out, ManifestName))
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	listed := false
	for _, f := range m.Files {
		listed = listed || f.Path == "report/report.pdf"
	}
	if !listed {
		t.Error("manifest does not list report/report.pdf")
	}

	// Unchanged page: no print, nothing written.
	os.WriteFile(filepath.Join(out, "report", "latex", "old.tex"), []byte("x"), 0o644)
	res := write("kept", 1)
	if len(res.Written) != 0 || strings.Join(res.Removed, " ") != "report/latex/old.tex" {
		t.Errorf("written %v, removed %v", res.Written, res.Removed)
	}
	if _, err := os.Stat(filepath.Join(out, "report", "latex", "results.tex")); err != nil {
		t.Error(err)
	}
	// The PDF gone: printed again, same bytes.
	os.Remove(pdf)
	if res := write("printed", 2); strings.Join(res.Written, " ") != "report/report.pdf" {
		t.Errorf("written %v", res.Written)
	}
	// A different page than the manifest's: printed again.
	b, _ = os.ReadFile(filepath.Join(out, ManifestName))
	os.WriteFile(filepath.Join(out, ManifestName), regexp.MustCompile(`("path": "report/index.html",\s+"size": \d+,\s+"sha256": ")[0-9a-f]+`).
		ReplaceAll(b, []byte("${1}00")), 0o644)
	write("printed", 3)
	// A failing printer fails Write, naming the file.
	opt.PrintPDF = func(context.Context, string) ([]byte, error) { return nil, errors.New("no browser") }
	os.Remove(pdf)
	if _, err := Write(context.Background(), load(), opt); err == nil || !strings.Contains(err.Error(), "report/report.pdf: no browser") {
		t.Errorf("failing printer: %v", err)
	}
}
