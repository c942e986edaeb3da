package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// testParams is the params struct of every fake kind.
type testParams struct {
	Value  string  `yaml:"value"`
	Seed   int     `yaml:"seed"`
	Rate   float64 `yaml:"rate"`
	Nested struct {
		A int `yaml:"a"`
	} `yaml:"nested"`
}

// Validate refuses a negative rate or nested.a, and the value "invalid"
// with an error that names no param.
func (p *testParams) Validate() error {
	var errs []error
	if p.Rate < 0 {
		errs = append(errs, ParamErrorf("rate", "want at least 0, got %v", p.Rate))
	}
	if p.Nested.A < 0 {
		errs = append(errs, ParamErrorf("nested.a", "want at least 0, got %d", p.Nested.A))
	}
	if p.Value == "invalid" {
		errs = append(errs, errors.New("value is invalid"))
	}
	return errors.Join(errs...)
}

// harness builds fake kinds whose outputs are a digest of their inputs and
// params, counts their runs and hashes, and lets a test hook a stage.
type harness struct {
	t   *testing.T
	dir string

	mu     sync.Mutex
	runs   []string
	hashed []string
	hooks  map[string]func(ctx context.Context, env *Env) error
	starts map[string]time.Time
	ends   map[string]time.Time
	// versions overrides kind versions (default "1").
	versions map[string]string
}

func newHarness(t *testing.T, config string, files map[string]string) *harness {
	t.Helper()
	h := &harness{
		t: t, dir: t.TempDir(),
		hooks:    map[string]func(context.Context, *Env) error{},
		starts:   map[string]time.Time{},
		ends:     map[string]time.Time{},
		versions: map[string]string{},
	}
	h.write("pipeline.yaml", config)
	for name, content := range files {
		h.write(name, content)
	}
	return h
}

func (h *harness) path(rel string) string { return filepath.Join(h.dir, filepath.FromSlash(rel)) }

func (h *harness) write(rel, content string) {
	h.t.Helper()
	p := h.path(rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		h.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) read(rel string) string {
	h.t.Helper()
	b, err := os.ReadFile(h.path(rel))
	if err != nil {
		h.t.Fatal(err)
	}
	return string(b)
}

func (h *harness) exists(rel string) bool {
	_, err := os.Stat(h.path(rel))
	return err == nil
}

// fakeRun writes, to every output, the stage name, the output key, the
// params and the content of every input, so that any change upstream
// shows in the bytes.
func (h *harness) fakeRun(ctx context.Context, env *Env, p *testParams) error {
	h.mu.Lock()
	h.runs = append(h.runs, env.Stage)
	h.starts[env.Stage] = time.Now()
	hook := h.hooks[env.Stage]
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		h.ends[env.Stage] = time.Now()
		h.mu.Unlock()
	}()
	env.Progress(0, "start")
	if hook != nil {
		if err := hook(ctx, env); err != nil {
			return err
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %+v\n", env.Stage, *p)
	for _, k := range sortedKeys(env.Inputs) {
		data, err := os.ReadFile(env.Input(k))
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s: %s\n", k, data)
	}
	for k, p := range env.Outputs {
		if err := os.WriteFile(p, []byte(k+"\n"+b.String()), 0o644); err != nil {
			return err
		}
	}
	env.Progress(1, "done")
	return nil
}

func (h *harness) registry() *Registry {
	h.t.Helper()
	mk := func(name string, in, out []string) Kind {
		v := h.versions[name]
		if v == "" {
			v = "1"
		}
		return NewKind(Kind{
			Name: name, Version: v, Doc: "fake " + name,
			Inputs: in, Outputs: out,
		}, func() *testParams { return &testParams{Rate: 0.5} }, h.fakeRun)
	}
	reg, err := NewRegistry(
		mk("src", nil, []string{"out"}),
		mk("cat", []string{"in"}, []string{"out"}),
		mk("pair", []string{"in"}, []string{"a", "b"}),
	)
	if err != nil {
		h.t.Fatal(err)
	}
	return reg
}

func (h *harness) load(sets ...string) *Pipeline {
	h.t.Helper()
	var ovs []Override
	for _, s := range sets {
		o, err := ParseOverride(s)
		if err != nil {
			h.t.Fatal(err)
		}
		ovs = append(ovs, o)
	}
	p, err := Load(h.path("pipeline.yaml"), h.registry(), &LoadOptions{Overrides: ovs})
	if err != nil {
		h.t.Fatal(err)
	}
	return p
}

// cache opens the pipeline's hash cache with a hook recording every
// content read.
func (h *harness) cache(p *Pipeline) *HashCache {
	hc := p.OpenHashCache()
	hc.SetHashHook(func(path string) {
		rel, _ := filepath.Rel(h.dir, path)
		h.mu.Lock()
		h.hashed = append(h.hashed, filepath.ToSlash(rel))
		h.mu.Unlock()
	})
	return hc
}

// runner returns a Runner over a freshly loaded pipeline.
func (h *harness) runner(sets ...string) *Runner {
	p := h.load(sets...)
	return &Runner{Pipeline: p, Jobs: 2, Cache: h.cache(p)}
}

func (h *harness) mustRun(r *Runner, targets ...string) []Result {
	h.t.Helper()
	res, err := r.Run(context.Background(), targets)
	if err != nil {
		h.t.Fatalf("run: %v", err)
	}
	return res
}

// took returns and resets the sorted names of the stages run and the
// files hashed since the last call.
func (h *harness) took() (runs, hashed []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	runs, hashed = h.runs, h.hashed
	h.runs, h.hashed = nil, nil
	sort.Strings(runs)
	sort.Strings(hashed)
	return slices.Compact(runs), hashed
}

// touch sets a file's mtime to a fixed time an hour ago without changing
// its content.
func (h *harness) touch(rel string) {
	h.t.Helper()
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(h.path(rel), old, old); err != nil {
		h.t.Fatal(err)
	}
}

// diamondYAML: a feeds b and c, both feed d; e is independent.
const diamondYAML = `outdir: out
params:
  seed: 1
stages:
  a:
    kind: src
    inputs: {raw: data/raw.txt}
    params: {value: a}
    outputs: {out: a/out.txt}
  b:
    kind: cat
    inputs: {in: a.out}
    outputs: {out: b.txt}
  c:
    kind: cat
    inputs: {in: a.out}
    params: {value: c}
    outputs: {out: c.txt}
  d:
    kind: cat
    inputs: {in: b.out, extra: c.out}
    outputs: {out: d.txt}
  e:
    kind: src
    inputs: {raw: data/other.txt}
    outputs: {out: e.txt}
`

var diamondFiles = map[string]string{"data/raw.txt": "raw\n", "data/other.txt": "other\n"}
