package figures

import (
	"bytes"
	"flag"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
)

var keep = flag.String("keep", "", "also write the rendered PNGs into this directory, to look at them")

func render(t *testing.T, name string, write func(*bytes.Buffer) error) image.Image {
	t.Helper()
	var a, b bytes.Buffer
	if err := write(&a); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if err := write(&b); err != nil {
		t.Fatalf("%s (second render): %v", name, err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Errorf("%s: two renders of the same value differ", name)
	}
	img, err := png.Decode(bytes.NewReader(a.Bytes()))
	if err != nil {
		t.Fatalf("%s: output is not a PNG: %v", name, err)
	}
	if *keep != "" {
		if err := os.WriteFile(filepath.Join(*keep, name+".png"), a.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return img
}

// distinctColors counts colours, to tell a drawn figure from a blank one.
func distinctColors(img image.Image) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
		}
	}
	return len(seen)
}

func TestFigures(t *testing.T) {
	loss := make([]float64, 2000)
	for i := range loss {
		loss[i] = 2*math.Exp(-float64(i)/300) + 0.1*math.Sin(float64(i))
	}
	valX := []float64{0, 500, 1000, 1500, 1999}
	valY := []float64{2.1, 0.4, 0.2, 0.15, 0.12}
	conf := make([]float64, 100)
	for i := 0; i < 10; i++ {
		for j := 0; j < 10; j++ {
			conf[i*10+j] = float64((i*7 + j*3) % 5)
			if i == j {
				conf[i*10+j] = 190 + float64(i)
			}
		}
	}
	digit := make([]float64, 28*28)
	for r := 6; r < 22; r++ {
		digit[r*28+14] = 255
		digit[r*28+13] = 128
	}
	kernel := make([]float64, 31*31)
	for r := 0; r < 31; r++ {
		for c := 0; c < 31; c++ {
			x, y := float64(c-15), float64(r-15)
			kernel[r*31+c] = math.Exp(-(x*x+y*y)/60) * math.Cos(0.6*(x+y))
		}
	}
	cases := []struct {
		name       string
		write      func(*bytes.Buffer) error
		wantW      int
		wantH      int
		minColours int
	}{
		{name: "lines", write: func(b *bytes.Buffer) error {
			return Lines{Title: "training loss", XLabel: "update", YLabel: "loss", Smooth: 50,
				Series: []Series{{Name: "training", Y: loss}, {Name: "validation", X: valX, Y: valY, Markers: true}}}.WritePNG(b)
		}, wantW: 600, wantH: 400, minColours: 8},
		{name: "lines_smooth_only", write: func(b *bytes.Buffer) error {
			return Lines{Title: "two noisy curves", Smooth: 50, SmoothOnly: true,
				Series: []Series{{Name: "a", Y: loss}, {Name: "b", Y: valY, X: valX, Markers: true}}}.WritePNG(b)
		}, wantW: 600, wantH: 400, minColours: 4},
		{name: "lines_log", write: func(b *bytes.Buffer) error {
			return Lines{Title: "log", LogY: true, Series: []Series{{Name: "v", X: valX, Y: valY}}}.WritePNG(b)
		}, wantW: 600, wantH: 400, minColours: 3},
		{name: "heatmap", write: func(b *bytes.Buffer) error {
			return Heatmap{Title: "confusion", XLabel: "predicted", YLabel: "true", Rows: 10, Cols: 10, Values: conf, Format: "%.0f"}.WritePNG(b)
		}, wantW: 550, wantH: 500, minColours: 6},
		{name: "grid", write: func(b *bytes.Buffer) error {
			return ImageGrid{Title: "digits and a kernel", Columns: 2, Panels: []Panel{
				{Title: "28x28", Rows: 28, Cols: 28, Pixels: digit},
				{Title: "kernel", Rows: 31, Cols: 31, Pixels: kernel, Map: Diverging},
				{Title: "wide", Rows: 2, Cols: 6, Pixels: []float64{0, 1, 2, 3, 4, 5, 5, 4, 3, 2, 1, 0}},
			}}.WritePNG(b)
		}, wantW: 400, wantH: 440, minColours: 8},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			img := render(t, tc.name, tc.write)
			if b := img.Bounds(); b.Dx() != tc.wantW || b.Dy() != tc.wantH {
				t.Errorf("size %dx%d, want %dx%d", b.Dx(), b.Dy(), tc.wantW, tc.wantH)
			}
			if n := distinctColors(img); n < tc.minColours {
				t.Errorf("only %d colours: figure looks blank", n)
			}
		})
	}
}

func TestFigureErrors(t *testing.T) {
	var b bytes.Buffer
	for name, err := range map[string]error{
		"no series":      Lines{Title: "x"}.WritePNG(&b),
		"x/y mismatch":   Lines{Series: []Series{{X: []float64{1}, Y: []float64{1, 2}}}}.WritePNG(&b),
		"all NaN":        Lines{Series: []Series{{Y: []float64{math.NaN()}}}}.WritePNG(&b),
		"heat shape":     Heatmap{Rows: 2, Cols: 2, Values: []float64{1}}.WritePNG(&b),
		"heat labels":    Heatmap{Rows: 1, Cols: 2, Values: []float64{1, 2}, ColLabels: []string{"a"}}.WritePNG(&b),
		"grid empty":     ImageGrid{}.WritePNG(&b),
		"panel mismatch": ImageGrid{Panels: []Panel{{Rows: 2, Cols: 2, Pixels: []float64{1}}}}.WritePNG(&b),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
