package gabor

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/mat"

	"hw1pipe/internal/pyref"
)

const goldenDir = "../golden/gabor"

// unsafeBank lists the DefaultFilters indices whose kernel half-size is
// >= 56 = 4·14 (docs/numerics.md#scipy-reflect-defect): f=0.05,b=0.1 at every θ and f=0.25,b=0.1
// at θ ∈ {π/2, π}.
var unsafeBank = map[int]bool{0: true, 4: true, 6: true, 8: true, 12: true, 14: true}

func maxAbs(a, b []float64) float64 {
	if len(a) != len(b) {
		panic("length mismatch")
	}
	var m float64
	for i := range a {
		d := math.Abs(a[i] - b[i])
		if math.IsNaN(d) {
			return math.NaN()
		}
		m = math.Max(m, d)
	}
	return m
}

func TestKernelNumericsVectors(t *testing.T) {
	// Values from docs/numerics.md#gabor-test-vectors (skimage 0.19.3 on Debian 12).
	k, err := NewKernel(Params{Frequency: 0.25, Theta: math.Pi / 4, Bandwidth: 1})
	if err != nil {
		t.Fatal(err)
	}
	if k.Rows != 11 || k.Cols != 11 {
		t.Fatalf("shape %d×%d, want 11×11", k.Rows, k.Cols)
	}
	if d := math.Abs(k.SigmaX - 2.248687501551331); d > 1e-15 {
		t.Errorf("sigma %v (diff %g)", k.SigmaX, d)
	}
	for _, c := range []struct {
		i, j   int
		re, im float64
	}{
		{5, 5, 0.031474723207133286, 0},
		{5, 6, 0.012659513474711366, 0.025546754783856943},
		{0, 0, 2.498526361299568e-05, 0.00022288549185089227},
		{10, 4, -0.0006408150151944524, -0.002319890416088198},
	} {
		re, im := k.Re[c.i*k.Cols+c.j], k.Im[c.i*k.Cols+c.j]
		if math.Abs(re-c.re) > 1e-12 || math.Abs(im-c.im) > 1e-12 {
			t.Errorf("K[%d,%d] = %v%+vi, want %v%+vi", c.i, c.j, re, im, c.re, c.im)
		}
	}
	// Kernel sides of the bank, docs/numerics.md#gabor-kernel.
	want := []int{461, 49, 93, 11, 651, 69, 131, 15, 461, 49, 93, 11, 651, 69, 131, 15}
	for i, p := range DefaultFilters() {
		k, err := NewKernel(p)
		if err != nil {
			t.Fatal(err)
		}
		if k.Rows != want[i] || k.Cols != want[i] {
			t.Errorf("filter %d: %d×%d, want %d×%d", i, k.Rows, k.Cols, want[i], want[i])
		}
		if got := SciPyUnsafe(k, 14, 14); got != unsafeBank[i] {
			t.Errorf("filter %d: SciPyUnsafe = %v", i, got)
		}
	}
}

type kernelMeta struct {
	Frequency, Theta, Bandwidth float64
	Shape                       []int
	Stride, Offset, Count       int
}

type goldenReport struct {
	Kernels []kernelMeta
}

func TestKernelGolden(t *testing.T) {
	// golden/gabor/kernels.npy: skimage.filters.gabor_kernel for the 16
	// bank filters then (0.1, π/4, 1) and (0.25, π/4, 1); kernels wider
	// than 131 are sampled every 7th row and column.
	var rep goldenReport
	b, err := os.ReadFile(filepath.Join(goldenDir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	_, flat, err := readNpy(filepath.Join(goldenDir, "kernels.npy"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Kernels) != 18 {
		t.Fatalf("%d kernels in report.json", len(rep.Kernels))
	}
	for i, m := range rep.Kernels {
		p := Params{Frequency: m.Frequency, Theta: m.Theta, Bandwidth: m.Bandwidth}
		if i < 16 && p != DefaultFilters()[i] {
			t.Errorf("kernel %d: golden params %+v, DefaultFilters has %+v", i, p, DefaultFilters()[i])
		}
		k, err := NewKernel(p)
		if err != nil {
			t.Fatal(err)
		}
		if k.Rows != m.Shape[0] || k.Cols != m.Shape[1] {
			t.Errorf("kernel %d: shape %d×%d, skimage %v", i, k.Rows, k.Cols, m.Shape)
			continue
		}
		var re, im []float64
		for r := 0; r < k.Rows; r += m.Stride {
			for c := 0; c < k.Cols; c += m.Stride {
				re = append(re, k.Re[r*k.Cols+c])
				im = append(im, k.Im[r*k.Cols+c])
			}
		}
		if len(re) != m.Count {
			t.Fatalf("kernel %d: %d samples, golden %d", i, len(re), m.Count)
		}
		g := flat[m.Offset : m.Offset+2*m.Count]
		if d := math.Max(maxAbs(re, g[:m.Count]), maxAbs(im, g[m.Count:])); !(d <= 1e-12) {
			t.Errorf("kernel %d %+v: max abs diff %g", i, p, d)
		}
	}
}

// writeRaw writes data as little-endian float64 for np.fromfile.
func writeRaw(t *testing.T, path string, data []float64) {
	t.Helper()
	b := make([]byte, 8*len(data))
	for i, v := range data {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(v))
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestKernelSkimage(t *testing.T) {
	// Every element of every bank kernel and the two examples, live.
	dir := t.TempDir()
	ps := append(DefaultFilters(), Params{Frequency: 0.1, Theta: math.Pi / 4, Bandwidth: 1},
		Params{Frequency: 0.25, Theta: math.Pi / 4, Bandwidth: 1})
	pyref.Run(t, []string{"numpy", "skimage"}, `
import sys, numpy as np
from skimage.filters import gabor_kernel
out = sys.argv[1]
ps = [(f, th, b) for th in (np.pi/4, np.pi/2, 3*np.pi/4, np.pi) for f in (0.05, 0.25) for b in (0.1, 1)]
ps += [(0.1, np.pi/4, 1), (0.25, np.pi/4, 1)]
for i, (f, th, b) in enumerate(ps):
    k = gabor_kernel(f, theta=th, bandwidth=b)
    np.save(f"{out}/k{i}.npy", np.stack([k.real, k.imag]))
`, dir)
	for i, p := range ps {
		k, err := NewKernel(p)
		if err != nil {
			t.Fatal(err)
		}
		shape, data, err := readNpy(filepath.Join(dir, fmt.Sprintf("k%d.npy", i)))
		if err != nil {
			t.Fatal(err)
		}
		if shape[1] != k.Rows || shape[2] != k.Cols {
			t.Errorf("kernel %d: shape %d×%d, skimage %v", i, k.Rows, k.Cols, shape)
			continue
		}
		n := k.Rows * k.Cols
		if d := math.Max(maxAbs(k.Re, data[:n]), maxAbs(k.Im, data[n:])); !(d <= 1e-12) {
			t.Errorf("kernel %d %+v: max abs diff %g", i, p, d)
		}
	}
}

// loadGoldenResponses returns images (n × 196) and the symmetric-pad
// reference responses, shape (n, 16, 2, 14, 14), of make_golden.py.
func loadGoldenResponses(t *testing.T) (imgs *mat.Dense, ref []float64, n int) {
	t.Helper()
	shape, data, err := readNpy(filepath.Join(goldenDir, "images.npy"))
	if err != nil {
		t.Fatal(err)
	}
	n = shape[0]
	if n < 20 || shape[1] != 14 || shape[2] != 14 {
		t.Fatalf("images.npy shape %v", shape)
	}
	shape, ref, err = readNpy(filepath.Join(goldenDir, "responses_ref.npy"))
	if err != nil {
		t.Fatal(err)
	}
	if shape[0] != n || shape[1] != 16 || shape[2] != 2 {
		t.Fatalf("responses_ref.npy shape %v", shape)
	}
	return mat.NewDense(n, 196, data), ref, n
}

func TestBankGolden(t *testing.T) {
	// Reference: numpy pad(mode='symmetric') + direct 'valid' correlation
	// with the flipped skimage kernel (make_golden.py), on a constant image,
	// a bright-corner image, arange/195, 5 random and 16 MNIST images.
	imgs, ref, n := loadGoldenResponses(t)
	bank, err := NewBank(14, 14, DefaultFilters())
	if err != nil {
		t.Fatal(err)
	}
	var feat mat.Dense
	bank.FeaturesTo(&feat, imgs)
	for f := 0; f < 16; f++ {
		var worst float64
		for i := 0; i < n; i++ {
			want := ref[((i*16+f)*2+0)*196 : ((i*16+f)*2+1)*196]
			worst = math.Max(worst, maxAbs(feat.RawRowView(i)[f*196:(f+1)*196], want))
		}
		if !(worst <= 1e-9) {
			t.Errorf("filter %d: fast path vs reference max abs diff %g", f, worst)
		}
	}
	// The imaginary parts through the same fold (LinearMapTo).
	for f := 0; f < 16; f++ {
		k := bank.Kernel(f)
		var m mat.Dense
		LinearMapTo(&m, k.Im, k.Rows, k.Cols, 14, 14)
		var im mat.Dense
		im.Mul(imgs, m.T())
		var worst float64
		for i := 0; i < n; i++ {
			want := ref[((i*16+f)*2+1)*196 : ((i*16+f)*2+2)*196]
			worst = math.Max(worst, maxAbs(im.RawRowView(i), want))
		}
		if !(worst <= 1e-9) {
			t.Errorf("filter %d: imaginary fast path vs reference max abs diff %g", f, worst)
		}
	}
}

func TestGaborDirectGolden(t *testing.T) {
	// The direct definition, real and imaginary parts, on the bright-corner
	// image and one MNIST image (the direct path costs ~1.5 s per image and
	// part for the 16 filters; the fast path is checked on all images).
	imgs, ref, _ := loadGoldenResponses(t)
	for _, i := range []int{1, 8} {
		img := imgs.RawRowView(i)
		for f, p := range DefaultFilters() {
			re, im, err := Gabor(img, 14, 14, p)
			if err != nil {
				t.Fatal(err)
			}
			base := (i*16 + f) * 2 * 196
			if d := math.Max(maxAbs(re, ref[base:base+196]), maxAbs(im, ref[base+196:base+392])); !(d <= 1e-9) {
				t.Errorf("image %d filter %d: direct vs reference max abs diff %g", i, f, d)
			}
		}
	}
}

func TestGaborNumericsVectors(t *testing.T) {
	// docs/numerics.md#gabor-test-vectors: img = arange(196).reshape(14,14)/195.
	img := make([]float64, 196)
	for i := range img {
		img[i] = float64(i) / 195
	}
	pi := math.Pi
	cases := []struct {
		name   string
		p      Params
		re, im map[int]float64
	}{
		{"f0.05_pi/2_b1", Params{Frequency: 0.05, Theta: pi / 2, Bandwidth: 1},
			map[int]float64{0: -0.12086583478473216, 7*14 + 7: 0.014181724839846649, 13*14 + 13: 0.12187121293547193},
			map[int]float64{0: -0.013702230450678539, 7*14 + 7: -0.12170412223214741}},
		{"f0.05_pi/2_b0.1_intended", Params{Frequency: 0.05, Theta: pi / 2, Bandwidth: 0.1},
			map[int]float64{0: 0.0002492948602040259, 7*14 + 7: 0.00011299294458102202},
			map[int]float64{7*14 + 7: 8.064077202840694e-05}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			re, im, err := Gabor(img, 14, 14, c.p)
			if err != nil {
				t.Fatal(err)
			}
			for i, w := range c.re {
				if math.Abs(re[i]-w) > 1e-12 {
					t.Errorf("real[%d] = %v, want %v", i, re[i], w)
				}
			}
			for i, w := range c.im {
				if math.Abs(im[i]-w) > 1e-12 {
					t.Errorf("imag[%d] = %v, want %v", i, im[i], w)
				}
			}
		})
	}
}

// testImages returns n 14×14 images, row-major, n × 196: a constant, a
// bright corner, then deterministic pseudo-random MNIST-like images.
func testImages(n int) *mat.Dense {
	x := mat.NewDense(n, 196, nil)
	s := uint64(12345)
	for i := 0; i < n; i++ {
		row := x.RawRowView(i)
		for j := range row {
			switch i {
			case 0:
				row[j] = 7
			case 1:
				if j == 0 {
					row[j] = 255
				}
			default:
				s = s*6364136223846793005 + 1442695040888963407
				if v := float64(s>>33) / (1 << 31) * 255; v > 128 {
					row[j] = v
				}
			}
		}
	}
	return x
}

func TestBankMatchesDirect(t *testing.T) {
	x := testImages(3)
	bank, err := NewBank(14, 14, DefaultFilters())
	if err != nil {
		t.Fatal(err)
	}
	var fast, direct mat.Dense
	bank.FeaturesTo(&fast, x)
	bank.FeaturesDirectTo(&direct, x)
	for _, d := range bank.Compare(&fast, &direct) {
		if !(d.MaxAbs <= 1e-9) {
			t.Errorf("filter %d: fast vs direct %g", d.Filter, d.MaxAbs)
		}
	}
	// Non-square images and a kernel larger than both sides.
	p := Params{Frequency: 0.05, Theta: 0.3, Bandwidth: 0.1}
	k, _ := NewKernel(p)
	img := x.RawRowView(2)[:5*7]
	want := make([]float64, 35)
	ConvolveTo(want, img, 5, 7, k.Re, k.Rows, k.Cols)
	var m mat.Dense
	LinearMapTo(&m, k.Re, k.Rows, k.Cols, 5, 7)
	got := mat.NewVecDense(35, nil)
	got.MulVec(&m, mat.NewVecDense(35, img))
	if d := maxAbs(got.RawVector().Data, want); !(d <= 1e-9) {
		t.Errorf("5×7 linear map vs direct: %g", d)
	}
}

func TestSkimageSafeFilters(t *testing.T) {
	// Filters whose half-size is below 56 against skimage's gabor itself,
	// on 20 images (constant, corner, random), real and imaginary parts.
	x := testImages(20)
	dir := t.TempDir()
	writeRaw(t, filepath.Join(dir, "x.bin"), x.RawMatrix().Data)
	pyref.Run(t, []string{"numpy", "skimage"}, `
import sys, numpy as np
from skimage.filters import gabor
d = sys.argv[1]
x = np.fromfile(d + "/x.bin", "<f8").reshape(-1, 14, 14)
ps = [(f, th, b) for th in (np.pi/4, np.pi/2, 3*np.pi/4, np.pi) for f in (0.05, 0.25) for b in (0.1, 1)]
out = np.zeros((len(x), len(ps), 2, 14, 14))
for i, img in enumerate(x):
    for j, (f, th, b) in enumerate(ps):
        if j in (0, 4, 6, 8, 12, 14):
            continue  # scipy reads out of bounds for these
        out[i, j] = gabor(img, f, theta=th, bandwidth=b)
np.save(d + "/out.npy", out)
`, dir)
	_, sk, err := readNpy(filepath.Join(dir, "out.npy"))
	if err != nil {
		t.Fatal(err)
	}
	for f, p := range DefaultFilters() {
		if unsafeBank[f] {
			continue
		}
		var worst float64
		for i := 0; i < 20; i++ {
			re, im, err := Gabor(x.RawRowView(i), 14, 14, p)
			if err != nil {
				t.Fatal(err)
			}
			base := (i*16 + f) * 2 * 196
			worst = math.Max(worst, math.Max(maxAbs(re, sk[base:base+196]), maxAbs(im, sk[base+196:base+392])))
		}
		if !(worst <= 1e-9) {
			t.Errorf("filter %d: direct vs skimage max abs diff %g", f, worst)
		}
		t.Logf("filter %d: max |Go − skimage| = %g", f, worst)
	}
}

func TestSciPyDefect(t *testing.T) {
	// Minimal case of the scipy 1.10 defect (docs/numerics.md#scipy-reflect-defect): a 2×2 image
	// and a 1×17 kernel (half-size 8 = 4·2). scipy maps the column offset
	// −8 = −2·(2n) to −1 instead of 0, so row 1 reads the last pixel of
	// row 0 and row 0 reads before the array. With half-size 7 scipy is
	// right. Go's ConvolveTo implements the intended periodic reflection,
	// checked against numpy's symmetric pad.
	img := []float64{1, 2, 3, 4}
	for _, h := range []int{7, 8} {
		t.Run(fmt.Sprintf("halfsize%d", h), func(t *testing.T) {
			w := make([]float64, 2*h+1)
			for i := range w {
				w[i] = float64(i + 1)
			}
			out := pyref.Run(t, []string{"numpy", "scipy"}, `
import sys, numpy as np
from scipy import ndimage as ndi
h = int(sys.argv[1])
img = np.array([[1., 2.], [3., 4.]])
w = np.arange(1., 2*h+2).reshape(1, -1)
p = np.pad(img, ((0, 0), (h, h)), mode="symmetric")
ref = np.array([[np.dot(p[r, c:c+2*h+1], w[0, ::-1]) for c in range(2)] for r in range(2)])
runs = [ndi.convolve(img, w, mode="reflect") for _ in range(3)]
print(repr(ref.ravel().tolist()))
for a in runs:
    print(repr(a.ravel().tolist()))
`, fmt.Sprint(h))
			var ref []float64
			var runs [][]float64
			for i, line := range splitLines(string(out)) {
				var v []float64
				if err := json.Unmarshal([]byte(line), &v); err != nil {
					t.Fatalf("parse %q: %v", line, err)
				}
				if i == 0 {
					ref = v
				} else {
					runs = append(runs, v)
				}
			}
			got := make([]float64, 4)
			ConvolveTo(got, img, 2, 2, w, 1, 2*h+1)
			if d := maxAbs(got, ref); d != 0 {
				t.Errorf("Go %v vs symmetric pad %v", got, ref)
			}
			k := &Kernel{Rows: 1, Cols: 2*h + 1, Y0: 0, X0: h}
			var worst float64
			for _, r := range runs {
				d := maxAbs(r, ref)
				if math.IsNaN(d) || math.IsInf(d, 0) {
					d = math.Inf(1)
				}
				worst = math.Max(worst, d)
			}
			t.Logf("half-size %d: symmetric pad %v, scipy %v (max diff %g)", h, ref, runs, worst)
			if SciPyUnsafe(k, 2, 2) {
				// Row 1, column 0 reads img[0,1]=2 instead of img[1,0]=3
				// with weight 1 (the flipped kernel's first tap).
				if !(worst >= 0.5) {
					t.Errorf("expected scipy to be wrong at half-size %d; max diff %g", h, worst)
				}
			} else if worst != 0 {
				t.Errorf("scipy should be exact at half-size %d; max diff %g", h, worst)
			}
		})
	}
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			if i > start {
				out = append(out, s[start:i])
			}
			start = i + 1
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

func TestCompare(t *testing.T) {
	bank, err := NewBank(14, 14, DefaultFilters())
	if err != nil {
		t.Fatal(err)
	}
	x := testImages(3)
	var a mat.Dense
	bank.FeaturesTo(&a, x)
	b := mat.DenseCopyOf(&a)
	b.Set(1, 5*196+3, b.At(1, 5*196+3)+0.25)
	b.Set(2, 14*196, math.NaN())
	for _, d := range bank.Compare(&a, b) {
		switch d.Filter {
		case 5:
			if math.Abs(d.MaxAbs-0.25) > 1e-12 {
				t.Errorf("filter 5: %g, want 0.25", d.MaxAbs)
			}
		case 14:
			if !math.IsNaN(d.MaxAbs) || !d.SciPyUnsafe {
				t.Errorf("filter 14: %+v, want NaN and SciPyUnsafe", d)
			}
		default:
			if d.MaxAbs != 0 {
				t.Errorf("filter %d: %g, want 0", d.Filter, d.MaxAbs)
			}
		}
	}
}

func TestSummary(t *testing.T) {
	diffs := []FilterDiff{{Filter: 0, MaxAbs: 3e243}, {Filter: 1, MaxAbs: 1e-15}, {Filter: 2, MaxAbs: math.NaN()}}
	want := "2 of 3 filters differ by more than 1e-09 (0, 2; up to NaN); the other 1 agree within 1e-15"
	if got := Summary(diffs, 1e-9); got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
	if got := Summary(diffs[1:2], 1e-9); got != "all 1 filters agree within 1e-15" {
		t.Errorf("Summary = %q", got)
	}
}

type discrepancy struct {
	KernelShape []int   `json:"kernel_shape"`
	ScipyUnsafe bool    `json:"scipy_unsafe"`
	MaxAbsDiff  float64 `json:"max_abs_diff"`
}

func TestReportedDiscrepancy(t *testing.T) {
	// report.json: skimage vs the symmetric-pad reference on 20 MNIST
	// images, measured twice by make_golden.py. Every filter skimage gets
	// wrong must be one SciPyUnsafe predicts, and the safe ones must agree.
	b, err := os.ReadFile(filepath.Join(goldenDir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Run1 []discrepancy `json:"discrepancy_run1"`
		Run2 []discrepancy `json:"discrepancy_run2"`
		Safe []*float64    `json:"safe_filters_skimage_vs_reference_on_golden_images"`
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	for r, run := range [][]discrepancy{rep.Run1, rep.Run2} {
		if len(run) != 16 {
			t.Fatalf("run %d: %d filters", r+1, len(run))
		}
		diffs := make([]FilterDiff, 16)
		for f, d := range run {
			diffs[f] = FilterDiff{Filter: f, MaxAbs: d.MaxAbsDiff, SciPyUnsafe: d.ScipyUnsafe}
			if d.ScipyUnsafe != unsafeBank[f] {
				t.Errorf("run %d filter %d: scipy_unsafe %v", r+1, f, d.ScipyUnsafe)
			}
			if !unsafeBank[f] && !(d.MaxAbsDiff <= 1e-9) {
				t.Errorf("run %d filter %d: safe filter differs by %g", r+1, f, d.MaxAbsDiff)
			}
		}
		t.Logf("run %d: %s", r+1, Summary(diffs, 1e-9))
	}
	for f, d := range rep.Safe {
		if (d == nil) != unsafeBank[f] || (d != nil && !(*d <= 1e-12)) {
			t.Errorf("filter %d: skimage vs reference on golden images %v", f, d)
		}
	}
}

func TestParamErrors(t *testing.T) {
	for _, p := range []Params{
		{},
		{Frequency: -1},
		{Frequency: math.NaN()},
		{Frequency: 0.1, Bandwidth: -1},
		{Frequency: 0.1, SigmaX: -2},
		{Frequency: 0.1, NStds: math.Inf(1)},
		{Frequency: 1e-9},
	} {
		_, err := NewKernel(p)
		var pe *paramError
		if !errors.As(err, &pe) {
			t.Errorf("%+v: error %v, want *paramError", p, err)
		}
	}
	// Explicit sigmas override the bandwidth, as in skimage.
	k, err := NewKernel(Params{Frequency: 0.1, SigmaX: 2, SigmaY: 1})
	if err != nil || k.Rows != 7 || k.Cols != 13 {
		t.Errorf("sigma 2,1: %v, shape %d×%d, want 7×13", err, k.Rows, k.Cols)
	}
}

func benchBank(b *testing.B, n int) {
	bank, err := NewBank(14, 14, DefaultFilters())
	if err != nil {
		b.Fatal(err)
	}
	x := testImages(n)
	dst := mat.NewDense(n, bank.NumFeatures(), nil)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bank.FeaturesTo(dst, x)
	}
}

// BenchmarkBank extracts the 16-filter features of 2,000 images.
func BenchmarkBank(b *testing.B) { benchBank(b, 2000) }

// BenchmarkNewBank builds the kernels and the 3136×196 operator.
func BenchmarkNewBank(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := NewBank(14, 14, DefaultFilters()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBankEndToEnd is NewBank plus the features of 2,000 images.
func BenchmarkBankEndToEnd(b *testing.B) {
	x := testImages(2000)
	for i := 0; i < b.N; i++ {
		bank, err := NewBank(14, 14, DefaultFilters())
		if err != nil {
			b.Fatal(err)
		}
		var dst mat.Dense
		bank.FeaturesTo(&dst, x)
	}
}
