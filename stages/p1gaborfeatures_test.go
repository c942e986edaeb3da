package stages

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"hw1pipe/artifacts/npy"
	"hw1pipe/gabor"
	"hw1pipe/internal/pyref"
	"hw1pipe/results"
)

var p1GaborFeatureOutputs = map[string]string{
	"train_features": ".npy", "train_labels": ".npy", "val_features": ".npy", "val_labels": ".npy",
	"kernel_example": ".png", "response": ".png", "bank_pairs": ".png", "report": ".json", "note": ".md",
}

// p1GaborSplits writes a p1data-like split: nTr training and nVa
// validation side×side images with pixels in 0..255 and labels 0..9 in a
// scrambled order (each class nTr/10 resp. nVa/10 times).
func p1GaborSplits(t *testing.T, nTr, nVa, side int) map[string]string {
	t.Helper()
	dir := t.TempDir()
	d := side * side
	mk := func(n, salt int) ([]float64, []int64) {
		x := make([]float64, n*d)
		y := make([]int64, n)
		for i := range y {
			y[i] = int64((7*i + salt) % 10)
			for j := 0; j < d; j++ {
				x[i*d+j] = float64((37*i + 11*j + salt*j*j + (i*j)%17) % 256)
			}
		}
		return x, y
	}
	xTr, yTr := mk(nTr, 3)
	xVa, yVa := mk(nVa, 5)
	in := map[string]string{}
	for _, w := range []struct {
		key   string
		shape []int
		data  any
	}{
		{"x_train", []int{nTr, d}, xTr}, {"y_train", []int{nTr}, yTr},
		{"x_val", []int{nVa, d}, xVa}, {"y_val", []int{nVa}, yVa},
	} {
		in[w.key] = filepath.Join(dir, w.key+".npy")
		if err := npy.WriteFile(in[w.key], w.shape, w.data); err != nil {
			t.Fatal(err)
		}
	}
	return in
}

func p1GaborReadReport(t *testing.T, path string) results.GaborFeatures {
	t.Helper()
	var r results.GaborFeatures
	if err := readJSON(path, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// p1GaborCheckFigure checks that path is a PNG of at least minW×minH
// pixels with more than a handful of colours (not blank).
func p1GaborCheckFigure(t *testing.T, path string, minW, minH int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", filepath.Base(path), err)
	}
	r := img.Bounds()
	colours := map[[4]uint32]bool{}
	for y := r.Min.Y; y < r.Max.Y; y += 3 {
		for x := r.Min.X; x < r.Max.X; x += 3 {
			c := img.At(x, y)
			r, g, b, a := c.RGBA()
			colours[[4]uint32{r, g, b, a}] = true
		}
	}
	if r.Dx() < minW || r.Dy() < minH || len(colours) < 20 {
		t.Errorf("%s: %v, %d colours: blank or too small", filepath.Base(path), r, len(colours))
	}
}

func TestP1GaborFeaturesKind(t *testing.T) {
	k := p1gaborfeaturesKind()
	if k.Name != "p1gaborfeatures" || k.Version == "" ||
		!reflect.DeepEqual(k.Inputs, []string{"x_train", "y_train", "x_val", "y_val"}) ||
		len(k.Outputs) != len(p1GaborFeatureOutputs) {
		t.Errorf("kind %+v", k)
	}
	for _, o := range k.Outputs {
		if _, ok := p1GaborFeatureOutputs[o]; !ok {
			t.Errorf("unexpected output %q", o)
		}
	}
	want := &P1GaborFeaturesParams{PerClass: 100, Seed: 0, Scale: 1, Show: 0, ShowFilter: 3}
	if p := defaultP1GaborFeaturesParams(); !reflect.DeepEqual(p, want) {
		t.Errorf("defaults %+v", p)
	}
	requireRegistered(t, "p1gaborfeatures", "p1gaborsvm")
}

// TestP1GaborFeatures runs the kind on 30 + 30 synthetic 14×14 images and
// checks the sample, the labels, the features against gabor's direct
// definition (ConvolveTo, which gabor's tests hold to scipy bit for bit
// on the safe filters and to an independent numpy reference on all 16),
// the report and the figures.
func TestP1GaborFeatures(t *testing.T) {
	const side, d = 14, 196
	in := p1GaborSplits(t, 30, 30, side)
	xTr, yTr, _ := readXY(in["x_train"], in["y_train"])
	xVa, yVa, _ := readXY(in["x_val"], in["y_val"])
	for _, c := range []struct {
		name string
		p    P1GaborFeaturesParams
	}{
		{"seed7", P1GaborFeaturesParams{PerClass: 2, Seed: 7, Scale: 1, Show: 3, ShowFilter: 3}},
		{"scaled", P1GaborFeaturesParams{PerClass: 3, Seed: 0, Scale: 1.0 / 255, ShowFilter: 4}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := c.p
			env, rec := p1Env(t, in, p1GaborFeatureOutputs)
			if err := p1gaborfeaturesKind().Call(context.Background(), env, &p); err != nil {
				t.Fatal(err)
			}
			rep := p1GaborReadReport(t, env.Output("report"))
			n := 10 * p.PerClass
			if len(rep.TrainIndex) != n || len(rep.ValIndex) != n || rep.NFeatures != 16*d || rep.Side != side ||
				rep.NFilters != 16 || len(rep.Filters) != 16 || rep.ShownRow != rep.TrainIndex[p.Show] {
				t.Fatalf("report %+v", rep)
			}
			if !reflect.DeepEqual(rep.SciPyUnsafe, []int{0, 4, 6, 8, 12, 14}) ||
				!strings.Contains(rep.SkimageNote, "6 of 16 filters") || !strings.Contains(rep.SkimageNote, "golden/gabor/report.json") {
				t.Errorf("unsafe %v, note %q", rep.SciPyUnsafe, rep.SkimageNote)
			}
			for i, f := range rep.Filters {
				if f.Features != [2]int{i * d, (i + 1) * d} {
					t.Errorf("filter %d features %v", i, f.Features)
				}
			}
			// docs/numerics.md#gabor-kernel's kernel sizes.
			if rep.Filters[4].KernelShape != [2]int{651, 651} || rep.Filters[3].KernelShape != [2]int{11, 11} {
				t.Errorf("kernel shapes %v %v", rep.Filters[4].KernelShape, rep.Filters[3].KernelShape)
			}
			for _, split := range []struct {
				name   string
				x      *mat.Dense
				y      []int64
				idx    []int
				counts []int
			}{
				{"train", xTr, yTr, rep.TrainIndex, rep.TrainCounts},
				{"val", xVa, yVa, rep.ValIndex, rep.ValCounts},
			} {
				f, err := readDense(env.Output(split.name + "_features"))
				if err != nil {
					t.Fatal(err)
				}
				lab, err := readLabels(env.Output(split.name + "_labels"))
				if err != nil {
					t.Fatal(err)
				}
				if r, cc := f.Dims(); r != n || cc != 16*d || len(lab) != n {
					t.Fatalf("%s: features %dx%d, %d labels", split.name, r, cc, len(lab))
				}
				seen := map[int]bool{}
				for i, j := range split.idx {
					if seen[j] || lab[i] != split.y[j] || lab[i] != int64(i/p.PerClass) {
						t.Fatalf("%s: sample %d = row %d (label %d, file says %d): not class-ordered without repeats", split.name, i, j, split.y[j], lab[i])
					}
					seen[j] = true
				}
				for cl, cnt := range split.counts {
					if cnt != p.PerClass {
						t.Errorf("%s: class %d counted %d", split.name, cl, cnt)
					}
				}
				// The direct definition on the first and last sampled image.
				bank, err := gabor.NewBank(side, side, gabor.DefaultFilters())
				if err != nil {
					t.Fatal(err)
				}
				for _, i := range []int{0, n - 1} {
					img := mat.NewDense(1, d, nil)
					for q := 0; q < d; q++ {
						img.Set(0, q, split.x.At(split.idx[i], q)*p.Scale)
					}
					var want mat.Dense
					bank.FeaturesDirectTo(&want, img)
					var worst float64
					for q := 0; q < 16*d; q++ {
						worst = math.Max(worst, math.Abs(f.At(i, q)-want.At(0, q)))
					}
					if worst > 1e-9 {
						t.Errorf("%s row %d: max |fast - direct| = %g", split.name, i, worst)
					}
				}
				// skimage's gabor (real part) of one image for the shown
				// filter, through the public single-image call.
				img := make([]float64, d)
				for q := range img {
					img[q] = split.x.At(split.idx[1], q) * p.Scale
				}
				re, _, err := gabor.Gabor(img, side, side, gabor.DefaultFilters()[p.ShowFilter])
				if err != nil {
					t.Fatal(err)
				}
				for q, v := range re {
					if got := f.At(1, p.ShowFilter*d+q); math.Abs(got-v) > 1e-9 {
						t.Fatalf("%s row 1 filter %d pixel %d: %v, gabor.Gabor %v", split.name, p.ShowFilter, q, got, v)
					}
				}
			}
			p1GaborCheckFigure(t, env.Output("kernel_example"), 300, 200)
			p1GaborCheckFigure(t, env.Output("response"), 400, 150)
			p1GaborCheckFigure(t, env.Output("bank_pairs"), 600, 600)
			if nf := len(rec.fracs); nf == 0 || rec.fracs[nf-1] != 1 {
				t.Errorf("progress %v", rec.fracs)
			}
		})
	}
}

// TestP1GaborFeaturesPyrefSample: the sample is what numpy draws with one
// RandomState(seed): rs.choice(np.where(y_train == c)[0], per_class,
// replace=False) for each class, then the same on y_val.
func TestP1GaborFeaturesPyrefSample(t *testing.T) {
	pyref.Require(t, "numpy")
	in := p1GaborSplits(t, 50, 40, 14)
	p := &P1GaborFeaturesParams{PerClass: 3, Seed: 12345, Scale: 1, ShowFilter: 3}
	env, _ := p1Env(t, in, p1GaborFeatureOutputs)
	if err := p1gaborfeaturesKind().Call(context.Background(), env, p); err != nil {
		t.Fatal(err)
	}
	rep := p1GaborReadReport(t, env.Output("report"))
	const script = `
import json, sys
import numpy as np
ytr, yva = np.load(sys.argv[1]), np.load(sys.argv[2])
rs = np.random.RandomState(int(sys.argv[3]))
k = int(sys.argv[4])
out = []
for y in (ytr, yva):
    idx = []
    for c in np.unique(y):
        idx.extend(int(i) for i in rs.choice(np.where(y == c)[0], k, replace=False))
    out.append(idx)
print(json.dumps(out))
`
	b := pyref.Run(t, []string{"numpy"}, script, in["y_train"], in["y_val"], "12345", "3")
	var want [2][]int
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rep.TrainIndex, want[0]) || !reflect.DeepEqual(rep.ValIndex, want[1]) {
		t.Errorf("sample\n train %v\n val   %v\nnumpy\n train %v\n val   %v", rep.TrainIndex, rep.ValIndex, want[0], want[1])
	}
}

// TestP1GaborFeaturesErrors: bad params and data are errors naming the
// problem, and nothing is written.
func TestP1GaborFeaturesErrors(t *testing.T) {
	in := p1GaborSplits(t, 20, 20, 14)
	odd := p1GaborSplits(t, 20, 20, 14)
	if err := npy.WriteFile(odd["x_train"], []int{20, 195}, make([]float64, 20*195)); err != nil {
		t.Fatal(err)
	}
	if err := npy.WriteFile(odd["x_val"], []int{20, 195}, make([]float64, 20*195)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		in   map[string]string
		p    P1GaborFeaturesParams
		want string
	}{
		{"too_many", in, P1GaborFeaturesParams{PerClass: 3, Scale: 1}, "sample 3 per class from the training split"},
		{"per_class", in, P1GaborFeaturesParams{PerClass: 0, Scale: 1}, "per_class"},
		{"scale", in, P1GaborFeaturesParams{PerClass: 1, Scale: 0}, "scale"},
		{"show_filter", in, P1GaborFeaturesParams{PerClass: 1, Scale: 1, ShowFilter: 16}, "show_filter"},
		{"show", in, P1GaborFeaturesParams{PerClass: 1, Scale: 1, Show: 10}, "show"},
		{"not_square", odd, P1GaborFeaturesParams{PerClass: 1, Scale: 1}, "square"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := c.p
			env, _ := p1Env(t, c.in, p1GaborFeatureOutputs)
			err := p1gaborfeaturesKind().Call(context.Background(), env, &p)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			for _, path := range env.Outputs {
				if _, err := os.Stat(path); !os.IsNotExist(err) {
					t.Errorf("%s exists after failure", path)
				}
			}
		})
	}
}
