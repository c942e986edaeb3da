package results

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
)

// GridTable is the grid search's cv_results_ as grid.csv holds it: one
// row per candidate in ParameterGrid order.
type GridTable struct {
	// Names are the searched params, sorted (C, gamma, kernel).
	Names []string
	// NSplits is the number of folds.
	NSplits int
	Rows    []GridRow
	// Best is best_index_, into Rows.
	Best int
}

// GridRow is one candidate.
type GridRow struct {
	// Params are the candidate's values, one per name, as Python prints
	// them (10, 0.1, scale).
	Params []string
	// Splits are the fold accuracies; Mean, Std and Rank summarise them
	// as mean_test_score, std_test_score and rank_test_score do.
	Splits    []float64
	Mean, Std float64
	Rank      int
	// MeanFit and StdFit are the fit times in seconds.
	MeanFit, StdFit float64
}

// CSV renders grid.csv: the searched params, each fold's accuracy, mean,
// std and rank as in cv_results_, and the fit times; floats in Python's
// repr.
func (t *GridTable) CSV() string {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	h := []string{}
	for _, name := range t.Names {
		h = append(h, "param_"+name)
	}
	for s := 0; s < t.NSplits; s++ {
		h = append(h, fmt.Sprintf("split%d_test_score", s))
	}
	w.Write(append(h, "mean_test_score", "std_test_score", "rank_test_score", "mean_fit_time", "std_fit_time"))
	for _, r := range t.Rows {
		row := append([]string{}, r.Params...)
		for _, s := range r.Splits {
			row = append(row, PyFloat(s))
		}
		w.Write(append(row, PyFloat(r.Mean), PyFloat(r.Std), strconv.Itoa(r.Rank), PyFloat(r.MeanFit), PyFloat(r.StdFit)))
	}
	w.Flush()
	return buf.String()
}

// PyFloat is Python's repr of a float: shortest round-trip digits, with
// ".0" on whole numbers.
func PyFloat(x float64) string {
	s := strconv.FormatFloat(x, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eEn") {
		s += ".0"
	}
	return s
}

// PyValue renders a param value as Python prints it.
func PyValue(v any) string {
	switch x := v.(type) {
	case float64:
		return PyFloat(x)
	case int:
		return strconv.Itoa(x)
	case string:
		return x
	}
	return fmt.Sprint(v)
}
