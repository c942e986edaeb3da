package regression

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hw1pipe/artifacts/h5"
	"hw1pipe/internal/regress"
	"hw1pipe/pipeline"
	"hw1pipe/stages"
)

var (
	update    = flag.Bool("update", false, "rewrite the golden file from this run instead of comparing")
	full      = flag.Bool("full", false, "also compare a finished full-size run with full.json (as HW1PIPE_E2E=1)")
	outdir    = flag.String("outdir", "", "the finished full-size run to read (default $HW1PIPE_OUTDIR, else ../../out)")
	ignoreSHA = flag.Bool("ignore-sha", false, "compare values only, not hashes (a run on another machine)")
)

// Environment variables, shared with golden/e2e.
const (
	envE2E    = "HW1PIPE_E2E"    // "1": TestRegressionFull runs
	envOutdir = "HW1PIPE_OUTDIR" // the finished full-size run; default ../../out
)

// requireBuild skips (fails under CI=true) when this test binary or
// checkout cannot run the whole pipeline: linear.h5 needs the hdf5 build
// tag, p3_torch needs build/bin/hw1torch (make build).
func requireBuild(t *testing.T) {
	t.Helper()
	ci := os.Getenv("CI") == "true"
	if !h5.Built {
		// make test passes -tags hdf5; a plain `go test ./...` cannot
		// write linear.h5, so the run would fail for a reason that is
		// not a regression.
		t.Skip("built without -tags hdf5: p3_train cannot write linear.h5 (make test, make goldens)")
	}
	bin, err := filepath.Abs("../../build/bin/hw1torch")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(bin); err != nil {
		if ci {
			t.Fatalf("hw1torch is not built (make build builds it): %v", err)
		}
		t.Skipf("hw1torch is not built (make build): %v", err)
	}
}

func registry(t *testing.T) *pipeline.Registry {
	t.Helper()
	reg, err := pipeline.NewRegistry(stages.Kinds()...)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func readTolerances(t *testing.T) *regress.Tolerances {
	t.Helper()
	tol, err := regress.ReadTolerances("tolerances.json")
	if err != nil {
		t.Fatal(err)
	}
	return tol
}

// runSmall runs small.yaml into a fresh directory and returns what it
// wrote.
func runSmall(t *testing.T) *regress.Golden {
	t.Helper()
	cfg, err := regress.ReadConfig("small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	p, err := cfg.Load(registry(t), work, filepath.Join(work, "out"))
	if err != nil {
		t.Fatal(err)
	}
	r := &pipeline.Runner{Pipeline: p, Jobs: 2}
	if _, err := r.Run(context.Background(), nil); err != nil {
		t.Fatalf("small run: %v", err)
	}
	g, err := regress.Extract(p, "small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// check compares got with the golden file, or rewrites it under -update.
func check(t *testing.T, got *regress.Golden, golden string, opts *regress.CompareOptions) {
	t.Helper()
	var buf bytes.Buffer
	if err := regress.Encode(&buf, got); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (git diff golden/regression shows what changed)", golden)
		return
	}
	f, err := os.Open(golden)
	if err != nil {
		t.Fatalf("%v (make goldens writes it)", err)
	}
	defer f.Close()
	want, err := regress.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	ms := regress.Compare(got, want, readTolerances(t), opts)
	if len(ms) == 0 {
		return
	}
	lines := make([]string, len(ms))
	for i, m := range ms {
		lines[i] = m.String()
	}
	t.Errorf("%d difference(s) from %s:\n%s\n\nIf the change is intended, regenerate the golden (golden/regression/README.md) and commit the diff.",
		len(ms), golden, strings.Join(lines, "\n"))
}

// TestRegression runs the whole pipeline on small data (small.yaml) and
// compares every output with small.json. It runs the pipeline twice and
// first checks that both runs wrote the same thing, since the golden's
// hashes rely on it.
func TestRegression(t *testing.T) {
	requireBuild(t)
	got := runSmall(t)
	again := runSmall(t)
	if ms := regress.Compare(again, got, &regress.Tolerances{}, nil); len(ms) > 0 {
		for _, m := range ms {
			t.Errorf("not deterministic: %s", m)
		}
		t.FailNow()
	}
	check(t, got, "small.json", &regress.CompareOptions{IgnoreSHA: *ignoreSHA})
}

// TestRegressionFull compares a finished full-size run of pipeline.yaml
// (make e2e runs it first) with full.json. Every stage must be fresh, so
// that the outputs are those of the current code and params.
func TestRegressionFull(t *testing.T) {
	if !*full && os.Getenv(envE2E) != "1" {
		t.Skipf("the full-size comparison runs with %s=1 or -full (make e2e)", envE2E)
	}
	requireBuild(t)
	dir := *outdir
	if dir == "" {
		dir = os.Getenv(envOutdir)
	}
	if dir == "" {
		dir = "../../out"
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := regress.ReadConfig("full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	p, err := cfg.Load(registry(t), work, dir)
	if err != nil {
		t.Fatal(err)
	}
	// A private hash cache: reading status must not write into dir.
	sts, err := p.Status(pipeline.OpenHashCache(filepath.Join(work, "hashcache.json")))
	if err != nil {
		t.Fatal(err)
	}
	var stale []string
	for _, st := range sts {
		if !st.Fresh {
			stale = append(stale, st.Stage.Name+" ("+strings.Join(st.Reasons, "; ")+")")
		}
	}
	if len(stale) > 0 {
		t.Fatalf("%s is not a finished run of pipeline.yaml with this code; stale: %s\n(run `bin/hw1pipe run` first, as make e2e does)",
			dir, strings.Join(stale, ", "))
	}
	got, err := regress.Extract(p, "full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	check(t, got, "full.json", &regress.CompareOptions{IgnoreSHA: *ignoreSHA})
}
