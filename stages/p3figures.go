package stages

import (
	"hw1pipe/figures"
	"hw1pipe/results"
)

// The Problem 3 charts, shared by the stages that draw them as PNG for the
// report page (p3train, p3torch) and the latex kind that draws the same
// charts as vector PDF.

// p3TrainingFigure is the loss and error of every update. Update t's batch
// is measured with the weights after t-1 updates, so the default x (0, 1,
// …) lines the training curves up with the validation steps.
func p3TrainingFigure(title string, loss, errs []float64) figures.Lines {
	return figures.Lines{
		Title: title, XLabel: "updates", YLabel: "loss / error",
		Series: p3TrainSeries(loss, errs), Smooth: p3Smooth,
	}
}

func p3TrainSeries(loss, errs []float64) []figures.Series {
	return []figures.Series{
		{Name: "training loss", Y: loss},
		{Name: "training error", Y: errs},
	}
}

// p3ValidationFigure is the validation measurements over the training
// curves. The validation series come last so that they are drawn over the
// noisy training curves.
func p3ValidationFigure(title string, loss, errs []float64, steps []int, valLoss, valErr []float64) figures.Lines {
	return figures.Lines{
		Title: title, XLabel: "updates", YLabel: "loss / error",
		Series: append(p3TrainSeries(loss, errs),
			figures.Series{Name: "validation loss", X: p3Steps(steps), Y: valLoss, Markers: true},
			figures.Series{Name: "validation error", X: p3Steps(steps), Y: valErr, Markers: true},
		),
		Smooth: p3Smooth,
	}
}

// p3CompareFigure puts both networks on one chart. Losses start near 4
// (from scratch, uniform init) or 2.3 (libtorch) and errors end near
// 0.08: a log axis shows both.
func p3CompareFigure(self, torch *results.Curves) figures.Lines {
	return figures.Lines{
		Title: "From scratch (Go) vs libtorch: training loss (mean of 100 updates), validation loss and error", XLabel: "updates", YLabel: "loss / error (log)",
		LogY: true, Width: 7, Height: 4.5, SmoothOnly: true,
		Series: []figures.Series{
			{Name: "from scratch: training loss", Y: self.TrainLoss},
			{Name: "libtorch: training loss", Y: torch.TrainLoss},
			{Name: "from scratch: validation loss", X: p3Steps(self.ValSteps), Y: self.ValLoss, Markers: true},
			{Name: "libtorch: validation loss", X: p3Steps(torch.ValSteps), Y: torch.ValLoss, Markers: true},
			{Name: "from scratch: validation error", X: p3Steps(self.ValSteps), Y: self.ValError, Markers: true},
			{Name: "libtorch: validation error", X: p3Steps(torch.ValSteps), Y: torch.ValError, Markers: true},
		},
		Smooth: p3Smooth,
	}
}

// Titles of the libtorch network's own charts.
const (
	p3TorchTrainingTitle   = "libtorch net: training (one batch per update)"
	p3TorchValidationTitle = "libtorch net: validation against training"
	p3SelfTrainingTitle    = "Training (one batch per update)"
	p3SelfValidationTitle  = "Validation against training"
)

func p3Steps(s []int) []float64 {
	out := make([]float64, len(s))
	for i, v := range s {
		out[i] = float64(v)
	}
	return out
}

// p3Deliverables maps a Problem 3 network's four curve outputs to the
// pickles the autograder takes (problem3/<net>_training_loss.pkl, ...)
// and its weights output to their file.
func p3Deliverables(net, weightsKey, weightsPath string) map[string]string {
	d := map[string]string{weightsKey: weightsPath}
	for _, split := range []struct{ key, name string }{{"train", "training"}, {"val", "validation"}} {
		for _, what := range []string{"loss", "error"} {
			d[split.key+"_"+what] = "problem3/" + net + "_" + split.name + "_" + what + ".pkl"
		}
	}
	return d
}
