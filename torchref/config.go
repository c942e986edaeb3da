package torchref

import (
	"fmt"
	"strings"
)

// The network's fixed shape: fc1 = Linear(Features, Classes).
const (
	Features = 784
	Classes  = 10
)

// Order selects where the training batches come from.
type Order int

const (
	// OrderPyTorch reproduces DataLoader(shuffle=True) under the seed.
	// It is the zero value.
	OrderPyTorch Order = iota
	// OrderShared takes each pass's permutation from Config.Perms.
	OrderShared
)

// String returns "pytorch" or "shared".
func (o Order) String() string {
	switch o {
	case OrderPyTorch:
		return "pytorch"
	case OrderShared:
		return "shared"
	}
	return fmt.Sprintf("Order(%d)", int(o))
}

// ParseOrder parses "pytorch" or "shared".
func ParseOrder(s string) (Order, error) {
	switch strings.ToLower(s) {
	case "pytorch":
		return OrderPyTorch, nil
	case "shared":
		return OrderShared, nil
	}
	return 0, &ConfigError{Field: "Order", Msg: fmt.Sprintf("unknown order %q (want pytorch or shared)", s)}
}

// Config holds the training parameters. A zero numeric field means its
// default (DefaultConfig spells them out), except Seed, whose zero value
// is seed 0.
type Config struct {
	// Seed is passed to torch.manual_seed. DefaultConfig uses 20.
	Seed int64
	// LR is the SGD learning rate. Default 0.1.
	LR float64
	// Iterations is the number of SGD updates. Default 10,000.
	Iterations int
	// BatchSize is the training and validation batch size. Default 64.
	BatchSize int
	// ValInterval: validation is measured after t updates for
	// t = 0, ValInterval, 2·ValInterval, … ≤ Iterations. Default 1,000.
	ValInterval int
	// Order chooses the batch order; the zero value is OrderPyTorch.
	Order Order
	// Perms holds, for OrderShared, the permutation of 0..n−1 of each
	// pass in turn; there must be enough passes for Iterations updates.
	// Ignored for OrderPyTorch.
	Perms [][]int
	// Threads, when positive, sets libtorch's intra-op thread count
	// (torch.set_num_threads). Zero keeps libtorch's default.
	Threads int
	// Progress, if non-nil, is called after each validation with the
	// number of updates done, the total, and the validation loss.
	Progress func(done, total int, valLoss float64)
}

// DefaultConfig returns the defaults of docs/homework.md#problem-3-training-and-validation: seed 20, lr 0.1,
// 10,000 updates, batch 64, validation every 1,000 updates, PyTorch order.
func DefaultConfig() Config {
	return Config{Seed: 20, LR: 0.1, Iterations: 10000, BatchSize: 64, ValInterval: 1000}
}

func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.LR == 0 {
		c.LR = d.LR
	}
	if c.Iterations == 0 {
		c.Iterations = d.Iterations
	}
	if c.BatchSize == 0 {
		c.BatchSize = d.BatchSize
	}
	if c.ValInterval == 0 {
		c.ValInterval = d.ValInterval
	}
	return c
}

func (c Config) check() error {
	switch {
	case c.LR < 0:
		return &ConfigError{Field: "LR", Msg: "must be positive"}
	case c.Iterations < 0:
		return &ConfigError{Field: "Iterations", Msg: "must be positive"}
	case c.BatchSize < 0:
		return &ConfigError{Field: "BatchSize", Msg: "must be positive"}
	case c.ValInterval < 0:
		return &ConfigError{Field: "ValInterval", Msg: "must be positive"}
	case c.Order != OrderPyTorch && c.Order != OrderShared:
		return &ConfigError{Field: "Order", Msg: c.Order.String() + " is not an order"}
	case c.Order == OrderShared && len(c.Perms) == 0:
		return &ConfigError{Field: "Perms", Msg: "the shared order needs the passes' permutations"}
	}
	return nil
}

// Dataset is n samples of Features pixels, given either as float32
// values (X) or as 8-bit images (Pixels, Rows).
type Dataset struct {
	// X is n×Features, row-major. When X is nil the samples come from
	// Pixels instead.
	X []float32
	// Pixels holds whole 8-bit images of Features bytes each, and sample
	// i is image Rows[i] (image i when Rows is nil). Pixel p becomes
	// float32(float64(p)/255), numpy's (X/255).astype(np.float32). Train
	// writes these values straight into libtorch's tensor, so a caller
	// with bytes (MNIST) never holds an n×Features float32 copy.
	Pixels []uint8
	Rows   []int
	// Y holds the n labels, each in 0..Classes−1.
	Y []int64
}

// Len returns the number of samples.
func (d Dataset) Len() int { return len(d.Y) }

func (d Dataset) check(name string) error {
	n := len(d.Y)
	if n == 0 {
		return &DataError{Set: name, Msg: "no samples"}
	}
	switch images := len(d.Pixels) / Features; {
	case d.X != nil:
		if len(d.X) != n*Features {
			return &DataError{Set: name, Msg: fmt.Sprintf("%d pixel values for %d labels, want %d×%d", len(d.X), n, n, Features)}
		}
	case len(d.Pixels)%Features != 0:
		return &DataError{Set: name, Msg: fmt.Sprintf("%d pixel bytes are not whole images of %d", len(d.Pixels), Features)}
	case d.Rows == nil:
		if images != n {
			return &DataError{Set: name, Msg: fmt.Sprintf("%d images for %d labels", images, n)}
		}
	default:
		if len(d.Rows) != n {
			return &DataError{Set: name, Msg: fmt.Sprintf("%d rows for %d labels", len(d.Rows), n)}
		}
		for i, r := range d.Rows {
			if r < 0 || r >= images {
				return &DataError{Set: name, Msg: fmt.Sprintf("row %d at index %d is outside the %d images", r, i, images)}
			}
		}
	}
	for i, y := range d.Y {
		if y < 0 || y >= Classes {
			return &DataError{Set: name, Msg: fmt.Sprintf("label %d at index %d is outside 0..%d", y, i, Classes-1)}
		}
	}
	return nil
}

// fill writes the n×Features samples into dst.
func (d Dataset) fill(dst []float32) {
	if d.X != nil {
		copy(dst, d.X)
		return
	}
	// A table of the 256 values instead of a division per pixel.
	var scale [256]float32
	for p := range scale {
		scale[p] = float32(float64(p) / 255)
	}
	for i := range d.Y {
		r := i
		if d.Rows != nil {
			r = d.Rows[i]
		}
		out := dst[i*Features : (i+1)*Features]
		for k, p := range d.Pixels[r*Features : (r+1)*Features] {
			out[k] = scale[p]
		}
	}
}

// Result is what Train measured and learned.
type Result struct {
	// TrainLoss and TrainError hold one value per update.
	TrainLoss, TrainError []float64
	// ValLoss and ValError hold the validation measurements after
	// 0, ValInterval, 2·ValInterval, … updates.
	ValLoss, ValError []float64
	// InitWeight (Classes×Features, row-major) and InitBias (Classes)
	// are fc1's parameters before training; Weight and Bias after it.
	InitWeight, InitBias []float32
	Weight, Bias         []float32
	// Perms is the permutation of every training pass started, in order.
	Perms [][]int
}

// ConfigError reports an invalid Config field.
type ConfigError struct {
	Field, Msg string
}

func (e *ConfigError) Error() string { return "torchref: config " + e.Field + ": " + e.Msg }

// DataError reports a malformed data set or permutation.
type DataError struct {
	// Set is "train", "validation" or "perms".
	Set string
	Msg string
}

func (e *DataError) Error() string { return "torchref: " + e.Set + ": " + e.Msg }
