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
	p, wd, ht, err := l.plot()
	if err != nil {
		return err
	}
	return writePlot(w, p, wd, ht)
}

// WritePDF renders the chart as a vector PDF of the same size.
func (l Lines) WritePDF(w io.Writer) error {
	p, wd, ht, err := l.plot()
	if err != nil {
		return err
	}
	return writePlotPDF(w, p, wd, ht)
}

func (l Lines) plot() (*plot.Plot, vg.Length, vg.Length, error) {
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
			p.Add(line)
		}
		if smoothed {
			avg, err := plotter.NewLine(movingAverage(xy, l.Smooth))
			if err != nil {
				return nil, 0, 0, err
			}
			avg.Color = c
			avg.Width = vg.Points(1.5)
			p.Add(avg)
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
