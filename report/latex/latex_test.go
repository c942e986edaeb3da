package latex

import (
	"strings"
	"testing"

	"hw1pipe/results"
)

func inputs() *Inputs {
	c := func(x float64) *results.Curves {
		return &results.Curves{TrainLoss: []float64{2, x}, TrainError: []float64{1, x / 2}, ValSteps: []int{0, 1},
			ValLoss: []float64{2, x}, ValError: []float64{1, x / 4}, FinalSums: results.FinalErrors{Last100: 0.75}}
	}
	return &Inputs{
		Baseline:  &results.SVCMetrics{NTrain: 800, ValAccuracy: 0.11351},
		Confusion: &results.Confusion{Labels: []int64{0, 1}, Matrix: [][]int{{3, 1}, {0, 4}}},
		Grid:      &results.Grid{BestParams: results.BestParams{C: 0.1, Gamma: results.Gamma{Value: 0.002}, Kernel: "poly_x"}},
		GridRows:  [][]string{{"param_C", "mean_test_score", "std_test_score", "rank_test_score"}, {"0.1", "0.5", "0.1", "1"}},
		Gabor:     &results.GaborSVM{BestC: 10},
		GradCheck: &results.GradCheck{MaxAbsErr: 6.18e-10, Tol: 1e-6},
		Self:      c(0.5), Torch: c(0.25),
	}
}

func TestPack(t *testing.T) {
	files := map[string]string{KeyResults: "results.tex", KeyGrid: "grid.tex", KeyConfusion: "confusion.tex", KeyNetworks: "networks.tex"}
	texts, err := Pack(inputs(), files)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`\newcommand{\POneGridBestC}{0.1}`, `\newcommand{\POneGridBestGamma}{0.002}`,
		`\newcommand{\POneGridBestKernel}{poly\_x}`, `\newcommand{\POneBaselineValAcc}{0.1135}`, `\newcommand{\PThreeGradMaxErr}{6.2e-10}`,
		`\newcommand{\PThreeTorchFinalValErr}{0.0625}`, `\newcommand{\PThreeSelfLastHundredTrainErr}{0.7500}`} {
		if !strings.Contains(texts[KeyResults], want) {
			t.Errorf("results.tex lacks %s", want)
		}
	}
	if !strings.Contains(texts[KeyExample], `\input{results.tex}`) || !strings.Contains(texts[KeyGrid], `\textbf{0.1}`) ||
		!strings.Contains(texts[KeyConfusion], "1 & 0 & 4 \\\\") {
		t.Errorf("pack:\n%s\n%s\n%s", texts[KeyExample][:400], texts[KeyGrid], texts[KeyConfusion])
	}
}

func TestPackErrors(t *testing.T) {
	for _, c := range []struct {
		name  string
		spoil func(*Inputs)
		want  string
	}{
		{"empty curve", func(in *Inputs) { in.Torch.ValError = nil }, "self_curves or torch_curves: a curve is empty"},
		{"confusion", func(in *Inputs) { in.Confusion.Matrix = in.Confusion.Matrix[:1] }, "baseline_confusion: confusion matrix has 1 rows for 2 labels"},
		{"grid csv", func(in *Inputs) { in.GridRows = in.GridRows[:1] }, "grid_csv: grid.csv has no candidates"},
		{"best index", func(in *Inputs) { in.Grid.BestIndex = 1 }, "grid_csv: best index 1 out of 1 candidates"},
	} {
		in := inputs()
		c.spoil(in)
		if _, err := Pack(in, map[string]string{}); err == nil || err.Error() != c.want {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

func TestEscape(t *testing.T) {
	if got := Escape(`50% of $x_1$ & {a} #2 ~ ^ \`); got != `50\% of \$x\_1\$ \& \{a\} \#2 \~{} \^{} \textbackslash{}` {
		t.Errorf("Escape: %s", got)
	}
}
