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

func p1dataKind() pipeline.Kind {
	return pipeline.Kind{
		Name:    "p1data",
		Version: p1dataVersion,
		Doc:     "MNIST 70k -> resize 14x14 (cv2 INTER_LINEAR) -> num/10 per digit -> stratified 80/20 split, as .npy (float64 pixels, int64 labels)",
		Inputs:  []string{"train_images", "train_labels", "test_images", "test_labels"},
		Outputs: []string{"x_train", "y_train", "x_val", "y_val", "digit", "digit_resized", "summary"},
		NewParams: func() any {
			return defaultP1DataParams()
		},
		Run: runP1Data,
	}
}

// P1DataSummary is the content of summary.json.
type P1DataSummary struct {
	// NSource is the number of images the subsample was drawn from
	// (70,000 for MNIST: train then test, OpenML's order).
	NSource int `json:"n_source"`
	// PerClass is Num/10.
	PerClass int `json:"per_class"`
	// Features is Size².
	Features int `json:"features"`
	// NTrain, NVal are the split sizes.
	NTrain int `json:"n_train"`
	NVal   int `json:"n_val"`
	// TrainCounts, ValCounts count each label 0..9 in each split.
	TrainCounts []int `json:"train_counts"`
	ValCounts   []int `json:"val_counts"`
	// ShownIndex is the index in x_train of the digit drawn; ShownSource
	// its index among the NSource images; ShownLabel its label.
	ShownIndex  int   `json:"shown_index"`
	ShownSource int   `json:"shown_source"`
	ShownLabel  int64 `json:"shown_label"`
	// PixelMin, PixelMax are the extreme values of x_train and x_val.
	PixelMin float64 `json:"pixel_min"`
	PixelMax float64 `json:"pixel_max"`
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

func runP1Data(ctx context.Context, env *pipeline.Env) error {
	p, _ := env.Params.(*P1DataParams)
	if p == nil {
		p = defaultP1DataParams()
	}
	switch {
	case p.Num <= 0 || p.Num%10 != 0:
		return fmt.Errorf("param num = %d: want a positive multiple of 10", p.Num)
	case p.Size <= 0:
		return fmt.Errorf("param size = %d: want a positive side", p.Size)
	case !(p.TestSize > 0 && p.TestSize < 1):
		return fmt.Errorf("param test_size = %v: want a fraction in (0, 1)", p.TestSize)
	}

	// All images in OpenML's order: the 60k training images, then the 10k
	// test images.
	var pix []uint8
	var y []int64
	for _, s := range [][2]string{{"train_images", "train_labels"}, {"test_images", "test_labels"}} {
		px, lab, err := p1Source(env.Input(s[0]), env.Input(s[1]))
		if err != nil {
			return err
		}
		pix = append(pix, px...)
		y = append(y, lab...)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	env.Progress(0.2, fmt.Sprintf("read %d images", len(y)))

	perClass := p.Num / 10
	sub, err := modelsel.PerClassSubsample(y, perClass, numpyrand.New(p.Seed))
	if err != nil {
		return fmt.Errorf("subsample %d per digit: %w", perClass, err)
	}
	ySub := make([]int64, len(sub))
	for i, j := range sub {
		ySub[i] = y[j]
	}
	train, val, err := modelsel.TrainTestSplitStratified(ySub, p.TestSize, p.SplitSeed)
	if err != nil {
		return fmt.Errorf("split: %w", err)
	}
	env.Progress(0.4, fmt.Sprintf("subsampled %d, split %d/%d", len(sub), len(train), len(val)))

	// Resizing is per image, so resizing only the chosen images gives the
	// same bits as resizing all 70,000 first.
	const area = mnistSide * mnistSide
	d := p.Size * p.Size
	src := make([]float64, area)
	rows := func(idx []int) ([]float64, []int64) {
		x := make([]float64, len(idx)*d)
		lab := make([]int64, len(idx))
		for i, k := range idx {
			j := sub[k]
			for q, v := range pix[j*area : (j+1)*area] {
				src[q] = float64(v)
			}
			dst := x[i*d : (i+1)*d]
			imgresize.LinearFloat64(dst, p.Size, p.Size, src, mnistSide, mnistSide)
			if p.ScalePixels {
				for q := range dst {
					dst[q] /= 255
				}
			}
			lab[i] = y[j]
		}
		return x, lab
	}
	xTrain, yTrain := rows(train)
	xVal, yVal := rows(val)

	if p.Show < 0 || p.Show >= len(train) {
		return fmt.Errorf("param show = %d: x_train has %d rows", p.Show, len(train))
	}
	shownSrc := sub[train[p.Show]]
	sum := P1DataSummary{
		NSource: len(y), PerClass: perClass, Features: d,
		NTrain: len(train), NVal: len(val),
		TrainCounts: labelCounts(yTrain), ValCounts: labelCounts(yVal),
		ShownIndex: p.Show, ShownSource: shownSrc, ShownLabel: y[shownSrc],
	}
	sum.PixelMin, sum.PixelMax = xTrain[0], xTrain[0]
	for _, xs := range [][]float64{xTrain, xVal} {
		for _, v := range xs {
			sum.PixelMin = min(sum.PixelMin, v)
			sum.PixelMax = max(sum.PixelMax, v)
		}
	}

	for _, o := range []struct {
		key   string
		shape []int
		data  any
	}{
		{"x_train", []int{len(train), d}, xTrain},
		{"y_train", []int{len(train)}, yTrain},
		{"x_val", []int{len(val), d}, xVal},
		{"y_val", []int{len(val)}, yVal},
	} {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := writeNPY(env.Output(o.key), o.shape, o.data); err != nil {
			return err
		}
	}
	env.Progress(0.8, fmt.Sprintf("wrote x_train %dx%d, x_val %dx%d", len(train), d, len(val), d))

	orig := make([]float64, area)
	for q, v := range pix[shownSrc*area : (shownSrc+1)*area] {
		orig[q] = float64(v)
	}
	hi := 255.0
	if p.ScalePixels {
		hi = 1
	}
	title := func(side int) string {
		return fmt.Sprintf("digit %d (x_train[%d]), %dx%d", y[shownSrc], p.Show, side, side)
	}
	if err := writePNG(env.Output("digit"), figures.ImageGrid{Columns: 1, Panels: []figures.Panel{
		{Title: title(mnistSide), Rows: mnistSide, Cols: mnistSide, Pixels: orig, Map: figures.Gray, Lo: 0, Hi: 255},
	}}); err != nil {
		return err
	}
	if err := writePNG(env.Output("digit_resized"), figures.ImageGrid{Columns: 1, Panels: []figures.Panel{
		{Title: title(p.Size), Rows: p.Size, Cols: p.Size, Pixels: xTrain[p.Show*d : (p.Show+1)*d], Map: figures.Gray, Lo: 0, Hi: hi},
	}}); err != nil {
		return err
	}
	if err := writeJSON(env.Output("summary"), sum); err != nil {
		return err
	}
	env.Progress(1, fmt.Sprintf("digit %d drawn; train counts %v", y[shownSrc], sum.TrainCounts))
	return nil
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
