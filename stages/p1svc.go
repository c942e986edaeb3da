package stages

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"gonum.org/v1/gonum/mat"

	"hw1pipe/figures"
	"hw1pipe/pipeline"
	"hw1pipe/results"
	"hw1pipe/svm"
)

// p1svcVersion is hashed into the stage's fingerprint; bump it when the
// written files would change.
const p1svcVersion = "1"

// P1SVCParams configures the p1svc kind: one C-SVC fitted on the training
// split and scored on the validation split (Problem 1e–f). Names and
// meanings are scikit-learn's SVC's.
type P1SVCParams struct {
	// C is the box constraint. Default 1.0.
	C float64 `yaml:"C"`
	// Kernel is "rbf", "linear", "poly" or "sigmoid". Default "rbf".
	Kernel string `yaml:"kernel"`
	// Gamma is "scale", "auto" or a positive number. Default "auto", as
	// the assignment's baseline asks (1/n_features; on 0..255 pixels this
	// collapses the accuracy: the pitfall in docs/homework.md#the-gamma-auto-pitfall).
	Gamma string `yaml:"gamma"`
}

func defaultP1SVCParams() *P1SVCParams {
	return &P1SVCParams{C: 1, Kernel: "rbf", Gamma: "auto"}
}

// Validate checks C, kernel and gamma as svm.Fit would take them.
func (p *P1SVCParams) Validate() error {
	_, err := svmParams(p.C, "C", p.Kernel, p.Gamma)
	return err
}

func p1svcKind() pipeline.Kind {
	return pipeline.NewKind(pipeline.Kind{
		Name:    "p1svc",
		Version: p1svcVersion,
		Doc:     "fit one C-SVC on x_train, score x_val: accuracy, support vectors, 10x10 confusion matrix (json + png)",
		Inputs:  []string{"x_train", "y_train", "x_val", "y_val"},
		Outputs: []string{"metrics", "confusion", "confusion_png"},
	}, defaultP1SVCParams, runP1SVC)
}

// p1ReadSplits reads the four arrays written by p1data and checks their
// shapes agree.
func p1ReadSplits(env *pipeline.Env) (xTr *mat.Dense, yTr []int64, xVa *mat.Dense, yVa []int64, err error) {
	if xTr, yTr, err = readXY(env.Input("x_train"), env.Input("y_train")); err != nil {
		return
	}
	if xVa, yVa, err = readXY(env.Input("x_val"), env.Input("y_val")); err != nil {
		return
	}
	_, d1 := xTr.Dims()
	if _, d2 := xVa.Dims(); d1 != d2 {
		err = fmt.Errorf("x_train has %d features but x_val has %d", d1, d2)
	}
	return
}

// svmParams turns the yaml spellings into svm.Params. Its error joins a
// *pipeline.ParamError for each of kernel, gamma and C (named cName) that
// is wrong.
func svmParams(c float64, cName, kernel, gamma string) (svm.Params, error) {
	var errs []error
	k, err := svm.ParseKernel(kernel)
	if err != nil {
		errs = append(errs, &pipeline.ParamError{Param: "kernel", Err: err})
	}
	g, err := svm.ParseGamma(gamma)
	if err != nil {
		errs = append(errs, &pipeline.ParamError{Param: "gamma", Err: err})
	}
	if !(c > 0) {
		errs = append(errs, pipeline.ParamErrorf(cName, "want a positive number, got %v", c))
	}
	return svm.Params{C: c, Kernel: k, Gamma: g}, errors.Join(errs...)
}

// confusion returns the confusion matrix over the sorted union of the
// labels in yTrue and yPred, as confusion_matrix(yTrue, yPred) does.
func confusion(yTrue, yPred []int64) *results.Confusion {
	labels := slices.Concat(yTrue, yPred)
	slices.Sort(labels)
	labels = slices.Compact(labels)
	return &results.Confusion{Labels: labels, Matrix: svm.ConfusionMatrix(labels, yTrue, yPred)}
}

// confusionFigure draws a confusion matrix with one annotated cell per
// count.
func confusionFigure(title string, c *results.Confusion) figures.Heatmap {
	k := len(c.Labels)
	vals := make([]float64, 0, k*k)
	for _, row := range c.Matrix {
		for _, v := range row {
			vals = append(vals, float64(v))
		}
	}
	names := make([]string, k)
	for i, l := range c.Labels {
		names[i] = strconv.FormatInt(l, 10)
	}
	return figures.Heatmap{
		Title: title, XLabel: "predicted", YLabel: "true",
		Rows: k, Cols: k, Values: vals, RowLabels: names, ColLabels: names, Format: "%.0f",
	}
}

func runP1SVC(ctx context.Context, env *pipeline.Env, p *P1SVCParams) error {
	sp, err := svmParams(p.C, "C", p.Kernel, p.Gamma)
	if err != nil {
		return err
	}
	xTr, yTr, xVa, yVa, err := p1ReadSplits(env)
	if err != nil {
		return err
	}
	n, d := xTr.Dims()
	nVal, _ := xVa.Dims()
	env.Progress(0.05, fmt.Sprintf("fitting SVC(C=%g, kernel=%s, gamma=%s) on %dx%d", p.C, p.Kernel, p.Gamma, n, d))

	start := time.Now()
	m, err := svm.Fit(xTr, yTr, sp)
	if err != nil {
		return fmt.Errorf("fit SVC: %w", err)
	}
	fitSec := time.Since(start).Seconds()
	if err := ctx.Err(); err != nil {
		return err
	}
	env.Progress(0.6, fmt.Sprintf("fitted in %.1fs: %d support vectors, gamma %g", fitSec, len(m.Support), m.Gamma))

	start = time.Now()
	predVa := m.Predict(xVa)
	predTr := m.Predict(xTr)
	predSec := time.Since(start).Seconds()

	met := results.SVCMetrics{
		C: p.C, Kernel: p.Kernel, Gamma: p.Gamma, GammaValue: m.Gamma,
		NTrain: n, NVal: nVal, NFeatures: d, Classes: m.Classes,
		ValAccuracy: svm.Accuracy(yVa, predVa), TrainAccuracy: svm.Accuracy(yTr, predTr),
		NSupport: m.NSupport, NSupportTotal: len(m.Support),
		SupportRatio: float64(len(m.Support)) / float64(n),
		NIter:        m.NIter, Status: m.Status.String(),
		FitSeconds: fitSec, PredictSeconds: predSec,
	}
	cm := confusion(yVa, predVa)
	if err := writeResults(env.Output("metrics"), &met); err != nil {
		return err
	}
	if err := writeResults(env.Output("confusion"), cm); err != nil {
		return err
	}
	title := fmt.Sprintf("SVC(C=%g, %s, gamma=%s): validation accuracy %.4f", p.C, p.Kernel, p.Gamma, met.ValAccuracy)
	if err := writePNG(env.Output("confusion_png"), confusionFigure(title, cm)); err != nil {
		return err
	}
	env.Progress(1, fmt.Sprintf("validation accuracy %.4f, %d/%d support vectors", met.ValAccuracy, met.NSupportTotal, n))
	return nil
}
