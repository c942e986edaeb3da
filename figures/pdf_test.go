package figures

import (
	"bytes"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestWritePDF checks the vector versions: a one-page PDF of the PNG's
// size in points, the same bytes on every call (the dates are pinned),
// and, where poppler-utils is installed, the chart's text in it.
func TestWritePDF(t *testing.T) {
	loss := make([]float64, 500)
	for i := range loss {
		loss[i] = 2*math.Exp(-float64(i)/100) + 0.1
	}
	conf := make([]float64, 9)
	for i := range conf {
		conf[i] = float64(i * 7)
	}
	cases := []struct {
		name, text string
		size       string // MediaBox width and height, points
		write      func(*bytes.Buffer) error
	}{
		{"lines", "Training curve", "432.00 288.00", func(b *bytes.Buffer) error {
			return Lines{Title: "Training curve", XLabel: "updates", Smooth: 10,
				Series: []Series{{Name: "loss", Y: loss}, {Name: "val", X: []float64{0, 250, 499}, Y: []float64{2, 0.5, 0.2}, Markers: true}}}.WritePDF(b)
		}},
		{"heatmap", "Confusion 3x3", "396.00 360.00", func(b *bytes.Buffer) error {
			return Heatmap{Title: "Confusion 3x3", Rows: 3, Cols: 3, Values: conf, Format: "%.0f"}.WritePDF(b)
		}},
	}
	mediaBox := regexp.MustCompile(`/MediaBox \[0 0 ([0-9.]+ [0-9.]+)\]`)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var a, b bytes.Buffer
			if err := tc.write(&a); err != nil {
				t.Fatal(err)
			}
			if err := tc.write(&b); err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(a.Bytes(), []byte("%PDF-")) {
				t.Fatalf("not a PDF: %q", a.Bytes()[:min(16, a.Len())])
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Error("two renderings differ")
			}
			if bytes.Contains(a.Bytes(), []byte("CreationDate (D:2")) {
				t.Error("creation date not pinned")
			}
			m := mediaBox.FindSubmatch(a.Bytes())
			if m == nil || string(m[1]) != tc.size {
				t.Errorf("MediaBox %q, want [0 0 %s]", m, tc.size)
			}
			if _, err := exec.LookPath("pdftotext"); err != nil {
				t.Log("pdftotext not installed (poppler-utils): text not checked")
				return
			}
			p := filepath.Join(t.TempDir(), tc.name+".pdf")
			if err := os.WriteFile(p, a.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command("pdftotext", p, "-").Output()
			if err != nil {
				t.Fatalf("pdftotext: %v", err)
			}
			if !strings.Contains(string(out), tc.text) {
				t.Errorf("pdftotext found no %q in:\n%s", tc.text, out)
			}
		})
	}
}
