// Package report builds hw1pipe's report: one self-contained HTML page
// (index.html) showing every figure and number the assignment asks for, and
// results.json holding those numbers keyed by section.
//
// # Sections
//
// Sections returns the sections in the assignment's order, each with an
// HTML id (p1a, p1b, p1f, p1g, p1h, p3a, p3b, p3c, p3d) and the input keys
// it shows: PNG/JPEG figures, JSON metrics and Markdown tables (InputKeys
// lists every key in order). Build takes the bytes of whichever inputs the
// pipeline produced, keyed by input key. Each JSON input is a document of
// package results (baseline_metrics a results.SVCMetrics, grid_results a
// results.Grid, gabor_results a results.GaborSVM, gradcheck a
// results.GradCheck, self_curves and torch_curves a results.Curves),
// decoded strictly: the headline numbers come from its typed fields. A section none of whose inputs
// is given is rendered as "not produced by this pipeline" (status
// "missing"); one with some inputs as "partial"; otherwise "ok". Options.
// Require names sections that must be "ok"; Build returns a
// *MissingError otherwise.
//
// # The page
//
// Images are embedded as data: URIs and the styles inline; a
// Content-Security-Policy meta tag forbids every network fetch, so the page
// renders the same from a zip, offline, and without JavaScript. A small
// inline script, run on load, writes a JSON summary into the hidden
// element with id "report-check" (images, loaded, broken, sections) and
// outlines broken images in red; CheckInBrowser reads it back through
// headless Chromium's --dump-dom.
//
// Its print styles start each problem on a new page and keep every
// figure and table on one; PrintPDF prints the page with headless
// Chromium, the print date pinned, so the same page gives the same PDF.
//
// The same inputs always give the same bytes: the page holds no time.
//
// # Wording of the other outputs
//
// The report owns the prose of every written table: GridMarkdown (the grid
// search's grid.md) and GaborMarkdown (the Gabor SVMs' results.md) here,
// and the LaTeX pack (results.tex, the tabulars, example.tex) in
// report/latex. Stages compute and call them.
//
// # results.json
//
// Results: per section, its status, missing input keys, highlights (the
// headline numbers shown at the top of the section, e.g. val_accuracy,
// best_params, final_val_error) and every JSON input's content, with
// numeric arrays longer than MaxArray replaced by a summary (len, first,
// last, min, max, mean of the last 100) and other arrays longer than
// MaxArray by their length, first and last element.
//
// # Errors
//
// Build returns an error naming the key for an input that is not what its
// key needs (an image that does not decode, JSON that is not its results
// type, a key the type does not know), *UnknownInputError for a key no
// section uses and *MissingError for a required section that lacks inputs. Nothing panics on caller data. Build is safe for
// concurrent use.
package report
