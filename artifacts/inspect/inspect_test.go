package inspect_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hw1pipe/artifacts/h5"
	"hw1pipe/artifacts/inspect"
	"hw1pipe/artifacts/npy"
)

const golden = "../../golden/artifacts"

func TestDescribe(t *testing.T) {
	dir := t.TempDir()
	npyPath := filepath.Join(dir, "x.npy")
	if err := npy.WriteFile(npyPath, []int{2, 3}, []float64{1, 2, 3, 4, 5, 6}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		path string
		want []string
	}{
		{golden + "/pickle/floats_10000.pkl", []string{"pickle protocol 4", "list of 10000 float [0 -0 +Inf -Inf ... 9996 more]"}},
		{golden + "/pickle/np_2d.pkl", []string{"x: ndarray float64 (2, 3) [0 0.25 0.5 0.75 ... 2 more]", "o: ndarray object (3,) [0.1 1 \"rbf\"]", "y: ndarray int32 (1, 3)"}},
		{golden + "/pickle/np_masked.pkl", []string{"MaskedArray object (3,) [0.1 1 10]"}},
		{golden + "/sklearn/grid_iris.pkl", []string{"sklearn.model_selection._search.GridSearchCV (object)",
			"best_estimator_: sklearn.svm._classes.SVC (object)", "support_vectors_: ndarray float64 (", "scorer_: global sklearn.metrics._scorer._passthrough_scorer",
			"best_index_: numpy.int64", "rank_test_score: ndarray int32 (12,)", "param_C: MaskedArray object (12,) [0.1 0.1 0.1 0.1 ... 8 more]"}},
		{golden + "/torch/sd.pt", []string{"torch.save archive", "collections.OrderedDict (4 items)", "fc1.weight: tensor float32 (2, 3) [0.5 -1.25 3 0.001 ... 2 more]", "_metadata: collections.OrderedDict (3 items)"}},
		{npyPath, []string{"npy", "ndarray float64 (2, 3) [1 2 3 4 ... 2 more]"}},
	}
	if h5.Built {
		cases = append(cases, struct {
			path string
			want []string
		}{golden + "/h5/linear.h5", []string{"HDF5", "attr w: float64 (10, 784) [-0.75 -0.734375", "attr b: float64 (10, 1) [-2 -1.5 -1 -0.5 ... 6 more]"}})
	} else {
		cases = append(cases, struct {
			path string
			want []string
		}{golden + "/h5/linear.h5", []string{"HDF5, 64832 bytes", "built without the hdf5 tag"}})
	}
	for _, c := range cases {
		t.Run(filepath.Base(c.path), func(t *testing.T) {
			var buf bytes.Buffer
			if err := inspect.Describe(&buf, c.path); err != nil {
				t.Fatal(err)
			}
			for _, w := range c.want {
				if !strings.Contains(buf.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, buf.String())
				}
			}
		})
	}
}

func TestDescribeErrors(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.txt")
	os.WriteFile(p, []byte("hello"), 0o644)
	var buf bytes.Buffer
	if err := inspect.Describe(&buf, p); !errors.As(err, new(*inspect.UnknownFormatError)) {
		t.Errorf("text file: %v", err)
	}
	bad := filepath.Join(dir, "bad.pkl")
	os.WriteFile(bad, []byte("\x80\x04\x95\x00"), 0o644)
	if err := inspect.Describe(&buf, bad); err == nil {
		t.Error("truncated pickle: no error")
	}
	if err := inspect.Describe(&buf, filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}
