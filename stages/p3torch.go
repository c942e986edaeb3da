package stages

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"hw1pipe/artifacts/npy"
	"hw1pipe/pipeline"
	"hw1pipe/results"
)

// p3torchVersion changes when p3torch's outputs would change for the same
// inputs. The hw1torch binary is itself an input, so its code counts too.
const p3torchVersion = "2"

// P3TorchParams are the reference net's settings (Problem 3h,
// docs/homework.md#problem-3-reference-network). They mirror p3train's so the two runs compare directly.
type P3TorchParams struct {
	// LR is SGD's step size. Default 0.1.
	LR float64 `yaml:"lr"`
	// Iterations is the number of SGD updates. Default 10,000.
	Iterations int `yaml:"iterations"`
	// Batch is the training batch size. Default 64.
	Batch int `yaml:"batch"`
	// ValEvery is the number of updates between validations. Default 1,000.
	ValEvery int `yaml:"val_every"`
	// Seed is torch.manual_seed's argument. Default 20.
	Seed uint64 `yaml:"seed"`
	// Order is "pytorch" (default: DataLoader(shuffle=True)'s order under
	// the seed) or "shared" (the from-scratch net's batches, read from the
	// input "batches", so the two trajectories compare update by update).
	Order string `yaml:"order"`
	// Threads caps libtorch's intra-op threads; 0 leaves libtorch's default.
	Threads int `yaml:"threads"`
}

func defaultP3TorchParams() *P3TorchParams {
	return &P3TorchParams{LR: 0.1, Iterations: 10000, Batch: 64, ValEvery: 1000, Seed: 20, Order: "pytorch"}
}

// Validate checks the values that need no data.
func (p *P3TorchParams) Validate() error {
	var c paramChecks
	c.check(p.LR > 0 && !math.IsInf(p.LR, 0), "lr", "want a positive step size, got %v", p.LR)
	c.check(p.Iterations >= 1, "iterations", "want at least 1, got %d", p.Iterations)
	c.check(p.Batch >= 1, "batch", "want at least 1, got %d", p.Batch)
	c.check(p.ValEvery >= 1, "val_every", "want at least 1, got %d", p.ValEvery)
	c.check(p.Order == "pytorch" || p.Order == "shared", "order", "want pytorch or shared, got %q", p.Order)
	c.check(p.Threads >= 0, "threads", "want 0 (libtorch's default) or more, got %d", p.Threads)
	return c.err()
}

func p3torchKind() pipeline.Kind {
	return pipeline.NewKind(pipeline.Kind{
		Name:    "p3torch",
		Version: p3torchVersion,
		Doc:     "the libtorch reference net (hw1torch): pytorch_NN pickles, pytorch_nn_weights.pth, curves, comparison with the from-scratch net",
		Inputs: []string{"train_images", "train_labels", "test_images", "test_labels", "train_idx", "val_idx",
			"hw1torch", "self_curves"},
		Outputs: []string{
			"train_loss", "train_error", "val_loss", "val_error", "weights",
			"curves", "training_plot", "validation_plot", "compare_plot",
		},
		Deliverables: p3Deliverables("pytorch_NN", "weights", "problem3/pytorch_nn_weights.pth"),
	}, defaultP3TorchParams, runP3Torch)
}

func runP3Torch(ctx context.Context, env *pipeline.Env, p *P3TorchParams) error {
	bin, err := filepath.Abs(env.Input("hw1torch"))
	if err != nil {
		return err
	}
	if fi, err := os.Stat(bin); err != nil || fi.Mode()&0o111 == 0 {
		return fmt.Errorf("the libtorch trainer %s is missing or not executable: build it with `make build` (needs libtorch-dev)", env.Input("hw1torch"))
	}
	self, err := results.Read[results.Curves](env.Input("self_curves"))
	if err != nil {
		return err
	}

	// hw1torch reads .npy files; it gets exactly the subsets p3train used,
	// written beside our outputs so that its files can be renamed in.
	scratch, err := os.MkdirTemp(filepath.Dir(env.Output("weights")), "hw1torch-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(scratch)
	in := map[string]string{}
	var nTrain, nVal int
	for _, c := range []struct{ img, lab, idx, name string }{
		{"train_images", "train_labels", "train_idx", "train"},
		{"test_images", "test_labels", "val_idx", "val"},
	} {
		m, err := p3ReadMNIST(env.Input(c.img), env.Input(c.lab))
		if err != nil {
			return err
		}
		idx, err := p3ReadIndex(env.Input(c.idx), len(m.y))
		if err != nil {
			return err
		}
		pix := make([]byte, 0, len(idx)*p3Pixels)
		lab := make([]int64, len(idx))
		for i, j := range idx {
			pix = append(pix, m.pix[j*p3Pixels:(j+1)*p3Pixels]...)
			lab[i] = int64(m.y[j])
		}
		in[c.name+"_x"] = filepath.Join(scratch, c.name+"_x.npy")
		in[c.name+"_y"] = filepath.Join(scratch, c.name+"_y.npy")
		if err := npy.WriteFile(in[c.name+"_x"], []int{len(idx), p3Pixels}, pix); err != nil {
			return err
		}
		if err := npy.WriteFile(in[c.name+"_y"], []int{len(idx)}, lab); err != nil {
			return err
		}
		if c.name == "train" {
			nTrain = len(idx)
		} else {
			nVal = len(idx)
		}
	}

	outDir := filepath.Join(scratch, "out")
	args := []string{"train",
		"--train-images", in["train_x"], "--train-labels", in["train_y"],
		"--val-images", in["val_x"], "--val-labels", in["val_y"],
		"--out", outDir,
		"--seed", strconv.FormatUint(p.Seed, 10), "--lr", strconv.FormatFloat(p.LR, 'g', -1, 64),
		"--iterations", strconv.Itoa(p.Iterations), "--batch", strconv.Itoa(p.Batch),
		"--val-every", strconv.Itoa(p.ValEvery), "--order", p.Order,
	}
	if p.Order == "shared" {
		perms, ok := env.Inputs["batches"]
		if !ok {
			return errors.New(`order "shared" needs the input "batches" (p3train's batches.npy)`)
		}
		args = append(args, "--perms", perms)
	}
	if p.Threads > 0 {
		args = append(args, "--threads", strconv.Itoa(p.Threads))
	}
	env.Progress(0.02, fmt.Sprintf("hw1torch: training on %d images, validating on %d (%s order)", nTrain, nVal, p.Order))
	if err := runHW1Torch(ctx, env, bin, args, p.Iterations); err != nil {
		return err
	}

	read := func(name string) ([]float64, error) {
		a, err := npy.ReadFile(filepath.Join(outDir, name))
		if err != nil {
			return nil, fmt.Errorf("hw1torch output: %w", err)
		}
		return a.Float64s()
	}
	c := results.Curves{
		LR: p.LR, Iterations: p.Iterations, Batch: p.Batch, ValEvery: p.ValEvery, Seed: p.Seed, Order: p.Order,
		NTrain: nTrain, NVal: nVal,
	}
	for _, o := range []struct {
		file, key string
		dst       *[]float64
		n         int
	}{
		{"training_loss.npy", "train_loss", &c.TrainLoss, p.Iterations},
		{"training_error.npy", "train_error", &c.TrainError, p.Iterations},
		{"validation_loss.npy", "val_loss", &c.ValLoss, p.Iterations/p.ValEvery + 1},
		{"validation_error.npy", "val_error", &c.ValError, p.Iterations/p.ValEvery + 1},
	} {
		v, err := read(o.file)
		if err != nil {
			return err
		}
		if len(v) != o.n {
			return fmt.Errorf("hw1torch wrote %d values in %s, want %d", len(v), o.file, o.n)
		}
		for i, x := range v {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("hw1torch training diverged: %s[%d] = %v (try a smaller lr than %v)", o.file, i, x, p.LR)
			}
		}
		*o.dst = v
		if err := writePickle(env.Output(o.key), v); err != nil {
			return fmt.Errorf("write %s: %w", env.Output(o.key), err)
		}
	}
	for t := 0; t <= p.Iterations; t += p.ValEvery {
		c.ValSteps = append(c.ValSteps, t)
	}
	if err := os.Rename(filepath.Join(outDir, "pytorch_nn_weights.pth"), env.Output("weights")); err != nil {
		return fmt.Errorf("hw1torch output: %w", err)
	}
	// The whole-set training error is p3train's extra measurement, which
	// hw1torch does not make; -1 says so (JSON has no NaN).
	c.FinalSums = results.FinalErrors{LastBatch: c.TrainError[len(c.TrainError)-1], Last100: results.MeanLast100(c.TrainError),
		Train: -1, Val: c.ValError[len(c.ValError)-1]}
	if err := writeResults(env.Output("curves"), &c); err != nil {
		return err
	}
	env.Progress(0.95, "drawing curves")
	if err := p3TorchPlots(env, &c, self); err != nil {
		return err
	}
	env.Progress(1, fmt.Sprintf("libtorch net: last-100 training error %.4f, validation error %.4f (from-scratch: %.4f, %.4f)",
		c.FinalSums.Last100, c.FinalSums.Val, self.FinalSums.Last100, self.FinalSums.Val))
	return nil
}

// progressLine matches hw1torch's "hw1torch: 1000/10000 updates, ..." lines.
var progressLine = regexp.MustCompile(`^hw1torch: (\d+)/(\d+) updates`)

// runHW1Torch runs the trainer, turning its progress lines into progress
// reports and keeping the rest of its stderr for the error message.
func runHW1Torch(ctx context.Context, env *pipeline.Env, bin string, args []string, iterations int) error {
	cmd := exec.CommandContext(ctx, bin, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", bin, err)
	}
	var tail []string
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		line := sc.Text()
		if m := progressLine.FindStringSubmatch(line); m != nil {
			done, _ := strconv.Atoi(m[1])
			env.Progress(0.05+0.85*float64(done)/float64(iterations), strings.TrimPrefix(line, "hw1torch: "))
			continue
		}
		if tail = append(tail, line); len(tail) > 20 {
			tail = tail[1:]
		}
	}
	_, _ = io.Copy(io.Discard, stderr)
	if err := cmd.Wait(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("%s failed: %w\n%s", filepath.Base(bin), err, strings.Join(tail, "\n"))
	}
	return nil
}

// p3TorchPlots draws the libtorch net's own curves and the comparison of
// both networks.
func p3TorchPlots(env *pipeline.Env, c, self *results.Curves) error {
	return writePNGs(
		pngFile{env.Output("training_plot"), p3TrainingFigure(p3TorchTrainingTitle, c.TrainLoss, c.TrainError)},
		pngFile{env.Output("validation_plot"), p3ValidationFigure(p3TorchValidationTitle,
			c.TrainLoss, c.TrainError, c.ValSteps, c.ValLoss, c.ValError)},
		pngFile{env.Output("compare_plot"), p3CompareFigure(self, c)},
	)
}
