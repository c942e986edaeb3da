package figures

import (
	"image"
	"math"
	"slices"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

func TestBinExtremes(t *testing.T) {
	xy := func(ys ...float64) plotter.XYs {
		out := make(plotter.XYs, len(ys))
		for i, y := range ys {
			out[i] = plotter.XY{X: float64(i), Y: y}
		}
		return out
	}
	byThree := func(x float64) int { return int(x) / 3 }
	for _, c := range []struct {
		name string
		in   plotter.XYs
		want []float64 // the x of the kept points
	}{
		{"empty", nil, nil},
		{"one point", xy(5), []float64{0}},
		{"bins of one to three points", xy(1, 2, 3, 4, 5), []float64{0, 2, 3, 4}},
		// bin 0: first 0, lowest 1, highest 2, last 2; bin 1: first 3,
		// highest 4, lowest 5; bin 2: 6 and 7.
		{"lowest before highest and after", xy(5, 0, 9, 4, 8, 1, 3, 3), []float64{0, 1, 2, 3, 4, 5, 6, 7}},
		{"extremes inside a longer bin", xy(5, 5, 5, 0, 9, 5, 5, 5, 5, 5), []float64{0, 2, 3, 4, 5, 6, 8, 9}},
	} {
		got := binExtremes(c.in, byThree)
		var xs []float64
		for _, p := range got {
			xs = append(xs, p.X)
		}
		if !slices.Equal(xs, c.want) {
			t.Errorf("%s: kept x %v, want %v", c.name, xs, c.want)
		}
	}
	// Twelve points per bin: four survive, with each bin's extremes.
	long := xy(noisyCurve(1200, 1)...)
	byTwelve := func(x float64) int { return int(x) / 12 }
	got := binExtremes(long, byTwelve)
	if len(got) > 4*100 {
		t.Errorf("kept %d points of 1200 in 100 bins, want at most 400", len(got))
	}
	for b := 0; b < 100; b++ {
		var lo, hi, klo, khi = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
		for _, p := range long[b*12 : b*12+12] {
			lo, hi = min(lo, p.Y), max(hi, p.Y)
		}
		for _, p := range got {
			if byTwelve(p.X) == b {
				klo, khi = min(klo, p.Y), max(khi, p.Y)
			}
		}
		if lo != klo || hi != khi {
			t.Fatalf("bin %d: kept range [%v, %v], want [%v, %v]", b, klo, khi, lo, hi)
		}
	}
}

// TestColumnLineLooksTheSame draws the full-size Problem 3 chart with
// every point and with the quarter-pixel reduction, and compares pixels:
// only antialiasing may move.
func TestColumnLineLooksTheSame(t *testing.T) {
	l := trainingChart()
	draw1 := func(pixel vg.Length) *image.RGBA {
		p, wd, ht, err := l.plot(pixel)
		if err != nil {
			t.Fatal(err)
		}
		c := newCanvas(wd, ht)
		p.Draw(draw.New(c))
		return c.Image().(*image.RGBA)
	}
	thin, full := draw1(vg.Inch/dpi), draw1(0)
	var differ, far, worst int
	for i := 0; i < len(thin.Pix); i += 4 {
		d := 0
		for k := range 3 {
			d = max(d, absInt(int(thin.Pix[i+k])-int(full.Pix[i+k])))
		}
		if d > 0 {
			differ++
		}
		if d > 64 {
			far++
		}
		worst = max(worst, d)
	}
	n := len(thin.Pix) / 4
	t.Logf("%d of %d pixels differ, %d by more than 64/255, at most by %d/255", differ, n, far, worst)
	// Measured: 2,932 pixels (1.2%), 13 by more than 64, at most 87.
	// Whole-pixel bins: 7,153, 460 and 143.
	if differ > n/50 || far > 50 || worst > 128 {
		t.Errorf("the reduced drawing differs from the full one in %d pixels (%d by more than 64/255, at most %d/255): more than antialiasing",
			differ, far, worst)
	}
}

func absInt(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// TestColumnLineLayout: the four glyph boxes of columnLine give the
// plot the same data area as plotter.Line's box per point.
func TestColumnLineLayout(t *testing.T) {
	for _, logY := range []bool{false, true} {
		var areas []vg.Rectangle
		for _, reduced := range []bool{false, true} {
			p := plot.New()
			if logY {
				p.Y.Scale = plot.LogScale{}
			}
			line, err := plotter.NewLine(points0(noisyCurve(3000, 1)))
			if err != nil {
				t.Fatal(err)
			}
			line.Width = vg.Points(3)
			if reduced {
				p.Add(columnLine{line, vg.Inch / dpi})
			} else {
				p.Add(line)
			}
			c := newCanvas(6*vg.Inch, 4*vg.Inch)
			areas = append(areas, p.DataCanvas(draw.New(c)).Rectangle)
		}
		if areas[0] != areas[1] {
			t.Errorf("logY %v: data area %v with columnLine, %v with plotter.Line", logY, areas[1], areas[0])
		}
	}
}

func points0(y []float64) plotter.XYs {
	xy, _ := points(Series{Y: y}, false)
	return xy
}
