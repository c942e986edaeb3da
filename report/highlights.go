package report

import (
	"fmt"

	"hw1pipe/results"
)

// kv is one headline number of a results document, named by its key in
// the document (or, for a derived number, by what it is).
type kv struct {
	key string
	val any
}

// docReader decodes one JSON input strictly into its results type and
// returns the document as the data block shows it (re-encoded from the
// type, so only the type's fields appear) and its headline numbers.
type docReader func(b []byte) (doc []byte, hs []kv, err error)

// jsonReaders maps each JSON input key to its results type.
var jsonReaders = map[string]docReader{
	"baseline_metrics": reader(svcHighlights),
	"grid_results":     reader(gridHighlights),
	"gabor_results":    reader(gaborHighlights),
	"gradcheck":        reader(gradHighlights),
	"self_curves":      reader(curvesHighlights),
	"torch_curves":     reader(curvesHighlights),
}

func reader[T results.Doc](hl func(*T) []kv) docReader {
	return func(b []byte) ([]byte, []kv, error) {
		v, err := results.Unmarshal[T](b)
		if err != nil {
			return nil, nil, fmt.Errorf("invalid JSON: %w", err)
		}
		doc, err := results.Marshal(v)
		if err != nil {
			return nil, nil, err
		}
		return doc, hl(v), nil
	}
}

func svcHighlights(m *results.SVCMetrics) []kv {
	return []kv{{"val_accuracy", m.ValAccuracy}, {"train_accuracy", m.TrainAccuracy},
		{"n_support_total", m.NSupportTotal}, {"support_ratio", m.SupportRatio}, {"gamma_value", m.GammaValue}}
}

func gridHighlights(g *results.Grid) []kv {
	return []kv{{"best_params", g.BestParams}, {"best_cv_score", g.BestCVScore},
		{"val_accuracy", g.ValAccuracy}, {"n_support_total", g.NSupportTotal}}
}

// gaborHighlights are the document's scalars, sorted by key.
func gaborHighlights(g *results.GaborSVM) []kv {
	return []kv{{"best_C", g.BestC}, {"best_val_accuracy", g.BestValAccuracy}, {"components", g.Components},
		{"explained_variance_ratio_sum", g.ExplainedVarianceRatioSum}, {"gamma", g.Gamma}, {"kernel", g.Kernel},
		{"n_features", g.NFeatures}, {"n_train", g.NTrain}, {"n_val", g.NVal}, {"pca_solver", g.PCASolver}}
}

func gradHighlights(g *results.GradCheck) []kv {
	return []kv{{"max_abs_err", g.MaxAbsErr}, {"tol", g.Tol}, {"epsilon", g.Epsilon}, {"max_abs_err_by", g.MaxAbsErrBy}}
}

// curvesHighlights are each curve's last value and the training error's
// mean over the last 100 updates.
func curvesHighlights(c *results.Curves) []kv {
	var out []kv
	for _, s := range []struct {
		key string
		x   []float64
	}{{"train_loss", c.TrainLoss}, {"train_error", c.TrainError}, {"val_loss", c.ValLoss}, {"val_error", c.ValError}} {
		if len(s.x) > 0 {
			out = append(out, kv{"final_" + s.key, s.x[len(s.x)-1]})
		}
	}
	if len(c.TrainError) > 0 {
		out = append(out, kv{"mean_last_100_train_error", results.MeanLast100(c.TrainError)})
	}
	return out
}
