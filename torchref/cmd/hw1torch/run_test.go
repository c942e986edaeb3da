package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"hw1pipe/artifacts/npy"
	"hw1pipe/internal/pyref"
	"hw1pipe/torchref"
	"hw1pipe/torchref/internal/mnisttest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	mnisttest.Cleanup()
	os.Exit(code)
}

func TestUsage(t *testing.T) {
	full := []string{"train", "--train-images", "a", "--train-labels", "b", "--val-images", "c", "--val-labels", "d", "--out", "o"}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "usage"},
		{"unknown command", []string{"fit"}, `unknown command "fit"`},
		{"missing out", full[:len(full)-2], "missing --out"},
		{"bad order", append(slices.Clone(full), "--order", "numpy"), `unknown order "numpy"`},
		{"shared without perms", append(slices.Clone(full), "--order", "shared"), "--perms is required"},
		{"perms without shared", append(slices.Clone(full), "--perms", "p.npy"), "--perms is required"},
		{"zero batch", append(slices.Clone(full), "--batch", "0"), "--batch must be positive"},
		{"stray arg", append(slices.Clone(full), "extra"), `unexpected argument "extra"`},
		{"unknown flag", append(slices.Clone(full), "--momentum", "0.9"), "flag provided but not defined"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run(c.args, &out, &errb); code != 2 {
				t.Fatalf("exit %d, want 2; stderr %s", code, errb.String())
			}
			if !strings.Contains(errb.String(), c.want) {
				t.Fatalf("stderr %q does not mention %q", errb.String(), c.want)
			}
		})
	}
}

func TestMissingInput(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	args := []string{"train", "--train-images", filepath.Join(dir, "nope.npy"), "--train-labels", "b",
		"--val-images", "c", "--val-labels", "d", "--out", filepath.Join(dir, "out")}
	if code := run(args, &out, &errb); code != 1 || !strings.Contains(errb.String(), "nope.npy") {
		t.Fatalf("exit %d, stderr %q; want 1 naming nope.npy", code, errb.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); !os.IsNotExist(err) {
		t.Fatalf("output directory created on failure: %v", err)
	}
}

// TestSharedOrderCLI: the shared order read from a .npy gives the same
// numbers as torchref.Train called directly, and every output has its
// documented shape and dtype.
func TestSharedOrderCLI(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	n := 100
	x := make([]float64, n*torchref.Features)
	for i := range x {
		x[i] = rng.Float64()
	}
	y := make([]int64, n)
	for i := range y {
		y[i] = int64(rng.IntN(torchref.Classes))
	}
	perms := make([]int64, 0, 3*n)
	var permRows [][]int
	for range 3 {
		p := rng.Perm(n)
		permRows = append(permRows, p)
		for _, v := range p {
			perms = append(perms, int64(v))
		}
	}
	write := func(name string, shape []int, data any) string {
		p := filepath.Join(dir, name)
		if err := npy.WriteFile(p, shape, data); err != nil {
			t.Fatal(err)
		}
		return p
	}
	xi := write("x.npy", []int{n, 28, 28}, x)
	yi := write("y.npy", []int{n}, y)
	pi := write("perms.npy", []int{3, n}, perms)
	out := filepath.Join(dir, "out")
	var so, se bytes.Buffer
	args := []string{"train", "--train-images", xi, "--train-labels", yi, "--val-images", xi, "--val-labels", yi,
		"--out", out, "--order", "shared", "--perms", pi, "--iterations", "5", "--batch", "40", "--val-every", "2", "--write-perms"}
	if code := run(args, &so, &se); code != 0 {
		t.Fatalf("exit %d: %s", code, se.String())
	}

	xf := make([]float32, len(x))
	for i, v := range x {
		xf[i] = float32(v)
	}
	ds := torchref.Dataset{X: xf, Y: y}
	res, err := torchref.Train(torchref.Config{Seed: 20, Order: torchref.OrderShared, Perms: permRows, Iterations: 5, BatchSize: 40, ValInterval: 2}, ds, ds)
	if err != nil {
		t.Fatal(err)
	}
	check := func(name, dtype string, shape []int, want any) {
		t.Helper()
		a, err := npy.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if a.Dtype != dtype || !slices.Equal(a.Shape, shape) {
			t.Errorf("%s: %s %v, want %s %v", name, a.Dtype, a.Shape, dtype, shape)
		}
		if fmt.Sprint(a.Data) != fmt.Sprint(want) {
			t.Errorf("%s differs from torchref.Train's result", name)
		}
	}
	check("training_loss.npy", npy.Float64, []int{5}, res.TrainLoss)
	check("training_error.npy", npy.Float64, []int{5}, res.TrainError)
	check("validation_loss.npy", npy.Float64, []int{3}, res.ValLoss)
	check("validation_error.npy", npy.Float64, []int{3}, res.ValError)
	check("fc1_weight.npy", npy.Float32, []int{10, 784}, res.Weight)
	check("fc1_bias.npy", npy.Float32, []int{10}, res.Bias)
	check("init_fc1_weight.npy", npy.Float32, []int{10, 784}, res.InitWeight)
	check("init_fc1_bias.npy", npy.Float32, []int{10}, res.InitBias)
	check("pass_orders.npy", npy.Int64, []int{2, n}, perms[:2*n])
}

// TestWeightsLoadInPyTorch is the deliverable check: pytorch_nn_weights.pth
// loads with torch.load(weights_only=True) into Net (self.fc1 =
// nn.Linear(784, 10)), holds exactly the trained weights, and Python's
// validation outputs with it equal hw1torch's last validation to 1e-6.
func TestWeightsLoadInPyTorch(t *testing.T) {
	data := mnisttest.Dir(t)
	out := t.TempDir()
	args := []string{"train", "--train-images", filepath.Join(data, "train_images.npy"),
		"--train-labels", filepath.Join(data, "train_labels.npy"),
		"--val-images", filepath.Join(data, "val_images.npy"),
		"--val-labels", filepath.Join(data, "val_labels.npy"),
		"--out", out, "--iterations", "600", "--val-every", "300"}
	var so, se bytes.Buffer
	if code := run(args, &so, &se); code != 0 {
		t.Fatalf("exit %d: %s", code, se.String())
	}
	const script = `
import sys, numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
out, data = sys.argv[1], sys.argv[2]
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 10)
    def forward(self, x):
        return F.relu(self.fc1(x))
net = Net()
sd = torch.load(out + "/pytorch_nn_weights.pth", weights_only=True)
print("keys", net.load_state_dict(sd))
assert sd["fc1.weight"].dtype == torch.float32 and tuple(sd["fc1.weight"].shape) == (10, 784)
assert torch.equal(sd["fc1.weight"], torch.from_numpy(np.load(out + "/fc1_weight.npy")))
assert torch.equal(sd["fc1.bias"], torch.from_numpy(np.load(out + "/fc1_bias.npy")))
X = torch.from_numpy((np.load(data + "/val_images.npy") / 255).astype(np.float32))
y = torch.from_numpy(np.load(data + "/val_labels.npy"))
crit = nn.CrossEntropyLoss()
ls, es = [], []
with torch.no_grad():
    for x, t in DataLoader(TensorDataset(X, y), batch_size=64):
        o = net(x)
        ls.append(crit(o, t).item())
        es.append((o.argmax(1) != t).sum().item() / len(t))
vl, ve = np.load(out + "/validation_loss.npy"), np.load(out + "/validation_error.npy")
dl, de = abs(sum(ls) / len(ls) - vl[-1]), abs(sum(es) / len(es) - ve[-1])
print("diff", dl, de)
assert dl <= 1e-6 and de <= 1e-6, (dl, de)
`
	got := pyref.Run(t, []string{"torch", "numpy"}, script, out, data)
	t.Logf("python: %s", strings.TrimSpace(string(got)))
	if !strings.Contains(string(got), "All keys matched successfully") {
		t.Fatalf("load_state_dict did not match all keys: %s", got)
	}
}

// TestIndexCLI: --train-index and --val-index select rows of whole image
// and label files, with the same outputs byte for byte as files holding
// only those rows; an index outside the images is an error naming it.
func TestIndexCLI(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(3, 4))
	const images = 50
	pix := make([]uint8, images*torchref.Features)
	for i := range pix {
		if rng.IntN(5) == 0 {
			pix[i] = uint8(rng.IntN(256))
		}
	}
	lab := make([]uint8, images)
	for i := range lab {
		lab[i] = uint8(rng.IntN(torchref.Classes))
	}
	write := func(name string, shape []int, data any) string {
		p := filepath.Join(dir, name)
		if err := npy.WriteFile(p, shape, data); err != nil {
			t.Fatal(err)
		}
		return p
	}
	xi, yi := write("x.npy", []int{images, torchref.Features}, pix), write("y.npy", []int{images}, lab)
	sel := func(name string, idx []int64) (x, y, i string) {
		var sp []uint8
		var sl []int64
		for _, r := range idx {
			sp = append(sp, pix[int(r)*torchref.Features:(int(r)+1)*torchref.Features]...)
			sl = append(sl, int64(lab[r]))
		}
		return write(name+"_x.npy", []int{len(idx), torchref.Features}, sp), write(name+"_y.npy", []int{len(idx)}, sl),
			write(name+"_i.npy", []int{len(idx)}, idx)
	}
	tx, ty, ti := sel("train", []int64{3, 1, 4, 15, 9, 26, 5, 35, 8, 49, 7, 0, 2, 44, 20, 21})
	vx, vy, vi := sel("val", []int64{10, 11, 12, 13, 14, 40})
	common := []string{"--iterations", "7", "--batch", "5", "--val-every", "3"}
	runOK := func(out string, args ...string) {
		t.Helper()
		var so, se bytes.Buffer
		if code := run(append(append([]string{"train", "--out", out}, args...), common...), &so, &se); code != 0 {
			t.Fatalf("exit %d: %s", code, se.String())
		}
	}
	byFiles, byIndex := filepath.Join(dir, "files"), filepath.Join(dir, "index")
	runOK(byFiles, "--train-images", tx, "--train-labels", ty, "--val-images", vx, "--val-labels", vy)
	runOK(byIndex, "--train-images", xi, "--train-labels", yi, "--train-index", ti,
		"--val-images", xi, "--val-labels", yi, "--val-index", vi)
	names, err := filepath.Glob(filepath.Join(byFiles, "*"))
	if err != nil || len(names) < 9 {
		t.Fatalf("outputs %v: %v", names, err)
	}
	for _, a := range names {
		want, err := os.ReadFile(a)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(byIndex, filepath.Base(a)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs between the index and the selected files", filepath.Base(a))
		}
	}

	bad := write("bad_i.npy", []int{2}, []int64{0, images})
	var so, se bytes.Buffer
	args := append([]string{"train", "--out", filepath.Join(dir, "bad"), "--train-images", xi, "--train-labels", yi,
		"--train-index", bad, "--val-images", vx, "--val-labels", vy}, common...)
	if code := run(args, &so, &se); code != 1 || !strings.Contains(se.String(), "bad_i.npy: index 50 at position 1") {
		t.Errorf("exit %d, stderr %q; want 1 naming bad_i.npy's index 50", code, se.String())
	}
}
