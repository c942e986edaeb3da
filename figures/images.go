package figures

import (
	"fmt"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Panel is one image of an ImageGrid.
type Panel struct {
	Title      string
	Rows, Cols int
	// Pixels is Rows x Cols, row-major.
	Pixels []float64
	// Map chooses the colours. Gray stretches [min,max] (or [Lo,Hi] when
	// they differ); Diverging centres 0 on white with limits ±max|v|.
	Map    Colormap
	Lo, Hi float64
}

// ImageGrid lays panels out in rows of Columns panels.
type ImageGrid struct {
	Title   string
	Columns int
	Panels  []Panel
	// PanelSize is the side of one panel in inches; zero means 2.
	PanelSize float64
}

// WritePNG renders the grid.
func (g ImageGrid) WritePNG(w io.Writer) error {
	n := len(g.Panels)
	if n == 0 {
		return fmt.Errorf("figures: image grid %q has no panels", g.Title)
	}
	cols := g.Columns
	if cols <= 0 || cols > n {
		cols = n
	}
	rows := (n + cols - 1) / cols
	side := g.PanelSize
	if side <= 0 {
		side = 2
	}
	plots := make([][]*plot.Plot, rows)
	for r := range plots {
		plots[r] = make([]*plot.Plot, cols)
	}
	for i, pn := range g.Panels {
		if pn.Rows <= 0 || pn.Cols <= 0 || len(pn.Pixels) != pn.Rows*pn.Cols {
			return fmt.Errorf("figures: image grid %q: panel %d (%q): %d pixels for %dx%d",
				g.Title, i, pn.Title, len(pn.Pixels), pn.Rows, pn.Cols)
		}
		lo, hi := pn.Lo, pn.Hi
		if lo == hi {
			lo, hi = limits(pn.Pixels, pn.Map == Diverging)
		}
		p := plot.New()
		p.Title.Text = pn.Title
		p.Title.TextStyle.Font.Size = vg.Points(9)
		p.HideAxes()
		// Keep the panel square in data units whatever its aspect.
		ext := math.Max(float64(pn.Rows), float64(pn.Cols))
		x0 := (ext - float64(pn.Cols)) / 2
		y0 := (ext - float64(pn.Rows)) / 2
		img := plotter.NewImage(raster(pn.Rows, pn.Cols, pn.Pixels, lo, hi, pn.Map), x0, y0, x0+float64(pn.Cols), y0+float64(pn.Rows))
		p.Add(img)
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, ext, 0, ext
		plots[i/cols][i%cols] = p
	}
	titleH := vg.Length(0)
	if g.Title != "" {
		titleH = 0.4 * vg.Inch
	}
	wd := vg.Length(side*float64(cols)) * vg.Inch
	ht := vg.Length(side*float64(rows))*vg.Inch + titleH
	c := newCanvas(wd, ht)
	dc := draw.New(c)
	if g.Title != "" {
		sty := plot.New().Title.TextStyle
		sty.Font.Size = vg.Points(12)
		sty.XAlign = draw.XCenter
		sty.YAlign = draw.YTop
		dc.FillText(sty, vg.Point{X: wd / 2, Y: ht - vg.Points(4)}, g.Title)
		dc = draw.Crop(dc, 0, 0, 0, -titleH)
	}
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(4), PadY: vg.Points(4),
		PadTop: vg.Points(2), PadBottom: vg.Points(2), PadLeft: vg.Points(2), PadRight: vg.Points(2)}
	canvases := plot.Align(plots, tiles, dc)
	for r := range plots {
		for col := range plots[r] {
			if plots[r][col] != nil {
				plots[r][col].Draw(canvases[r][col])
			}
		}
	}
	_, err := pngTo(w, c)
	return err
}
