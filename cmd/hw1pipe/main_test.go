package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"hw1pipe/pipeline"
)

var update = flag.Bool("update", false, "update golden files")

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s mismatch:\n--- got\n%s--- want\n%s", path, got, want)
	}
}

type fakeParams struct {
	Value string  `yaml:"value"`
	Seed  int     `yaml:"seed"`
	Rate  float64 `yaml:"rate"`
	Fail  bool    `yaml:"fail"`
}

// Validate refuses a negative rate, as a real kind refuses a bad value.
func (p *fakeParams) Validate() error {
	if p.Rate < 0 {
		return pipeline.ParamErrorf("rate", "want at least 0, got %v", p.Rate)
	}
	return nil
}

// fakes are stage kinds that copy their inputs and params into their
// output, recording which stages ran.
type fakes struct {
	mu   sync.Mutex
	runs []string
	// block, if set, is called by every stage before it writes.
	block func(ctx context.Context, env *pipeline.Env) error
}

func (f *fakes) ran() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.runs
	f.runs = nil
	return r
}

func (f *fakes) kinds() []pipeline.Kind {
	run := func(ctx context.Context, env *pipeline.Env, p *fakeParams) error {
		f.mu.Lock()
		f.runs = append(f.runs, env.Stage)
		f.mu.Unlock()
		env.Progress(0.5, "halfway")
		if f.block != nil {
			if err := f.block(ctx, env); err != nil {
				return err
			}
		}
		if p.Fail {
			return errors.New("asked to fail")
		}
		var b bytes.Buffer
		fmt.Fprintf(&b, "%s %+v\n", env.Stage, *p)
		for k, in := range env.Inputs {
			data, err := os.ReadFile(in)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, "%s=%s", k, data)
		}
		for _, out := range env.Outputs {
			if err := os.WriteFile(out, b.Bytes(), 0o644); err != nil {
				return err
			}
		}
		return nil
	}
	params := func() *fakeParams { return &fakeParams{Rate: 0.5} }
	return []pipeline.Kind{
		pipeline.NewKind(pipeline.Kind{Name: "src", Version: "1", Doc: "reads optional files, writes one", Outputs: []string{"out"}}, params, run),
		pipeline.NewKind(pipeline.Kind{Name: "cat", Version: "3", Doc: "reads in, writes out", Inputs: []string{"in"}, Outputs: []string{"out"}}, params, run),
		{Name: "bare", Version: "1", Outputs: []string{"out"}, Run: func(ctx context.Context, env *pipeline.Env) error { return run(ctx, env, nil) }},
	}
}

// sandbox copies testdata/pipeline.yaml and its data into a temp dir.
func sandbox(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"pipeline.yaml", "data/raw.txt"} {
		b, err := os.ReadFile(filepath.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

type result struct {
	code           int
	stdout, stderr string
}

func (f *fakes) main(ctx context.Context, args ...string) result {
	var out, errb bytes.Buffer
	code := Main(ctx, args, &out, &errb, f.kinds())
	return result{code, out.String(), errb.String()}
}

func TestDAG(t *testing.T) {
	for _, format := range []string{"text", "dot", "mermaid"} {
		t.Run(format, func(t *testing.T) {
			f := &fakes{}
			r := f.main(context.Background(), "dag", "--config", "testdata/pipeline.yaml", "--format", format)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			checkGolden(t, "dag."+format+".golden", r.stdout)
		})
	}
}

func TestKinds(t *testing.T) {
	r := (&fakes{}).main(context.Background(), "kinds")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	checkGolden(t, "kinds.golden", r.stdout)
}

func TestExitCodes(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("stages:\n  a:\n    kind: nope\n"), 0o644)
	tests := []struct {
		name   string
		args   []string
		set    string // value: true for the svm stage, via --set
		code   int
		stderr string
	}{
		{name: "no command", code: 2, stderr: "hw1pipe: no command"},
		{name: "unknown command", args: []string{"frobnicate"}, code: 2, stderr: `unknown command "frobnicate"`},
		{name: "help", args: []string{"help"}, code: 0},
		{name: "command help", args: []string{"run", "-h"}, code: 0, stderr: "usage: hw1pipe run"},
		{name: "unknown flag", args: []string{"run", "--nope"}, code: 2, stderr: "flag provided but not defined: -nope"},
		{name: "bad -j", args: []string{"run", "-j", "0"}, code: 2, stderr: "-j 0"},
		{name: "bad format", args: []string{"dag", "--format", "png"}, code: 2, stderr: `unknown format "png"`},
		{name: "bad --set syntax", args: []string{"run", "--set", "svm"}, code: 2, stderr: "want stage.param=value"},
		{name: "bad --set type", args: []string{"run", "--set", "svm.rate=fast"}, code: 2, stderr: "--set svm.rate=fast: stage \"svm\": param \"rate\""},
		{name: "unknown stage", args: []string{"run", "zz"}, code: 2, stderr: `no stage "zz"`},
		{name: "bad pipeline", args: []string{"status", "--config", bad}, code: 2, stderr: `bad.yaml:3:11: stage "a": unknown kind "nope"`},
		{name: "missing pipeline", args: []string{"status", "--config", "nope.yaml"}, code: 2, stderr: "nope.yaml: open"},
		{name: "stage fails", args: []string{"run", "--set", "svm.fail=true"}, code: 1, stderr: `hw1pipe: stage "svm": asked to fail`},
		{name: "success", args: []string{"run"}, code: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := sandbox(t)
			args := tt.args
			if len(args) > 0 && args[0] != "help" && args[0] != "kinds" && !strings.Contains(strings.Join(args, " "), "--config") {
				args = append(args, "--config", filepath.Join(dir, "pipeline.yaml"))
			}
			r := (&fakes{}).main(context.Background(), args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want exit %d, stderr containing %q", r.code, r.stderr, tt.code, tt.stderr)
			}
		})
	}
}

func TestRun(t *testing.T) {
	tests := []struct {
		name string
		args []string
		runs string // stages run, sorted
		out  string // stdout must contain this
	}{
		{name: "noop", args: []string{"run"}, out: "6 fresh"},
		{name: "dry run", args: []string{"run", "--dry-run", "--set", "split.rate=2"},
			out: "would run  split: param rate changed (0.5 -> 2)\nwould run  svm: upstream split will run\n"},
		{name: "dry run force", args: []string{"run", "svm", "--dry-run", "--force"},
			out: "fresh      mnist\nfresh      split\nwould run  svm: forced\n1 of 3 stages would run\n"},
		{name: "force", args: []string{"run", "svm", "--force"}, runs: "svm", out: "1 ran, 2 fresh"},
		{name: "force downstream", args: []string{"run", "--force", "--downstream", "gabor"}, runs: "gabor report"},
		{name: "set", args: []string{"run", "--set", "gabor.value=g", "report"}, runs: "gabor report"},
		{name: "set global param", args: []string{"run", "--set", "nn.seed=8", "-j", "1"}, runs: "nn"},
		{name: "target", args: []string{"run", "--force", "mnist", "nn"}, runs: "mnist nn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := sandbox(t)
			cfg := filepath.Join(dir, "pipeline.yaml")
			f := &fakes{}
			if r := f.main(context.Background(), "run", "--config", cfg); r.code != 0 {
				t.Fatalf("first run: exit %d: %s", r.code, r.stderr)
			}
			f.ran()
			r := f.main(context.Background(), append(tt.args, "--config", cfg)...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			runs := f.ran()
			slicesSort(runs)
			if got := strings.Join(runs, " "); got != tt.runs {
				t.Errorf("ran %q, want %q", got, tt.runs)
			}
			if !strings.Contains(r.stdout, tt.out) {
				t.Errorf("stdout %q does not contain %q", r.stdout, tt.out)
			}
		})
	}
}

func slicesSort(s []string) {
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
}

func TestStatusOutput(t *testing.T) {
	dir := sandbox(t)
	cfg := filepath.Join(dir, "pipeline.yaml")
	f := &fakes{}
	ctx := context.Background()
	r := f.main(ctx, "status", "--config", cfg)
	if r.code != 0 || !strings.Contains(r.stdout, "mnist   src   stale  never run") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	f.main(ctx, "run", "--config", cfg)
	os.WriteFile(filepath.Join(dir, "data/raw.txt"), []byte("changed\n"), 0o644)
	os.Remove(filepath.Join(dir, "out/nn.pkl"))
	r = f.main(ctx, "status", "--config", cfg, "--set", "svm.value=v")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	checkGolden(t, "status.golden", r.stdout)
}

// TestProgressPlain checks the CI log: timestamped lines and at most one
// progress line per stage per plainEvery.
func TestProgressPlain(t *testing.T) {
	var b bytes.Buffer
	now := mustTime("2026-01-02T03:04:05Z")
	d := newDisplay(&b, false, 0, func() time.Time { return now })
	ev := func(typ pipeline.EventType, frac float64, msg string) {
		d.Observe(pipeline.Event{Type: typ, Stage: "grid", Frac: frac, Msg: msg, Reasons: []string{"never run"}, Duration: 12 * time.Second, Err: errors.New("boom")})
	}
	ev(pipeline.EventStart, 0, "")
	ev(pipeline.EventProgress, 0.1, "fold 1")
	now = now.Add(time.Second)
	ev(pipeline.EventProgress, 0.2, "fold 2") // throttled
	now = now.Add(plainEvery)
	ev(pipeline.EventProgress, -1, "refit")
	ev(pipeline.EventDone, 0, "")
	d.Observe(pipeline.Event{Type: pipeline.EventSkip, Stage: "mnist"})
	d.Observe(pipeline.Event{Type: pipeline.EventFail, Stage: "nn", Duration: 1500 * time.Millisecond, Err: &pipeline.StageError{Stage: "nn", Err: errors.New("boom")}})
	d.Observe(pipeline.Event{Type: pipeline.EventBlocked, Stage: "report", Upstream: "nn"})
	d.close()
	checkGolden(t, "progress_plain.golden", b.String())
}

// TestProgressTerminal checks the live lines: a bar per running stage,
// redrawn in place, throttled, and erased at the end.
func TestProgressTerminal(t *testing.T) {
	var b bytes.Buffer
	now := mustTime("2026-01-02T03:04:05Z")
	d := newDisplay(&b, true, 60, func() time.Time { return now })
	d.Observe(pipeline.Event{Type: pipeline.EventStart, Stage: "grid", Reasons: []string{"forced"}})
	d.Observe(pipeline.Event{Type: pipeline.EventStart, Stage: "nn", Reasons: []string{"never run"}})
	now = now.Add(time.Second)
	d.Observe(pipeline.Event{Type: pipeline.EventProgress, Stage: "grid", Frac: 0.5, Msg: "fold 3/5 with a message long enough to be clipped"})
	d.Observe(pipeline.Event{Type: pipeline.EventProgress, Stage: "grid", Frac: 0.6, Msg: "throttled"})
	now = now.Add(time.Second)
	d.Observe(pipeline.Event{Type: pipeline.EventDone, Stage: "grid", Duration: 2 * time.Second})
	d.close()
	got := strings.NewReplacer("\x1b", `\e`).Replace(b.String())
	checkGolden(t, "progress_tty.golden", got)
	// The throttled event is not drawn as a live line, but as the stage's
	// last message it ends the done line.
	if strings.Count(got, "throttled") != 1 || !strings.Contains(got, "done    grid in 2s: throttled") {
		t.Error("a progress event within redrawEvery was drawn, or the last message is missing from the done line")
	}
}

// TestInterrupt cancels the context mid-stage, as Ctrl-C does.
func TestInterrupt(t *testing.T) {
	dir := sandbox(t)
	cfg := filepath.Join(dir, "pipeline.yaml")
	ctx, cancel := context.WithCancel(context.Background())
	f := &fakes{block: func(c context.Context, env *pipeline.Env) error {
		if env.Stage != "split" {
			return nil
		}
		os.WriteFile(env.Output("out"), []byte("partial"), 0o644)
		cancel()
		<-c.Done()
		return c.Err()
	}}
	r := f.main(ctx, "run", "--config", cfg, "-j", "1", "svm")
	if r.code != 1 || !strings.Contains(r.stderr, "interrupted") {
		t.Errorf("exit %d, stderr %q; want 1 and interrupted", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "out/split.npy")); err == nil {
		t.Error("partial output left behind")
	}
	lock, _ := os.ReadFile(filepath.Join(dir, "out/.hw1pipe/lock.json"))
	if !strings.Contains(string(lock), `"mnist"`) || strings.Contains(string(lock), `"split"`) {
		t.Errorf("lock:\n%s", lock)
	}
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}
