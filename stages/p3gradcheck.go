package stages

import (
	"context"
	"fmt"

	"hw1pipe/artifacts/npy"
	"hw1pipe/nn"
	"hw1pipe/numpyrand"
	"hw1pipe/pipeline"
	"hw1pipe/results"
)

// p3gradcheckVersion is hashed into the stage's fingerprint; bump it when
// the written report would change.
const p3gradcheckVersion = "1"

// P3GradCheckParams configures the p3gradcheck kind (Problem 3e,
// docs/homework.md#problem-3-gradient-checks): nn.GradCheck on one training sample (batch size 1).
type P3GradCheckParams struct {
	// Entries is how many random entries of W, b and h are checked per
	// output index; the homework asks for at least 10. Default 10.
	Entries int `yaml:"entries"`
	// Outputs is how many output indices k are checked; the homework
	// asks for at least 5. Default 5.
	Outputs int `yaml:"outputs"`
	// Epsilon is the standard deviation of the Gaussian perturbation of
	// each checked entry. Default 1e-4 (see nn.GradCheckConfig.Sigma).
	Epsilon float64 `yaml:"epsilon"`
	// Tol is the largest acceptable absolute error; above it the stage
	// fails. Default 1e-6, the homework's bound.
	Tol float64 `yaml:"tol"`
	// Init is the initialisation of the checked net's weights, "uniform"
	// or "gaussian" (nn.ParseInit), drawn from numpy's stream seeded with
	// Seed as p3train draws them. Default "uniform".
	Init string `yaml:"init"`
	// Seed seeds the weights (above) and, separately, the choice of the
	// output indices, entries and perturbations. Default 20.
	Seed uint32 `yaml:"seed"`
	// Sample is the position in the training subset of the sample that
	// is checked. Default 0.
	Sample int `yaml:"sample"`
}

func defaultP3GradCheckParams() *P3GradCheckParams {
	return &P3GradCheckParams{Entries: 10, Outputs: 5, Epsilon: 1e-4, Tol: 1e-6, Init: "uniform", Seed: 20}
}

// Validate checks the values that need no data; sample is checked
// against the subset's size when the stage runs.
func (p *P3GradCheckParams) Validate() error {
	var c paramChecks
	_, err := nn.ParseInit(p.Init)
	c.check(err == nil, "init", "%v", err)
	c.check(p.Entries >= 10, "entries", "the homework checks at least 10 entries per output, got %d", p.Entries)
	c.check(p.Outputs >= 5, "outputs", "the homework checks at least 5 outputs, got %d", p.Outputs)
	c.check(p.Epsilon > 0, "epsilon", "want a positive perturbation scale, got %v", p.Epsilon)
	c.check(p.Tol > 0, "tol", "want a positive tolerance, got %v", p.Tol)
	c.check(p.Sample >= 0, "sample", "want an index (0 or more), got %d", p.Sample)
	return c.err()
}

func p3gradcheckKind() pipeline.Kind {
	return pipeline.NewKind(pipeline.Kind{
		Name:    "p3gradcheck",
		Version: p3gradcheckVersion,
		Doc:     "finite-difference check of the from-scratch layers' dW, db, dh on one sample; fails above tol (1e-6)",
		Inputs:  []string{"train_images", "train_labels", "test_images", "test_labels", "train_idx", "val_idx"},
		Outputs: []string{"report"},
	}, defaultP3GradCheckParams, runP3GradCheck)
}

func runP3GradCheck(ctx context.Context, env *pipeline.Env, p *P3GradCheckParams) error {
	init, err := nn.ParseInit(p.Init)
	if err != nil {
		return fmt.Errorf("param init: %w", err)
	}
	one, src, err := p3LoadSample(env, p.Sample)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	env.Progress(0.5, fmt.Sprintf("checking sample %d (train #%d)", p.Sample, src))

	net := nn.NewNet(one.Features(), p3Classes)
	nn.Initialize(net.L, init, numpyrand.New(p.Seed))
	x := one.Row(0)
	rep, checkErr := nn.GradCheck(net, x, one.Y[0], nn.GradCheckConfig{
		Entries: p.Entries, Outputs: p.Outputs, Sigma: p.Epsilon, Tol: p.Tol, Seed: p.Seed,
	})
	if checkErr != nil {
		return fmt.Errorf("sample %d (train #%d): %w", p.Sample, src, checkErr)
	}
	out := results.GradCheck{
		Init: p.Init, Seed: p.Seed, Epsilon: p.Epsilon, Tol: p.Tol,
		Sample: p.Sample, Source: src, Label: one.Y[0],
		MaxAbsErr: rep.MaxAbsErr, MaxAbsErrBy: map[string]float64{},
		Entries: make([]results.GradEntry, len(rep.Entries)),
	}
	for i, e := range rep.Entries {
		out.Entries[i] = results.GradEntry(e)
		key := e.Layer + "/" + e.Param
		out.MaxAbsErrBy[key] = max(out.MaxAbsErrBy[key], e.AbsErr)
	}
	if err := writeResults(env.Output("report"), &out); err != nil {
		return err
	}
	env.Progress(1, fmt.Sprintf("%d derivatives checked, max |error| %.3g <= %g", len(rep.Entries), rep.MaxAbsErr, p.Tol))
	return nil
}

// p3LoadSample builds the dataset of the one training sample at position
// pos of the subset; src is its MNIST index. It reads the training labels
// and subset index whole and checks them as p3LoadSets does, but only
// that image's row of the images file (47 MB, most of the stage's time
// when read whole). The validation inputs are declared, so they count
// for staleness, but the check does not read them.
func p3LoadSample(env *pipeline.Env, pos int) (one nn.Dataset, src int, err error) {
	imgPath, labPath := env.Input("train_images"), env.Input("train_labels")
	lab, err := readLabels(labPath)
	if err != nil {
		return nn.Dataset{}, 0, err
	}
	idx, err := p3ReadIndex(env.Input("train_idx"), len(lab))
	if err != nil {
		return nn.Dataset{}, 0, err
	}
	if pos < 0 || pos >= len(idx) {
		return nn.Dataset{}, 0, pipeline.ParamErrorf("sample", "the training subset has %d images, got %d", len(idx), pos)
	}
	src = idx[pos]
	if v := lab[src]; v < 0 || v >= p3Classes {
		return nn.Dataset{}, 0, fmt.Errorf("read %s: label %d of sample %d is not a digit", labPath, v, src)
	}
	row, shape, err := npy.ReadRowsFile(imgPath, src, 1)
	if err != nil {
		return nn.Dataset{}, 0, err // names the path
	}
	if row.Dtype != npy.Uint8 || len(shape) != 2 || shape[1] != p3Pixels || shape[0] != len(lab) {
		return nn.Dataset{}, 0, fmt.Errorf("read %s: want %d uint8 images of %d pixels (one per label in %s), got %s %v",
			imgPath, len(lab), p3Pixels, labPath, row.Dtype, shape)
	}
	if one, err = nn.NewDataset(row.Data.([]uint8), []byte{byte(lab[src])}, p3Pixels, []int{0}); err != nil {
		return nn.Dataset{}, 0, fmt.Errorf("select %s from %s: %w", env.Input("train_idx"), imgPath, err)
	}
	return one, src, nil
}
