// Package figures draws the report's PNG figures: line charts (loss and
// error curves), annotated heat maps (confusion matrices) and grids of
// grayscale or diverging images (digits, Gabor kernels, responses).
//
// Each figure is a plain value describing what to draw; WritePNG renders it
// with gonum.org/v1/plot to an io.Writer. Charts (Lines, Heatmap) also
// have WritePDF: the same drawing as a one-page vector PDF with embedded
// fonts, for LaTeX's \includegraphics, its creation date pinned so that
// it too is the same bytes on every run. The package creates no files, so
// the pipeline's temp-and-rename rule applies to figures like any output.
// Rendering is deterministic: the same value gives the same bytes, which
// lets the runner's output hashes and the regression goldens cover figures.
// A PNG line chart strokes, of a long series, only the points that can
// change its pixels (the extremes of every quarter-pixel column); the PDF
// keeps every point, since a reader may zoom in.
//
// Images are row-major []float64 of Rows x Cols. Bad values (a slice length
// that does not match its shape, no data) are returned as errors; nothing
// in the package panics on caller data. Values are safe for concurrent use
// as long as callers do not mutate them while rendering.
package figures
