package regress_test

import (
	"fmt"

	"hw1pipe/internal/regress"
)

func ExampleMask() {
	out, n := regress.Mask("metrics.json", []byte(`{"val_accuracy": 0.223, "fit_seconds": 28.04}`))
	fmt.Println(string(out), n)
	// Output: {"val_accuracy": 0.223, "fit_seconds": T} 1
}

func ExampleCompare() {
	file := func(sha string, acc float64) *regress.Golden {
		return &regress.Golden{Stages: map[string]*regress.Stage{
			"p1_baseline": {Kind: "p1svc", Files: map[string]*regress.File{
				"metrics": {Path: "p1/baseline_metrics.json", SHA256: sha, Values: map[string]any{"val_accuracy": acc}},
			}},
		}}
	}
	tol := &regress.Tolerances{Rules: []regress.Rule{{Match: "*accuracy*", Tolerance: regress.Tolerance{Abs: 0.001}}}}
	for _, m := range regress.Compare(file("e3b0", 0.225), file("9f86", 0.223), tol, nil) {
		fmt.Println(m)
	}
	// Output:
	// p1_baseline: p1/baseline_metrics.json val_accuracy: got 0.225, golden 0.223 (tolerance abs 0.001)
	// p1_baseline: p1/baseline_metrics.json: sha256 changed (e3b0..., golden 9f86...)
	//     val_accuracy: got 0.225, golden 0.223 (tolerance abs 0.001): OUTSIDE tolerance
}
