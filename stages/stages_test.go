package stages

import (
	"slices"
	"testing"

	"hw1pipe/pipeline"
	"hw1pipe/verify"
)

// requireRegistered fails t unless Kinds() registers every named kind,
// without duplicates (pipeline.NewRegistry rejects those).
func requireRegistered(t *testing.T, names ...string) {
	t.Helper()
	reg, err := pipeline.NewRegistry(Kinds()...)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if _, ok := reg.Lookup(n); !ok {
			t.Errorf("Kinds() lacks %s", n)
		}
	}
}

// TestDeliverablesDeclared checks that the kinds declare every file the
// autograder takes exactly once, each on one of their outputs.
func TestDeliverablesDeclared(t *testing.T) {
	by := map[string][]string{}
	for _, k := range Kinds() {
		for key, path := range k.Deliverables {
			if !slices.Contains(k.Outputs, key) {
				t.Errorf("kind %s declares %s as %s but has no such output", k.Name, key, path)
			}
			by[path] = append(by[path], k.Name+"."+key)
		}
	}
	for _, d := range verify.Deliverables() {
		if len(by[d.Path()]) != 1 {
			t.Errorf("%s is declared by %v, want exactly one output", d.Path(), by[d.Path()])
		}
		delete(by, d.Path())
	}
	for path, outs := range by {
		t.Errorf("%v declared as %s, which the autograder does not take", outs, path)
	}
}
