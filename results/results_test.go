package results

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCurvesKeys pins the two networks' curves.json key orders: the
// from-scratch network's has init, passes, initial and final, the
// libtorch one's order, and the shared keys keep their places.
func TestCurvesKeys(t *testing.T) {
	self := Curves{LR: 0.1, Iterations: 2, Batch: 1, ValEvery: 1, Init: "uniform", Seed: 20, NTrain: 3, NVal: 1, Passes: 1,
		TrainLoss: []float64{2, 1}, TrainError: []float64{1, 0.5}, ValSteps: []int{0, 1, 2}, ValLoss: []float64{2, 1, 0.5},
		ValError: []float64{1, 0.5, 0.25}, Initial: &Diag{DeadUnits: []int{}}, Final: &Diag{DeadUnits: []int{3}}}
	torch := self
	torch.Init, torch.Passes, torch.Initial, torch.Final, torch.Order, torch.Seed = "", 0, nil, nil, "pytorch", 1<<40
	keys := func(c *Curves) string {
		b, err := Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var ks []string
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, `  "`) {
				k, _, _ := strings.Cut(strings.TrimPrefix(line, `  "`), `"`)
				ks = append(ks, k)
			}
		}
		return strings.Join(ks, " ")
	}
	const share = "n_train n_val "
	const curves = "train_loss train_error val_steps val_loss val_error "
	if got, want := keys(&self), "lr iterations batch val_every init seed "+share+"passes "+curves+"initial final final_errors"; got != want {
		t.Errorf("self keys\n%s\nwant\n%s", got, want)
	}
	if got, want := keys(&torch), "lr iterations batch val_every seed order "+share+curves+"final_errors"; got != want {
		t.Errorf("torch keys\n%s\nwant\n%s", got, want)
	}
	b, _ := Marshal(&torch)
	if !strings.Contains(string(b), `"seed": 1099511627776,`) {
		t.Errorf("a uint64 seed is not written as an integer:\n%s", b)
	}
}

func TestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "grid.json")
	in := Grid{BestParams: BestParams{C: 10, Gamma: Gamma{Name: "scale"}, Kernel: "rbf"}, NSupport: []int{1, 2}, Solver: "fast"}
	b, err := Marshal(&in)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "\"best_params\": {\n    \"C\": 10,\n    \"gamma\": \"scale\",\n    \"kernel\": \"rbf\"\n  },") ||
		!strings.HasSuffix(string(b), "}\n") {
		t.Errorf("best_params not as a sorted dict, or no final newline:\n%s", b)
	}
	out, err := Read[Grid](path)
	if err != nil {
		t.Fatal(err)
	}
	if out.BestParams != in.BestParams || out.Solver != "fast" || len(out.NSupport) != 2 {
		t.Errorf("read back %+v", out)
	}
	if s := in.BestParams.String(); s != "C=10, gamma=scale, kernel=rbf" {
		t.Errorf("String: %s", s)
	}
	num := Grid{BestParams: BestParams{C: 0.1, Gamma: Gamma{Value: 0.002}}}
	b, _ = Marshal(&num)
	if !strings.Contains(string(b), `"C": 0.1,`) || !strings.Contains(string(b), `"gamma": 0.002,`) {
		t.Errorf("numeric params:\n%s", b)
	}
	back, err := Unmarshal[Grid](b)
	if err != nil || back.BestParams != num.BestParams {
		t.Errorf("numeric gamma read back as %+v, %v", back, err)
	}
}

func TestStrict(t *testing.T) {
	for _, bad := range []string{`{"val_acc": 1}`, `{"C": 1} {}`, `{"C": "one"}`} {
		if _, err := Unmarshal[SVCMetrics]([]byte(bad)); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
	if _, err := Read[SVCMetrics](filepath.Join(t.TempDir(), "none.json")); err == nil || !strings.Contains(err.Error(), "none.json") {
		t.Errorf("missing file: %v", err)
	}
}

func TestMeanLast(t *testing.T) {
	x := make([]float64, 250)
	for i := range x {
		x[i] = 1 / float64(i+1)
	}
	var s float64
	for _, v := range x[150:] {
		s += v
	}
	if got := MeanLast100(x); got != s/100 {
		t.Errorf("MeanLast100 = %v, want %v", got, s/100)
	}
	if got, want := MeanLast100(x[:4]), (((x[0]+x[1])+x[2])+x[3])/4; got != want {
		t.Errorf("short: %v", got)
	}
	if got := MeanLast100(nil); got != 0 {
		t.Errorf("empty: %v", got)
	}
}

func TestConfusionCheck(t *testing.T) {
	ok := Confusion{Labels: []int64{0, 1}, Matrix: [][]int{{1, 0}, {0, 1}}}
	if err := ok.Check(); err != nil {
		t.Error(err)
	}
	for _, c := range []Confusion{{}, {Labels: []int64{0, 1}, Matrix: [][]int{{1, 0}}}, {Labels: []int64{0, 1}, Matrix: [][]int{{1, 0}, {1}}}} {
		if c.Check() == nil {
			t.Errorf("%+v: no error", c)
		}
	}
}

func TestGridCSV(t *testing.T) {
	tab := GridTable{Names: []string{"C", "kernel"}, NSplits: 2, Rows: []GridRow{
		{Params: []string{"10", "rbf"}, Splits: []float64{1, 0.5}, Mean: 0.75, Std: 0.25, Rank: 1, MeanFit: 2, StdFit: 0}}}
	want := "param_C,param_kernel,split0_test_score,split1_test_score,mean_test_score,std_test_score,rank_test_score,mean_fit_time,std_fit_time\n" +
		"10,rbf,1.0,0.5,0.75,0.25,1,2.0,0.0\n"
	if got := tab.CSV(); got != want {
		t.Errorf("CSV:\n%s\nwant\n%s", got, want)
	}
}
