package stages

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"hw1pipe/mnist"
	"hw1pipe/pipeline"
)

// mnistVersion is hashed into the stage's fingerprint; bump it when the
// written arrays would change.
const mnistVersion = "1"

// MNISTParams configures the mnist kind. Whatever the source, every file is
// checked against its official MD5 before use (that check cannot be turned
// off), so these params only say where to look.
type MNISTParams struct {
	// SourceDir is a directory holding the four official .gz files
	// (train-images-idx3-ubyte.gz ...), tried first. Default "": skipped.
	SourceDir string `yaml:"source_dir"`
	// Module is the Go module, as path@version, whose data/ folder ships
	// the files; it is fetched into the module cache with
	// `go mod download` (through the Go module proxy) and tried second.
	// Default mnist.DefaultModule; "" skips it.
	Module string `yaml:"module"`
	// Mirrors are base URLs tried last, in order, for any file still
	// missing. Default mnist.DefaultMirrors(); an empty list skips
	// downloading.
	Mirrors []string `yaml:"mirrors"`
}

func defaultMNISTParams() *MNISTParams {
	return &MNISTParams{Module: mnist.DefaultModule, Mirrors: mnist.DefaultMirrors()}
}

// Validate checks the module's form and the mirrors' URLs.
func (p *MNISTParams) Validate() error {
	var c paramChecks
	c.check(p.Module == "" || strings.Contains(p.Module, "@"), "module", "want path@version or \"\", got %q", p.Module)
	for i, m := range p.Mirrors {
		u, err := url.Parse(m)
		c.check(err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "", fmt.Sprintf("mirrors[%d]", i), "want an http or https URL, got %q", m)
	}
	return c.err()
}

// mnistLoader fetches and decodes the data set; tests replace it.
type mnistLoader func(ctx context.Context, p *MNISTParams, rep mnist.Reporter) (*mnist.Dataset, error)

// loadMNIST is the production loader: the official files, verified.
func loadMNIST(ctx context.Context, p *MNISTParams, rep mnist.Reporter) (*mnist.Dataset, error) {
	l := &mnist.Loader{Sources: mnist.NewSources(p.SourceDir, p.Module, p.Mirrors), Reporter: rep}
	return l.Load(ctx)
}

func mnistKind() pipeline.Kind { return newMNISTKind(loadMNIST) }

func newMNISTKind(load mnistLoader) pipeline.Kind {
	return pipeline.NewKind(pipeline.Kind{
		Name:    "mnist",
		Version: mnistVersion,
		Doc:     "official MNIST files (md5-checked) -> uint8 images (N,784) and int64 labels (N,) as .npy",
		Outputs: []string{"train_images", "train_labels", "test_images", "test_labels"},
	}, defaultMNISTParams, func(ctx context.Context, env *pipeline.Env, p *MNISTParams) error {
		return runMNIST(ctx, env, p, load)
	})
}

func runMNIST(ctx context.Context, env *pipeline.Env, p *MNISTParams, load mnistLoader) error {
	ds, err := load(ctx, p, scaled{env, 0, 0.7})
	if err != nil {
		return fmt.Errorf("load MNIST: %w", err)
	}
	for _, o := range ds.Origins {
		env.Progress(0.7, fmt.Sprintf("%s from %s", o.File, o.Source))
	}
	outs := []struct {
		key   string
		shape []int
		data  any
	}{
		{"train_images", []int{ds.Train.Len(), mnist.Pixels}, ds.Train.Images},
		{"train_labels", []int{ds.Train.Len()}, ds.Train.Labels},
		{"test_images", []int{ds.Test.Len(), mnist.Pixels}, ds.Test.Images},
		{"test_labels", []int{ds.Test.Len()}, ds.Test.Labels},
	}
	for i, o := range outs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := writeNPY(env.Output(o.key), o.shape, o.data); err != nil {
			return err // already names the path
		}
		env.Progress(0.7+0.3*float64(i+1)/float64(len(outs)), fmt.Sprintf("wrote %s %v", o.key, o.shape))
	}
	return nil
}

// scaled maps a sub-task's progress in [0,1] onto [lo,hi] of the stage's.
type scaled struct {
	env    *pipeline.Env
	lo, hi float64
}

func (s scaled) Progress(frac float64, msg string) {
	s.env.Progress(s.lo+frac*(s.hi-s.lo), msg)
}
