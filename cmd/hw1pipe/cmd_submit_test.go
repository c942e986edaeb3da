package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"hw1pipe/artifacts/h5"
	"hw1pipe/artifacts/pickle"
	"hw1pipe/artifacts/torchsave"
	"hw1pipe/pipeline"
	"hw1pipe/report"
	"hw1pipe/stages"
)

// deliverableKinds are fake stage kinds that write valid deliverables
// (golden/artifacts holds the Python-made SVC and linear.h5 they copy)
// and JSON for the real report kind.
func deliverableKinds(t *testing.T) []pipeline.Kind {
	golden := func(rel string) []byte {
		b, err := os.ReadFile(filepath.Join("..", "..", "golden", "artifacts", rel))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	svc, lin := golden("sklearn/svc_digits_rbf_scale.pkl"), golden("h5/linear.h5")
	curve := func(n int) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = 1 / float64(i+2)
		}
		return v
	}
	var report pipeline.Kind
	for _, k := range stages.Kinds() {
		if k.Name == "report" {
			report = k
		}
	}
	// fakeP3 writes a network's curves, weights and curves.json.
	fakeP3 := pipeline.Kind{Name: "fakep3", Version: "1", Outputs: []string{"train_loss", "train_error", "val_loss", "val_error", "linear", "weights", "curves"},
		Run: func(ctx context.Context, env *pipeline.Env) error {
			for _, k := range []string{"train_loss", "train_error"} {
				if err := pickle.WriteFile(env.Output(k), curve(10000)); err != nil {
					return err
				}
			}
			for _, k := range []string{"val_loss", "val_error"} {
				if err := pickle.WriteFile(env.Output(k), curve(11)); err != nil {
					return err
				}
			}
			os.WriteFile(env.Output("curves"), []byte(`{"val_error": [0.9, 0.125], "train_error": [0.5, 0.25]}`), 0o644)
			if err := os.WriteFile(env.Output("linear"), lin, 0o644); err != nil {
				return err
			}
			return torchsave.WriteFile(env.Output("weights"), []torchsave.Tensor{
				{Name: "fc1.weight", Shape: []int{10, 784}, Data: make([]float32, 7840)},
				{Name: "fc1.bias", Shape: []int{10}, Data: make([]float32, 10)},
			})
		}}
	p3 := func(name, net, weights string) pipeline.Kind {
		d := map[string]string{"weights": weights}
		for k, split := range map[string]string{"train": "training", "val": "validation"} {
			d[k+"_loss"] = "problem3/" + net + "_" + split + "_loss.pkl"
			d[k+"_error"] = "problem3/" + net + "_" + split + "_error.pkl"
		}
		if net == "self_NN" {
			delete(d, "weights")
			d["linear"] = "problem3/linear.h5"
		}
		k := fakeP3
		k.Name, k.Deliverables = name, d
		return k
	}
	return []pipeline.Kind{
		{Name: "fakep1", Version: "1", Outputs: []string{"model", "results"},
			Deliverables: map[string]string{"model": "problem1/grid_search_svm.pkl"},
			Run: func(ctx context.Context, env *pipeline.Env) error {
				os.WriteFile(env.Output("results"), []byte(`{"val_accuracy": 0.9655, "best_params": {"C": 10, "gamma": "scale", "kernel": "rbf"}}`), 0o644)
				return os.WriteFile(env.Output("model"), svc, 0o644)
			}},
		p3("fakeself", "self_NN", ""), p3("faketorch", "pytorch_NN", "problem3/pytorch_nn_weights.pth"),
		report,
	}
}

const submitConfig = `stages:
  grid:
    kind: fakep1
    outputs: {model: p1/grid_search_svm.pkl, results: p1/results.json}
  self:
    kind: fakeself
    outputs: {train_loss: self/self_NN_training_loss.pkl, train_error: self/self_NN_training_error.pkl,
      val_loss: self/self_NN_validation_loss.pkl, val_error: self/self_NN_validation_error.pkl,
      linear: self/net.h5, weights: self/w.pth, curves: self/curves.json}
  torch:
    kind: faketorch
    outputs: {train_loss: torch/pytorch_NN_training_loss.pkl, train_error: torch/pytorch_NN_training_error.pkl,
      val_loss: torch/pytorch_NN_validation_loss.pkl, val_error: torch/pytorch_NN_validation_error.pkl,
      linear: torch/l.h5, weights: torch/pytorch_nn_weights.pth, curves: torch/curves.json}
  report:
    kind: report
    inputs: {grid_results: grid.results, self_curves: self.curves, torch_curves: torch.curves}
    outputs: {html: report/index.html, results: report/results.json}
`

func hw1pipe(t *testing.T, kinds []pipeline.Kind, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = Main(context.Background(), args, &o, &e, kinds)
	return code, o.String(), e.String()
}

func TestSubmitCmd(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "pipeline.yaml")
	os.WriteFile(cfg, []byte(submitConfig), 0o644)
	out := filepath.Join(dir, "submit")
	kinds := deliverableKinds(t)
	// With Chromium, submit prints report/report.pdf too; without, it
	// must be told not to.
	submit := []string{"submit", "--config", cfg, "--out", out, "--no-python"}
	files, printed, kept := 16, "", ""
	if _, err := report.FindChromium(); err == nil {
		files, printed, kept = 17, "report/report.pdf: printed with headless Chromium", "report/report.pdf: the page is unchanged, PDF kept"
	} else if os.Getenv("CI") == "true" {
		t.Fatal(err)
	} else {
		submit = append(submit, "--no-pdf")
	}

	code, _, stderr := hw1pipe(t, kinds, submit...)
	if code != exitFailed || !strings.Contains(stderr, "stale stages, run `hw1pipe run` first: grid (never run)") {
		t.Fatalf("submit before run: exit %d, stderr %s", code, stderr)
	}
	if code, _, stderr := hw1pipe(t, kinds, "run", "--config", cfg); code != 0 {
		t.Fatalf("run: %d %s", code, stderr)
	}
	code, stdout, stderr := hw1pipe(t, kinds, submit...)
	if code != 0 {
		t.Fatalf("submit: exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, want := range []string{
		fmt.Sprintf("%d file(s) written, 0 unchanged, 0 removed", files), printed,
		"problem1/grid_search_svm.pkl", "val acc 0.9655, best C=10, gamma=scale, kernel=rbf",
		"problem3/self_NN_validation_error.pkl", "final 0.125",
		"problem3/pytorch_NN_training_error.pkl", "final 0.25, mean of last 100 0.375",
		"problem3.zip", "report/index.html",
		`PASS\s+problem3/pytorch_nn_weights.pth`, `PASS\s+problem1.zip`,
	} {
		if !regexp.MustCompile(regexp.QuoteMeta(want)).MatchString(stdout) && !regexp.MustCompile(want).MatchString(stdout) {
			t.Errorf("submit output lacks %q:\n%s", want, stdout)
		}
	}
	if !h5.Built && !regexp.MustCompile(`NOT BUILT\s+problem3/linear.h5`).MatchString(stdout) {
		t.Errorf("linear.h5 not reported as not built:\n%s", stdout)
	}
	code, stdout, _ = hw1pipe(t, kinds, submit...)
	if code != 0 || !strings.Contains(stdout, fmt.Sprintf("0 file(s) written, %d unchanged, 0 removed", files)) || !strings.Contains(stdout, kept) {
		t.Errorf("second submit: exit %d\n%s", code, stdout)
	}
}

func TestVerifyCmd(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "pipeline.yaml")
	os.WriteFile(cfg, []byte(submitConfig), 0o644)
	out := filepath.Join(dir, "submit")
	kinds := deliverableKinds(t)
	hw1pipe(t, kinds, "run", "--config", cfg)
	if code, stdout, stderr := hw1pipe(t, kinds, "submit", "--config", cfg, "--out", out, "--no-python", "--no-pdf"); code != 0 {
		t.Fatalf("submit: %d\n%s%s", code, stdout, stderr)
	}
	if code, stdout, _ := hw1pipe(t, kinds, "verify", "--no-python", out); code != 0 || !strings.Contains(stdout, "0 failed") {
		t.Errorf("verify good: exit %d\n%s", code, stdout)
	}
	os.WriteFile(filepath.Join(out, "problem3", "extra.pkl"), []byte("x"), 0o644)
	os.Remove(filepath.Join(out, "problem3", "self_NN_training_loss.pkl"))
	code, stdout, stderr := hw1pipe(t, kinds, "verify", out, "--no-python")
	if code != exitFailed {
		t.Errorf("verify broken: exit %d", code)
	}
	for _, want := range []string{`FAIL\s+problem3/self_NN_training_loss.pkl\s+file\s+missing`,
		`FAIL\s+problem3/extra.pkl\s+file\s+unexpected file`, `FAIL\s+problem3.zip\s+zip\s+entry self_NN_training_loss.pkl has no`, "3 failed"} {
		if !regexp.MustCompile(want).MatchString(stdout) {
			t.Errorf("verify output lacks %q:\n%s", want, stdout)
		}
	}
	if !strings.Contains(stderr, "verify: "+out+": 3 file(s) failed") {
		t.Errorf("stderr %q", stderr)
	}
	if code, _, _ := hw1pipe(t, kinds, "verify", "a", "b"); code != exitUsage {
		t.Errorf("two folders: exit %d", code)
	}
}
