package figures

import (
	"io"
	"math"
	"testing"
)

// noisyCurve is shaped like a training curve of Problem 3: a decay with
// per-update noise of about its own size, n points.
func noisyCurve(n int, scale float64) []float64 {
	y := make([]float64, n)
	s := uint64(1)
	for i := range y {
		s = s*6364136223846793005 + 1442695040888963407
		u := float64(s>>11) / (1 << 53)
		y[i] = scale * (math.Exp(-float64(i)/300) + 0.3 + 0.4*u*u)
	}
	return y
}

// trainingChart is the Problem 3 validation chart at full size: two
// 10,000-point series with their moving averages and two sparse series.
func trainingChart() Lines {
	steps := []float64{0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000}
	val := make([]float64, len(steps))
	for i := range val {
		val[i] = 0.3 + 2/(1+float64(i))
	}
	return Lines{
		Title: "validation", XLabel: "updates", YLabel: "loss / error", Smooth: 100,
		Series: []Series{
			{Name: "training loss", Y: noisyCurve(10000, 1)},
			{Name: "training error", Y: noisyCurve(10000, 0.25)},
			{Name: "validation loss", X: steps, Y: val, Markers: true},
		},
	}
}

func BenchmarkLinesPNG(b *testing.B) {
	l := trainingChart()
	for b.Loop() {
		if err := l.WritePNG(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLinesPDF(b *testing.B) {
	l := trainingChart()
	for b.Loop() {
		if err := l.WritePDF(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
