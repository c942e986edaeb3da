package stages

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"hw1pipe/artifacts/h5"
	"hw1pipe/nn"
	"hw1pipe/pipeline"
	"hw1pipe/results"
)

// p3trainVersion is hashed into the stage's fingerprint; bump it when the
// written files would change.
const p3trainVersion = "2"

// p3Smooth is the moving-average window drawn over per-update curves.
const p3Smooth = 100

// P3TrainParams configures the p3train kind (Problem 3f–g, docs/homework.md#problem-3-training-and-validation):
// SGD on the from-scratch network (nn.Train).
type P3TrainParams struct {
	// LR is the SGD step size. Default 0.1.
	LR float64 `yaml:"lr"`
	// Iterations is the number of SGD updates. Default 10000.
	Iterations int `yaml:"iterations"`
	// Batch is the training and validation batch size. Default 64.
	Batch int `yaml:"batch"`
	// ValEvery: the validation set is measured after 0, ValEvery,
	// 2·ValEvery, … ≤ Iterations updates (11 values by default).
	// Default 1000.
	ValEvery int `yaml:"val_every"`
	// Init is "uniform" (U[0,1), as the assignment says) or "gaussian"
	// (the starter code's normalised Gaussians). Default "uniform".
	Init string `yaml:"init"`
	// Seed seeds numpy's stream for the initial weights and then one
	// permutation per pass over the training set. Default 20.
	Seed uint32 `yaml:"seed"`
}

func defaultP3TrainParams() *P3TrainParams {
	return &P3TrainParams{LR: 0.1, Iterations: 10000, Batch: 64, ValEvery: 1000, Init: "uniform", Seed: 20}
}

// Validate checks the values that need no data.
func (p *P3TrainParams) Validate() error {
	var c paramChecks
	_, err := nn.ParseInit(p.Init)
	c.check(err == nil, "init", "%v", err)
	c.check(p.LR > 0 && !math.IsInf(p.LR, 0), "lr", "want a positive step size, got %v", p.LR)
	c.check(p.Iterations >= 1, "iterations", "want at least 1, got %d", p.Iterations)
	c.check(p.Batch >= 1, "batch", "want at least 1, got %d", p.Batch)
	c.check(p.ValEvery >= 1, "val_every", "want at least 1, got %d", p.ValEvery)
	return c.err()
}

// p3LinearWriter writes linear.h5; built says whether it can. Tests
// replace the production one (package h5, which needs the hdf5 build
// tag).
type p3LinearWriter struct {
	built bool
	write func(path string, w []float64, rows, cols int, b []float64) error
}

var p3H5 = p3LinearWriter{built: h5.Built, write: h5.WriteLinear}

// errP3NoHDF5 explains what to do when linear.h5 cannot be written.
var errP3NoHDF5 = errors.New("linear.h5 needs libhdf5, but this hw1pipe was built without it: " +
	"build with `make build` (go build -tags hdf5 with CGO_CFLAGS=-I/usr/include/hdf5/serial " +
	"CGO_LDFLAGS=-L/usr/lib/x86_64-linux-gnu/hdf5/serial)")

func p3trainKind() pipeline.Kind { return newP3TrainKind(p3H5) }

func newP3TrainKind(lw p3LinearWriter) pipeline.Kind {
	return pipeline.NewKind(pipeline.Kind{
		Name:    "p3train",
		Version: p3trainVersion,
		Doc:     "SGD on the from-scratch Linear-ReLU-softmax net: loss/error pickles, linear.h5, curves, figures, batch order",
		Inputs:  []string{"train_images", "train_labels", "test_images", "test_labels", "train_idx", "val_idx"},
		Outputs: []string{
			"train_loss", "train_error", "val_loss", "val_error",
			"linear", "curves", "training_plot", "validation_plot", "batches",
		},
		Deliverables: p3Deliverables("self_NN", "linear", "problem3/linear.h5"),
	}, defaultP3TrainParams, func(ctx context.Context, env *pipeline.Env, p *P3TrainParams) error {
		return runP3Train(ctx, env, p, lw)
	})
}

func p3Diag(d nn.Diagnostics) *results.Diag {
	dead := d.DeadUnits
	if dead == nil {
		dead = []int{}
	}
	return &results.Diag{
		LogitMean: d.LogitMean, LogitStd: d.LogitStd, LogitMin: d.LogitMin, LogitMax: d.LogitMax,
		MeanMaxProb: d.MeanMaxProb, DeadFraction: d.DeadFraction, DeadUnits: dead,
		Loss: d.Loss, Error: d.Err,
	}
}

func runP3Train(ctx context.Context, env *pipeline.Env, p *P3TrainParams, lw p3LinearWriter) error {
	init, err := nn.ParseInit(p.Init)
	if err != nil {
		return fmt.Errorf("param init: %w", err)
	}
	// Fail before the long part, not after it.
	if !lw.built {
		return errP3NoHDF5
	}
	sets, err := p3LoadSets(env)
	if err != nil {
		return err
	}
	env.Progress(0.05, fmt.Sprintf("training on %d images, validating on %d", sets.train.Len(), sets.val.Len()))

	cfg := p3TrainConfig(env, p, init)
	// The start's diagnostics need only the initial weights: make them on
	// the other core while training runs on one.
	initial := make(chan nn.Diagnostics, 1)
	go func() {
		w0, b0 := nn.InitialWeights(cfg, p3Pixels)
		initial <- nn.Diagnose(w0, b0, sets.train)
	}()
	start := time.Now()
	res, err := nn.Train(ctx, sets.train, sets.val, cfg)
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	elapsed := time.Since(start)
	if err := p3CheckLosses(res, p.LR); err != nil {
		return err
	}

	// The figures need only the curves: draw them (a core for about half
	// a second) while the diagnostics and the other files are made.
	plotted := make(chan error, 1)
	go func() { plotted <- p3Plots(env, res) }()
	waitPlots := func() error {
		if plotted == nil {
			return nil
		}
		err := <-plotted
		plotted = nil
		return err
	}
	defer waitPlots() // never leave it writing after Run returns

	final := nn.Diagnose(res.W, res.B, sets.train)
	curves := p3TrainCurves(p, sets, res, <-initial, final)
	if err := p3WriteTrainOutputs(env, lw, res, sets.train.Len()); err != nil {
		return err
	}
	if err := writeResults(env.Output("curves"), &curves); err != nil {
		return err
	}
	env.Progress(0.95, "drawing curves")
	if err := waitPlots(); err != nil {
		return err
	}
	env.Progress(1, fmt.Sprintf("%d updates in %s: final training error %.4f (last 100 updates %.4f), validation error %.4f",
		p.Iterations, elapsed.Round(time.Millisecond), final.Err, curves.FinalSums.Last100, curves.FinalSums.Val))
	return nil
}

// p3TrainConfig is the training run's nn.Config, its progress forwarded to
// env.
func p3TrainConfig(env *pipeline.Env, p *P3TrainParams, init nn.Init) nn.Config {
	return nn.Config{
		LR: p.LR, Iterations: p.Iterations, BatchSize: p.Batch, ValInterval: p.ValEvery,
		Init: init, Seed: p.Seed,
		Progress: func(done, total int) {
			if done%100 == 0 || done == total {
				env.Progress(0.05+0.85*float64(done)/float64(total), fmt.Sprintf("update %d/%d", done, total))
			}
		},
	}
}

// p3TrainCurves is curves.json: the params, every measurement, and the
// diagnostics of the initial and the final weights.
func p3TrainCurves(p *P3TrainParams, sets *p3Sets, res *nn.Result, initial, final nn.Diagnostics) results.Curves {
	return results.Curves{
		LR: p.LR, Iterations: p.Iterations, Batch: p.Batch, ValEvery: p.ValEvery, Init: p.Init, Seed: uint64(p.Seed),
		NTrain: sets.train.Len(), NVal: sets.val.Len(), Passes: len(res.Perms),
		TrainLoss: res.TrainLoss, TrainError: res.TrainErr,
		ValSteps: res.ValSteps, ValLoss: res.ValLoss, ValError: res.ValErr,
		Initial: p3Diag(initial),
		Final:   p3Diag(final),
		FinalSums: results.FinalErrors{
			LastBatch: res.TrainErr[len(res.TrainErr)-1], Last100: results.MeanLast100(res.TrainErr),
			Train: final.Err, Val: res.ValErr[len(res.ValErr)-1],
		},
	}
}

// p3CheckLosses returns an error if a training or validation loss is not
// finite.
func p3CheckLosses(res *nn.Result, lr float64) error {
	for _, s := range [][]float64{res.TrainLoss, res.ValLoss} {
		for i, v := range s {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("training diverged: loss %v at measurement %d (try a smaller lr than %v)", v, i, lr)
			}
		}
	}
	return nil
}

// p3WriteTrainOutputs writes the four pickles, linear.h5 and batches.npy
// (the passes' permutations of the n training samples).
func p3WriteTrainOutputs(env *pipeline.Env, lw p3LinearWriter, res *nn.Result, n int) error {
	for _, o := range []struct {
		key  string
		vals []float64
	}{
		{"train_loss", res.TrainLoss}, {"train_error", res.TrainErr},
		{"val_loss", res.ValLoss}, {"val_error", res.ValErr},
	} {
		// A []float64 pickles as a Python list of floats.
		if err := writePickle(env.Output(o.key), o.vals); err != nil {
			return fmt.Errorf("write %s: %w", env.Output(o.key), err)
		}
	}
	if err := lw.write(env.Output("linear"), res.W, p3Classes, p3Pixels, res.B); err != nil {
		if errors.Is(err, h5.ErrNotBuilt) {
			return errP3NoHDF5
		}
		return fmt.Errorf("write %s: %w", env.Output("linear"), err)
	}
	perms := make([]int64, 0, len(res.Perms)*n)
	for _, pm := range res.Perms {
		for _, i := range pm {
			perms = append(perms, int64(i))
		}
	}
	return writeNPY(env.Output("batches"), []int{len(res.Perms), n}, perms)
}

// p3Plots draws training.png (loss and error of every update) and
// validation.png (the validation measurements over the training curves).
func p3Plots(env *pipeline.Env, res *nn.Result) error {
	return writePNGs(
		pngFile{env.Output("training_plot"), p3TrainingFigure(p3SelfTrainingTitle, res.TrainLoss, res.TrainErr)},
		pngFile{env.Output("validation_plot"), p3ValidationFigure(p3SelfValidationTitle,
			res.TrainLoss, res.TrainErr, res.ValSteps, res.ValLoss, res.ValErr)},
	)
}
