package stages

import (
	"context"
	"fmt"
	"math"
	"time"

	"gonum.org/v1/gonum/mat"

	"hw1pipe/figures"
	"hw1pipe/gabor"
	"hw1pipe/modelsel"
	"hw1pipe/numpyrand"
	"hw1pipe/pipeline"
	"hw1pipe/report"
	"hw1pipe/results"
)

// p1gaborfeaturesVersion is hashed into the stage's fingerprint; bump it
// when the written files would change.
const p1gaborfeaturesVersion = "3"

// P1GaborFeaturesParams configures the p1gaborfeatures kind (Problem 1h,
// docs/homework.md#problem-1-gabor-features): a per-class sample of each split and its 16-filter Gabor
// features.
type P1GaborFeaturesParams struct {
	// PerClass is the number of images of every digit drawn, without
	// replacement, from the training split and again from the validation
	// split. Default 100 (1,000 + 1,000 images).
	PerClass int `yaml:"per_class"`
	// Seed seeds one numpy RandomState that draws the training sample
	// (class 0..9, each rs.choice(members, PerClass, replace=False)) and
	// then, continuing the same stream, the validation sample
	// (modelsel.PerClassSubsample). Default 0; pipeline.yaml's global
	// param seed sets it.
	Seed uint32 `yaml:"seed"`
	// Scale multiplies the pixels before filtering. Default 1: the
	// resized 0..255 pixels go to the filters unchanged, as the homework
	// feeds them to skimage's gabor. The features are linear in the
	// pixels, so the scale cancels in the StandardScaler that follows
	// (up to rounding).
	Scale float64 `yaml:"scale"`
	// Show is the index, among the sampled training images, of the image
	// drawn in response.png. Default 0.
	Show int `yaml:"show"`
	// ShowFilter is the index (gabor.DefaultFilters order) of the filter
	// whose response response.png draws. Default 3 (θ=π/4, f=0.25, b=1,
	// an 11×11 kernel).
	ShowFilter int `yaml:"show_filter"`
}

func defaultP1GaborFeaturesParams() *P1GaborFeaturesParams {
	return &P1GaborFeaturesParams{PerClass: 100, Scale: 1, ShowFilter: 3}
}

// Validate checks the values that need no data; per_class and show are
// checked against the splits when the stage runs.
func (p *P1GaborFeaturesParams) Validate() error {
	var c paramChecks
	n := len(gabor.DefaultFilters())
	c.check(p.PerClass >= 1, "per_class", "want at least 1, got %d", p.PerClass)
	c.check(p.Scale != 0 && !math.IsNaN(p.Scale) && !math.IsInf(p.Scale, 0), "scale", "want a finite non-zero factor, got %v", p.Scale)
	c.check(p.Show >= 0, "show", "want an index (0 or more), got %d", p.Show)
	c.check(p.ShowFilter >= 0 && p.ShowFilter < n, "show_filter", "the bank has filters 0..%d, got %d", n-1, p.ShowFilter)
	return c.err()
}

func p1gaborfeaturesKind() pipeline.Kind {
	return pipeline.NewKind(pipeline.Kind{
		Name:    "p1gaborfeatures",
		Version: p1gaborfeaturesVersion,
		Doc:     "per-class sample of both splits -> real responses of the 16-filter Gabor bank (n x 3136 .npy), kernel and response figures",
		Inputs:  []string{"x_train", "y_train", "x_val", "y_val"},
		Outputs: []string{
			"train_features", "train_labels", "val_features", "val_labels",
			"kernel_example", "response", "bank_pairs", "report", "note",
		},
	}, defaultP1GaborFeaturesParams, runP1GaborFeatures)
}

func runP1GaborFeatures(ctx context.Context, env *pipeline.Env, p *P1GaborFeaturesParams) error {
	xTr, yTr, xVa, yVa, err := p1ReadSplits(env)
	if err != nil {
		return err
	}
	_, d := xTr.Dims()
	side := int(math.Round(math.Sqrt(float64(d))))
	if side*side != d {
		return fmt.Errorf("%s has %d columns: want square images (side² columns)", env.Input("x_train"), d)
	}
	trIdx, vaIdx, err := p1GaborSample(p, yTr, yVa)
	if err != nil {
		return err
	}
	imTr, imVa := p1GaborRows(xTr, trIdx, p.Scale), p1GaborRows(xVa, vaIdx, p.Scale)
	labTr, labVa := pick(yTr, trIdx), pick(yVa, vaIdx)
	env.Progress(0.1, fmt.Sprintf("sampled %d training and %d validation images (%d per class), %dx%d", len(trIdx), len(vaIdx), p.PerClass, side, side))

	start := time.Now()
	bank, err := gabor.NewBank(side, side, gabor.DefaultFilters())
	if err != nil {
		return fmt.Errorf("gabor bank: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var fTr, fVa mat.Dense
	bank.FeaturesTo(&fTr, imTr)
	bank.FeaturesTo(&fVa, imVa)
	nf := bank.NumFeatures()
	env.Progress(0.5, fmt.Sprintf("%d features of %d images in %s", nf, len(trIdx)+len(vaIdx), time.Since(start).Round(time.Millisecond)))
	if err := writeNpys(ctx, env,
		npyOut{"train_features", []int{len(trIdx), nf}, fTr.RawMatrix().Data},
		npyOut{"train_labels", []int{len(trIdx)}, labTr},
		npyOut{"val_features", []int{len(vaIdx), nf}, fVa.RawMatrix().Data},
		npyOut{"val_labels", []int{len(vaIdx)}, labVa},
	); err != nil {
		return err
	}
	env.Progress(0.7, fmt.Sprintf("wrote features %dx%d and %dx%d", len(trIdx), nf, len(vaIdx), nf))

	if err := p1GaborFigures(env, p, bank, imTr, &fTr, labTr, side); err != nil {
		return err
	}
	rep := p1GaborReport(p, bank, side, trIdx, vaIdx, labTr, labVa, &fTr, &fVa)
	if err := writeResults(env.Output("report"), &rep); err != nil {
		return err
	}
	// The report page quotes this sentence (Problem 1h asks where the
	// homework's own tool is wrong, and by how much).
	if err := writeText(env.Output("note"), rep.SkimageNote+"\n"); err != nil {
		return err
	}
	env.Progress(1, fmt.Sprintf("%d features per image; scikit-image would get filters %v wrong", nf, rep.SciPyUnsafe))
	return nil
}

// p1GaborSample draws PerClass images of every digit from the training
// split, then, continuing the same numpy stream, from the validation
// split; the indices are rows of x_train and x_val.
func p1GaborSample(p *P1GaborFeaturesParams, yTr, yVa []int64) (trIdx, vaIdx []int, err error) {
	rs := numpyrand.New(p.Seed)
	if trIdx, err = modelsel.PerClassSubsample(yTr, p.PerClass, rs); err != nil {
		return nil, nil, &pipeline.ParamError{Param: "per_class", Err: fmt.Errorf("sample %d per class from the training split: %w", p.PerClass, err)}
	}
	if vaIdx, err = modelsel.PerClassSubsample(yVa, p.PerClass, rs); err != nil {
		return nil, nil, &pipeline.ParamError{Param: "per_class", Err: fmt.Errorf("sample %d per class from the validation split: %w", p.PerClass, err)}
	}
	if p.Show >= len(trIdx) {
		return nil, nil, pipeline.ParamErrorf("show", "the training sample has %d images, got %d", len(trIdx), p.Show)
	}
	return trIdx, vaIdx, nil
}

// p1GaborReport fills report.json: the sample, the bank's filters, which
// of them scikit-image computes wrongly (and a sentence saying so), the
// figures' choices and the features' range.
func p1GaborReport(p *P1GaborFeaturesParams, bank *gabor.Bank, side int, trIdx, vaIdx []int, labTr, labVa []int64, fTr, fVa *mat.Dense) results.GaborFeatures {
	d := side * side
	rep := results.GaborFeatures{
		PerClass: p.PerClass, Seed: p.Seed, Scale: p.Scale, Side: side,
		NFilters: bank.NumFilters(), NFeatures: bank.NumFeatures(),
		TrainIndex: trIdx, ValIndex: vaIdx,
		TrainCounts: labelCounts(labTr), ValCounts: labelCounts(labVa),
		FeatureOrder: fmt.Sprintf("column j = filter j/%d, pixel j%%%d (row-major, row = pixel/%d, col = pixel%%%d): "+
			"the real part of skimage.filters.gabor(image, frequency, theta, bandwidth=bandwidth) (mode 'reflect'), "+
			"filters in the loop order for theta in (pi/4, pi/2, 3pi/4, pi): for frequency in (0.05, 0.25): for bandwidth in (0.1, 1)",
			d, d, side, side),
		SciPyUnsafe: []int{},
		BankPairs:   p1GaborPairs,
		ShownIndex:  p.Show, ShownRow: trIdx[p.Show], ShownLabel: labTr[p.Show], ShownFilter: p.ShowFilter,
	}
	var unsafe []string
	for i := range bank.NumFilters() {
		fp, k := bank.Filter(i), bank.Kernel(i)
		f := results.GaborFilter{
			Index: i, Frequency: fp.Frequency, Theta: fp.Theta, ThetaLabel: thetaLabel(fp.Theta),
			Bandwidth: fp.Bandwidth, Sigma: k.SigmaX, KernelShape: [2]int{k.Rows, k.Cols},
			Features: [2]int{i * d, (i + 1) * d}, SciPyUnsafe: gabor.SciPyUnsafe(k, side, side),
		}
		if f.SciPyUnsafe {
			rep.SciPyUnsafe = append(rep.SciPyUnsafe, i)
			unsafe = append(unsafe, fmt.Sprintf("%d (%s, %dx%d)", i, filterLabel(fp), k.Rows, k.Cols))
		}
		rep.Filters = append(rep.Filters, f)
	}
	rep.SkimageNote = report.SkimageNote(unsafe, bank.NumFilters(), side)
	rep.FeatureMin, rep.FeatureMax = math.Inf(1), math.Inf(-1)
	for _, m := range []*mat.Dense{fTr, fVa} {
		for i := range m.RawMatrix().Rows {
			for _, v := range m.RawRowView(i) {
				rep.FeatureMin, rep.FeatureMax = min(rep.FeatureMin, v), max(rep.FeatureMax, v)
			}
		}
	}
	return rep
}

// p1GaborFigures draws kernel_example.png, response.png and bank_pairs.png.
func p1GaborFigures(env *pipeline.Env, p *P1GaborFeaturesParams, bank *gabor.Bank, imTr, fTr *mat.Dense, labTr []int64, side int) error {
	ex, err := gabor.NewKernel(p1GaborExample)
	if err != nil {
		return err
	}
	exTitle := fmt.Sprintf("%s, %dx%d", filterLabel(p1GaborExample), ex.Rows, ex.Cols)
	if err := writePNG(env.Output("kernel_example"), figures.ImageGrid{
		Title:   "gabor_kernel(0.1, π/4, bandwidth=1)",
		Columns: 2,
		Panels: []figures.Panel{
			{Title: "real part, " + exTitle, Rows: ex.Rows, Cols: ex.Cols, Pixels: ex.Re, Map: figures.Diverging},
			{Title: "imaginary part, " + exTitle, Rows: ex.Rows, Cols: ex.Cols, Pixels: ex.Im, Map: figures.Diverging},
		},
		PanelSize: 3,
	}); err != nil {
		return err
	}

	d := side * side
	fi := p.ShowFilter
	fp := bank.Filter(fi)
	k := bank.Kernel(fi)
	img := imTr.RawRowView(p.Show)
	resp := fTr.RawRowView(p.Show)[fi*d : (fi+1)*d]
	if err := writePNG(env.Output("response"), figures.ImageGrid{
		Title:   fmt.Sprintf("Gabor filter %d (%s, kernel %dx%d) on a training image", fi, filterLabel(fp), k.Rows, k.Cols),
		Columns: 3,
		Panels: []figures.Panel{
			{Title: fmt.Sprintf("image: digit %d (sample %d)", labTr[p.Show], p.Show), Rows: side, Cols: side, Pixels: img, Map: figures.Gray},
			{Title: "kernel, real part", Rows: k.Rows, Cols: k.Cols, Pixels: k.Re, Map: figures.Diverging},
			{Title: "real response (features)", Rows: side, Cols: side, Pixels: resp, Map: figures.Diverging},
		},
		PanelSize: 2.5,
	}); err != nil {
		return err
	}

	var panels []figures.Panel
	for _, i := range p1GaborPairs {
		fp, k := bank.Filter(i), bank.Kernel(i)
		t := fmt.Sprintf("%d: %s (%d)", i, filterLabel(fp), k.Rows)
		panels = append(panels,
			figures.Panel{Title: t + " re", Rows: k.Rows, Cols: k.Cols, Pixels: k.Re, Map: figures.Diverging},
			figures.Panel{Title: t + " im", Rows: k.Rows, Cols: k.Cols, Pixels: k.Im, Map: figures.Diverging},
		)
	}
	return writePNG(env.Output("bank_pairs"), figures.ImageGrid{
		Title:     "8 of the 16 bank kernels: (real, imaginary) pairs; title = index: orientation, frequency, bandwidth (kernel side)",
		Columns:   4,
		Panels:    panels,
		PanelSize: 2.5,
	})
}

// p1GaborPairs are the filters drawn in bank_pairs.png (index 4·iθ+2·if+ib
// of gabor.DefaultFilters): every orientation twice and every
// (frequency, bandwidth) combination twice, so one figure shows the spread
// of orientations and scales.
var p1GaborPairs = []int{1, 2, 7, 4, 9, 10, 15, 12}

// p1GaborExample is gabor_kernel(0.1, π/4, bandwidth=1), kernel_example.png.
var p1GaborExample = gabor.Params{Frequency: 0.1, Theta: math.Pi / 4, Bandwidth: 1}

// thetaLabel writes θ as a multiple of π/4 when it is one.
func thetaLabel(theta float64) string {
	q := theta / (math.Pi / 4)
	k := math.Round(q)
	if math.Abs(q-k) > 1e-12 {
		return fmt.Sprintf("%.4g", theta)
	}
	switch n := int(k); {
	case n == 0:
		return "0"
	case n == 4:
		return "π"
	case n%4 == 0:
		return fmt.Sprintf("%dπ", n/4)
	case n%2 == 0:
		if n/2 == 1 {
			return "π/2"
		}
		return fmt.Sprintf("%dπ/2", n/2)
	case n == 1:
		return "π/4"
	default:
		return fmt.Sprintf("%dπ/4", n)
	}
}

// filterLabel is a short panel title for filter p.
func filterLabel(p gabor.Params) string {
	return fmt.Sprintf("θ=%s f=%g b=%g", thetaLabel(p.Theta), p.Frequency, p.Bandwidth)
}

// p1GaborRows copies rows idx of x, multiplied by scale, into a new
// len(idx) × d matrix.
func p1GaborRows(x *mat.Dense, idx []int, scale float64) *mat.Dense {
	_, d := x.Dims()
	out := mat.NewDense(len(idx), d, nil)
	for i, j := range idx {
		dst := out.RawRowView(i)
		for q, v := range x.RawRowView(j) {
			dst[q] = v * scale
		}
	}
	return out
}
