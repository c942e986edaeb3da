package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"hw1pipe/bundle"
	"hw1pipe/pipeline"
	"hw1pipe/report"
	"hw1pipe/results"
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
	a.submitTable(p, res)
	rep, err := verify.Dir(a.ctx, *out, &vo)
	if err != nil {
		return err
	}
	fmt.Fprintln(a.stdout)
	printVerify(a.stdout, rep)
	return rep.Err()
}

// submitTable prints each deliverable with its size and the key numbers
// its own stage wrote beside it.
func (a *app) submitTable(p *pipeline.Pipeline, res *bundle.Result) {
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
	curves := map[string]*results.Curves{} // by path: one network's curves serve five rows
	for _, f := range res.Deliverables {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.Path, size(f.Size), f.Stage, keyNumbers(p, f, curves))
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

// keyNumbers reads a deliverable's key numbers from the results file its
// stage wrote beside it: the grid search's summary (output "results") for
// the pickled search, the network's curves (output "curves") for Problem
// 3's files. Which numbers depends on the output the deliverable is, as
// the kind declares it, never on its file name.
func keyNumbers(p *pipeline.Pipeline, f bundle.File, curves map[string]*results.Curves) string {
	st, ok := p.Stage(f.Stage)
	if !ok {
		return "-"
	}
	path := func(key string) string {
		for _, o := range st.Outputs {
			if o.Key == key {
				return o.Path
			}
		}
		return ""
	}
	if f.Output == "model" {
		g, err := results.Read[results.Grid](path("results"))
		if err != nil {
			return "-"
		}
		return fmt.Sprintf("val acc %.4g, best %s, CV acc %.4g", g.ValAccuracy, g.BestParams, g.BestCVScore)
	}
	cp := path("curves")
	c, ok := curves[cp]
	if !ok {
		c, _ = results.Read[results.Curves](cp) // nil when unreadable: no numbers
		curves[cp] = c
	}
	if c == nil {
		return "-"
	}
	final := func(x []float64) string {
		if len(x) == 0 {
			return "-"
		}
		return fmt.Sprintf("%.4g", x[len(x)-1])
	}
	switch f.Output {
	case "train_loss":
		return "final " + final(c.TrainLoss)
	case "train_error":
		return fmt.Sprintf("final %s, mean of last 100 %.4g", final(c.TrainError), results.MeanLast100(c.TrainError))
	case "val_loss":
		return "final " + final(c.ValLoss)
	case "val_error":
		return "final " + final(c.ValError)
	}
	return "final val error " + final(c.ValError)
}
