package report_test

import (
	"fmt"

	"hw1pipe/report"
)

func ExampleBuild() {
	page, err := report.Build(map[string][]byte{
		"grid_results": []byte(`{"val_accuracy": 0.9655, "best_params": {"C": 10, "gamma": "scale", "kernel": "rbf"}}`),
	}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, id := range page.Results.Order {
		fmt.Println(id, page.Results.Sections[id].Status)
	}
	v, _ := page.Results.Highlight("p1g", "grid_results", "val_accuracy")
	fmt.Println(v)
	// Output:
	// p1a missing
	// p1b missing
	// p1f missing
	// p1g partial
	// p1h missing
	// p3a missing
	// p3b missing
	// p3c missing
	// p3d missing
	// 0.9655
}
