package stages

import (
	"context"
	"fmt"
	"sync"

	"hw1pipe/artifacts/npy"
	"hw1pipe/figures"
	"hw1pipe/nn"
	"hw1pipe/numpyrand"
	"hw1pipe/pipeline"
	"hw1pipe/results"
)

// p3dataVersion is hashed into the stage's fingerprint; bump it when the
// written files would change.
const p3dataVersion = "1"

// p3Classes is the number of MNIST digits, the width of the network's
// output.
const p3Classes = 10

// p3Pixels is the length of a flattened MNIST image.
const p3Pixels = p3Side * p3Side

// p3Side is the side of an MNIST image in pixels.
const p3Side = 28

// P3DataParams configures the p3data kind (Problem 3a, docs/homework.md#problem-3-data).
type P3DataParams struct {
	// Frac is the fraction of each digit kept, in (0,1], with
	// nn.ClassCounts' largest-remainder rounding (0.5 gives exactly
	// 30,000 training and 5,000 validation images). Default 0.5.
	Frac float64 `yaml:"frac"`
	// Seed seeds the numpy stream of nn.Subsample (training subset
	// first, then validation) and, separately, the choice of the images
	// drawn in samples.png. Default 20, the homework's.
	Seed uint32 `yaml:"seed"`
	// Samples is how many random training images samples.png shows.
	// Default 4.
	Samples int `yaml:"samples"`
}

func defaultP3DataParams() *P3DataParams {
	return &P3DataParams{Frac: 0.5, Seed: 20, Samples: 4}
}

// Validate checks the values that need no data; samples is checked
// against the subset's size when the stage runs.
func (p *P3DataParams) Validate() error {
	var c paramChecks
	c.check(p.Frac > 0 && p.Frac <= 1, "frac", "want a fraction in (0, 1], got %v", p.Frac)
	c.check(p.Samples >= 1, "samples", "want at least 1, got %d", p.Samples)
	return c.err()
}

func p3dataKind() pipeline.Kind {
	return pipeline.NewKind(pipeline.Kind{
		Name:    "p3data",
		Version: p3dataVersion,
		Doc:     "MNIST -> seeded frac of every digit (30,000 train / 5,000 val) as int64 index .npy, sample images, class counts",
		Inputs:  []string{"train_images", "train_labels", "test_images", "test_labels"},
		Outputs: []string{"train_idx", "val_idx", "samples", "summary"},
	}, defaultP3DataParams, runP3Data)
}

func runP3Data(ctx context.Context, env *pipeline.Env, p *P3DataParams) error {
	tr, err := p3ReadMNIST(env.Input("train_images"), env.Input("train_labels"))
	if err != nil {
		return err
	}
	te, err := p3ReadMNIST(env.Input("test_images"), env.Input("test_labels"))
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	env.Progress(0.4, fmt.Sprintf("read %d training and %d test images", len(tr.y), len(te.y)))

	trainIdx, valIdx, err := nn.Subsample(tr.y, te.y, p3Classes, p.Frac, p.Seed)
	if err != nil {
		return fmt.Errorf("subsample: %w", err)
	}
	if p.Samples > len(trainIdx) {
		return pipeline.ParamErrorf("samples", "the training subset has only %d images, got %d", len(trainIdx), p.Samples)
	}
	sum := results.Subsets{
		Frac: p.Frac, Seed: p.Seed,
		NTrainSource: len(tr.y), NValSource: len(te.y),
		NTrain: len(trainIdx), NVal: len(valIdx),
		TrainCounts: p3Counts(tr.y, trainIdx), ValCounts: p3Counts(te.y, valIdx),
	}
	panels, samples := p3Samples(tr, trainIdx, p)
	sum.Samples = samples

	if err := writeNpys(ctx, env,
		npyOut{"train_idx", []int{len(trainIdx)}, p3Int64s(trainIdx)},
		npyOut{"val_idx", []int{len(valIdx)}, p3Int64s(valIdx)},
	); err != nil {
		return err
	}
	env.Progress(0.7, fmt.Sprintf("kept %d training and %d validation images", len(trainIdx), len(valIdx)))
	if err := writePNG(env.Output("samples"), figures.ImageGrid{
		Title: fmt.Sprintf("%d random training images", p.Samples), Columns: min(p.Samples, 4), Panels: panels,
	}); err != nil {
		return err
	}
	if err := writeResults(env.Output("summary"), &sum); err != nil {
		return err
	}
	env.Progress(1, fmt.Sprintf("train counts %v, validation counts %v", sum.TrainCounts, sum.ValCounts))
	return nil
}

// p3Counts counts each digit among the labels y[idx].
func p3Counts(y []int, idx []int) []int {
	c := make([]int, p3Classes)
	for _, i := range idx {
		c[y[i]]++
	}
	return c
}

// p3Int64s converts indices to the int64 the .npy files hold.
func p3Int64s(idx []int) []int64 {
	v := make([]int64, len(idx))
	for i, j := range idx {
		v[i] = int64(j)
	}
	return v
}

// p3Samples draws p.Samples training images as
// np.random.RandomState(seed).choice(n_train, samples, replace=False)
// picks positions in the training subset: their panels for samples.png
// and their description for summary.json.
func p3Samples(tr *p3MNIST, trainIdx []int, p *P3DataParams) ([]figures.Panel, []results.Sample) {
	panels := make([]figures.Panel, p.Samples)
	var samples []results.Sample
	for k, pos := range numpyrand.New(p.Seed).Choice(len(trainIdx), p.Samples) {
		src := trainIdx[pos]
		samples = append(samples, results.Sample{Position: pos, Source: src, Label: tr.y[src]})
		img := make([]float64, p3Pixels)
		for q, v := range tr.pix[src*p3Pixels : (src+1)*p3Pixels] {
			img[q] = float64(v)
		}
		panels[k] = figures.Panel{
			Title: fmt.Sprintf("label %d (train #%d)", tr.y[src], src),
			Rows:  p3Side, Cols: p3Side, Pixels: img, Map: figures.Gray, Lo: 0, Hi: 255,
		}
	}
	return panels, samples
}

// p3MNIST is one MNIST split as the mnist kind writes it.
type p3MNIST struct {
	pix    []byte // n×784
	labels []byte // n, each < 10
	y      []int  // the same labels as ints
}

// p3ReadMNIST reads an images/labels pair written by the mnist kind and
// checks that the labels are digits.
func p3ReadMNIST(imgPath, labPath string) (*p3MNIST, error) {
	a, err := npy.ReadFile(imgPath)
	if err != nil {
		return nil, err // names the path
	}
	return p3CheckMNIST(a, imgPath, labPath)
}

// p3MapMNIST is p3ReadMNIST with the images file mapped into memory
// (npy.MapFile) instead of copied: pix is valid until release is called.
func p3MapMNIST(imgPath, labPath string) (m *p3MNIST, release func() error, err error) {
	a, release, err := npy.MapFile(imgPath)
	if err != nil {
		return nil, nil, err // names the path
	}
	if m, err = p3CheckMNIST(a, imgPath, labPath); err != nil {
		_ = release()
		return nil, nil, err
	}
	return m, release, nil
}

// p3CheckMNIST checks the images a read from imgPath and reads their
// labels.
func p3CheckMNIST(a *npy.Array, imgPath, labPath string) (*p3MNIST, error) {
	pix, err := a.Uint8s()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", imgPath, err)
	}
	if len(a.Shape) != 2 || a.Shape[1] != p3Pixels || a.Shape[0] == 0 {
		return nil, fmt.Errorf("read %s: want shape (n, %d) with n > 0, got %v", imgPath, p3Pixels, a.Shape)
	}
	lab, err := readLabels(labPath)
	if err != nil {
		return nil, err
	}
	if len(lab) != a.Shape[0] {
		return nil, fmt.Errorf("%s has %d images but %s has %d labels", imgPath, a.Shape[0], labPath, len(lab))
	}
	m := &p3MNIST{pix: pix, labels: make([]byte, len(lab)), y: make([]int, len(lab))}
	for i, v := range lab {
		if v < 0 || v >= p3Classes {
			return nil, fmt.Errorf("read %s: label %d of sample %d is not a digit", labPath, v, i)
		}
		m.labels[i], m.y[i] = byte(v), int(v)
	}
	return m, nil
}

// p3ReadIndex reads a subset index file written by p3data and checks it
// against the size n of the set it indexes.
func p3ReadIndex(path string, n int) ([]int, error) {
	v, err := readLabels(path)
	if err != nil {
		return nil, err
	}
	if len(v) == 0 {
		return nil, fmt.Errorf("read %s: empty index", path)
	}
	idx := make([]int, len(v))
	for i, j := range v {
		if j < 0 || j >= int64(n) {
			return nil, fmt.Errorf("read %s: index %d at position %d is outside the %d images it selects from", path, j, i, n)
		}
		idx[i] = int(j)
	}
	return idx, nil
}

// p3Sets is what p3gradcheck and p3train read: the two subsets as nn
// datasets (pixels / 255) and their indices into MNIST.
type p3Sets struct {
	train, val       nn.Dataset
	trainIdx, valIdx []int
}

// p3LoadSets reads the mnist and p3data outputs declared as the inputs
// train_images, train_labels, test_images, test_labels, train_idx and
// val_idx.
func p3LoadSets(env *pipeline.Env) (*p3Sets, error) {
	var s p3Sets
	sets := []struct {
		img, lab, idx string
		ds            *nn.Dataset
		sel           *[]int
	}{
		{"train_images", "train_labels", "train_idx", &s.train, &s.trainIdx},
		{"test_images", "test_labels", "val_idx", &s.val, &s.valIdx},
	}
	// The two sets are independent; reading and scaling them side by
	// side uses both cores. Errors are reported in the order above.
	errs := make([]error, len(sets))
	var wg sync.WaitGroup
	for i, c := range sets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m, release, err := p3MapMNIST(env.Input(c.img), env.Input(c.lab))
			if err != nil {
				errs[i] = err
				return
			}
			defer release() // NewDataset copies what it keeps
			if *c.sel, err = p3ReadIndex(env.Input(c.idx), len(m.y)); err != nil {
				errs[i] = err
				return
			}
			if *c.ds, err = nn.NewDataset(m.pix, m.labels, p3Pixels, *c.sel); err != nil {
				errs[i] = fmt.Errorf("select %s from %s: %w", env.Input(c.idx), env.Input(c.img), err)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return &s, nil
}
