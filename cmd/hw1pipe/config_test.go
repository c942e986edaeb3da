package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"hw1pipe/pipeline"
	"hw1pipe/stages"
)

// TestBadConfigEveryCommand: a config problem found at load stops every
// pipeline-reading command with exit 2 and the position (issue 12,
// findings 2, 5 and 8).
func TestBadConfigEveryCommand(t *testing.T) {
	tests := []struct {
		name, yaml string
		set        string
		stderr     string
	}{
		{name: "float for an int param", yaml: "stages:\n  a:\n    kind: src\n    params: {seed: 2.5}\n    outputs: {out: a.txt}\n",
			stderr: `bad.yaml:4:20: stage "a": param "seed": 2.5 is not an integer`},
		{name: "float for an int param in --set", yaml: "stages:\n  a:\n    kind: src\n    outputs: {out: a.txt}\n", set: "a.seed=1500.7",
			stderr: `hw1pipe: --set a.seed=1500.7: stage "a": param "seed": 1500.7 is not an integer`},
		{name: "bad value", yaml: "stages:\n  a:\n    kind: src\n    params: {rate: -1}\n    outputs: {out: a.txt}\n",
			stderr: `bad.yaml:4:20: stage "a": param "rate": want at least 0, got -1`},
		{name: "bad value in --set", yaml: "stages:\n  a:\n    kind: src\n    outputs: {out: a.txt}\n", set: "a.rate=-2",
			stderr: `hw1pipe: --set a.rate=-2: stage "a": param "rate": want at least 0, got -2`},
		{name: "second document", yaml: "stages:\n  a:\n    kind: src\n    outputs: {out: a.txt}\n---\nstages: {}\n",
			stderr: "bad.yaml:5:1: a second YAML document starts here"},
		{name: "syntax error", yaml: "stages:\n  a:\n    kind: src\n   outputs: {out: a.txt}\n",
			stderr: "bad.yaml:4:4: syntax error: did not find expected key"},
		{name: "not UTF-8", yaml: "stages:\n  a:\n    kind: s\xe9\n",
			stderr: "bad.yaml:3:12: not UTF-8: byte 0xe9 at offset 24"},
		{name: "output inside an output", yaml: "stages:\n  a:\n    kind: src\n    outputs: {out: p1/x.npy}\n  b:\n    kind: cat\n    inputs: {in: a.out}\n    outputs: {out: p1/x.npy/m.json}\n  c:\n    kind: cat\n    inputs: {in: b.out}\n    outputs: {out: c.txt}\n",
			stderr: `bad.yaml:8:20: stage "b": output "out": path "p1/x.npy/m.json" is inside "p1/x.npy", which is output "out" of stage "a" (line 4) and so a file` + "\n"},
		{name: "NUL in an output", yaml: "stages:\n  a:\n    kind: src\n    outputs: {out: \"a\\0.txt\"}\n",
			stderr: `bad.yaml:4:20: stage "a": output "out": path "a\x00.txt" holds the control character U+0000`},
	}
	for _, tt := range tests {
		for _, cmd := range [][]string{{"status"}, {"dag"}, {"run", "--dry-run"}, {"run"}} {
			if tt.set != "" && cmd[0] == "dag" {
				continue // dag takes no --set
			}
			t.Run(tt.name+"/"+strings.Join(cmd, " "), func(t *testing.T) {
				dir := t.TempDir()
				cfg := filepath.Join(dir, "bad.yaml")
				if err := os.WriteFile(cfg, []byte(tt.yaml), 0o644); err != nil {
					t.Fatal(err)
				}
				args := append(cmd, "--config", cfg)
				if tt.set != "" {
					args = append(args, "--set", tt.set)
				}
				f := &fakes{}
				r := f.main(context.Background(), args...)
				if r.code != 2 || !strings.Contains(r.stderr, tt.stderr) {
					t.Errorf("exit %d, stderr %q; want exit 2 and %q", r.code, r.stderr, tt.stderr)
				}
				if n := strings.Count(r.stderr, "\n"); n != 1 {
					t.Errorf("%d error lines, want 1:\n%s", n, r.stderr)
				}
				if runs := f.ran(); runs != nil {
					t.Errorf("ran %v", runs)
				}
				if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
					t.Error("wrote out/")
				}
			})
		}
	}
}

// TestSetEveryParamKindsPrints: every param `hw1pipe kinds` prints for
// the real kinds, nested ones (p1_grid's grid.C) included, can be set
// with --set on the real pipeline.yaml, and a nested --set changes that
// field only.
func TestSetEveryParamKindsPrints(t *testing.T) {
	reg, err := pipeline.NewRegistry(stages.Kinds()...)
	if err != nil {
		t.Fatal(err)
	}
	// A copy, beside a stand-in for the one file input (built by make).
	dir := t.TempDir()
	src, err := os.ReadFile("../../pipeline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "pipeline.yaml")
	os.WriteFile(cfg, src, 0o644)
	os.MkdirAll(filepath.Join(dir, "build/bin"), 0o755)
	os.WriteFile(filepath.Join(dir, "build/bin/hw1torch"), nil, 0o755)
	base, err := pipeline.Load(cfg, reg, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range base.Stages {
		for _, d := range s.Kind.ParamDocs() {
			o, err := pipeline.ParseOverride(fmt.Sprintf("%s.%s=%s", s.Name, d.Name, d.Default))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := pipeline.Load(cfg, reg, &pipeline.LoadOptions{Overrides: []pipeline.Override{o}}); err != nil {
				t.Errorf("--set %s: %v", o.Text, err)
			}
			n++
		}
	}
	if n == 0 {
		t.Fatal("no params")
	}

	o, _ := pipeline.ParseOverride("p1_grid.grid.C=[1]")
	p, err := pipeline.Load(cfg, reg, &pipeline.LoadOptions{Overrides: []pipeline.Override{o}})
	if err != nil {
		t.Fatal(err)
	}
	bs, _ := base.Stage("p1_grid")
	ps, _ := p.Stage("p1_grid")
	want := *bs.Params.(*stages.P1GridParams)
	want.Grid.C = []float64{1}
	if got := *ps.Params.(*stages.P1GridParams); !reflect.DeepEqual(got, want) {
		t.Errorf("--set p1_grid.grid.C=[1]: params %+v, want %+v", got, want)
	}
}
