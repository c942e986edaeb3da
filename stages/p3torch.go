package stages

import (
	"bufio"
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
	"time"

	"hw1pipe/artifacts/npy"
	"hw1pipe/pipeline"
	"hw1pipe/results"
)

// p3torchVersion changes when p3torch's outputs would change for the same
// inputs. The hw1torch binary is itself an input, so its code counts too.
const p3torchVersion = "3"

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
	// hw1torch's outputs go beside ours so that they can be renamed in.
	scratch, err := os.MkdirTemp(filepath.Dir(env.Output("weights")), "hw1torch-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(scratch)
	outDir := filepath.Join(scratch, "out")
	args, err := p3TorchArgs(env, p, outDir)
	if err != nil {
		return err
	}
	c := results.Curves{LR: p.LR, Iterations: p.Iterations, Batch: p.Batch, ValEvery: p.ValEvery, Seed: p.Seed, Order: p.Order}
	if c.NTrain, c.NVal, err = p3SubsetSizes(env); err != nil {
		return err
	}
	env.Progress(0.02, fmt.Sprintf("hw1torch: training on %d images, validating on %d (%s order)", c.NTrain, c.NVal, p.Order))
	// libtorch takes a good part of a second to load: start it, then read
	// the from-scratch net's curves meanwhile. (From here until it exits,
	// only hw1torch's reader reports progress.)
	run, err := startHW1Torch(ctx, env, args, p.Iterations)
	if err != nil {
		return err
	}
	defer run.stop()
	self, err := results.Read[results.Curves](env.Input("self_curves"))
	if err != nil {
		return err
	}
	if err := run.wait(); err != nil {
		return err
	}
	if err := p3ReadTorchCurves(outDir, p, &c); err != nil {
		return err
	}
	// The figures take most of what is left: draw them while the rest is
	// written.
	plotted := make(chan error, 1)
	go func() { plotted <- p3TorchPlots(env, &c, self) }()
	err = p3WriteTorchOutputs(env, outDir, &c)
	if perr := <-plotted; err == nil {
		err = perr
	}
	if err != nil {
		return err
	}
	env.Progress(1, fmt.Sprintf("libtorch net: %d updates in %s (hw1torch ready after %s): last-100 training error %.4f, validation error %.4f (from-scratch: %.4f, %.4f)",
		p.Iterations, run.training.Round(time.Millisecond), run.ready.Round(time.Millisecond),
		c.FinalSums.Last100, c.FinalSums.Val, self.FinalSums.Last100, self.FinalSums.Val))
	return nil
}

// p3TorchArgs returns hw1torch's command line: it reads the MNIST splits
// and the subset indices itself, so that the same subsets p3train used
// reach libtorch without a copy written in between.
func p3TorchArgs(env *pipeline.Env, p *P3TorchParams, outDir string) ([]string, error) {
	bin, err := filepath.Abs(env.Input("hw1torch"))
	if err != nil {
		return nil, err
	}
	if fi, err := os.Stat(bin); err != nil || fi.Mode()&0o111 == 0 {
		return nil, fmt.Errorf("the libtorch trainer %s is missing or not executable: build it with `make build` (needs libtorch-dev)", env.Input("hw1torch"))
	}
	args := []string{bin, "train",
		"--train-images", env.Input("train_images"), "--train-labels", env.Input("train_labels"), "--train-index", env.Input("train_idx"),
		"--val-images", env.Input("test_images"), "--val-labels", env.Input("test_labels"), "--val-index", env.Input("val_idx"),
		"--out", outDir,
		"--seed", strconv.FormatUint(p.Seed, 10), "--lr", strconv.FormatFloat(p.LR, 'g', -1, 64),
		"--iterations", strconv.Itoa(p.Iterations), "--batch", strconv.Itoa(p.Batch),
		"--val-every", strconv.Itoa(p.ValEvery), "--order", p.Order,
	}
	if p.Order == "shared" {
		perms, ok := env.Inputs["batches"]
		if !ok {
			return nil, errors.New(`order "shared" needs the input "batches" (p3train's batches.npy)`)
		}
		args = append(args, "--perms", perms)
	}
	if p.Threads > 0 {
		args = append(args, "--threads", strconv.Itoa(p.Threads))
	}
	return args, nil
}

// p3SubsetSizes returns the lengths of the index files train_idx and
// val_idx (hw1torch checks their values against the images).
func p3SubsetSizes(env *pipeline.Env) (nTrain, nVal int, err error) {
	for _, s := range []struct {
		key string
		n   *int
	}{{"train_idx", &nTrain}, {"val_idx", &nVal}} {
		idx, err := readLabels(env.Input(s.key))
		if err != nil {
			return 0, 0, err
		}
		*s.n = len(idx)
	}
	return nTrain, nVal, nil
}

// p3ReadTorchCurves reads hw1torch's measurements into c and checks them.
func p3ReadTorchCurves(outDir string, p *P3TorchParams, c *results.Curves) error {
	for _, o := range []struct {
		file string
		dst  *[]float64
		n    int
	}{
		{"training_loss.npy", &c.TrainLoss, p.Iterations},
		{"training_error.npy", &c.TrainError, p.Iterations},
		{"validation_loss.npy", &c.ValLoss, p.Iterations/p.ValEvery + 1},
		{"validation_error.npy", &c.ValError, p.Iterations/p.ValEvery + 1},
	} {
		a, err := npy.ReadFile(filepath.Join(outDir, o.file))
		if err != nil {
			return fmt.Errorf("hw1torch output: %w", err)
		}
		v, err := a.Float64s()
		if err != nil {
			return fmt.Errorf("hw1torch output: %w", err)
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
	}
	for t := 0; t <= p.Iterations; t += p.ValEvery {
		c.ValSteps = append(c.ValSteps, t)
	}
	// The whole-set training error is p3train's extra measurement, which
	// hw1torch does not make; -1 says so (JSON has no NaN).
	c.FinalSums = results.FinalErrors{LastBatch: c.TrainError[len(c.TrainError)-1], Last100: results.MeanLast100(c.TrainError),
		Train: -1, Val: c.ValError[len(c.ValError)-1]}
	return nil
}

// p3WriteTorchOutputs writes the pickles and curves.json and moves
// hw1torch's weights file into place.
func p3WriteTorchOutputs(env *pipeline.Env, outDir string, c *results.Curves) error {
	for _, o := range []struct {
		key  string
		vals []float64
	}{
		{"train_loss", c.TrainLoss}, {"train_error", c.TrainError},
		{"val_loss", c.ValLoss}, {"val_error", c.ValError},
	} {
		if err := writePickle(env.Output(o.key), o.vals); err != nil {
			return fmt.Errorf("write %s: %w", env.Output(o.key), err)
		}
	}
	if err := os.Rename(filepath.Join(outDir, "pytorch_nn_weights.pth"), env.Output("weights")); err != nil {
		return fmt.Errorf("hw1torch output: %w", err)
	}
	return writeResults(env.Output("curves"), c)
}

// progressLine matches hw1torch's "hw1torch: 1000/10000 updates, validation
// loss 0.3 (1.2s)" lines; the seconds count from the start of training.
var progressLine = regexp.MustCompile(`^hw1torch: (\d+)/(\d+) updates.*\(([0-9.]+)s\)$`)

// hw1torchRun is a running hw1torch.
type hw1torchRun struct {
	cancel context.CancelFunc
	done   chan error
	err    error
	waited bool
	// Where its time went, from its progress lines: ready is from the
	// start of the process to the start of training (libtorch's own start,
	// reading the data), training the updates and validations. Read them
	// after wait.
	ready, training time.Duration
}

// startHW1Torch starts the trainer (args[0] is its path). Its progress
// lines become progress reports; the rest of its stderr is kept for the
// error message.
func startHW1Torch(ctx context.Context, env *pipeline.Env, args []string, iterations int) (*hw1torchRun, error) {
	ctx, cancel := context.WithCancel(ctx)
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		cancel()
		return nil, err
	}
	started := time.Now()
	if err := cmd.Start(); err != nil {
		cancel()
		return nil, fmt.Errorf("start %s: %w", args[0], err)
	}
	r := &hw1torchRun{cancel: cancel, done: make(chan error, 1)}
	go func() {
		var tail []string
		first := true
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			if m := progressLine.FindStringSubmatch(line); m != nil {
				done, _ := strconv.Atoi(m[1])
				secs, _ := strconv.ParseFloat(m[3], 64)
				since := time.Duration(secs * float64(time.Second))
				if first {
					r.ready, first = time.Since(started)-since, false
				}
				r.training = since
				env.Progress(0.05+0.85*float64(done)/float64(iterations), strings.TrimPrefix(line, "hw1torch: "))
				continue
			}
			if tail = append(tail, line); len(tail) > 20 {
				tail = tail[1:]
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
		err := cmd.Wait()
		switch {
		case err == nil:
		case ctx.Err() != nil:
			err = ctx.Err()
		default:
			err = fmt.Errorf("%s failed: %w\n%s", filepath.Base(args[0]), err, strings.Join(tail, "\n"))
		}
		r.done <- err
	}()
	return r, nil
}

// wait waits for hw1torch to exit and returns its error.
func (r *hw1torchRun) wait() error {
	if !r.waited {
		r.err, r.waited = <-r.done, true
		r.cancel()
	}
	return r.err
}

// stop kills hw1torch if it still runs and waits for it.
func (r *hw1torchRun) stop() {
	r.cancel()
	_ = r.wait()
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
