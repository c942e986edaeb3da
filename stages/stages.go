// Package stages holds hw1pipe's stage kinds, one file per kind. A kind is
// glue: it decodes its params, reads its declared inputs, calls the numeric
// and format packages, and writes its declared outputs. It holds no math.
package stages

import "hw1pipe/pipeline"

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
