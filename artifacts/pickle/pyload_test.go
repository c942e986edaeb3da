package pickle_test

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"hw1pipe/artifacts/pickle"
	"hw1pipe/internal/pyref"
)

// TestPythonLoadsFloatLists writes the float-list deliverables
// (self_NN_training_loss.pkl etc.: 10,000 and 11 floats) with WriteFile
// and loads them with pickle.load: a list of Python floats equal to the
// Go values bit for bit.
func TestPythonLoadsFloatLists(t *testing.T) {
	pyref.Require(t, "numpy")
	dir := t.TempDir()
	for _, n := range []int{0, 1, 11, 1000, 10000} {
		v := floats(n)
		p := filepath.Join(dir, "self_NN_training_loss.pkl")
		if err := pickle.WriteFile(p, v); err != nil {
			t.Fatal(err)
		}
		bits := make([]uint64, n)
		for i, x := range v {
			bits[i] = math.Float64bits(x)
		}
		js, _ := json.Marshal(map[string]any{"bits": bits})
		sp := filepath.Join(dir, "side.json")
		os.WriteFile(sp, js, 0o644)
		out := pyref.RunFile(t, []string{"numpy"}, "../../golden/artifacts/check_artifacts.py", "floatlist", p, sp)
		if !bytes.HasPrefix(out, []byte("OK")) {
			t.Fatalf("n=%d: %s", n, out)
		}
	}
}
