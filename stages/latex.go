package stages

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"hw1pipe/pipeline"
	"hw1pipe/report/latex"
	"hw1pipe/results"
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
var latexChartKeys = []string{"confusion", "self_training", "self_validation", "torch_training", "torch_validation", "compare"}

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
		latexImages...), latexChartKeys...)
}

// latexRead reads the results the pack reports; errors name the input.
func latexRead(env *pipeline.Env) (*latex.Inputs, error) {
	var in latex.Inputs
	var err error
	read := func(key string, dst func(string) error) {
		if err == nil {
			if err = dst(env.Input(key)); err != nil {
				err = fmt.Errorf("input %s: %w", key, err)
			}
		}
	}
	read("baseline_metrics", func(p string) (e error) { in.Baseline, e = results.Read[results.SVCMetrics](p); return })
	read("baseline_confusion", func(p string) (e error) { in.Confusion, e = results.Read[results.Confusion](p); return })
	read("grid_results", func(p string) (e error) { in.Grid, e = results.Read[results.Grid](p); return })
	read("gabor_results", func(p string) (e error) { in.Gabor, e = results.Read[results.GaborSVM](p); return })
	read("gradcheck", func(p string) (e error) { in.GradCheck, e = results.Read[results.GradCheck](p); return })
	read("self_curves", func(p string) (e error) { in.Self, e = results.Read[results.Curves](p); return })
	read("torch_curves", func(p string) (e error) { in.Torch, e = results.Read[results.Curves](p); return })
	read("grid_csv", func(p string) error {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		in.GridRows, err = csv.NewReader(f).ReadAll()
		return err
	})
	return &in, err
}

func runLatex(ctx context.Context, env *pipeline.Env) error {
	in, err := latexRead(env)
	if err != nil {
		return err
	}
	env.Progress(0.1, "numbers and tables")
	names := map[string]string{}
	for _, k := range latexOutputs() {
		names[k] = filepath.Base(env.Output(k))
	}
	texts, err := latex.Pack(in, names)
	if err != nil {
		return err
	}
	for k, s := range texts {
		if err := writeText(env.Output(k), s); err != nil {
			return err
		}
	}
	if err := latexCopyImages(env); err != nil {
		return err
	}
	env.Progress(0.3, "vector charts")
	return latexCharts(ctx, env, in, names)
}

// latexCopyImages copies the image figures as they are.
func latexCopyImages(env *pipeline.Env) error {
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
	return nil
}

// pdfWriter is what the figures charts offer for vector output.
type pdfWriter interface{ WritePDF(io.Writer) error }

// latexCharts draws the charts again as vector PDF.
func latexCharts(ctx context.Context, env *pipeline.Env, in *latex.Inputs, names map[string]string) error {
	s, t := in.Self, in.Torch
	charts := map[string]pdfWriter{
		"confusion":        confusionFigure("Baseline SVC: validation confusion matrix", in.Confusion),
		"self_training":    p3TrainingFigure(p3SelfTrainingTitle, s.TrainLoss, s.TrainError),
		"self_validation":  p3ValidationFigure(p3SelfValidationTitle, s.TrainLoss, s.TrainError, s.ValSteps, s.ValLoss, s.ValError),
		"torch_training":   p3TrainingFigure(p3TorchTrainingTitle, t.TrainLoss, t.TrainError),
		"torch_validation": p3ValidationFigure(p3TorchValidationTitle, t.TrainLoss, t.TrainError, t.ValSteps, t.ValLoss, t.ValError),
		"compare":          p3CompareFigure(s, t),
	}
	for i, k := range latexChartKeys {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := writeOutput(env.Output(k), charts[k].WritePDF); err != nil {
			return fmt.Errorf("chart %s: %w", k, err)
		}
		env.Progress(0.3+0.7*float64(i+1)/float64(len(latexChartKeys)), "drew "+names[k])
	}
	return nil
}
