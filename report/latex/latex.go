// Package latex renders the written report's LaTeX pack from the typed
// results: results.tex (one \newcommand per reported number), booktabs
// tabulars of the grid search, the baseline's confusion matrix and the two
// networks, and example.tex, a complete document that uses them all with
// the figures. It owns the pack's wording; the latex stage reads the
// inputs, calls Pack and writes the files.
package latex

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"hw1pipe/results"
)

// Inputs are the results the pack reports. Every field is required.
type Inputs struct {
	Baseline  *results.SVCMetrics
	Confusion *results.Confusion
	Grid      *results.Grid
	// GridRows is grid.csv, header first.
	GridRows    [][]string
	Gabor       *results.GaborSVM
	GradCheck   *results.GradCheck
	Self, Torch *results.Curves
}

// The keys of Pack's texts; Example also takes the figures' keys.
const (
	KeyResults   = "results"
	KeyGrid      = "grid_table"
	KeyConfusion = "confusion_table"
	KeyNetworks  = "networks_table"
	KeyExample   = "example"
)

// Pack renders every text file of the pack, keyed as above. files maps
// those keys and the figures' keys (digit, digit_resized, confusion,
// gabor_kernels, gabor_responses, gabor_pairs, samples, self_training,
// self_validation, torch_training, torch_validation, compare) to the file
// names example.tex includes.
func Pack(in *Inputs, files map[string]string) (map[string]string, error) {
	if in.Self.Empty() || in.Torch.Empty() {
		return nil, fmt.Errorf("self_curves or torch_curves: a curve is empty")
	}
	macros, err := Macros(in)
	if err != nil {
		return nil, err
	}
	grid, err := GridTable(in.GridRows, in.Grid.BestIndex)
	if err != nil {
		return nil, fmt.Errorf("grid_csv: %w", err)
	}
	conf, err := ConfusionTable(in.Confusion)
	if err != nil {
		return nil, fmt.Errorf("baseline_confusion: %w", err)
	}
	return map[string]string{
		KeyResults:   ResultsTeX(macros),
		KeyGrid:      grid,
		KeyConfusion: conf,
		KeyNetworks:  NetworksTable(),
		KeyExample:   Example(macros, files),
	}, nil
}

// Macro is one \newcommand of results.tex.
type Macro struct {
	// Name is the macro's name without the backslash: letters only, as
	// TeX reads a control word.
	Name, Value, About string
}

var macroName = regexp.MustCompile(`^[A-Za-z]+$`)

// num formats a fraction, loss or accuracy as the report page does.
func num(x float64) string { return strconv.FormatFloat(x, 'f', 4, 64) }

// gridParam formats a best param as Python prints it (10, 0.1, scale).
func gridParam(p results.BestParams, name string) string {
	switch name {
	case "C":
		return strconv.FormatFloat(p.C, 'g', -1, 64)
	case "gamma":
		if p.Gamma.Name == "" {
			return strconv.FormatFloat(p.Gamma.Value, 'g', -1, 64)
		}
		return Escape(p.Gamma.Name)
	}
	return Escape(p.Kernel)
}

// Macros lists every reported number, named by problem and
// quantity.
func Macros(d *Inputs) ([]Macro, error) {
	var ms []Macro
	add := func(name, value, about string) { ms = append(ms, Macro{name, value, about}) }
	itoa := strconv.Itoa
	add("POneTrainSize", itoa(d.Baseline.NTrain), "Problem 1 training split: images")
	add("POneValSize", itoa(d.Baseline.NVal), "Problem 1 validation split: images")
	add("POneFeatures", itoa(d.Baseline.NFeatures), "Problem 1 features per image (14x14 pixels)")
	add("POneBaselineGammaValue", strconv.FormatFloat(d.Baseline.GammaValue, 'g', 4, 64), "baseline SVC: gamma='auto' as a number (1/n_features)")
	add("POneBaselineValAcc", num(d.Baseline.ValAccuracy), "baseline SVC: validation accuracy")
	add("POneBaselineTrainAcc", num(d.Baseline.TrainAccuracy), "baseline SVC: training accuracy")
	add("POneBaselineSupportVectors", itoa(d.Baseline.NSupportTotal), "baseline SVC: support vectors (n_support_.sum())")
	add("POneBaselineSupportRatio", num(d.Baseline.SupportRatio), "baseline SVC: support vectors / training images")
	add("POneGridFolds", itoa(d.Grid.Folds), "grid search: cross-validation folds")
	add("POneGridCandidates", itoa(d.Grid.NCandidates), "grid search: parameter combinations")
	for _, p := range []struct{ key, name string }{{"C", "C"}, {"kernel", "Kernel"}, {"gamma", "Gamma"}} {
		add("POneGridBest"+p.name, gridParam(d.Grid.BestParams, p.key), "grid search: best "+p.key)
	}
	add("POneGridBestCVAcc", num(d.Grid.BestCVScore), "grid search: best mean cross-validation accuracy")
	add("POneGridValAcc", num(d.Grid.ValAccuracy), "grid search: refitted best model, validation accuracy")
	add("POneGridSupportVectors", itoa(d.Grid.NSupportTotal), "grid search: refitted best model, support vectors")
	add("POneGaborTrainSize", itoa(d.Gabor.NTrain), "Gabor: training images")
	add("POneGaborValSize", itoa(d.Gabor.NVal), "Gabor: validation images")
	add("POneGaborFeatures", itoa(d.Gabor.NFeatures), "Gabor: features per image (filters x 14x14)")
	add("POneGaborComponents", itoa(d.Gabor.Components), "Gabor: PCA components")
	add("POneGaborExplainedVariance", num(d.Gabor.ExplainedVarianceRatioSum), "Gabor: PCA explained variance ratio, summed")
	add("POneGaborBestC", strconv.FormatFloat(d.Gabor.BestC, 'g', -1, 64), "Gabor: C of the best SVC")
	add("POneGaborValAcc", num(d.Gabor.BestValAccuracy), "Gabor: best validation accuracy")

	add("PThreeTrainSize", itoa(d.Self.NTrain), "Problem 3 training subset: images")
	add("PThreeValSize", itoa(d.Self.NVal), "Problem 3 validation subset: images")
	add("PThreeUpdates", itoa(d.Self.Iterations), "SGD updates")
	add("PThreeBatch", itoa(d.Self.Batch), "batch size")
	add("PThreeLR", strconv.FormatFloat(d.Self.LR, 'g', -1, 64), "learning rate")
	add("PThreeValEvery", itoa(d.Self.ValEvery), "updates between validation measurements")
	add("PThreeGradMaxErr", strconv.FormatFloat(d.GradCheck.MaxAbsErr, 'e', 1, 64), "gradient check: largest |analytic - finite difference|")
	add("PThreeGradTol", strconv.FormatFloat(d.GradCheck.Tol, 'e', 0, 64), "gradient check: tolerance")
	for _, n := range []struct {
		name, about string
		c           *results.Curves
	}{{"Self", "from-scratch network", d.Self}, {"Torch", "PyTorch network", d.Torch}} {
		c := n.c
		add("PThree"+n.name+"FinalTrainLoss", num(c.TrainLoss[len(c.TrainLoss)-1]), n.about+": training loss of the last update")
		add("PThree"+n.name+"FinalTrainErr", num(c.TrainError[len(c.TrainError)-1]), n.about+": training error of the last update")
		add("PThree"+n.name+"LastHundredTrainErr", num(c.FinalSums.Last100), n.about+": training error, mean of the last 100 updates")
		add("PThree"+n.name+"FinalValLoss", num(c.ValLoss[len(c.ValLoss)-1]), n.about+": last validation loss")
		add("PThree"+n.name+"FinalValErr", num(c.ValError[len(c.ValError)-1]), n.about+": last validation error")
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

// ResultsTeX renders results.tex.
func ResultsTeX(ms []Macro) string {
	var b strings.Builder
	b.WriteString("% results.tex: every number of the written report, made by hw1pipe's latex stage.\n" +
		"% \\input{results.tex} in the preamble, then write \\POneBaselineValAcc{} where the number goes.\n")
	for _, m := range ms {
		fmt.Fprintf(&b, "\\newcommand{\\%s}{%s} %% %s\n", m.Name, m.Value, m.About)
	}
	return b.String()
}

// GridTable renders grid.csv as a booktabs tabular: the searched
// params, mean and std of the cross-validation accuracy and the rank, the
// best candidate in bold.
func GridTable(rows [][]string, best int) (string, error) {
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
	b.WriteString(strings.Join(gridHead(params), " & ") + " \\\\\n\\midrule\n")
	for i, r := range rows[1:] {
		if len(r) != len(rows[0]) {
			return "", fmt.Errorf("grid.csv row %d has %d fields, header %d", i+2, len(r), len(rows[0]))
		}
		var cells []string
		for _, p := range params {
			cells = append(cells, Escape(r[col["param_"+p]]))
		}
		for _, h := range []string{"mean_test_score", "std_test_score"} {
			x, err := strconv.ParseFloat(r[col[h]], 64)
			if err != nil {
				return "", fmt.Errorf("grid.csv row %d %s: %w", i+2, h, err)
			}
			cells = append(cells, num(x))
		}
		cells = append(cells, Escape(r[col["rank_test_score"]]))
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

// gridHead is the grid tabular's header: the params in math where they
// are symbols, then the scores.
func gridHead(params []string) []string {
	var head []string
	for _, p := range params {
		switch p {
		case "C":
			head = append(head, "$C$")
		case "gamma":
			head = append(head, "$\\gamma$")
		default:
			head = append(head, Escape(p))
		}
	}
	return append(head, "mean CV accuracy", "std", "rank")
}

// ConfusionTable renders the confusion matrix, rows true labels and
// columns predicted ones, as scikit-learn's confusion_matrix orders them.
func ConfusionTable(c *results.Confusion) (string, error) {
	if err := c.Check(); err != nil {
		return "", err
	}
	k := len(c.Labels)
	var b strings.Builder
	b.WriteString("% confusion.tex: the baseline SVC's validation confusion matrix (rows true, columns predicted; booktabs).\n")
	fmt.Fprintf(&b, "\\begin{tabular}{r%s}\n\\toprule\n", strings.Repeat("r", k))
	fmt.Fprintf(&b, " & \\multicolumn{%d}{c}{predicted} \\\\\n\\cmidrule(l){2-%d}\ntrue", k, k+1)
	for _, l := range c.Labels {
		fmt.Fprintf(&b, " & %d", l)
	}
	b.WriteString(" \\\\\n\\midrule\n")
	for i, row := range c.Matrix {
		fmt.Fprintf(&b, "%d", c.Labels[i])
		for _, v := range row {
			fmt.Fprintf(&b, " & %d", v)
		}
		b.WriteString(" \\\\\n")
	}
	b.WriteString("\\bottomrule\n\\end{tabular}\n")
	return b.String(), nil
}

// NetworksTable compares the two networks with results.tex's macros,
// so it needs results.tex \input first.
func NetworksTable() string {
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

// Example is a complete document that uses every figure, table and
// macro of the pack: a starting point to copy into the course's template.
// names maps output keys to file names.
func Example(ms []Macro, names map[string]string) string {
	d := &exampleDoc{names: names, r: strings.NewReplacer(
		"{{results}}", names["results"], "{{grid}}", names["grid_table"], "{{confusion}}", names["confusion_table"],
		"{{networks}}", names["networks_table"],
	)}
	exampleProblem1(d)
	exampleProblem3(d, ms)
	return d.b.String()
}

// exampleDoc is example.tex being written: {{key}} placeholders in text
// become the pack's file names.
type exampleDoc struct {
	b     strings.Builder
	r     *strings.Replacer
	names map[string]string
}

func (d *exampleDoc) text(s string) { d.b.WriteString(d.r.Replace(s)) }

// fig includes the figure file of key.
func (d *exampleDoc) fig(key, width, caption string) {
	fmt.Fprintf(&d.b, "\\begin{figure}[htbp]\n\\centering\n\\includegraphics[width=%s]{%s}\n\\caption{%s}\n\\end{figure}\n",
		width, d.names[key], caption)
}

// exampleProblem1 is the preamble and Problem 1.
func exampleProblem1(d *exampleDoc) {
	d.text(`% example.tex: hw1pipe's LaTeX pack in use. Every figure, table and number of
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

`)
	d.fig("digit", "0.3\\linewidth", "(a) A training digit at $28\\times28$.")
	d.fig("digit_resized", "0.3\\linewidth", "(b) The same digit resized to $14\\times14$.")
	d.text(`The baseline SVC (rbf kernel, $C=1$, gamma='auto', that is
$\gamma=\POneBaselineGammaValue$) reaches a validation accuracy of
\POneBaselineValAcc{} (training accuracy \POneBaselineTrainAcc) with
\POneBaselineSupportVectors{} support vectors, a support-vector ratio of
\POneBaselineSupportRatio.

\begin{table}[htbp]
\centering
\input{{{confusion}}}
\caption{(f) Baseline SVC: validation confusion matrix.}
\end{table}

`)
	d.fig("confusion", "0.6\\linewidth", "(f) The same confusion matrix as a figure.")
	d.text(`The grid search (\POneGridCandidates{} candidates, \POneGridFolds-fold
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

`)
	d.fig("gabor_kernels", "0.7\\linewidth", "(h) An example Gabor kernel: real and imaginary parts.")
	d.fig("gabor_responses", "0.9\\linewidth", "(h) A digit, one filter of the bank and its response.")
	d.fig("gabor_pairs", "0.9\\linewidth", "(h) Kernel pairs of the filter bank.")
}

// exampleProblem3 is Problem 3 and the table of every macro.
func exampleProblem3(d *exampleDoc, ms []Macro) {
	d.text(`\clearpage
\section*{Problem 3}
Training subset \PThreeTrainSize{} images, validation \PThreeValSize{};
SGD with learning rate \PThreeLR, batches of \PThreeBatch, \PThreeUpdates{}
updates, validation every \PThreeValEvery{} updates. The gradient check's
largest error is \PThreeGradMaxErr{} (tolerance \PThreeGradTol).

`)
	d.fig("samples", "0.8\\linewidth", "(a) Sample training images.")
	d.fig("self_training", "0.8\\linewidth", "(b) From-scratch network: training loss and error of every update.")
	d.fig("self_validation", "0.8\\linewidth", "(c) From-scratch network: validation loss and error.")
	d.fig("torch_training", "0.8\\linewidth", "(d) PyTorch network: training loss and error of every update.")
	d.fig("torch_validation", "0.8\\linewidth", "(d) PyTorch network: validation loss and error.")
	d.fig("compare", "0.9\\linewidth", "(d) Both networks.")
	d.text(`The from-scratch network ends at a validation error of \PThreeSelfFinalValErr,
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
`)
	for _, m := range ms {
		fmt.Fprintf(&d.b, "\\verb|\\%s| & \\%s \\\\\n", m.Name, m.Name)
	}
	d.b.WriteString("\\bottomrule\n\\end{tabular}\n\n\\end{document}\n")
}

// Escape escapes TeX's special characters in plain text.
func Escape(s string) string {
	return strings.NewReplacer(`\`, `\textbackslash{}`, `{`, `\{`, `}`, `\}`, `$`, `\$`, `&`, `\&`,
		`#`, `\#`, `^`, `\^{}`, `_`, `\_`, `~`, `\~{}`, `%`, `\%`).Replace(s)
}
