package stages

import (
	"testing"

	"hw1pipe/pipeline"
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
