package stages

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hw1pipe/figures"
	"hw1pipe/pipeline"
	"hw1pipe/report"
)

// reportEnv writes the given inputs to files and returns an Env for them.
func reportEnv(t *testing.T, inputs map[string][]byte) *pipeline.Env {
	t.Helper()
	dir := t.TempDir()
	env := &pipeline.Env{Stage: "report", Inputs: map[string]string{}, Outputs: map[string]string{
		"html": filepath.Join(dir, "index.html"), "results": filepath.Join(dir, "results.json"),
	}}
	for k, b := range inputs {
		path := filepath.Join(dir, k)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		env.Inputs[k] = path
	}
	return env
}

func reportInputs(t *testing.T) map[string][]byte {
	t.Helper()
	var digit bytes.Buffer
	px := make([]float64, 14*14)
	for i := range px {
		px[i] = float64(i % 7)
	}
	if err := (figures.ImageGrid{Columns: 1, PanelSize: 1, Panels: []figures.Panel{{Title: "7", Rows: 14, Cols: 14, Pixels: px}}}).WritePNG(&digit); err != nil {
		t.Fatal(err)
	}
	return map[string][]byte{
		"digit_resized":    digit.Bytes(),
		"baseline_metrics": []byte(`{"val_accuracy": 0.1135, "n_support_total": 8000}`),
		"grid_md":          []byte("| C | mean |\n|---|---|\n| 10 | 0.95 |\n"),
	}
}

func TestReportKind(t *testing.T) {
	k := reportKind()
	if len(k.Inputs) != 0 || strings.Join(k.Outputs, ",") != "html,results" {
		t.Fatalf("kind declares inputs %v outputs %v", k.Inputs, k.Outputs)
	}
	env := reportEnv(t, reportInputs(t))
	if err := k.Call(context.Background(), env, nil); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(env.Outputs["html"])
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<section id="p1a" class="problem-start" data-status="missing">`, `<section id="p1b" data-status="ok">`,
		`<section id="p1f" data-status="partial">`, `<section id="p1g" data-status="partial">`,
		`data-key="digit_resized"`, "<th>C</th><th>mean</th>", "Not produced by this pipeline",
	} {
		if !strings.Contains(string(page), want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
	var res report.Results
	b, _ := os.ReadFile(env.Outputs["results"])
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	if v, ok := res.Highlight("p1f", "baseline_metrics", "val_accuracy"); !ok || v != 0.1135 {
		t.Errorf("results.json p1f val_accuracy = %v", v)
	}

	if chrome, err := report.FindChromium(); err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		bc, err := report.CheckInBrowser(ctx, chrome, env.Outputs["html"], "", 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if bc.Images != 1 || bc.Loaded != 1 || bc.Sections["p1b"] != report.StatusOK || bc.Sections["p3d"] != report.StatusMissing {
			t.Errorf("in chromium: %+v", bc)
		}
	} else if os.Getenv("CI") == "true" {
		t.Fatal(err)
	}
}

func TestReportKindErrors(t *testing.T) {
	in := reportInputs(t)
	in["digit_resize"] = in["digit_resized"]
	err := reportKind().Call(context.Background(), reportEnv(t, in), &ReportParams{})
	var ue *report.UnknownInputError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "digit_resize ") {
		t.Errorf("misspelt key: %v", err)
	}
	env := reportEnv(t, reportInputs(t))
	err = reportKind().Call(context.Background(), env, &ReportParams{Require: []string{"p1b", "p3d"}})
	var me *report.MissingError
	if !errors.As(err, &me) || !strings.Contains(err.Error(), "p3d lacks torch_training_plot, torch_validation_plot, comparison_plot, self_curves, torch_curves") {
		t.Errorf("required section: %v", err)
	}
	if _, err := os.Stat(env.Outputs["html"]); err == nil {
		t.Error("index.html written by a failed run")
	}
}
