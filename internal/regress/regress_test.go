package regress

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hw1pipe/artifacts/npy"
	"hw1pipe/pipeline"
)

func TestMask(t *testing.T) {
	cases := []struct {
		name, in, want string
		n              int
	}{
		{"m.json", `{"fit_seconds": 28.04, "val_accuracy": 0.25, "search_seconds":1e-3}`,
			`{"fit_seconds": T, "val_accuracy": 0.25, "search_seconds":T}`, 2},
		{"g.csv", "param_C,mean_test_score,mean_fit_time,std_fit_time\n0.1,0.86,0.013,0.009\n",
			"param_C,mean_test_score,mean_fit_time,std_fit_time\n0.1,0.86,T,T\n", 2},
		{"g.md", "# t\n\n| C | mean | fit s |\n|---|---|---|\n| 0.1 | 0.8613 | 0.01 |\n| **1** | **0.9** | **0.02** |\n\nSearch time 12.5 s (refit 0.3 s).\n",
			"# t\n\n| C | mean | fit s |\n|---|---|---|\n| 0.1 | 0.8613 | T |\n| **1** | **0.9** | **T** |\n\nSearch time T s (refit T s).\n", 4},
		{"i.html", "<pre>&#34;fit_seconds&#34;: 0.04,</pre>\n<table class=\"md\">\n<tr><th>C</th><th>fit s</th></tr>\n<tr><td>0.1</td><td>0.01</td></tr>\n<tr><td><strong>1</strong></td><td><strong>0.03</strong></td></tr>\n</table>\n<table>\n<tr><td>2</td><td>0.5</td></tr>\n</table>",
			"<pre>&#34;fit_seconds&#34;: T,</pre>\n<table class=\"md\">\n<tr><th>C</th><th>fit s</th></tr>\n<tr><td>0.1</td><td>T</td></tr>\n<tr><td><strong>1</strong></td><td><strong>T</strong></td></tr>\n</table>\n<table>\n<tr><td>2</td><td>0.5</td></tr>\n</table>", 3},
		{"x.npy", "fit_seconds: 1", "fit_seconds: 1", 0},
	}
	for _, c := range cases {
		got, n := Mask(c.name, []byte(c.in))
		if string(got) != c.want || n != c.n {
			t.Errorf("Mask(%s) = %q, %d; want %q, %d", c.name, got, n, c.want, c.n)
		}
	}
}

func TestGlob(t *testing.T) {
	for _, c := range []struct {
		p, s string
		ok   bool
	}{
		{"*accuracy*", "p1_grid.results:val_accuracy", true},
		{"p3_torch.*", "p3_torch.curves:train_loss.mean", true},
		{"p3_gradcheck.*:*err*", "p3_gradcheck.report:max_abs_err_by.linear/W", true},
		{"p3_gradcheck.*:*err*", "p3_gradcheck.report:epsilon", false},
		{"exact", "exact", true},
		{"a*b*c", "abc", true},
		{"a*b*c", "acb", false},
	} {
		if got := globMatch(c.p, c.s); got != c.ok {
			t.Errorf("globMatch(%q, %q) = %v", c.p, c.s, got)
		}
	}
}

func TestCompare(t *testing.T) {
	want := &Golden{Stages: map[string]*Stage{
		"a": {Kind: "k", Files: map[string]*File{
			"m": {Path: "a/m.json", SHA256: "aa", Values: map[string]any{"acc": 0.5, "loss": 1.0, "kernel": "rbf", "gone": 1.0}},
			"x": {Path: "a/x.npy", SHA256: "bb"},
		}},
		"old": {Kind: "k", Files: map[string]*File{}},
	}}
	got := &Golden{Stages: map[string]*Stage{
		"a": {Kind: "k", Files: map[string]*File{
			"m": {Path: "a/m.json", SHA256: "ac", Values: map[string]any{"acc": 0.5004, "loss": 1.1, "kernel": "linear", "new": true}},
			"x": {Path: "a/x.npy", SHA256: "bb"},
		}},
		"new": {Kind: "k", Files: map[string]*File{}},
	}}
	tol := &Tolerances{Default: Tolerance{Rel: 1e-9}, Rules: []Rule{{Match: "*:acc", Tolerance: Tolerance{Abs: 0.001}}}}
	var lines []string
	for _, m := range Compare(got, want, tol, nil) {
		lines = append(lines, m.String())
	}
	wantLines := []string{
		`a: a/m.json gone: missing (golden 1)`,
		`a: a/m.json kernel: got "linear", golden "rbf"`,
		`a: a/m.json loss: got 1.1, golden 1 (tolerance rel 1e-09)`,
		`a: a/m.json new: new value true (not in the golden)`,
		"a: a/m.json: sha256 changed (ac..., golden aa...)\n" +
			"    acc: got 0.5004, golden 0.5 (tolerance abs 0.001): within tolerance\n" +
			"    kernel: got \"linear\", golden \"rbf\"\n" +
			"    loss: got 1.1, golden 1 (tolerance rel 1e-09): OUTSIDE tolerance",
		`new: stage not in the golden (new stage? regenerate the goldens)`,
		`old: stage in the golden but not in this run`,
	}
	if strings.Join(lines, "\n") != strings.Join(wantLines, "\n") {
		t.Errorf("Compare:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(wantLines, "\n"))
	}
	if ms := Compare(got, want, tol, &CompareOptions{IgnoreSHA: true}); len(ms) != 6 {
		t.Errorf("IgnoreSHA: %d mismatches, want 6", len(ms))
	}
	if ms := Compare(want, want, &Tolerances{}, nil); len(ms) != 0 {
		t.Errorf("a golden differs from itself: %v", ms)
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	g := &Golden{Config: "c.yaml", Stages: map[string]*Stage{
		"b": {Kind: "k", Files: map[string]*File{"o": {Path: "b/o", SHA256: "ff", Masked: 2, Values: map[string]any{"z": 1.5, "a": "s", "m": false}}}},
		"a": {Kind: "k", Files: map[string]*File{}},
	}}
	var b1, b2 bytes.Buffer
	if err := Encode(&b1, g); err != nil {
		t.Fatal(err)
	}
	back, err := Decode(bytes.NewReader(b1.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := Encode(&b2, back); err != nil {
		t.Fatal(err)
	}
	if b1.String() != b2.String() {
		t.Errorf("round trip changed the bytes:\n%s\n%s", b1.String(), b2.String())
	}
	if ms := Compare(back, g, &Tolerances{}, nil); len(ms) != 0 {
		t.Errorf("round trip: %v", ms)
	}
	if i, j := strings.Index(b1.String(), `"a"`), strings.Index(b1.String(), `"b"`); i > j {
		t.Errorf("stages not sorted:\n%s", b1.String())
	}
}

// TestExtractRebase runs a one-stage pipeline through Config.Load (the
// base file's relative file input must still resolve) and extracts it.
// writeParams is the params of TestExtractRebase's "write" kind.
type writeParams struct {
	N int `yaml:"n"`
}

func (*writeParams) Validate() error { return nil }

func TestExtractRebase(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	os.MkdirAll(filepath.Join(src, "data"), 0o755)
	os.WriteFile(filepath.Join(src, "data", "in.txt"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(src, "p.yaml"), []byte(`
outdir: out
stages:
  write:
    kind: write
    inputs: {txt: data/in.txt}
    params: {n: 3}
    outputs: {arr: w/a.npy, meta: w/m.json}
  copy:
    kind: copy
    inputs: {arr: write.arr}
    outputs: {arr: c/a.npy}
`), 0o644)
	os.WriteFile(filepath.Join(dir, "small.yaml"), []byte("base: src/p.yaml\nset: [write.n=4]\n"), 0o644)
	reg, err := pipeline.NewRegistry(
		pipeline.NewKind(pipeline.Kind{Name: "write", Version: "1", Inputs: []string{"txt"}, Outputs: []string{"arr", "meta"}},
			func() *writeParams { return &writeParams{N: 1} },
			func(_ context.Context, env *pipeline.Env, p *writeParams) error {
				n := p.N
				xs := make([]float64, n)
				for i := range xs {
					xs[i] = float64(i)
				}
				if err := npy.WriteFile(env.Output("arr"), []int{n}, xs); err != nil {
					return err
				}
				return os.WriteFile(env.Output("meta"), []byte(`{"n": 4, "fit_seconds": 0.1, "tags": ["a"]}`), 0o644)
			}),
		pipeline.Kind{Name: "copy", Version: "1", Inputs: []string{"arr"}, Outputs: []string{"arr"},
			Run: func(_ context.Context, env *pipeline.Env) error {
				b, err := os.ReadFile(env.Input("arr"))
				if err != nil {
					return err
				}
				return os.WriteFile(env.Output("arr"), b, 0o644)
			}},
	)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := ReadConfig(filepath.Join(dir, "small.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	out := filepath.Join(work, "out")
	p, err := cfg.Load(reg, work, out)
	if err != nil {
		t.Fatal(err)
	}
	if p.Outdir != out {
		t.Errorf("outdir %s, want %s", p.Outdir, out)
	}
	if _, err := (&pipeline.Runner{Pipeline: p}).Run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	g, err := Extract(p, "small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	arr := g.Stages["write"].Files["arr"]
	if arr.Path != "w/a.npy" || arr.Values["shape"] != "[4]" || arr.Values["sum"] != 6.0 || arr.Values["dtype"] != "<f8" {
		t.Errorf("write.arr = %+v", arr)
	}
	if c := g.Stages["copy"].Files["arr"]; c.SHA256 != arr.SHA256 {
		t.Errorf("copy's hash %s differs from the original's %s", c.SHA256, arr.SHA256)
	}
	meta := g.Stages["write"].Files["meta"]
	if meta.Masked != 1 || meta.Values["n"] != 4.0 || meta.Values["tags[0]"] != "a" || meta.Values["fit_seconds"] != nil {
		t.Errorf("write.meta = %+v", meta)
	}
	if _, err := os.Stat(filepath.Join(src, "out")); !os.IsNotExist(err) {
		t.Errorf("the run wrote beside the base file: %v", err)
	}
}
