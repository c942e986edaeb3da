package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"hw1pipe/bundle"
	"hw1pipe/report"
	"hw1pipe/verify"
)

func (a *app) submitCmd(args []string) error {
	fs := a.flags("submit", "")
	var cf configFlags
	cf.register(fs, true)
	out := fs.String("out", "submit", "the submission `folder`")
	var vo verify.Options
	fs.BoolVar(&vo.NoPython, "no-python", false, "skip verify's Python loader checks")
	noPDF := fs.Bool("no-pdf", false, "do not print report/report.pdf (it needs Chromium)")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usageError("submit takes no arguments (run `hw1pipe run` first)")
	}
	p, err := a.load(&cf)
	if err != nil {
		return err
	}
	// A run renaming outputs while they are copied would mix two runs'
	// files in one submission.
	release, err := p.Hold(a.ctx)
	if err != nil {
		return err
	}
	defer release()
	bo := &bundle.Options{Out: *out}
	if !*noPDF {
		chromium, err := report.FindChromium()
		if err != nil {
			return fmt.Errorf("%w; or pass --no-pdf to skip report/report.pdf", err)
		}
		bo.PrintPDF = func(ctx context.Context, page string) ([]byte, error) {
			return report.PrintPDF(ctx, chromium, page)
		}
	}
	res, err := bundle.Write(a.ctx, p, bo)
	if err != nil {
		return err
	}
	a.submitTable(res)
	rep, err := verify.Dir(a.ctx, *out, &vo)
	if err != nil {
		return err
	}
	fmt.Fprintln(a.stdout)
	printVerify(a.stdout, rep)
	return rep.Err()
}

// submitTable prints each deliverable with its size and key numbers read
// from the report's results.json.
func (a *app) submitTable(res *bundle.Result) {
	var rr *report.Results
	if b, err := os.ReadFile(filepath.Join(res.Out, bundle.ReportDir, "results.json")); err == nil {
		var r report.Results
		if json.Unmarshal(b, &r) == nil {
			rr = &r
		}
	}
	fmt.Fprintf(a.stdout, "%s: %d file(s) written, %d unchanged, %d removed\n", res.Out,
		len(res.Written), len(res.Manifest.Files)+1-len(res.Written), len(res.Removed))
	switch res.PDF {
	case "printed":
		fmt.Fprintf(a.stdout, "%s/%s: printed with headless Chromium\n", bundle.ReportDir, bundle.PDFName)
	case "kept":
		fmt.Fprintf(a.stdout, "%s/%s: the page is unchanged, PDF kept\n", bundle.ReportDir, bundle.PDFName)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DELIVERABLE\tSIZE\tSTAGE\tKEY NUMBERS")
	numbers := deliverableNumbers()
	for _, f := range res.Deliverables {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.Path, size(f.Size), f.Stage, keyNumbers(rr, numbers[f.Path]))
	}
	for _, m := range res.Missing {
		fmt.Fprintf(tw, "%s\t-\t-\tMISSING: no stage writes it\n", m)
	}
	// The LaTeX pack is many small files: one line for all.
	latex := bundle.ReportDir + "/" + bundle.LatexDir + "/"
	var latexN int
	var latexSize int64
	for _, f := range res.Manifest.Files {
		if strings.HasPrefix(f.Path, latex) {
			latexN++
			latexSize += f.Size
			continue
		}
		if strings.HasSuffix(f.Path, ".zip") || strings.HasPrefix(f.Path, bundle.ReportDir+"/") {
			stage := f.Stage
			if stage == "" {
				stage = "-"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t-\n", f.Path, size(f.Size), stage)
		}
	}
	if latexN > 0 {
		fmt.Fprintf(tw, "%s\t%s\t-\t%d files: figures, results.tex, tables, example.tex\n", latex, size(latexSize), latexN)
	}
	tw.Flush()
}

func size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// highlightRef is one number of report/results.json: its label in the
// table and where the report put it.
type highlightRef struct{ label, section, input, key string }

// deliverableNumbers maps each deliverable, by its path in the submission
// folder (the role its kind declares), to the report numbers it carries.
func deliverableNumbers() map[string][]highlightRef {
	m := map[string][]highlightRef{
		"problem1/grid_search_svm.pkl": {
			{"val acc", "p1g", "grid_results", "val_accuracy"}, {"best", "p1g", "grid_results", "best_params"},
			{"CV acc", "p1g", "grid_results", "best_cv_score"}, {"baseline val acc", "p1f", "baseline_metrics", "val_accuracy"}},
		"problem3/linear.h5":              {{"final val error", "p3d", "self_curves", "final_val_error"}},
		"problem3/pytorch_nn_weights.pth": {{"final val error", "p3d", "torch_curves", "final_val_error"}},
	}
	for _, net := range []struct{ file, input string }{{"self_NN", "self_curves"}, {"pytorch_NN", "torch_curves"}} {
		for _, split := range []struct{ file, key string }{{"training", "train"}, {"validation", "val"}} {
			for _, what := range []string{"loss", "error"} {
				key := split.key + "_" + what
				refs := []highlightRef{{"final", "p3d", net.input, "final_" + key}}
				if key == "train_error" {
					refs = append(refs, highlightRef{"mean of last 100", "p3d", net.input, "mean_last_100_train_error"})
				}
				m["problem3/"+net.file+"_"+split.file+"_"+what+".pkl"] = refs
			}
		}
	}
	return m
}

// keyNumbers lists the report numbers a deliverable carries.
func keyNumbers(rr *report.Results, refs []highlightRef) string {
	if rr == nil {
		return "(no report/results.json)"
	}
	var parts []string
	for _, r := range refs {
		if v, ok := rr.Highlight(r.section, r.input, r.key); ok {
			parts = append(parts, r.label+" "+num(v))
		}
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}

// num shows a number to four significant digits and anything else (the
// best params) as JSON.
func num(v any) string {
	switch x := v.(type) {
	case float64:
		return fmt.Sprintf("%.4g", x)
	case string:
		return x
	}
	b, _ := json.Marshal(v)
	return string(b)
}
