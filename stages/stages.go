// Package stages holds hw1pipe's stage kinds, one file per kind. A kind is
// glue: its params type checks its values (Validate, called by
// pipeline.Load before anything runs), and its run function reads its
// declared inputs, calls the numeric and format packages, and writes its
// declared outputs. It holds no math.
//
// Every file has the same shape: the params struct (yaml tags, defaults,
// Validate), the kind (pipeline.NewKind), then run.
package stages

import (
	"errors"

	"hw1pipe/pipeline"
)

// Kinds returns every stage kind hw1pipe knows, for pipeline.NewRegistry.
func Kinds() []pipeline.Kind {
	return []pipeline.Kind{
		// One line per kind; keep sorted by name.
		latexKind(),
		mnistKind(),
		p1dataKind(),
		p1gaborfeaturesKind(),
		p1gaborsvmKind(),
		p1gridKind(),
		p1svcKind(),
		p3dataKind(),
		p3gradcheckKind(),
		p3torchKind(),
		p3trainKind(),
		reportKind(),
	}
}

// paramChecks collects the problems a Validate finds, so that every bad
// param is reported at once.
type paramChecks []error

// check records a *pipeline.ParamError for param unless ok.
func (c *paramChecks) check(ok bool, param, format string, args ...any) {
	if !ok {
		*c = append(*c, pipeline.ParamErrorf(param, format, args...))
	}
}

// err joins the problems; nil when there are none.
func (c paramChecks) err() error { return errors.Join(c...) }
