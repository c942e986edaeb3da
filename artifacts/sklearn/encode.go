package sklearn

import (
	"bytes"
	"fmt"
	"io"

	"hw1pipe/artifacts/pickle"
	"hw1pipe/internal/atomicfile"
)

// Estimator is a fitted model this package can pickle: *SVC or
// *GridSearch.
type Estimator interface {
	Validate() error
}

var (
	_ Estimator = (*SVC)(nil)
	_ Estimator = (*GridSearch)(nil)
)

// nanBits is the NaN CPython writes for float('nan') (error_score).
const nanBits = 0x7ff8000000000000

// Marshal validates est and returns its pickle for opt (nil: defaults).
func Marshal(est Estimator, opt *Options) ([]byte, error) {
	var o Options
	if opt != nil {
		o = *opt
	}
	if o.Version == "" {
		o.Version = DefaultVersion
	}
	if o.Protocol == 0 {
		o.Protocol = pickle.DefaultProtocol
	}
	if o.Protocol < 2 || o.Protocol > 4 {
		return nil, fmt.Errorf("sklearn: pickle protocol %d not in 2..4", o.Protocol)
	}
	major, minor, err := parseVersion(o.Version)
	if err != nil {
		return nil, err
	}
	if err := est.Validate(); err != nil {
		return nil, err
	}
	var v any
	switch e := est.(type) {
	case *SVC:
		v = e.object(o.Version)
	case *GridSearch:
		v = e.object(o.Version, major, minor)
	default:
		return nil, fmt.Errorf("sklearn: cannot pickle %T", est)
	}
	var buf bytes.Buffer
	enc := pickle.NewEncoder(&buf)
	enc.SetProtocol(o.Protocol)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("sklearn: %w", err)
	}
	return buf.Bytes(), nil
}

// Encode writes est's pickle to w. Nothing is written if est is invalid.
func Encode(w io.Writer, est Estimator, opt *Options) error {
	b, err := Marshal(est, opt)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// WriteFile writes est's pickle to path through a temporary file in the
// same directory, renamed when complete.
func WriteFile(path string, est Estimator, opt *Options) error {
	b, err := Marshal(est, opt)
	if err != nil {
		return err
	}
	return atomicfile.WriteBytes(path, b)
}
