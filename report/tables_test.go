package report

import (
	"strings"
	"testing"

	"hw1pipe/results"
)

func TestGridMarkdown(t *testing.T) {
	tab := &results.GridTable{Names: []string{"C", "gamma", "kernel"}, NSplits: 2, Best: 1, Rows: []results.GridRow{
		{Params: []string{"0.1", "scale", "linear"}, Splits: []float64{0.9, 0.91}, Mean: 0.905, Std: 0.005, Rank: 2, MeanFit: 1.234},
		{Params: []string{"10", "0.5", "rbf"}, Splits: []float64{0.95, 0.96}, Mean: 0.955, Std: 0.005, Rank: 1, MeanFit: 0.5},
	}}
	r := &results.Grid{BestParams: results.BestParams{C: 10, Gamma: results.Gamma{Value: 0.5}, Kernel: "rbf"}, BestIndex: 1,
		BestCVScore: 0.955, ValAccuracy: 0.96, NTrain: 800, NVal: 200, NSupportTotal: 123, SearchSeconds: 12.34, RefitSeconds: 0.56,
		Solver: "fast", IPMPairs: 3}
	want := "# Problem 1g: GridSearchCV(SVC()), 2-fold stratified CV on 800 training images\n\n" +
		"Solver: fast (3 of the one-vs-one linear problems by the interior-point method, the rest by libsvm's SMO; " +
		"scores within 0.002 of scikit-learn's; the refit is exact).\n\n" +
		"| C | gamma | kernel | fold 0 | fold 1 | mean | std | rank | fit s |\n" +
		"|---|---|---|---|---|---|---|---|---|\n" +
		"| 0.1 | scale | linear | 0.9000 | 0.9100 | 0.9050 | 0.0050 | 2 | 1.23 |\n" +
		"| **10** | **0.5** | **rbf** | **0.9500** | **0.9600** | **0.9550** | **0.0050** | **1** | **0.50** |\n" +
		"\nBest: C=10, gamma=0.5, kernel=rbf, mean CV accuracy 0.9550 (rank 1, row 1).\n" +
		"Refitted on all 800 training images: validation accuracy 0.9600 on 200 images, 123 support vectors.\n" +
		"Search time 12.3 s (refit 0.6 s).\n"
	if got := GridMarkdown(tab, r); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	r.Solver = "exact"
	if got := GridMarkdown(tab, r); !strings.Contains(got, "images\n\nSolver: exact (libsvm's SMO bit for bit; every score is scikit-learn's).\n\n| C |") {
		t.Errorf("exact solver line:\n%s", got)
	}
}

func TestGaborMarkdown(t *testing.T) {
	r := &results.GaborSVM{NTrain: 100, NVal: 50, NFeatures: 3136, Components: 5, PCASolver: "gram", Kernel: "rbf", Gamma: "scale",
		ExplainedVarianceRatioSum: 0.81234, BestC: 10, BestValAccuracy: 0.9,
		Fits: []results.GaborFit{{C: 1, GammaValue: 0.2, ValAccuracy: 0.8, TrainAccuracy: 0.95, NSupportTotal: 70},
			{C: 10, GammaValue: 0.2, ValAccuracy: 0.9, TrainAccuracy: 1, NSupportTotal: 60}}}
	want := "# Problem 1h: Gabor features, StandardScaler, PCA(5), SVC(kernel=rbf, gamma=scale)\n\n" +
		"100 training and 50 validation images, 3136 Gabor features each; the PCA (exact components from the Gram matrix, " +
		"fitted on the scaled training features) keeps 0.8123 of their variance.\n\n" +
		"| C | validation accuracy | training accuracy | support vectors | gamma |\n|---|---|---|---|---|\n" +
		"| 1 | 0.8000 | 0.9500 | 70 | 0.2 |\n| 10 | 0.9000 | 1.0000 | 60 | 0.2 |\n" +
		"\nBest: C=10, validation accuracy 0.9000.\n"
	if got := GaborMarkdown(r); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
