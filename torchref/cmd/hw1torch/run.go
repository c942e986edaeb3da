package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"hw1pipe/artifacts/npy"
	"hw1pipe/artifacts/torchsave"
	"hw1pipe/torchref"
)

// usageError is a bad command line (exit status 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// trainOptions are the flags of `hw1torch train`.
type trainOptions struct {
	trainImages, trainLabels string
	valImages, valLabels     string
	trainIndex, valIndex     string
	out                      string
	order                    string
	perms                    string
	writePerms               bool
	cfg                      torchref.Config
}

func run(args []string, stdout, stderr io.Writer) int {
	err := dispatch(args, stdout, stderr)
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "hw1torch:", err)
	var ue *usageError
	if errors.As(err, &ue) || errors.Is(err, flag.ErrHelp) {
		return 2
	}
	return 1
}

func dispatch(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return &usageError{"usage: hw1torch train|version [flags] (hw1torch train -h for the flags)"}
	}
	switch args[0] {
	case "version":
		fmt.Fprintf(stdout, "hw1torch: gotch v0.7.0 (patched), libtorch threads %d\n", torchref.Threads())
		return nil
	case "train":
		o, err := parseTrain(args[1:], stderr)
		if err != nil {
			return err
		}
		return train(o, stderr)
	}
	return &usageError{fmt.Sprintf("unknown command %q (want train or version)", args[0])}
}

func parseTrain(args []string, stderr io.Writer) (*trainOptions, error) {
	o := &trainOptions{cfg: torchref.DefaultConfig()}
	fs := flag.NewFlagSet("hw1torch train", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.trainImages, "train-images", "", "training images .npy (n×784)")
	fs.StringVar(&o.trainLabels, "train-labels", "", "training labels .npy (n)")
	fs.StringVar(&o.valImages, "val-images", "", "validation images .npy")
	fs.StringVar(&o.valLabels, "val-labels", "", "validation labels .npy")
	fs.StringVar(&o.trainIndex, "train-index", "", "optional .npy of the training rows to take from the images and labels")
	fs.StringVar(&o.valIndex, "val-index", "", "optional .npy of the validation rows to take from the images and labels")
	fs.StringVar(&o.out, "out", "", "output directory")
	fs.Int64Var(&o.cfg.Seed, "seed", o.cfg.Seed, "torch.manual_seed")
	fs.Float64Var(&o.cfg.LR, "lr", o.cfg.LR, "SGD learning rate")
	fs.IntVar(&o.cfg.Iterations, "iterations", o.cfg.Iterations, "number of SGD updates")
	fs.IntVar(&o.cfg.BatchSize, "batch", o.cfg.BatchSize, "batch size")
	fs.IntVar(&o.cfg.ValInterval, "val-every", o.cfg.ValInterval, "validate after every this many updates")
	fs.StringVar(&o.order, "order", "pytorch", "batch order: pytorch (DataLoader shuffle) or shared (--perms)")
	fs.StringVar(&o.perms, "perms", "", "order shared: .npy P×n, one permutation per pass")
	fs.IntVar(&o.cfg.Threads, "threads", 0, "libtorch intra-op threads (0: libtorch's default)")
	fs.BoolVar(&o.writePerms, "write-perms", false, "also write pass_orders.npy")
	if err := fs.Parse(args); err != nil {
		return nil, &usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return nil, &usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	for _, f := range []struct{ name, v string }{
		{"train-images", o.trainImages}, {"train-labels", o.trainLabels},
		{"val-images", o.valImages}, {"val-labels", o.valLabels}, {"out", o.out},
	} {
		if f.v == "" {
			return nil, &usageError{"missing --" + f.name}
		}
	}
	ord, err := torchref.ParseOrder(o.order)
	if err != nil {
		return nil, &usageError{err.Error()}
	}
	o.cfg.Order = ord
	if (ord == torchref.OrderShared) != (o.perms != "") {
		return nil, &usageError{"--perms is required with --order shared and only allowed with it"}
	}
	for name, v := range map[string]int{"iterations": o.cfg.Iterations, "batch": o.cfg.BatchSize, "val-every": o.cfg.ValInterval} {
		if v <= 0 {
			return nil, &usageError{fmt.Sprintf("--%s must be positive", name)}
		}
	}
	if o.cfg.LR <= 0 {
		return nil, &usageError{"--lr must be positive"}
	}
	return o, nil
}

func train(o *trainOptions, stderr io.Writer) error {
	tr, releaseTr, err := readDataset(o.trainImages, o.trainLabels, o.trainIndex)
	if err != nil {
		return err
	}
	defer releaseTr()
	va, releaseVa, err := readDataset(o.valImages, o.valLabels, o.valIndex)
	if err != nil {
		return err
	}
	defer releaseVa()
	if o.perms != "" {
		if o.cfg.Perms, err = readPerms(o.perms); err != nil {
			return err
		}
	}
	start := time.Now()
	o.cfg.Progress = func(done, total int, valLoss float64) {
		fmt.Fprintf(stderr, "hw1torch: %d/%d updates, validation loss %.6f (%.3fs)\n",
			done, total, valLoss, time.Since(start).Seconds())
	}
	res, err := torchref.Train(o.cfg, tr, va)
	if err != nil {
		return err
	}
	// The seconds of every progress line count from the start of training,
	// so a caller can tell the updates from the process's start (p3torch
	// reports both).
	fmt.Fprintf(stderr, "hw1torch: %d/%d updates done (%.3fs)\n", o.cfg.Iterations, o.cfg.Iterations, time.Since(start).Seconds())
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	files := []struct {
		name  string
		shape []int
		data  any
	}{
		{"training_loss.npy", []int{len(res.TrainLoss)}, res.TrainLoss},
		{"training_error.npy", []int{len(res.TrainError)}, res.TrainError},
		{"validation_loss.npy", []int{len(res.ValLoss)}, res.ValLoss},
		{"validation_error.npy", []int{len(res.ValError)}, res.ValError},
		{"fc1_weight.npy", []int{torchref.Classes, torchref.Features}, res.Weight},
		{"fc1_bias.npy", []int{torchref.Classes}, res.Bias},
		{"init_fc1_weight.npy", []int{torchref.Classes, torchref.Features}, res.InitWeight},
		{"init_fc1_bias.npy", []int{torchref.Classes}, res.InitBias},
	}
	if o.writePerms {
		flat := make([]int64, 0, len(res.Perms)*tr.Len())
		for _, p := range res.Perms {
			for _, i := range p {
				flat = append(flat, int64(i))
			}
		}
		files = append(files, struct {
			name  string
			shape []int
			data  any
		}{"pass_orders.npy", []int{len(res.Perms), tr.Len()}, flat})
	}
	for _, f := range files {
		if err := npy.WriteFile(filepath.Join(o.out, f.name), f.shape, f.data); err != nil {
			return err
		}
	}
	// torch.save(net.state_dict()) of Net (self.fc1 = nn.Linear(784, 10)).
	return torchsave.WriteFile(filepath.Join(o.out, WeightsFile), []torchsave.Tensor{
		{Name: "fc1.weight", Shape: []int{torchref.Classes, torchref.Features}, Data: res.Weight},
		{Name: "fc1.bias", Shape: []int{torchref.Classes}, Data: res.Bias},
	})
}

// WeightsFile is the trained state_dict's file name in the output
// directory (the autograder's name).
const WeightsFile = "pytorch_nn_weights.pth"

// readDataset reads an image and a label array (see the command doc for
// the accepted dtypes), and with an index file the rows it names. The
// images file is mapped into memory; the dataset is valid until release.
func readDataset(imgPath, lblPath, idxPath string) (d torchref.Dataset, release func() error, err error) {
	a, unmap, err := npy.MapFile(imgPath)
	if err != nil {
		return d, nil, err
	}
	defer func() {
		if err != nil {
			_ = unmap()
		}
	}()
	n := 0
	switch {
	case len(a.Shape) == 2 && a.Shape[1] == torchref.Features:
		n = a.Shape[0]
	case len(a.Shape) == 3 && a.Shape[1]*a.Shape[2] == torchref.Features:
		n = a.Shape[0]
	default:
		return d, nil, fmt.Errorf("%s: shape %v, want n×%d or n×28×28", imgPath, a.Shape, torchref.Features)
	}
	switch v := a.Data.(type) {
	case []float32:
		d.X = v
	case []float64:
		d.X = make([]float32, len(v))
		for i, x := range v {
			d.X[i] = float32(x)
		}
	case []uint8:
		// torchref converts the bytes as it fills its tensor.
		d.Pixels = v
	default:
		return d, nil, fmt.Errorf("%s: dtype %s, want float32, float64 or uint8", imgPath, a.Dtype)
	}
	if d.Y, err = readInts(lblPath); err != nil {
		return d, nil, err
	}
	if len(d.Y) != n {
		return d, nil, fmt.Errorf("%s: %d labels for %d images in %s", lblPath, len(d.Y), n, imgPath)
	}
	if idxPath == "" {
		return d, unmap, nil
	}
	idx, err := readInts(idxPath)
	if err != nil {
		return d, nil, err
	}
	rows := make([]int, len(idx))
	y := make([]int64, len(idx))
	for i, r := range idx {
		if r < 0 || r >= int64(n) {
			return d, nil, fmt.Errorf("%s: index %d at position %d is outside the %d images of %s", idxPath, r, i, n, imgPath)
		}
		rows[i], y[i] = int(r), d.Y[r]
	}
	d.Y = y
	if d.Pixels != nil {
		d.Rows = rows
		return d, unmap, nil
	}
	x := make([]float32, len(rows)*torchref.Features)
	for i, r := range rows {
		copy(x[i*torchref.Features:(i+1)*torchref.Features], d.X[r*torchref.Features:(r+1)*torchref.Features])
	}
	d.X = x
	return d, unmap, nil
}

// readInts reads an integer array as flat int64s.
func readInts(path string) ([]int64, error) {
	a, err := npy.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ints(path, a)
}

func ints(path string, a *npy.Array) ([]int64, error) {
	switch v := a.Data.(type) {
	case []int64:
		return v, nil
	case []int32:
		out := make([]int64, len(v))
		for i, x := range v {
			out[i] = int64(x)
		}
		return out, nil
	case []uint8:
		out := make([]int64, len(v))
		for i, x := range v {
			out[i] = int64(x)
		}
		return out, nil
	}
	return nil, fmt.Errorf("%s: dtype %s, want int64, int32 or uint8", path, a.Dtype)
}

// readPerms reads a P×n array of pass permutations.
func readPerms(path string) ([][]int, error) {
	a, err := npy.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(a.Shape) != 2 {
		return nil, fmt.Errorf("%s: shape %v, want passes×n", path, a.Shape)
	}
	flat, err := ints(path, a)
	if err != nil {
		return nil, err
	}
	p, n := a.Shape[0], a.Shape[1]
	perms := make([][]int, p)
	for i := range perms {
		perms[i] = make([]int, n)
		for j := range perms[i] {
			perms[i][j] = int(flat[i*n+j])
		}
	}
	return perms, nil
}
