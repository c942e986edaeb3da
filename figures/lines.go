package figures

import (
	"fmt"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Series is one curve of a Lines chart. X and Y have equal lengths; a nil X
// means 0, 1, 2, ... (one point per update, for training curves).
type Series struct {
	Name string
	X, Y []float64
	// Markers draws a glyph at every point; use it for sparse series such
	// as the 11 validation measurements.
	Markers bool
}

// Lines is a line chart.
type Lines struct {
	Title, XLabel, YLabel string
	Series                []Series
	// LogY puts the y axis on a log scale; non-positive values are then
	// dropped from the plot.
	LogY bool
	// Smooth, when > 1, overlays a moving average over that many points on
	// series with more than 10*Smooth points, so a noisy per-update curve
	// still shows its trend. The raw series is kept, drawn lighter.
	Smooth int
	// SmoothOnly, with Smooth, leaves out the raw series that are
	// smoothed, so that several noisy curves can share one chart.
	SmoothOnly bool
	// Width and Height in inches; zero means 6 x 4.
	Width, Height float64
}

var palette = []color.Color{
	color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff},
	color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff},
	color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff},
	color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff},
	color.RGBA{R: 0x94, G: 0x67, B: 0xbd, A: 0xff},
	color.RGBA{R: 0x8c, G: 0x56, B: 0x4b, A: 0xff},
}

func lighter(c color.Color) color.Color {
	r, g, b, _ := c.RGBA()
	mix := func(v uint32) uint8 { return uint8((v>>8)/3 + 2*255/3) }
	return color.RGBA{R: mix(r), G: mix(g), B: mix(b), A: 0xff}
}

// WritePNG renders the chart.
func (l Lines) WritePNG(w io.Writer) error {
	p, wd, ht, err := l.plot(vg.Inch / dpi)
	if err != nil {
		return err
	}
	return writePlot(w, p, wd, ht)
}

// WritePDF renders the chart as a vector PDF of the same size.
func (l Lines) WritePDF(w io.Writer) error {
	p, wd, ht, err := l.plot(0)
	if err != nil {
		return err
	}
	return writePlotPDF(w, p, wd, ht)
}

// plot builds the chart for a canvas whose pixels are pixel wide; zero
// (a vector canvas) draws every point.
func (l Lines) plot(pixel vg.Length) (*plot.Plot, vg.Length, vg.Length, error) {
	if len(l.Series) == 0 {
		return nil, 0, 0, fmt.Errorf("figures: line chart %q has no series", l.Title)
	}
	p := plot.New()
	p.Title.Text = l.Title
	p.X.Label.Text = l.XLabel
	p.Y.Label.Text = l.YLabel
	p.Add(plotter.NewGrid())
	p.Legend.Top = true
	if l.LogY {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	}
	for i, s := range l.Series {
		xy, err := points(s, l.LogY)
		if err != nil {
			return nil, 0, 0, fmt.Errorf("figures: chart %q: series %q: %w", l.Title, s.Name, err)
		}
		c := palette[i%len(palette)]
		smoothed := l.Smooth > 1 && len(xy) > 10*l.Smooth
		line, err := plotter.NewLine(xy)
		if err != nil {
			return nil, 0, 0, fmt.Errorf("figures: chart %q: series %q: %w", l.Title, s.Name, err)
		}
		line.Color = c
		line.Width = vg.Points(1)
		if smoothed {
			line.Color = lighter(c)
			line.Width = vg.Points(0.5)
		}
		if !smoothed || !l.SmoothOnly {
			p.Add(columnLine{line, pixel})
		}
		if smoothed {
			avg, err := plotter.NewLine(movingAverage(xy, l.Smooth))
			if err != nil {
				return nil, 0, 0, err
			}
			avg.Color = c
			avg.Width = vg.Points(1.5)
			p.Add(columnLine{avg, pixel})
			p.Legend.Add(fmt.Sprintf("%s (mean of %d)", s.Name, l.Smooth), avg)
		} else {
			p.Legend.Add(s.Name, line)
		}
		if s.Markers {
			sc, err := plotter.NewScatter(xy)
			if err != nil {
				return nil, 0, 0, err
			}
			sc.GlyphStyle.Color = c
			sc.GlyphStyle.Shape = draw.CircleGlyph{}
			sc.GlyphStyle.Radius = vg.Points(2.5)
			p.Add(sc)
		}
	}
	wd, ht := size(l.Width, l.Height, 6, 4)
	return p, wd, ht, nil
}

func points(s Series, logY bool) (plotter.XYs, error) {
	if s.X != nil && len(s.X) != len(s.Y) {
		return nil, fmt.Errorf("len(X)=%d != len(Y)=%d", len(s.X), len(s.Y))
	}
	xy := make(plotter.XYs, 0, len(s.Y))
	for i, y := range s.Y {
		x := float64(i)
		if s.X != nil {
			x = s.X[i]
		}
		if math.IsNaN(y) || math.IsInf(y, 0) || math.IsNaN(x) || math.IsInf(x, 0) || (logY && y <= 0) {
			continue
		}
		xy = append(xy, plotter.XY{X: x, Y: y})
	}
	if len(xy) == 0 {
		return nil, fmt.Errorf("no finite points")
	}
	return xy, nil
}

// movingAverage returns the trailing mean over n points, one value per
// point from the n-th on.
func movingAverage(xy plotter.XYs, n int) plotter.XYs {
	out := make(plotter.XYs, 0, len(xy)-n+1)
	var sum float64
	for i, p := range xy {
		sum += p.Y
		if i >= n {
			sum -= xy[i-n].Y
		}
		if i >= n-1 {
			out = append(out, plotter.XY{X: p.X, Y: sum / float64(n)})
		}
	}
	return out
}

func size(w, h, dw, dh float64) (vg.Length, vg.Length) {
	if w <= 0 {
		w = dw
	}
	if h <= 0 {
		h = dh
	}
	return vg.Length(w) * vg.Inch, vg.Length(h) * vg.Inch
}

// columnLine is a line for a raster canvas whose pixels are pixel wide
// (0: a vector canvas, where every point is drawn). A training curve has
// about 19 points per pixel column, and stroking every one made the
// Problem 3 stages spend most of their fixed time in the rasterizer
// (bench/RESULTS.md, issue 11). Plot cuts the x axis into bins of a
// quarter pixel and strokes, of the points in one bin, the first, the
// lowest, the highest and the last, in their order (the "M4" reduction of
// Jugel et al., VLDB 2014): every bin keeps its vertical extent and its
// joins to its neighbours. Whole-pixel bins left visible light streaks in
// a dense noisy band, where the full zigzag covers a column and four
// points do not; quarter pixels differ from the full drawing only in the
// antialiasing of a few edge pixels (TestColumnLineLooksTheSame).
type columnLine struct {
	*plotter.Line
	pixel vg.Length
}

const binsPerPixel = 4

// Plot implements plot.Plotter.
func (l columnLine) Plot(c draw.Canvas, plt *plot.Plot) {
	if l.pixel <= 0 {
		l.Line.Plot(c, plt)
		return
	}
	trX, _ := plt.Transforms(&c)
	bin := l.pixel / binsPerPixel
	xy := binExtremes(l.XYs, func(x float64) int { return int(math.Floor(float64(trX(x) / bin))) })
	piece := *l.Line
	for i := 0; i < len(xy)-1; i += strokePoints - 1 {
		piece.XYs = xy[i:min(i+strokePoints, len(xy))]
		piece.Plot(c, plt)
	}
}

// strokePoints bounds the points of one stroked path. The rasterizer
// (github.com/golang/freetype/raster, under gonum's vgimg) keeps each scan
// line's cells in a list that it walks for every new
// cell, so one long noisy path costs about the square of the columns it
// crosses, and pieces of 64 points little more than their length.
// Neighbouring pieces share an end point. (A dash pattern would restart
// at every piece; Lines draws solid lines only.)
const strokePoints = 64

// GlyphBoxes implements plot.GlyphBoxer. The plot pads its axes so that
// the outermost glyph boxes fit. A line's boxes all have the same size,
// so the points with the least and greatest x and y decide the padding:
// their four boxes give the same layout as a box per point, which plot
// builds several times per drawing.
func (l columnLine) GlyphBoxes(plt *plot.Plot) []plot.GlyphBox {
	all := l.XYs
	if len(all) == 0 {
		return nil
	}
	var ext [4]int
	for i, p := range all {
		if p.X < all[ext[0]].X {
			ext[0] = i
		}
		if p.X > all[ext[1]].X {
			ext[1] = i
		}
		if p.Y < all[ext[2]].Y {
			ext[2] = i
		}
		if p.Y > all[ext[3]].Y {
			ext[3] = i
		}
	}
	few := *l.Line
	few.XYs = plotter.XYs{all[ext[0]], all[ext[1]], all[ext[2]], all[ext[3]]}
	return few.GlyphBoxes(plt)
}

// binExtremes keeps, of each run of consecutive points in the same bin,
// the first, the lowest, the highest and the last point, in the order
// they come. Every y scale of plot is monotone, so the lowest and highest
// in data are the lowest and highest on the canvas.
func binExtremes(xy plotter.XYs, bin func(x float64) int) plotter.XYs {
	out := make(plotter.XYs, 0, min(len(xy), 4096))
	for i := 0; i < len(xy); {
		b := bin(xy[i].X)
		lo, hi, j := i, i, i+1
		for ; j < len(xy) && bin(xy[j].X) == b; j++ {
			if xy[j].Y < xy[lo].Y {
				lo = j
			}
			if xy[j].Y > xy[hi].Y {
				hi = j
			}
		}
		keep := [4]int{i, min(lo, hi), max(lo, hi), j - 1}
		for k, idx := range keep {
			if k == 0 || idx != keep[k-1] {
				out = append(out, xy[idx])
			}
		}
		i = j
	}
	return out
}
