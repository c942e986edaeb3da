package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"hw1pipe/artifacts/npy"
	"hw1pipe/internal/pyref"
	"hw1pipe/results"
	"hw1pipe/svm"
)

// Environment variables read by TestP1FullSize.
const (
	envEnable   = "HW1PIPE_E2E"           // "1" runs the test
	envOutdir   = "HW1PIPE_OUTDIR"        // finished run; default ../../out
	envFullGrid = "HW1PIPE_E2E_FULL_GRID" // "1" also searches the linear cells (hours)
	envJobs     = "HW1PIPE_E2E_JOBS"      // GridSearchCV n_jobs; default 1
	envReport   = "HW1PIPE_E2E_REPORT"    // where to keep check_p1.py's JSON report
)

// svcSide is hw1pipe's fit of one SVC, as check_p1.py reads it.
type svcSide struct {
	Gamma    float64     `json:"gamma"`
	NSupport []int       `json:"n_support"`
	PredVal  []int64     `json:"pred_val"`
	DecOVO   [][]float64 `json:"dec_ovo"`
	DecOVR   [][]float64 `json:"dec_ovr"`
}

// pickleSide is hw1pipe's refit of grid_results.json's best parameters.
type pickleSide struct {
	Params   results.BestParams `json:"params"`
	NSupport []int              `json:"n_support"`
	PredVal  []int64            `json:"pred_val"`
}

type goSide struct {
	SVC    map[string]svcSide `json:"svc"`
	Pickle *pickleSide        `json:"pickle"`
}

// report is check_p1.py's stdout.
type report struct {
	Checks []struct {
		Section string `json:"section"`
		Name    string `json:"name"`
		OK      bool   `json:"ok"`
		Detail  string `json:"detail"`
	} `json:"checks"`
	Numbers map[string]json.RawMessage `json:"numbers"`
}

func readDense(t *testing.T, path string) *mat.Dense {
	t.Helper()
	a, err := npy.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	v, err := a.Float64s()
	if err != nil || len(a.Shape) != 2 {
		t.Fatalf("%s: want a 2-D float64 array, got %v %s (%v)", path, a.Shape, a.Dtype, err)
	}
	return mat.NewDense(a.Shape[0], a.Shape[1], v)
}

func readLabels(t *testing.T, path string) []int64 {
	t.Helper()
	a, err := npy.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	v, err := a.Int64s()
	if err != nil || len(a.Shape) != 1 {
		t.Fatalf("%s: want a 1-D int64 array, got %v %s (%v)", path, a.Shape, a.Dtype, err)
	}
	return v
}

func rows(m *mat.Dense) [][]float64 {
	n, _ := m.Dims()
	out := make([][]float64, n)
	for i := range out {
		out[i] = slices.Clone(m.RawRowView(i))
	}
	return out
}

// bestParams turns grid_results.json's best_params into svm.Params.
func bestParams(t *testing.T, bp results.BestParams) svm.Params {
	t.Helper()
	k, err := svm.ParseKernel(bp.Kernel)
	if err != nil {
		t.Fatalf("grid_results.json best_params: %v", err)
	}
	gs := bp.Gamma.Name
	if gs == "" {
		gs = strconv.FormatFloat(bp.Gamma.Value, 'g', -1, 64)
	}
	g, err := svm.ParseGamma(gs)
	if err != nil {
		t.Fatalf("grid_results.json best_params: %v", err)
	}
	return svm.Params{C: bp.C, Kernel: k, Gamma: g}
}

// TestP1FullSize compares Problem 1 of a finished full run with
// scikit-learn 1.2.1 on the run's own files (README.md lists the bars).
func TestP1FullSize(t *testing.T) {
	if os.Getenv(envEnable) != "1" {
		t.Skipf("full-size e2e check: set %s=1 (make e2e does) and %s to a finished run (default ../../out)", envEnable, envOutdir)
	}
	outdir := os.Getenv(envOutdir)
	if outdir == "" {
		outdir = filepath.Join("..", "..", "out")
	}
	p1 := filepath.Join(outdir, "p1")
	for _, f := range []string{"x_train.npy", "y_train.npy", "x_val.npy", "y_val.npy", "baseline_metrics.json",
		"grid.csv", "grid_results.json", "grid_search_svm.pkl", "gabor/results.json", "gabor/train_features.npy"} {
		if _, err := os.Stat(filepath.Join(p1, f)); err != nil {
			t.Fatalf("%s is not a finished full run (run `hw1pipe run` first): %v", outdir, err)
		}
	}
	py := pyref.Require(t, "numpy", "sklearn")

	xTr, yTr := readDense(t, filepath.Join(p1, "x_train.npy")), readLabels(t, filepath.Join(p1, "y_train.npy"))
	xVa := readDense(t, filepath.Join(p1, "x_val.npy"))
	n, d := xTr.Dims()
	t.Logf("split from %s: x_train %dx%d, x_val %d rows", outdir, n, d, xVa.RawMatrix().Rows)

	side := goSide{SVC: map[string]svcSide{}}
	for _, gname := range []string{"auto", "scale"} {
		g, _ := svm.ParseGamma(gname)
		start := time.Now()
		m, err := svm.Fit(xTr, yTr, svm.Params{C: 1, Gamma: g})
		if err != nil {
			t.Fatalf("hw1pipe svm.Fit(C=1, gamma=%s): %v", gname, err)
		}
		fitSec := time.Since(start).Seconds()
		start = time.Now()
		s := svcSide{
			Gamma: m.Gamma, NSupport: m.NSupport, PredVal: m.Predict(xVa),
			DecOVO: rows(m.DecisionOVO(xVa)), DecOVR: rows(m.DecisionFunction(xVa)),
		}
		t.Logf("hw1pipe SVC(C=1, gamma=%s): gamma %.6g, fit %.1fs, predict+decision %.1fs, n_support %v (total %d), status %s",
			gname, m.Gamma, fitSec, time.Since(start).Seconds(), m.NSupport, len(m.Support), m.Status)
		side.SVC[gname] = s
	}

	gr, err := results.Read[results.Grid](filepath.Join(p1, "grid_results.json"))
	if err != nil {
		t.Fatal(err)
	}
	bp := bestParams(t, gr.BestParams)
	start := time.Now()
	best, err := svm.Fit(xTr, yTr, bp)
	if err != nil {
		t.Fatalf("hw1pipe refit of best params %v: %v", gr.BestParams, err)
	}
	side.Pickle = &pickleSide{Params: gr.BestParams, NSupport: best.NSupport, PredVal: best.Predict(xVa)}
	t.Logf("hw1pipe refit of grid_results.json best %v: %.1fs, n_support %v", gr.BestParams, time.Since(start).Seconds(), best.NSupport)
	if !slices.Equal(best.NSupport, gr.NSupport) {
		t.Errorf("hw1pipe's refit of %v has n_support %v but grid_results.json says %v: is %s stale?", gr.BestParams, best.NSupport, gr.NSupport, outdir)
	}

	dir := t.TempDir()
	goJSON := filepath.Join(dir, "hw1pipe.json")
	b, err := json.Marshal(side)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(goJSON, b, 0o644); err != nil {
		t.Fatal(err)
	}

	args := []string{"check_p1.py", outdir, "--hw1pipe", goJSON}
	if os.Getenv(envFullGrid) == "1" {
		args = append(args, "--full-grid")
	}
	if j := os.Getenv(envJobs); j != "" {
		args = append(args, "--jobs", j)
	}
	// pyref.Run would hold the script's progress until it ends; a search
	// of many minutes (hours with the linear cells) should show it live.
	t.Logf("running %s %v", py, args)
	cmd := exec.Command(py, args...)
	var stdout bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, os.Stderr
	start = time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("check_p1.py failed: %v", err)
	}
	t.Logf("check_p1.py took %.0fs", time.Since(start).Seconds())
	if p := os.Getenv(envReport); p != "" {
		if err := os.WriteFile(p, stdout.Bytes(), 0o644); err != nil {
			t.Errorf("keep report: %v", err)
		}
	}
	var rep report
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("check_p1.py output is not its JSON report: %v\n%s", err, stdout.String())
	}
	if len(rep.Checks) == 0 {
		t.Fatalf("check_p1.py ran no checks")
	}
	keys := make([]string, 0, len(rep.Numbers))
	for k := range rep.Numbers {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		var buf bytes.Buffer
		if err := json.Indent(&buf, rep.Numbers[k], "", " "); err != nil {
			buf.Write(rep.Numbers[k])
		}
		t.Logf("numbers[%s] = %s", k, compact(buf.String()))
	}
	failed := 0
	for _, c := range rep.Checks {
		if c.OK {
			t.Logf("ok   %s/%s: %s", c.Section, c.Name, c.Detail)
		} else {
			failed++
			t.Errorf("FAIL %s/%s: %s", c.Section, c.Name, c.Detail)
		}
	}
	t.Logf("%d checks, %d failed", len(rep.Checks), failed)
}

// compact joins short JSON lines so that lists of numbers print on one
// line each.
func compact(s string) string {
	var out bytes.Buffer
	depth := 0
	for _, r := range s {
		switch r {
		case '[':
			depth++
		case ']':
			depth--
		}
		if depth > 0 && (r == '\n' || r == ' ') {
			continue
		}
		out.WriteRune(r)
	}
	return out.String()
}
