package stages

import (
	"context"
	"fmt"
	"hw1pipe/artifacts/npy"

	"hw1pipe/nn"
	"hw1pipe/numpyrand"
	"hw1pipe/pipeline"
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

func p3gradcheckKind() pipeline.Kind {
	return pipeline.Kind{
		Name:    "p3gradcheck",
		Version: p3gradcheckVersion,
		Doc:     "finite-difference check of the from-scratch layers' dW, db, dh on one sample; fails above tol (1e-6)",
		Inputs:  []string{"train_images", "train_labels", "test_images", "test_labels", "train_idx", "val_idx"},
		Outputs: []string{"report"},
		NewParams: func() any {
			return defaultP3GradCheckParams()
		},
		Run: runP3GradCheck,
	}
}

// P3GradCheckReport is the content of gradcheck.json.
type P3GradCheckReport struct {
	Init    string  `json:"init"`
	Seed    uint32  `json:"seed"`
	Epsilon float64 `json:"epsilon"`
	Tol     float64 `json:"tol"`
	// Sample is the checked sample's position in the training subset,
	// Source its index in the MNIST training set, Label its digit.
	Sample int `json:"sample"`
	Source int `json:"source"`
	Label  int `json:"label"`
	// MaxAbsErr is the largest AbsErr of all entries; MaxAbsErrBy the
	// largest per "layer/param" ("linear/W", "relu/h", "net/b" ...).
	MaxAbsErr   float64            `json:"max_abs_err"`
	MaxAbsErrBy map[string]float64 `json:"max_abs_err_by"`
	// Entries lists every checked derivative (nn.GradEntry).
	Entries []P3GradEntry `json:"entries"`
}

// P3GradEntry is nn.GradEntry with JSON names.
type P3GradEntry struct {
	Layer    string  `json:"layer"`
	Param    string  `json:"param"`
	Index    int     `json:"index"`
	K        int     `json:"k"`
	Eps      float64 `json:"eps"`
	Analytic float64 `json:"analytic"`
	Numeric  float64 `json:"numeric"`
	AbsErr   float64 `json:"abs_err"`
}

func runP3GradCheck(ctx context.Context, env *pipeline.Env) error {
	p, _ := env.Params.(*P3GradCheckParams)
	if p == nil {
		p = defaultP3GradCheckParams()
	}
	init, err := nn.ParseInit(p.Init)
	switch {
	case err != nil:
		return fmt.Errorf("param init: %w", err)
	case p.Entries < 10:
		return fmt.Errorf("param entries = %d: the homework checks at least 10 entries per output", p.Entries)
	case p.Outputs < 5:
		return fmt.Errorf("param outputs = %d: the homework checks at least 5 outputs", p.Outputs)
	case !(p.Epsilon > 0):
		return fmt.Errorf("param epsilon = %v: want a positive perturbation scale", p.Epsilon)
	case !(p.Tol > 0):
		return fmt.Errorf("param tol = %v: want a positive tolerance", p.Tol)
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
	out := P3GradCheckReport{
		Init: p.Init, Seed: p.Seed, Epsilon: p.Epsilon, Tol: p.Tol,
		Sample: p.Sample, Source: src, Label: one.Y[0],
		MaxAbsErr: rep.MaxAbsErr, MaxAbsErrBy: map[string]float64{},
		Entries: make([]P3GradEntry, len(rep.Entries)),
	}
	for i, e := range rep.Entries {
		out.Entries[i] = P3GradEntry(e)
		key := e.Layer + "/" + e.Param
		out.MaxAbsErrBy[key] = max(out.MaxAbsErrBy[key], e.AbsErr)
	}
	if err := writeJSON(env.Output("report"), out); err != nil {
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
		return nn.Dataset{}, 0, fmt.Errorf("param sample = %d: the training subset has %d images", pos, len(idx))
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
