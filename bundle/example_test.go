package bundle_test

import (
	"fmt"

	"hw1pipe/bundle"
)

func ExampleStaleError() {
	err := &bundle.StaleError{Stages: []bundle.StaleStage{
		{Name: "p1_grid", Reasons: []string{"param C changed (1 -> 10)"}},
		{Name: "report", Reasons: []string{"upstream p1_grid is stale"}},
	}}
	fmt.Println(err)
	// Output:
	// bundle: stale stages, run `hw1pipe run` first: p1_grid (param C changed (1 -> 10)), report (upstream p1_grid is stale)
}
