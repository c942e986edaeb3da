package stages

import (
	"context"
	"fmt"

	"hw1pipe/artifacts/npy"
	"hw1pipe/figures"
	"hw1pipe/imgresize"
	"hw1pipe/modelsel"
	"hw1pipe/numpyrand"
	"hw1pipe/pipeline"
	"hw1pipe/results"
)

// p1dataVersion is hashed into the stage's fingerprint; bump it when the
// written files would change.
const p1dataVersion = "1"

// mnistSide is the side of an MNIST image in pixels.
const mnistSide = 28

// P1DataParams configures the p1data kind (Problem 1a–d, docs/homework.md#problem-1-data).
// The Python equivalent, which the tests check bit for bit, is
// golden/p1/p1data_ref.py.
type P1DataParams struct {
	// Num is the size of the subsample: Num/10 images of every digit,
	// drawn without replacement. It must be a positive multiple of 10.
	// Default 10000.
	Num int `yaml:"num"`
	// Seed seeds the numpy RandomState of the per-digit subsample
	// (modelsel.PerClassSubsample). Default 0; pipeline.yaml fixes it
	// through the global param seed.
	Seed uint32 `yaml:"seed"`
	// Size is the side of the resized images (cv2.resize INTER_LINEAR,
	// 28×28 -> Size×Size). Default 14.
	Size int `yaml:"size"`
	// TestSize is the validation fraction of the stratified split,
	// in (0,1). Default 0.2.
	TestSize float64 `yaml:"test_size"`
	// SplitSeed is train_test_split's random_state. Default 42.
	SplitSeed uint32 `yaml:"split_seed"`
	// ScalePixels divides the resized pixels by 255. Default false: the
	// assignment works on raw 0..255 values (see the pitfall in docs/homework.md#the-gamma-auto-pitfall).
	ScalePixels bool `yaml:"scale_pixels"`
	// Show is the index in x_train of the digit drawn in digit.png and
	// digit_resized.png. Default 0.
	Show int `yaml:"show"`
}

func defaultP1DataParams() *P1DataParams {
	return &P1DataParams{Num: 10000, Size: 14, TestSize: 0.2, SplitSeed: 42}
}

// Validate checks the values that need no data; show is checked against
// the split's size when the stage runs.
func (p *P1DataParams) Validate() error {
	var c paramChecks
	c.check(p.Num > 0 && p.Num%10 == 0, "num", "want a positive multiple of 10, got %d", p.Num)
	c.check(p.Size > 0, "size", "want a positive side, got %d", p.Size)
	c.check(p.TestSize > 0 && p.TestSize < 1, "test_size", "want a fraction in (0, 1), got %v", p.TestSize)
	c.check(p.Show >= 0, "show", "want an index (0 or more), got %d", p.Show)
	return c.err()
}

func p1dataKind() pipeline.Kind {
	return pipeline.NewKind(pipeline.Kind{
		Name:    "p1data",
		Version: p1dataVersion,
		Doc:     "MNIST 70k -> resize 14x14 (cv2 INTER_LINEAR) -> num/10 per digit -> stratified 80/20 split, as .npy (float64 pixels, int64 labels)",
		Inputs:  []string{"train_images", "train_labels", "test_images", "test_labels"},
		Outputs: []string{"x_train", "y_train", "x_val", "y_val", "digit", "digit_resized", "summary"},
	}, defaultP1DataParams, runP1Data)
}

func runP1Data(ctx context.Context, env *pipeline.Env, p *P1DataParams) error {
	pix, y, err := p1ReadAll(env)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	env.Progress(0.2, fmt.Sprintf("read %d images", len(y)))

	perClass := p.Num / 10
	sub, err := modelsel.PerClassSubsample(y, perClass, numpyrand.New(p.Seed))
	if err != nil {
		return &pipeline.ParamError{Param: "num", Err: fmt.Errorf("subsample %d per digit: %w", perClass, err)}
	}
	train, val, err := modelsel.TrainTestSplitStratified(pick(y, sub), p.TestSize, p.SplitSeed)
	if err != nil {
		return fmt.Errorf("split: %w", err)
	}
	if p.Show >= len(train) {
		return pipeline.ParamErrorf("show", "x_train has %d rows, got %d", len(train), p.Show)
	}
	env.Progress(0.4, fmt.Sprintf("subsampled %d, split %d/%d", len(sub), len(train), len(val)))

	// Indices into the 70,000 images of each split's rows.
	trainSrc, valSrc := pick(sub, train), pick(sub, val)
	xTrain, xVal := p1Resize(pix, trainSrc, p), p1Resize(pix, valSrc, p)
	yTrain, yVal := pick(y, trainSrc), pick(y, valSrc)
	d := p.Size * p.Size
	if err := writeNpys(ctx, env,
		npyOut{"x_train", []int{len(train), d}, xTrain},
		npyOut{"y_train", []int{len(train)}, yTrain},
		npyOut{"x_val", []int{len(val), d}, xVal},
		npyOut{"y_val", []int{len(val)}, yVal},
	); err != nil {
		return err
	}
	env.Progress(0.8, fmt.Sprintf("wrote x_train %dx%d, x_val %dx%d", len(train), d, len(val), d))

	sum := p1Summary(p, len(y), y[trainSrc[p.Show]], trainSrc, yTrain, yVal, xTrain, xVal)
	if err := p1DataFigures(env, p, pix, xTrain, sum); err != nil {
		return err
	}
	if err := writeResults(env.Output("summary"), &sum); err != nil {
		return err
	}
	env.Progress(1, fmt.Sprintf("digit %d drawn; train counts %v", sum.ShownLabel, sum.TrainCounts))
	return nil
}

// p1ReadAll reads all the images and labels in OpenML's order: the 60,000
// training images, then the 10,000 test images.
func p1ReadAll(env *pipeline.Env) (pix []uint8, y []int64, err error) {
	for _, s := range [][2]string{{"train_images", "train_labels"}, {"test_images", "test_labels"}} {
		px, lab, err := p1Source(env.Input(s[0]), env.Input(s[1]))
		if err != nil {
			return nil, nil, err
		}
		pix = append(pix, px...)
		y = append(y, lab...)
	}
	return pix, y, nil
}

// p1Source reads an images/labels pair written by the mnist kind.
func p1Source(imgPath, labPath string) ([]uint8, []int64, error) {
	a, err := npy.ReadFile(imgPath)
	if err != nil {
		return nil, nil, err
	}
	pix, err := a.Uint8s()
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", imgPath, err)
	}
	if len(a.Shape) != 2 || a.Shape[1] != mnistSide*mnistSide {
		return nil, nil, fmt.Errorf("read %s: want shape (n, %d), got %v", imgPath, mnistSide*mnistSide, a.Shape)
	}
	y, err := readLabels(labPath)
	if err != nil {
		return nil, nil, err
	}
	if len(y) != a.Shape[0] {
		return nil, nil, fmt.Errorf("%s has %d images but %s has %d labels", imgPath, a.Shape[0], labPath, len(y))
	}
	return pix, y, nil
}

// p1Resize resizes the images idx of pix (28×28 uint8 each, as float64)
// to Size×Size, divided by 255 when ScalePixels. Resizing is per image, so
// resizing only the chosen images gives the bits of resizing all first;
// one image at a time, the float64 copy of the sources stays 6 KB.
func p1Resize(pix []uint8, idx []int, p *P1DataParams) []float64 {
	const area = mnistSide * mnistSide
	d := p.Size * p.Size
	x := make([]float64, len(idx)*d)
	src := make([]float64, area)
	for i, j := range idx {
		for q, v := range pix[j*area : (j+1)*area] {
			src[q] = float64(v)
		}
		imgresize.LinearFloat64(x[i*d:(i+1)*d], p.Size, p.Size, src, mnistSide, mnistSide)
	}
	if p.ScalePixels {
		for q := range x {
			x[q] /= 255
		}
	}
	return x
}

// p1Summary fills summary.json: the sizes, the label counts of each
// split, the drawn digit and the pixel range.
func p1Summary(p *P1DataParams, nSource int, shownLabel int64, trainSrc []int, yTrain, yVal []int64, xTrain, xVal []float64) results.Split {
	sum := results.Split{
		NSource: nSource, PerClass: p.Num / 10, Features: p.Size * p.Size,
		NTrain: len(yTrain), NVal: len(yVal),
		TrainCounts: labelCounts(yTrain), ValCounts: labelCounts(yVal),
		ShownIndex: p.Show, ShownSource: trainSrc[p.Show], ShownLabel: shownLabel,
	}
	sum.PixelMin, sum.PixelMax = xTrain[0], xTrain[0]
	for _, xs := range [][]float64{xTrain, xVal} {
		for _, v := range xs {
			sum.PixelMin = min(sum.PixelMin, v)
			sum.PixelMax = max(sum.PixelMax, v)
		}
	}
	return sum
}

// p1DataFigures draws digit.png (the shown digit at 28×28) and
// digit_resized.png (the same row of x_train).
func p1DataFigures(env *pipeline.Env, p *P1DataParams, pix []uint8, xTrain []float64, sum results.Split) error {
	const area = mnistSide * mnistSide
	orig := make([]float64, area)
	for q, v := range pix[sum.ShownSource*area : (sum.ShownSource+1)*area] {
		orig[q] = float64(v)
	}
	hi := 255.0
	if p.ScalePixels {
		hi = 1
	}
	title := func(side int) string {
		return fmt.Sprintf("digit %d (x_train[%d]), %dx%d", sum.ShownLabel, p.Show, side, side)
	}
	d := p.Size * p.Size
	if err := writePNG(env.Output("digit"), figures.ImageGrid{Columns: 1, Panels: []figures.Panel{
		{Title: title(mnistSide), Rows: mnistSide, Cols: mnistSide, Pixels: orig, Map: figures.Gray, Lo: 0, Hi: 255},
	}}); err != nil {
		return err
	}
	return writePNG(env.Output("digit_resized"), figures.ImageGrid{Columns: 1, Panels: []figures.Panel{
		{Title: title(p.Size), Rows: p.Size, Cols: p.Size, Pixels: xTrain[p.Show*d : (p.Show+1)*d], Map: figures.Gray, Lo: 0, Hi: hi},
	}})
}

// labelCounts counts the labels 0..9; other labels are not counted.
func labelCounts(y []int64) []int {
	c := make([]int, 10)
	for _, v := range y {
		if v >= 0 && v < 10 {
			c[v]++
		}
	}
	return c
}
