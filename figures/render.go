package figures

import (
	"bytes"
	"image"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"

	"hw1pipe/internal/pdfdate"
)

// dpi fixes the pixel size of every figure: the report page sizes images
// by their pixels, and the same DPI keeps bytes stable across machines.
const dpi = 100

func newCanvas(w, h vg.Length) *vgimg.Canvas {
	return vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))
}

func writePlot(w io.Writer, p *plot.Plot, wd, ht vg.Length) error {
	c := newCanvas(wd, ht)
	p.Draw(draw.New(c))
	_, err := vgimg.PngCanvas{Canvas: c}.WriteTo(w)
	return err
}

// writePlotPDF draws p as a one-page vector PDF of wd x ht with the fonts
// embedded, so that LaTeX can \includegraphics it at any size. fpdf
// stamps the current time into the file; pdfdate pins it so that the same
// figure gives the same bytes.
func writePlotPDF(w io.Writer, p *plot.Plot, wd, ht vg.Length) error {
	c := vgpdf.New(wd, ht)
	p.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return err
	}
	b, _ := pdfdate.Fix(buf.Bytes())
	_, err := w.Write(b)
	return err
}

// Colormap maps a value in [0,1] to a color.
type Colormap int

const (
	// Gray maps 0 to black and 1 to white (digits as MNIST shows them).
	Gray Colormap = iota
	// Diverging maps 0 to blue, 0.5 to white and 1 to red; with symmetric
	// limits it shows signed values such as kernels and responses.
	Diverging
	// Heat maps 0 to white and 1 to dark blue, for counts.
	Heat
)

func (m Colormap) at(t float64) color.RGBA {
	if math.IsNaN(t) {
		return color.RGBA{R: 0xff, G: 0x00, B: 0xff, A: 0xff}
	}
	t = math.Max(0, math.Min(1, t))
	lerp := func(a, b uint8, t float64) uint8 { return uint8(math.Round(float64(a) + (float64(b)-float64(a))*t)) }
	switch m {
	case Diverging:
		if t < 0.5 {
			s := t / 0.5
			return color.RGBA{R: lerp(0x21, 0xff, s), G: lerp(0x66, 0xff, s), B: lerp(0xac, 0xff, s), A: 0xff}
		}
		s := (t - 0.5) / 0.5
		return color.RGBA{R: lerp(0xff, 0xb2, s), G: lerp(0xff, 0x18, s), B: lerp(0xff, 0x2b, s), A: 0xff}
	case Heat:
		return color.RGBA{R: lerp(0xf7, 0x08, t), G: lerp(0xfb, 0x30, t), B: lerp(0xff, 0x6b, t), A: 0xff}
	default:
		g := lerp(0, 0xff, t)
		return color.RGBA{R: g, G: g, B: g, A: 0xff}
	}
}

// maxRasterSide is about the largest side, in pixels, of a drawn image.
const maxRasterSide = 400

// raster turns a rows x cols row-major array into an image, mapping
// [lo,hi] onto the colormap.
func raster(rows, cols int, v []float64, lo, hi float64, m Colormap) *image.RGBA {
	// plotter.Image interpolates when it scales; blowing each value up to
	// a block of k x k pixels first keeps cells crisp, as a matrix should look.
	k := max(1, (maxRasterSide+max(rows, cols)-1)/max(rows, cols))
	img := image.NewRGBA(image.Rect(0, 0, cols*k, rows*k))
	span := hi - lo
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			t := 0.5
			if span > 0 {
				t = (v[r*cols+c] - lo) / span
			}
			px := m.at(t)
			for dy := 0; dy < k; dy++ {
				for dx := 0; dx < k; dx++ {
					img.SetRGBA(c*k+dx, r*k+dy, px)
				}
			}
		}
	}
	return img
}

// limits returns the colour range of v: [min,max], or [-a,a] with
// a = max|v| when symmetric.
func limits(v []float64, symmetric bool) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, x := range v {
		if math.IsNaN(x) {
			continue
		}
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	if math.IsInf(lo, 1) {
		return 0, 1
	}
	if symmetric {
		a := math.Max(math.Abs(lo), math.Abs(hi))
		return -a, a
	}
	return lo, hi
}

var whiteText = color.White

func pngTo(w io.Writer, c *vgimg.Canvas) (int64, error) {
	return vgimg.PngCanvas{Canvas: c}.WriteTo(w)
}
