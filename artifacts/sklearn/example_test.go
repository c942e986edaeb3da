package sklearn_test

import (
	"bytes"
	"fmt"

	"hw1pipe/artifacts/inspect"
	"hw1pipe/artifacts/sklearn"
)

// A two-class linear SVC with one support vector per class. For two
// classes the public intercept_ and dual_coef_ are the negated internal
// ones (docs/formats.md#svc-signs-and-decision-function).
func ExampleMarshal() {
	m := &sklearn.SVC{
		Params:         sklearn.Params{Kernel: "linear", C: 1.0, Gamma: "auto", Degree: 3, Tol: 1e-3},
		Classes:        []int64{0, 1},
		GammaValue:     0.5, // 1/d for gamma='auto'
		NFeatures:      2,
		NSamples:       4,
		Support:        []int32{1, 2},
		SupportVectors: []float64{0, 1, 1, 0},
		NSupport:       []int32{1, 1},
		DualCoef:       []float64{1, -1},
		Intercept:      []float64{0.25},
	}
	b, err := sklearn.Marshal(m, nil) // scikit-learn 1.2.1, protocol 4
	if err != nil {
		panic(err)
	}
	v, _ := inspect.DecodePickle(bytes.NewReader(b))
	st := v.(*inspect.Object).State.(*inspect.Dict)
	for _, k := range []string{"_intercept_", "intercept_", "dual_coef_", "_sklearn_version"} {
		x, _ := st.Get(k)
		if a, ok := x.(*inspect.Array); ok {
			x = a.Data
		}
		fmt.Println(k, x)
	}
	// Output:
	// _intercept_ [0.25]
	// intercept_ [-0.25]
	// dual_coef_ [-1 1]
	// _sklearn_version 1.2.1
}
