package stages

import (
	"errors"
	"math"
	"reflect"
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

// TestDefaultsValidate: every kind's defaults pass its own Validate, so
// a stage that sets nothing loads.
func TestDefaultsValidate(t *testing.T) {
	for _, p := range []pipeline.Validator{
		defaultMNISTParams(), defaultP1DataParams(), defaultP1GaborFeaturesParams(),
		defaultP1GaborSVMParams(), defaultP1GridParams(), defaultP1SVCParams(),
		defaultP3DataParams(), defaultP3GradCheckParams(), defaultP3TorchParams(),
		defaultP3TrainParams(), &ReportParams{Title: "t", Require: []string{"p1a", "p3d"}},
	} {
		if err := p.Validate(); err != nil {
			t.Errorf("%T: %v", p, err)
		}
	}
}

// TestValidateNamesEveryParam: Validate reports every bad value at once,
// each as a *pipeline.ParamError naming its param (element included), so
// that Load can point at each one.
func TestValidateNamesEveryParam(t *testing.T) {
	grid := defaultP1GridParams()
	grid.Grid.C = []float64{1, -1}
	grid.Grid.Kernel = nil
	grid.Folds, grid.Export, grid.Solver = 1, "model", "ipm"
	gsvm := defaultP1GaborSVMParams()
	gsvm.C, gsvm.Gamma, gsvm.Components = []float64{0, 10}, "gama", 0
	mn := defaultMNISTParams()
	mn.Module, mn.Mirrors = "github.com/x/y", []string{"https://a/", "ftp://b/"}
	for _, c := range []struct {
		p    pipeline.Validator
		want []string
	}{
		{&P3TrainParams{LR: 0, Iterations: -5, Batch: 0, ValEvery: 0, Init: "zeros"}, []string{"init", "lr", "iterations", "batch", "val_every"}},
		{&P3TorchParams{LR: math.Inf(1), Iterations: 1, Batch: 0, ValEvery: 1, Order: "random", Threads: -1}, []string{"lr", "batch", "order", "threads"}},
		{grid, []string{"grid.kernel", "grid.C[1]", "folds", "solver", "export"}},
		{gsvm, []string{"components", "gamma", "C[0]"}},
		{&P1SVCParams{C: -1, Kernel: "cubic", Gamma: "auto"}, []string{"kernel", "C"}},
		{&P1DataParams{Num: 15, Size: 0, TestSize: 1, Show: -1}, []string{"num", "size", "test_size", "show"}},
		{&P1GaborFeaturesParams{PerClass: 0, Scale: math.NaN(), Show: -1, ShowFilter: 16}, []string{"per_class", "scale", "show", "show_filter"}},
		{&P3DataParams{Frac: 1.5, Samples: 0}, []string{"frac", "samples"}},
		{&P3GradCheckParams{Entries: 9, Outputs: 4, Epsilon: 0, Tol: -1, Init: "uniform", Sample: -1}, []string{"entries", "outputs", "epsilon", "tol", "sample"}},
		{mn, []string{"module", "mirrors[1]"}},
		{&ReportParams{Require: []string{"p1a", "p2a"}}, []string{"require[1]"}},
	} {
		var got []string
		for _, err := range leaves(c.p.Validate()) {
			var pe *pipeline.ParamError
			if !errors.As(err, &pe) {
				t.Errorf("%T: %v is not a *pipeline.ParamError", c.p, err)
				continue
			}
			got = append(got, pe.Param)
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%T: params %q, want %q", c.p, got, c.want)
		}
	}
}

// leaves flattens errors.Join trees.
func leaves(err error) []error {
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		if err == nil {
			return nil
		}
		return []error{err}
	}
	var out []error
	for _, e := range j.Unwrap() {
		out = append(out, leaves(e)...)
	}
	return out
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
