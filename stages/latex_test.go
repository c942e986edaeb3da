package stages

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"hw1pipe/figures"
	"hw1pipe/pipeline"
	"hw1pipe/results"
)

// latexEnv writes inputs shaped like the real stages' outputs and returns
// an Env whose outputs are named as pipeline.yaml names them.
func latexEnv(t *testing.T) *pipeline.Env {
	t.Helper()
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	os.Mkdir(in, 0o755)
	os.Mkdir(out, 0o755)
	js := func(v any) []byte {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var png bytes.Buffer
	px := make([]float64, 14*14)
	for i := range px {
		px[i] = float64(i % 5)
	}
	if err := (figures.ImageGrid{Columns: 1, PanelSize: 1, Panels: []figures.Panel{{Title: "7", Rows: 14, Cols: 14, Pixels: px}}}).WritePNG(&png); err != nil {
		t.Fatal(err)
	}
	curves := func(scale float64) results.Curves {
		c := results.Curves{LR: 0.1, Iterations: 300, Batch: 64, ValEvery: 100, NTrain: 6000, NVal: 1000,
			ValSteps: []int{0, 100, 200, 300}, ValLoss: []float64{2.3, 0.61, 0.43, 0.3712 * scale}, ValError: []float64{0.9, 0.2, 0.12, 0.0934 * scale}}
		for i := range 300 {
			c.TrainLoss = append(c.TrainLoss, 2.3/(1+float64(i)/30)*scale)
			c.TrainError = append(c.TrainError, 0.9/(1+float64(i)/30)*scale)
		}
		c.FinalSums.Last100 = 0.1171 * scale
		return c
	}
	conf := results.Confusion{Labels: []int64{0, 1, 2}, Matrix: [][]int{{17, 2, 1}, {0, 19, 1}, {3, 0, 17}}}
	inputs := map[string][]byte{
		"baseline_metrics": js(results.SVCMetrics{C: 1, Kernel: "rbf", Gamma: "auto", GammaValue: 1.0 / 196, NTrain: 800, NVal: 200, NFeatures: 196,
			ValAccuracy: 0.1135, TrainAccuracy: 1, NSupportTotal: 800, SupportRatio: 1}),
		"baseline_confusion": js(conf),
		"grid_results": js(results.Grid{BestParams: results.BestParams{C: 10, Kernel: "rbf", Gamma: results.Gamma{Name: "scale"}}, BestIndex: 1,
			BestCVScore: 0.9546, ValAccuracy: 0.9655, NSupportTotal: 2345, Folds: 5, NCandidates: 2}),
		"grid_csv": []byte("param_C,param_gamma,param_kernel,split0_test_score,mean_test_score,std_test_score,rank_test_score,mean_fit_time,std_fit_time\n" +
			"0.1,scale,linear,0.9,0.9100,0.0123,2,1.5,0.1\n10,scale,rbf,0.95,0.9546,0.0087,1,0.5,0.01\n"),
		"gabor_results": js(results.GaborSVM{NTrain: 1000, NVal: 1000, NFeatures: 3136, Components: 50, ExplainedVarianceRatioSum: 0.8123,
			BestC: 10, BestValAccuracy: 0.8970}),
		"gradcheck":    js(results.GradCheck{Tol: 1e-6, MaxAbsErr: 6.18e-10}),
		"self_curves":  js(curves(1)),
		"torch_curves": js(curves(0.9)),
	}
	for _, k := range latexImages {
		inputs[k] = png.Bytes()
	}
	env := &pipeline.Env{Stage: "latex", Inputs: map[string]string{}, Outputs: map[string]string{}}
	for k, b := range inputs {
		p := filepath.Join(in, k)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		env.Inputs[k] = p
	}
	names := map[string]string{"results": "results.tex", "grid_table": "grid.tex", "confusion_table": "confusion.tex",
		"networks_table": "networks.tex", "example": "example.tex", "gabor_responses": "gabor_response.png"}
	for _, k := range latexOutputs() {
		n := names[k]
		if n == "" {
			n = k + ".png"
			for _, c := range latexChartKeys {
				if c == k {
					n = k + ".pdf"
				}
			}
		}
		env.Outputs[k] = filepath.Join(out, n)
	}
	return env
}

// TestLatexKind runs the kind, then compiles example.tex with pdflatex
// (Debian: texlive-latex-base, texlive-latex-recommended for booktabs)
// and reads the PDF back with pdftotext: every macro's value must be in
// it, every figure on some page.
func TestLatexKind(t *testing.T) {
	requireRegistered(t, "latex")
	env := latexEnv(t)
	k := latexKind()
	if err := k.Run(context.Background(), env); err != nil {
		t.Fatal(err)
	}
	read := func(key string) string {
		b, err := os.ReadFile(env.Outputs[key])
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	// One macro per number, letters-only names, the numbers as given.
	res := read("results")
	macros := regexp.MustCompile(`\\newcommand\{\\([A-Za-z]+)\}\{([^}]*)\}`).FindAllStringSubmatch(res, -1)
	if len(macros) < 40 || len(macros) != strings.Count(res, `\newcommand`) {
		t.Fatalf("%d well-formed macros, %d \\newcommand lines", len(macros), strings.Count(res, `\newcommand`))
	}
	for _, want := range []string{`\POneBaselineValAcc}{0.1135}`, `\POneGridBestC}{10}`, `\POneGridBestGamma}{scale}`,
		`\POneGridValAcc}{0.9655}`, `\POneGaborValAcc}{0.8970}`, `\PThreeGradMaxErr}{6.2e-10}`,
		`\PThreeSelfFinalValErr}{0.0934}`, `\PThreeTorchLastHundredTrainErr}{0.1054}`, `\POneBaselineGammaValue}{0.005102}`} {
		if !strings.Contains(res, want) {
			t.Errorf("results.tex lacks %s", want)
		}
	}
	if g := read("grid_table"); !strings.Contains(g, `\textbf{10} & \textbf{scale} & \textbf{rbf} & \textbf{0.9546} & \textbf{0.0087} & \textbf{1} \\`) ||
		!strings.Contains(g, "0.1 & scale & linear & 0.9100 & 0.0123 & 2 \\\\") {
		t.Errorf("grid.tex:\n%s", g)
	}
	if c := read("confusion_table"); !strings.Contains(c, "2 & 3 & 0 & 17 \\\\") || !strings.Contains(c, "true & 0 & 1 & 2 \\\\") {
		t.Errorf("confusion.tex:\n%s", c)
	}
	ex := read("example")
	for _, m := range macros {
		if !strings.Contains(ex, `\`+m[1]+` `) && !strings.Contains(ex, `\`+m[1]+`{`) && !strings.Contains(ex, `\`+m[1]+`.`) {
			t.Errorf("example.tex does not use \\%s", m[1])
		}
	}
	for k, p := range env.Outputs {
		if k != "example" && !strings.Contains(ex, filepath.Base(p)) {
			t.Errorf("example.tex does not use %s", filepath.Base(p))
		}
	}
	// Rerunning gives the same bytes (PDF dates pinned).
	first := map[string]string{}
	for k := range env.Outputs {
		first[k] = read(k)
	}
	if err := k.Run(context.Background(), env); err != nil {
		t.Fatal(err)
	}
	for key := range env.Outputs {
		if read(key) != first[key] {
			t.Errorf("%s differs between two runs", key)
		}
	}

	for _, tool := range []string{"pdflatex", "pdftotext", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s not installed (make test installs texlive-latex-base, texlive-latex-recommended, poppler-utils)", tool)
			}
			t.Skipf("%s not installed: example.tex not compiled", tool)
		}
	}
	dir := filepath.Dir(env.Outputs["example"])
	cmd := exec.Command("pdflatex", "-interaction=nonstopmode", "-halt-on-error", "example.tex")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pdflatex example.tex: %v\n%s", err, out)
	}
	pdf := filepath.Join(dir, "example.pdf")
	txt, err := exec.Command("pdftotext", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(txt)), " ")
	for _, m := range macros {
		if !strings.Contains(text, m[2]) {
			t.Errorf("example.pdf lacks \\%s's value %q", m[1], m[2])
		}
	}
	for _, want := range []string{"Problem 1", "Problem 3", "0.9546", "scale"} {
		if !strings.Contains(text, want) {
			t.Errorf("example.pdf lacks %q", want)
		}
	}
	// Every figure is on some page: the PNGs as images, the vector charts
	// as their titles' text.
	imgs, err := exec.Command("pdfimages", "-list", pdf).Output()
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(imgs), " image "); n < len(latexImages) {
		t.Errorf("pdfimages lists %d images, want at least the %d PNG figures:\n%s", n, len(latexImages), imgs)
	}
	for _, title := range []string{p3SelfTrainingTitle, p3TorchValidationTitle, "Baseline SVC: validation confusion matrix", "From scratch (Go) vs libtorch"} {
		if !strings.Contains(text, title) {
			t.Errorf("example.pdf lacks the chart %q", title)
		}
	}
}
