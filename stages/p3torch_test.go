package stages

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"hw1pipe/artifacts/npy"
	"hw1pipe/internal/pyref"
	"hw1pipe/results"
)

var p3TorchOutputs = map[string]string{
	"train_loss": "pytorch_NN_training_loss.pkl", "train_error": "pytorch_NN_training_error.pkl",
	"val_loss": "pytorch_NN_validation_loss.pkl", "val_error": "pytorch_NN_validation_error.pkl",
	"weights": "pytorch_nn_weights.pth", "curves": "curves.json", "training_plot": "training.png",
	"validation_plot": "validation.png", "compare_plot": "compare.png",
}

// p3Torch returns the hw1torch binary `make build` makes. It skips when
// the binary is absent, except under CI=true, where make test builds it
// first and its absence is a broken build.
func p3Torch(t *testing.T) string {
	t.Helper()
	bin, err := filepath.Abs("../build/bin/hw1torch")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(bin); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("hw1torch is not built (make build builds it): %v", err)
		}
		t.Skipf("hw1torch is not built (make build): %v", err)
	}
	return bin
}

// TestP3Torch runs the stage on small data and checks that what it
// writes is exactly what hw1torch computes, run directly on the same
// subsets, in both batch orders; and that Python loads the deliverables.
func TestP3Torch(t *testing.T) {
	bin := p3Torch(t)
	in := p3FakeMNIST(t, 300, 100)
	data := p3RunData(t, in, &P3DataParams{Frac: 0.5, Seed: 7, Samples: 4})
	inputs := p3Inputs(in, data)

	trainP := &P3TrainParams{LR: 0.1, Iterations: 25, Batch: 32, ValEvery: 10, Init: "uniform", Seed: 20}
	trainEnv, _ := p3Env(t, inputs, p3TrainOutputs)
	var cap p3Captured
	if err := newP3TrainKind(cap.writer()).Call(context.Background(), trainEnv, trainP); err != nil {
		t.Fatal(err)
	}
	inputs["hw1torch"] = bin
	inputs["self_curves"] = trainEnv.Output("curves")

	for _, order := range []string{"pytorch", "shared"} {
		t.Run(order, func(t *testing.T) {
			p := &P3TorchParams{LR: 0.1, Iterations: 25, Batch: 32, ValEvery: 10, Seed: 20, Order: order}
			in := map[string]string{}
			for k, v := range inputs {
				in[k] = v
			}
			if order == "shared" {
				in["batches"] = trainEnv.Output("batches")
			}
			env, rec := p3Env(t, in, p3TorchOutputs)
			if err := p3torchKind().Call(context.Background(), env, p); err != nil {
				t.Fatal(err)
			}
			// hw1torch's own progress lines were understood: they became
			// progress reports, and their clock the stage's time split.
			if !slices.ContainsFunc(rec.msgs, func(m string) bool { return strings.HasPrefix(m, "25/25 updates") }) {
				t.Errorf("no progress report of hw1torch's last validation among %q", rec.msgs)
			}
			if last := rec.msgs[len(rec.msgs)-1]; !regexp.MustCompile(`^libtorch net: 25 updates in [0-9.]+m?s \(hw1torch ready after [0-9.]+m?s\): `).MatchString(last) {
				t.Errorf("last progress report %q does not split hw1torch's time", last)
			}

			// The same run, by hand: hw1torch on the subsets p3train used.
			sets, err := p3LoadSets(env)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			write := func(name string, shape []int, v any) string {
				path := filepath.Join(dir, name)
				if err := npy.WriteFile(path, shape, v); err != nil {
					t.Fatal(err)
				}
				return path
			}
			args := []string{"train", "--out", filepath.Join(dir, "out"), "--seed", "20", "--lr", "0.1",
				"--iterations", "25", "--batch", "32", "--val-every", "10", "--order", order}
			for _, s := range []struct {
				name string
				idx  []int
				img  string
				lab  string
			}{{"train", sets.trainIdx, "train_images", "train_labels"}, {"val", sets.valIdx, "test_images", "test_labels"}} {
				m, err := p3ReadMNIST(in[s.img], in[s.lab])
				if err != nil {
					t.Fatal(err)
				}
				var pix []byte
				var lab []int64
				for _, j := range s.idx {
					pix = append(pix, m.pix[j*p3Pixels:(j+1)*p3Pixels]...)
					lab = append(lab, int64(m.y[j]))
				}
				args = append(args, "--"+s.name+"-images", write(s.name+"_x.npy", []int{len(s.idx), p3Pixels}, pix),
					"--"+s.name+"-labels", write(s.name+"_y.npy", []int{len(s.idx)}, lab))
			}
			if order == "shared" {
				args = append(args, "--perms", in["batches"])
			}
			if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
				t.Fatalf("hw1torch: %v\n%s", err, out)
			}
			for key, file := range map[string]string{
				"train_loss": "training_loss.npy", "train_error": "training_error.npy",
				"val_loss": "validation_loss.npy", "val_error": "validation_error.npy",
			} {
				a, err := npy.ReadFile(filepath.Join(dir, "out", file))
				if err != nil {
					t.Fatal(err)
				}
				want, _ := a.Float64s()
				if got := p3DecodeList(t, env.Output(key)); !p3Bits(got, want) {
					t.Errorf("%s: the pickle holds %v, hw1torch computed %v", key, got, want)
				}
			}
			wantPth, err := os.ReadFile(filepath.Join(dir, "out", "pytorch_nn_weights.pth"))
			if err != nil {
				t.Fatal(err)
			}
			gotPth, err := os.ReadFile(env.Output("weights"))
			if err != nil {
				t.Fatal(err)
			}
			if string(gotPth) != string(wantPth) {
				t.Error("pytorch_nn_weights.pth differs from hw1torch's own")
			}
			for _, k := range []string{"training_plot", "validation_plot", "compare_plot"} {
				p3CheckPNG(t, env.Output(k))
			}
			var c results.Curves
			p3ReadJSON(t, env.Output("curves"), &c)
			if len(c.TrainLoss) != 25 || len(c.ValLoss) != 3 || c.Order != order || c.NTrain != len(sets.trainIdx) {
				t.Errorf("curves.json: %d losses, %d validations, order %q, n_train %d", len(c.TrainLoss), len(c.ValLoss), c.Order, c.NTrain)
			}

			// What the autograder does with these files.
			out := pyref.Run(t, []string{"torch"}, `
import pickle, sys, torch
d = sys.argv[1]
for n, want in (("training_loss", 25), ("training_error", 25), ("validation_loss", 3), ("validation_error", 3)):
    v = pickle.load(open(f"{d}/pytorch_NN_{n}.pkl", "rb"))
    assert type(v) is list and len(v) == want and all(type(x) is float for x in v), (n, type(v))
class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(784, 10)
net = Net()
print(net.load_state_dict(torch.load(f"{d}/pytorch_nn_weights.pth", weights_only=True)))
`, filepath.Dir(env.Output("weights")))
			if !strings.Contains(string(out), "All keys matched successfully") {
				t.Errorf("load_state_dict: %s", out)
			}
		})
	}
}

func TestP3TorchErrors(t *testing.T) {
	in := p3FakeMNIST(t, 40, 20)
	data := p3RunData(t, in, &P3DataParams{Frac: 0.5, Seed: 7, Samples: 4})
	inputs := p3Inputs(in, data)
	inputs["hw1torch"] = filepath.Join(t.TempDir(), "no-such-hw1torch")
	inputs["self_curves"] = filepath.Join(t.TempDir(), "curves.json")
	for _, tc := range []struct {
		name string
		p    *P3TorchParams
		want string
	}{
		{"missing binary", defaultP3TorchParams(), "make build"},
		{"bad order", &P3TorchParams{LR: 0.1, Iterations: 1, Batch: 1, ValEvery: 1, Order: "random"}, `param "order"`},
		{"bad lr", &P3TorchParams{LR: -1, Iterations: 1, Batch: 1, ValEvery: 1, Order: "pytorch"}, `param "lr"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env, _ := p3Env(t, inputs, p3TorchOutputs)
			err := p3torchKind().Call(context.Background(), env, tc.p)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one mentioning %q", err, tc.want)
			}
			for k := range p3TorchOutputs {
				if _, err := os.Stat(env.Output(k)); err == nil {
					t.Errorf("output %s written by a failed run", k)
				}
			}
		})
	}
}
