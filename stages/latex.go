package stages

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"hw1pipe/pipeline"
)

// latexVersion is hashed into the stage's fingerprint; bump it when a
// file would change for the same inputs.
const latexVersion = "1"

// latexImages are the image figures (digits, Gabor kernels and
// responses): copied as they are, PNG being what \includegraphics takes
// for pixels. The input and output keys are the same.
var latexImages = []string{"digit", "digit_resized", "gabor_kernels", "gabor_responses", "gabor_pairs", "samples"}

// latexCharts are the charts drawn again as vector PDF, from the data
// the PNG versions were drawn from.
var latexCharts = []string{"confusion", "self_training", "self_validation", "torch_training", "torch_validation", "compare"}

func latexKind() pipeline.Kind {
	return pipeline.Kind{
		Name:    "latex",
		Version: latexVersion,
		Doc:     "the written report's LaTeX pack: charts as vector PDF, image figures as PNG, results.tex (one macro per number), grid/confusion/network tabulars, example.tex using them all",
		Inputs: append([]string{"baseline_metrics", "baseline_confusion", "grid_results", "grid_csv",
			"gabor_results", "gradcheck", "self_curves", "torch_curves"}, latexImages...),
		Outputs: latexOutputs(),
		Run:     runLatex,
	}
}

func latexOutputs() []string {
	return append(append([]string{"results", "grid_table", "confusion_table", "networks_table", "example"},
		latexImages...), latexCharts...)
}

// latexMacro is one \newcommand of results.tex.
type latexMacro struct {
	// Name is the macro's name without the backslash: letters only, as
	// TeX reads a control word.
	Name, Value, About string
}

var macroName = regexp.MustCompile(`^[A-Za-z]+$`)

// latexData is what the stage reads.
type latexData struct {
	base       P1SVCMetrics
	conf       P1Confusion
	grid       P1GridResults
	gridRows   [][]string // grid.csv, header first
	gabor      P1GaborSVMResults
	grad       P3GradCheckReport
	self, trch P3TorchCurves
}

func runLatex(ctx context.Context, env *pipeline.Env) error {
	var d latexData
	for key, v := range map[string]any{"baseline_metrics": &d.base, "baseline_confusion": &d.conf,
		"grid_results": &d.grid, "gabor_results": &d.gabor, "gradcheck": &d.grad,
		"self_curves": &d.self, "torch_curves": &d.trch} {
		if err := readJSON(env.Input(key), v); err != nil {
			return fmt.Errorf("input %s: %w", key, err)
		}
	}
	f, err := os.Open(env.Input("grid_csv"))
	if err != nil {
		return err
	}
	d.gridRows, err = csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		return fmt.Errorf("read %s: %w", env.Input("grid_csv"), err)
	}
	for _, c := range []*P3TorchCurves{&d.self, &d.trch} {
		if len(c.TrainLoss) == 0 || len(c.TrainError) == 0 || len(c.ValLoss) == 0 || len(c.ValError) == 0 {
			return fmt.Errorf("input %s or %s: empty curves", env.Input("self_curves"), env.Input("torch_curves"))
		}
	}
	env.Progress(0.1, "numbers and tables")

	macros, err := latexMacros(&d)
	if err != nil {
		return err
	}
	grid, err := latexGridTable(d.gridRows, d.grid.BestIndex)
	if err != nil {
		return fmt.Errorf("input %s: %w", env.Input("grid_csv"), err)
	}
	conf, err := latexConfusionTable(d.conf)
	if err != nil {
		return fmt.Errorf("input %s: %w", env.Input("baseline_confusion"), err)
	}
	names := map[string]string{}
	for _, k := range latexOutputs() {
		names[k] = filepath.Base(env.Output(k))
	}
	for k, s := range map[string]string{
		"results":         latexResults(macros),
		"grid_table":      grid,
		"confusion_table": conf,
		"networks_table":  latexNetworksTable(),
		"example":         latexExample(macros, names),
	} {
		if err := writeText(env.Output(k), s); err != nil {
			return err
		}
	}
	for _, k := range latexImages {
		b, err := os.ReadFile(env.Input(k))
		if err != nil {
			return err
		}
		if !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
			return fmt.Errorf("input %s (%s) is not a PNG", k, env.Input(k))
		}
		if err := writeBytes(env.Output(k), b); err != nil {
			return err
		}
	}
	env.Progress(0.3, "vector charts")
	charts := map[string]pdfWriter{
		"confusion":        confusionFigure("Baseline SVC: validation confusion matrix", d.conf),
		"self_training":    p3TrainingFigure(p3SelfTrainingTitle, d.self.TrainLoss, d.self.TrainError),
		"self_validation":  p3ValidationFigure(p3SelfValidationTitle, d.self.TrainLoss, d.self.TrainError, d.self.ValSteps, d.self.ValLoss, d.self.ValError),
		"torch_training":   p3TrainingFigure(p3TorchTrainingTitle, d.trch.TrainLoss, d.trch.TrainError),
		"torch_validation": p3ValidationFigure(p3TorchValidationTitle, d.trch.TrainLoss, d.trch.TrainError, d.trch.ValSteps, d.trch.ValLoss, d.trch.ValError),
		"compare":          p3CompareFigure(&d.self, &d.trch),
	}
	for i, k := range latexCharts {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := writeOutput(env.Output(k), charts[k].WritePDF); err != nil {
			return fmt.Errorf("chart %s: %w", k, err)
		}
		env.Progress(0.3+0.7*float64(i+1)/float64(len(latexCharts)), "drew "+names[k])
	}
	return nil
}

// pdfWriter is what the figures charts offer for vector output.
type pdfWriter interface{ WritePDF(io.Writer) error }

// latexNum formats a fraction, loss or accuracy as the report page does.
func latexNum(x float64) string { return strconv.FormatFloat(x, 'f', 4, 64) }

// latexParam formats a param value as Python prints it (10, 0.1, scale).
func latexParam(v any) string {
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case string:
		return texEscape(x)
	}
	return texEscape(fmt.Sprint(v))
}

// latexMacros lists every reported number, named by problem and
// quantity.
func latexMacros(d *latexData) ([]latexMacro, error) {
	var ms []latexMacro
	add := func(name, value, about string) { ms = append(ms, latexMacro{name, value, about}) }
	itoa := strconv.Itoa
	add("POneTrainSize", itoa(d.base.NTrain), "Problem 1 training split: images")
	add("POneValSize", itoa(d.base.NVal), "Problem 1 validation split: images")
	add("POneFeatures", itoa(d.base.NFeatures), "Problem 1 features per image (14x14 pixels)")
	add("POneBaselineGammaValue", strconv.FormatFloat(d.base.GammaValue, 'g', 4, 64), "baseline SVC: gamma='auto' as a number (1/n_features)")
	add("POneBaselineValAcc", latexNum(d.base.ValAccuracy), "baseline SVC: validation accuracy")
	add("POneBaselineTrainAcc", latexNum(d.base.TrainAccuracy), "baseline SVC: training accuracy")
	add("POneBaselineSupportVectors", itoa(d.base.NSupportTotal), "baseline SVC: support vectors (n_support_.sum())")
	add("POneBaselineSupportRatio", latexNum(d.base.SupportRatio), "baseline SVC: support vectors / training images")
	add("POneGridFolds", itoa(d.grid.Folds), "grid search: cross-validation folds")
	add("POneGridCandidates", itoa(d.grid.NCandidates), "grid search: parameter combinations")
	for _, p := range []struct{ key, name string }{{"C", "C"}, {"kernel", "Kernel"}, {"gamma", "Gamma"}} {
		v, ok := d.grid.BestParams[p.key]
		if !ok {
			return nil, fmt.Errorf("grid results: best_params has no %s", p.key)
		}
		add("POneGridBest"+p.name, latexParam(v), "grid search: best "+p.key)
	}
	add("POneGridBestCVAcc", latexNum(d.grid.BestCVScore), "grid search: best mean cross-validation accuracy")
	add("POneGridValAcc", latexNum(d.grid.ValAccuracy), "grid search: refitted best model, validation accuracy")
	add("POneGridSupportVectors", itoa(d.grid.NSupportTotal), "grid search: refitted best model, support vectors")
	add("POneGaborTrainSize", itoa(d.gabor.NTrain), "Gabor: training images")
	add("POneGaborValSize", itoa(d.gabor.NVal), "Gabor: validation images")
	add("POneGaborFeatures", itoa(d.gabor.NFeatures), "Gabor: features per image (filters x 14x14)")
	add("POneGaborComponents", itoa(d.gabor.Components), "Gabor: PCA components")
	add("POneGaborExplainedVariance", latexNum(d.gabor.ExplainedVarianceRatioSum), "Gabor: PCA explained variance ratio, summed")
	add("POneGaborBestC", strconv.FormatFloat(d.gabor.BestC, 'g', -1, 64), "Gabor: C of the best SVC")
	add("POneGaborValAcc", latexNum(d.gabor.BestValAccuracy), "Gabor: best validation accuracy")

	add("PThreeTrainSize", itoa(d.self.NTrain), "Problem 3 training subset: images")
	add("PThreeValSize", itoa(d.self.NVal), "Problem 3 validation subset: images")
	add("PThreeUpdates", itoa(d.self.Iterations), "SGD updates")
	add("PThreeBatch", itoa(d.self.Batch), "batch size")
	add("PThreeLR", strconv.FormatFloat(d.self.LR, 'g', -1, 64), "learning rate")
	add("PThreeValEvery", itoa(d.self.ValEvery), "updates between validation measurements")
	add("PThreeGradMaxErr", strconv.FormatFloat(d.grad.MaxAbsErr, 'e', 1, 64), "gradient check: largest |analytic - finite difference|")
	add("PThreeGradTol", strconv.FormatFloat(d.grad.Tol, 'e', 0, 64), "gradient check: tolerance")
	for _, n := range []struct {
		name, about string
		c           *P3TorchCurves
	}{{"Self", "from-scratch network", &d.self}, {"Torch", "PyTorch network", &d.trch}} {
		c := n.c
		add("PThree"+n.name+"FinalTrainLoss", latexNum(c.TrainLoss[len(c.TrainLoss)-1]), n.about+": training loss of the last update")
		add("PThree"+n.name+"FinalTrainErr", latexNum(c.TrainError[len(c.TrainError)-1]), n.about+": training error of the last update")
		add("PThree"+n.name+"LastHundredTrainErr", latexNum(c.FinalSums.Last100), n.about+": training error, mean of the last 100 updates")
		add("PThree"+n.name+"FinalValLoss", latexNum(c.ValLoss[len(c.ValLoss)-1]), n.about+": last validation loss")
		add("PThree"+n.name+"FinalValErr", latexNum(c.ValError[len(c.ValError)-1]), n.about+": last validation error")
	}
	seen := map[string]bool{}
	for _, m := range ms {
		if !macroName.MatchString(m.Name) || seen[m.Name] {
			return nil, fmt.Errorf("latex: macro name %q is not letters only, or repeated", m.Name)
		}
		seen[m.Name] = true
	}
	return ms, nil
}

func latexResults(ms []latexMacro) string {
	var b strings.Builder
	b.WriteString("% results.tex: every number of the written report, made by hw1pipe's latex stage.\n" +
		"% \\input{results.tex} in the preamble, then write \\POneBaselineValAcc{} where the number goes.\n")
	for _, m := range ms {
		fmt.Fprintf(&b, "\\newcommand{\\%s}{%s} %% %s\n", m.Name, m.Value, m.About)
	}
	return b.String()
}

// latexGridTable renders grid.csv as a booktabs tabular: the searched
// params, mean and std of the cross-validation accuracy and the rank, the
// best candidate in bold.
func latexGridTable(rows [][]string, best int) (string, error) {
	if len(rows) < 2 {
		return "", fmt.Errorf("grid.csv has no candidates")
	}
	col := map[string]int{}
	var params []string
	for i, h := range rows[0] {
		col[h] = i
		if name, ok := strings.CutPrefix(h, "param_"); ok {
			params = append(params, name)
		}
	}
	for _, h := range []string{"mean_test_score", "std_test_score", "rank_test_score"} {
		if _, ok := col[h]; !ok {
			return "", fmt.Errorf("grid.csv has no column %s", h)
		}
	}
	if best < 0 || best >= len(rows)-1 {
		return "", fmt.Errorf("best index %d out of %d candidates", best, len(rows)-1)
	}
	var b strings.Builder
	b.WriteString("% grid.tex: every GridSearchCV candidate (booktabs); \\input it inside a table.\n")
	fmt.Fprintf(&b, "\\begin{tabular}{%srrr}\n\\toprule\n", strings.Repeat("l", len(params)))
	var head []string
	for _, p := range params {
		switch p {
		case "C":
			head = append(head, "$C$")
		case "gamma":
			head = append(head, "$\\gamma$")
		default:
			head = append(head, texEscape(p))
		}
	}
	head = append(head, "mean CV accuracy", "std", "rank")
	b.WriteString(strings.Join(head, " & ") + " \\\\\n\\midrule\n")
	for i, r := range rows[1:] {
		if len(r) != len(rows[0]) {
			return "", fmt.Errorf("grid.csv row %d has %d fields, header %d", i+2, len(r), len(rows[0]))
		}
		var cells []string
		for _, p := range params {
			cells = append(cells, texEscape(r[col["param_"+p]]))
		}
		for _, h := range []string{"mean_test_score", "std_test_score"} {
			x, err := strconv.ParseFloat(r[col[h]], 64)
			if err != nil {
				return "", fmt.Errorf("grid.csv row %d %s: %w", i+2, h, err)
			}
			cells = append(cells, latexNum(x))
		}
		cells = append(cells, texEscape(r[col["rank_test_score"]]))
		if i == best {
			for j := range cells {
				cells[j] = "\\textbf{" + cells[j] + "}"
			}
		}
		b.WriteString(strings.Join(cells, " & ") + " \\\\\n")
	}
	b.WriteString("\\bottomrule\n\\end{tabular}\n")
	return b.String(), nil
}

// latexConfusionTable renders the confusion matrix, rows true labels and
// columns predicted ones, as scikit-learn's confusion_matrix orders them.
func latexConfusionTable(c P1Confusion) (string, error) {
	k := len(c.Labels)
	if k == 0 || len(c.Matrix) != k {
		return "", fmt.Errorf("confusion matrix has %d rows for %d labels", len(c.Matrix), k)
	}
	var b strings.Builder
	b.WriteString("% confusion.tex: the baseline SVC's validation confusion matrix (rows true, columns predicted; booktabs).\n")
	fmt.Fprintf(&b, "\\begin{tabular}{r%s}\n\\toprule\n", strings.Repeat("r", k))
	fmt.Fprintf(&b, " & \\multicolumn{%d}{c}{predicted} \\\\\n\\cmidrule(l){2-%d}\ntrue", k, k+1)
	for _, l := range c.Labels {
		fmt.Fprintf(&b, " & %d", l)
	}
	b.WriteString(" \\\\\n\\midrule\n")
	for i, row := range c.Matrix {
		if len(row) != k {
			return "", fmt.Errorf("confusion matrix row %d has %d entries for %d labels", i, len(row), k)
		}
		fmt.Fprintf(&b, "%d", c.Labels[i])
		for _, v := range row {
			fmt.Fprintf(&b, " & %d", v)
		}
		b.WriteString(" \\\\\n")
	}
	b.WriteString("\\bottomrule\n\\end{tabular}\n")
	return b.String(), nil
}

// latexNetworksTable compares the two networks with results.tex's macros,
// so it needs results.tex \input first.
func latexNetworksTable() string {
	var b strings.Builder
	b.WriteString("% networks.tex: Problem 3's two networks side by side; needs \\input{results.tex} first (booktabs).\n")
	b.WriteString("\\begin{tabular}{lrr}\n\\toprule\n & from scratch & PyTorch \\\\\n\\midrule\n")
	for _, r := range []struct{ label, macro string }{
		{"training loss, last update", "FinalTrainLoss"},
		{"training error, last update", "FinalTrainErr"},
		{"training error, mean of last 100 updates", "LastHundredTrainErr"},
		{"validation loss, last measurement", "FinalValLoss"},
		{"validation error, last measurement", "FinalValErr"},
	} {
		fmt.Fprintf(&b, "%s & \\PThreeSelf%s & \\PThreeTorch%s \\\\\n", r.label, r.macro, r.macro)
	}
	b.WriteString("\\bottomrule\n\\end{tabular}\n")
	return b.String()
}

// latexExample is a complete document that uses every figure, table and
// macro of the pack: a starting point to copy into the course's template.
// names maps output keys to file names.
func latexExample(ms []latexMacro, names map[string]string) string {
	r := strings.NewReplacer(
		"{{results}}", names["results"], "{{grid}}", names["grid_table"], "{{confusion}}", names["confusion_table"],
		"{{networks}}", names["networks_table"],
	)
	fig := func(key, width, caption string) string {
		return fmt.Sprintf("\\begin{figure}[htbp]\n\\centering\n\\includegraphics[width=%s]{%s}\n\\caption{%s}\n\\end{figure}\n",
			width, names[key], caption)
	}
	var b strings.Builder
	b.WriteString(r.Replace(`% example.tex: hw1pipe's LaTeX pack in use. Every figure, table and number of
% the written report is here; copy the parts you need into the course's
% hw_template.tex, keeping \input{{{results}}} in its preamble.
% Compile: pdflatex example.tex (needs graphicx and booktabs).
\documentclass[11pt]{article}
\usepackage{graphicx}
\usepackage{booktabs}
% pdfTeX warns when a page holds several included PDFs with transparency
% groups (the charts); the warning is harmless.
\ifdefined\pdfsuppresswarningpagegroup\pdfsuppresswarningpagegroup=1\fi
\input{{{results}}}
\begin{document}

\section*{Problem 1}
The data: \POneTrainSize{} training and \POneValSize{} validation images of
\POneFeatures{} pixels.

`))
	b.WriteString(fig("digit", "0.3\\linewidth", "(a) A training digit at $28\\times28$."))
	b.WriteString(fig("digit_resized", "0.3\\linewidth", "(b) The same digit resized to $14\\times14$."))
	b.WriteString(r.Replace(`The baseline SVC (rbf kernel, $C=1$, gamma='auto', that is
$\gamma=\POneBaselineGammaValue$) reaches a validation accuracy of
\POneBaselineValAcc{} (training accuracy \POneBaselineTrainAcc) with
\POneBaselineSupportVectors{} support vectors, a support-vector ratio of
\POneBaselineSupportRatio.

\begin{table}[htbp]
\centering
\input{{{confusion}}}
\caption{(f) Baseline SVC: validation confusion matrix.}
\end{table}

`))
	b.WriteString(fig("confusion", "0.6\\linewidth", "(f) The same confusion matrix as a figure."))
	b.WriteString(r.Replace(`The grid search (\POneGridCandidates{} candidates, \POneGridFolds-fold
cross-validation) picks $C=\POneGridBestC$, kernel \POneGridBestKernel,
$\gamma=$\POneGridBestGamma{} with a mean CV accuracy of \POneGridBestCVAcc;
refitted on the whole training split it reaches a validation accuracy of
\POneGridValAcc{} with \POneGridSupportVectors{} support vectors.

\begin{table}[htbp]
\centering
\input{{{grid}}}
\caption{(g) Every candidate of the grid search, the best in bold.}
\end{table}

Gabor features: \POneGaborFeatures{} features for each of \POneGaborTrainSize{}
training and \POneGaborValSize{} validation images, reduced by PCA to
\POneGaborComponents{} components (explained variance \POneGaborExplainedVariance);
the best SVC ($C=\POneGaborBestC$) reaches a validation accuracy of \POneGaborValAcc.

`))
	b.WriteString(fig("gabor_kernels", "0.7\\linewidth", "(h) An example Gabor kernel: real and imaginary parts."))
	b.WriteString(fig("gabor_responses", "0.9\\linewidth", "(h) A digit, one filter of the bank and its response."))
	b.WriteString(fig("gabor_pairs", "0.9\\linewidth", "(h) Kernel pairs of the filter bank."))
	b.WriteString(`\clearpage
\section*{Problem 3}
Training subset \PThreeTrainSize{} images, validation \PThreeValSize{};
SGD with learning rate \PThreeLR, batches of \PThreeBatch, \PThreeUpdates{}
updates, validation every \PThreeValEvery{} updates. The gradient check's
largest error is \PThreeGradMaxErr{} (tolerance \PThreeGradTol).

`)
	b.WriteString(fig("samples", "0.8\\linewidth", "(a) Sample training images."))
	b.WriteString(fig("self_training", "0.8\\linewidth", "(b) From-scratch network: training loss and error of every update."))
	b.WriteString(fig("self_validation", "0.8\\linewidth", "(c) From-scratch network: validation loss and error."))
	b.WriteString(fig("torch_training", "0.8\\linewidth", "(d) PyTorch network: training loss and error of every update."))
	b.WriteString(fig("torch_validation", "0.8\\linewidth", "(d) PyTorch network: validation loss and error."))
	b.WriteString(fig("compare", "0.9\\linewidth", "(d) Both networks."))
	b.WriteString(r.Replace(`The from-scratch network ends at a validation error of \PThreeSelfFinalValErr,
the PyTorch network at \PThreeTorchFinalValErr.

\begin{table}[htbp]
\centering
\input{{{networks}}}
\caption{(d) The two networks at the end of training.}
\end{table}

\clearpage
\section*{Every macro of {{results}}}
\begin{tabular}{ll}
\toprule
macro & value \\
\midrule
`))
	for _, m := range ms {
		fmt.Fprintf(&b, "\\verb|\\%s| & \\%s \\\\\n", m.Name, m.Name)
	}
	b.WriteString("\\bottomrule\n\\end{tabular}\n\n\\end{document}\n")
	return b.String()
}

// texEscape escapes TeX's special characters in plain text.
func texEscape(s string) string {
	return strings.NewReplacer(`\`, `\textbackslash{}`, `{`, `\{`, `}`, `\}`, `$`, `\$`, `&`, `\&`,
		`#`, `\#`, `^`, `\^{}`, `_`, `\_`, `~`, `\~{}`, `%`, `\%`).Replace(s)
}
