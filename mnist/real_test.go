package mnist

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"hw1pipe/internal/pyref"
)

// realMNIST loads the official files from the GoMNIST module once per test
// binary, with the production loader (official sums).
var realMNIST = sync.OnceValues(func() (*Dataset, error) {
	src := &ModuleSource{Module: DefaultModule}
	if _, err := src.Dir(context.Background()); err != nil {
		return nil, err
	}
	return (&Loader{Sources: []Source{src}}).Load(context.Background())
})

func loadReal(t *testing.T) *Dataset {
	t.Helper()
	ds, err := realMNIST()
	if err != nil {
		if _, isSum := err.(*fetchError); isSum {
			t.Fatal(err)
		}
		t.Skipf("GoMNIST module unavailable: %v", err)
	}
	return ds
}

// TestRealMNIST checks the decoded official files against numbers numpy
// 1.24.2 computed from the same .gz files (np.frombuffer(gzip.open(f).read(),
// np.uint8, offset=16 or 8)).
func TestRealMNIST(t *testing.T) {
	ds := loadReal(t)
	cases := []struct {
		name              string
		set               *Set
		n                 int
		firstSum, lastSum int
		firstLabels       []int64
		lastLabel         int64
		total             int
		counts            [10]int
	}{
		{"train", &ds.Train, 60000, 27525, 20920, []int64{5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, 8, 1567298545,
			[10]int{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}},
		{"test", &ds.Test, 10000, 18454, 41833, []int64{7, 2, 1, 0, 4, 1, 4, 9, 5, 9}, 6, 264923200,
			[10]int{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := c.set
			if s.Len() != c.n || len(s.Images) != c.n*Pixels {
				t.Fatalf("%d labels, %d pixels", s.Len(), len(s.Images))
			}
			if got := sum(s.Images[:Pixels]); got != c.firstSum {
				t.Errorf("first image sum %d, want %d", got, c.firstSum)
			}
			if got := sum(s.Images[len(s.Images)-Pixels:]); got != c.lastSum {
				t.Errorf("last image sum %d, want %d", got, c.lastSum)
			}
			if got := sum(s.Images); got != c.total {
				t.Errorf("pixel total %d, want %d", got, c.total)
			}
			if fmt.Sprint(s.Labels[:10]) != fmt.Sprint(c.firstLabels) || s.Labels[c.n-1] != c.lastLabel {
				t.Errorf("labels %v ... %d", s.Labels[:10], s.Labels[c.n-1])
			}
			var counts [10]int
			for _, l := range s.Labels {
				counts[l]++
			}
			if counts != c.counts {
				t.Errorf("label counts %v, want %v", counts, c.counts)
			}
		})
	}
	for i, o := range ds.Origins {
		if o.File != Official()[i].Name || o.Source != "module "+DefaultModule {
			t.Errorf("origin %+v", o)
		}
	}
}

func sum(b []uint8) int {
	s := 0
	for _, x := range b {
		s += int(x)
	}
	return s
}

// TestNumpyDecodesTheSame has numpy decode the module's .gz files and
// compares position-weighted sums (so a moved pixel shows) of every pixel and label with ours.
func TestNumpyDecodesTheSame(t *testing.T) {
	ds := loadReal(t)
	dir, err := (&ModuleSource{Module: DefaultModule}).Dir(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := pyref.Run(t, []string{"numpy"}, `
import gzip, json, sys, numpy as np
d = sys.argv[1] + "/data/"
res = {}
for split, prefix in [("train", "train"), ("test", "t10k")]:
    x = np.frombuffer(gzip.open(d + prefix + "-images-idx3-ubyte.gz").read(), np.uint8, offset=16)
    y = np.frombuffer(gzip.open(d + prefix + "-labels-idx1-ubyte.gz").read(), np.uint8, offset=8).astype(np.int64)
    n = y.size
    per_image = x.reshape(n, 784).astype(np.float64) @ (np.arange(784) + 1.0)  # exact: < 2**53
    rw = np.arange(n, dtype=np.int64) % 251 + 1
    res[split] = [int(per_image.astype(np.int64) @ rw), int(y @ rw), int(x.size), int(n)]
print(json.dumps(res))
`, dir)
	var want map[string][4]int
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	for name, s := range map[string]*Set{"train": &ds.Train, "test": &ds.Test} {
		// Image i, pixel j weighs (i%251+1)*(j+1); label i weighs i%251+1.
		var wx, wy int
		for i, p := range s.Images {
			wx += int(p) * (i%Pixels + 1) * (i/Pixels%251 + 1)
		}
		for i, l := range s.Labels {
			wy += int(l) * (i%251 + 1)
		}
		if got := [4]int{wx, wy, len(s.Images), len(s.Labels)}; got != want[name] {
			t.Errorf("%s: got %v, numpy %v", name, got, want[name])
		}
	}
}
