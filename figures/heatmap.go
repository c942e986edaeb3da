package figures

import (
	"fmt"
	"io"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Heatmap is an annotated matrix, such as a confusion matrix: row 0 is
// drawn at the top, as a table reads.
type Heatmap struct {
	Title, XLabel, YLabel string
	Rows, Cols            int
	// Values is Rows x Cols, row-major.
	Values []float64
	// RowLabels and ColLabels name the rows and columns; nil means 0, 1, ...
	RowLabels, ColLabels []string
	// Format is the fmt verb for the cell annotations; "" means %g.
	Format string
	// Width and Height in inches; zero means 5.5 x 5.
	Width, Height float64
}

// WritePNG renders the heat map.
func (h Heatmap) WritePNG(w io.Writer) error {
	p, wd, ht, err := h.plot()
	if err != nil {
		return err
	}
	return writePlot(w, p, wd, ht)
}

// WritePDF renders the heat map as a PDF of the same size: axes, labels
// and annotations are vector, the cell colours an embedded image.
func (h Heatmap) WritePDF(w io.Writer) error {
	p, wd, ht, err := h.plot()
	if err != nil {
		return err
	}
	return writePlotPDF(w, p, wd, ht)
}

func (h Heatmap) plot() (*plot.Plot, vg.Length, vg.Length, error) {
	if h.Rows <= 0 || h.Cols <= 0 || len(h.Values) != h.Rows*h.Cols {
		return nil, 0, 0, fmt.Errorf("figures: heat map %q: %d values for %dx%d", h.Title, len(h.Values), h.Rows, h.Cols)
	}
	rowLabels, err := labels(h.RowLabels, h.Rows)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("figures: heat map %q: rows: %w", h.Title, err)
	}
	colLabels, err := labels(h.ColLabels, h.Cols)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("figures: heat map %q: columns: %w", h.Title, err)
	}
	format := h.Format
	if format == "" {
		format = "%g"
	}
	p := plot.New()
	p.Title.Text = h.Title
	p.X.Label.Text = h.XLabel
	p.Y.Label.Text = h.YLabel

	lo, hi := limits(h.Values, false)
	img := raster(h.Rows, h.Cols, h.Values, lo, hi, Heat)
	p.Add(plotter.NewImage(img, 0, 0, float64(h.Cols), float64(h.Rows)))

	var cells plotter.XYLabels
	for r := 0; r < h.Rows; r++ {
		for c := 0; c < h.Cols; c++ {
			v := h.Values[r*h.Cols+c]
			cells.XYs = append(cells.XYs, plotter.XY{X: float64(c) + 0.5, Y: float64(h.Rows-1-r) + 0.5})
			cells.Labels = append(cells.Labels, fmt.Sprintf(format, v))
		}
	}
	lab, err := plotter.NewLabels(cells)
	if err != nil {
		return nil, 0, 0, err
	}
	for i := range lab.TextStyle {
		lab.TextStyle[i].XAlign = draw.XCenter
		lab.TextStyle[i].YAlign = draw.YCenter
		lab.TextStyle[i].Font.Size = vg.Points(8)
		if v := h.Values[i]; hi > lo && (v-lo)/(hi-lo) > 0.55 {
			lab.TextStyle[i].Color = whiteText
		}
	}
	p.Add(lab)

	xt := make([]plot.Tick, h.Cols)
	for c := range xt {
		xt[c] = plot.Tick{Value: float64(c) + 0.5, Label: colLabels[c]}
	}
	yt := make([]plot.Tick, h.Rows)
	for r := range yt {
		yt[r] = plot.Tick{Value: float64(h.Rows-1-r) + 0.5, Label: rowLabels[r]}
	}
	p.X.Tick.Marker = plot.ConstantTicks(xt)
	p.Y.Tick.Marker = plot.ConstantTicks(yt)
	p.X.Min, p.X.Max = 0, float64(h.Cols)
	p.Y.Min, p.Y.Max = 0, float64(h.Rows)
	wd, ht := size(h.Width, h.Height, 5.5, 5)
	return p, wd, ht, nil
}

func labels(given []string, n int) ([]string, error) {
	if given == nil {
		out := make([]string, n)
		for i := range out {
			out[i] = strconv.Itoa(i)
		}
		return out, nil
	}
	if len(given) != n {
		return nil, fmt.Errorf("%d labels for %d entries", len(given), n)
	}
	return given, nil
}
