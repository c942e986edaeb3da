package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"hw1pipe/stages"
)

// TestBadParamValuesRefusedAtLoad: values the real kinds refuse stop
// status, dag and run --dry-run with exit 2 and the value's position,
// whether they come from --set or from pipeline.yaml, before any stage
// runs (issue 13, point 1: these five used to pass status and fail only
// when their stage started).
func TestBadParamValuesRefusedAtLoad(t *testing.T) {
	src, err := os.ReadFile("../../pipeline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ stage, param, value string }{
		{"p3_train", "iterations", "-5"},
		{"p3_train", "lr", "0"},
		{"p1_grid", "folds", "1"},
		{"p1_gabor", "per_class", "0"},
		{"p3_torch", "batch", "0"},
	} {
		set := fmt.Sprintf("%s.%s=%s", c.stage, c.param, c.value)
		t.Run(set, func(t *testing.T) {
			// --set, on the unchanged file.
			dir := realSandbox(t, src)
			cfg := filepath.Join(dir, "pipeline.yaml")
			want := fmt.Sprintf("hw1pipe: --set %s: stage %q: param %q: ", set, c.stage, c.param)
			for _, cmd := range [][]string{{"status"}, {"run", "--dry-run"}} {
				args := append(cmd, "--config", cfg, "--set", set)
				checkRefused(t, dir, args, want)
			}

			// The same value written in the file, at the param's node.
			line, col := paramNode(t, src, c.stage, c.param)
			lines := strings.Split(string(src), "\n")
			lines[line-1] = lines[line-1][:col-1] + c.value
			dir = realSandbox(t, []byte(strings.Join(lines, "\n")))
			cfg = filepath.Join(dir, "pipeline.yaml")
			want = fmt.Sprintf("hw1pipe: %s:%d:%d: stage %q: param %q: ", cfg, line, col, c.stage, c.param)
			for _, cmd := range [][]string{{"status"}, {"dag"}, {"run", "--dry-run"}} {
				checkRefused(t, dir, append(cmd, "--config", cfg), want)
			}
		})
	}
}

// realSandbox writes src as pipeline.yaml into a temp dir, beside a
// stand-in for its one file input (built by make).
func realSandbox(t *testing.T, src []byte) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "pipeline.yaml"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dir, "build/bin"), 0o755)
	os.WriteFile(filepath.Join(dir, "build/bin/hw1torch"), nil, 0o755)
	return dir
}

// checkRefused runs hw1pipe with the real kinds and wants exit 2, one
// error line starting with want, and nothing written.
func checkRefused(t *testing.T, dir string, args []string, want string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, &out, &errb, stages.Kinds())
	if code != 2 || !strings.HasPrefix(errb.String(), want) || strings.Count(errb.String(), "\n") != 1 {
		t.Errorf("%s: exit %d, stderr %q; want exit 2 and one line starting %q", strings.Join(args[:len(args)-2], " "), code, errb.String(), want)
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
		t.Errorf("%s: wrote out/", args[0])
	}
}

// paramNode returns the line and column of stages.<stage>.params.<param>'s
// value in the YAML src.
func paramNode(t *testing.T, src []byte, stage, param string) (line, col int) {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		t.Fatal(err)
	}
	n := doc.Content[0]
	for _, key := range []string{"stages", stage, "params", param} {
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				next = n.Content[i+1]
			}
		}
		if next == nil {
			t.Fatalf("pipeline.yaml has no %s under stages.%s.params", key, stage)
		}
		n = next
	}
	return n.Line, n.Column
}
