package gridsearch

import (
	"hw1pipe/svm"
)

// Grid is a scikit-learn param_grid dict restricted to SVC parameters. A
// nil field is a key absent from the dict; parameters not searched come
// from the base Params given to Search.
type Grid struct {
	C      []float64
	Coef0  []float64
	Degree []int
	Gamma  []svm.Gamma
	Kernel []svm.KernelType
}

// Names returns the searched parameter names in ParameterGrid order:
// sorted by ASCII ("C" < "coef0" < "degree" < "gamma" < "kernel").
func (g Grid) Names() []string {
	var names []string
	if g.C != nil {
		names = append(names, "C")
	}
	if g.Coef0 != nil {
		names = append(names, "coef0")
	}
	if g.Degree != nil {
		names = append(names, "degree")
	}
	if g.Gamma != nil {
		names = append(names, "gamma")
	}
	if g.Kernel != nil {
		names = append(names, "kernel")
	}
	return names
}

func (g Grid) size(name string) int {
	switch name {
	case "C":
		return len(g.C)
	case "coef0":
		return len(g.Coef0)
	case "degree":
		return len(g.Degree)
	case "gamma":
		return len(g.Gamma)
	}
	return len(g.Kernel)
}

func (g Grid) set(p *svm.Params, name string, i int) {
	switch name {
	case "C":
		p.C = g.C[i]
	case "coef0":
		p.Coef0 = g.Coef0[i]
	case "degree":
		p.Degree = g.Degree[i]
	case "gamma":
		p.Gamma = g.Gamma[i]
	case "kernel":
		p.Kernel = g.Kernel[i]
	}
}

// Candidates lists every combination in scikit-learn's ParameterGrid
// order: itertools.product over the sorted names, the last name varying
// fastest. For {C:[0.1,1,10], kernel:[linear,rbf], gamma:[scale,auto]}
// that is (0.1,scale,linear), (0.1,scale,rbf), (0.1,auto,linear), ….
// An empty (non-nil) list gives no candidates; an empty Grid gives base.
func (g Grid) Candidates(base svm.Params) []svm.Params {
	names := g.Names()
	total := 1
	for _, n := range names {
		total *= g.size(n)
	}
	out := make([]svm.Params, 0, total)
	idx := make([]int, len(names))
	for c := 0; c < total; c++ {
		p := base
		for k, n := range names {
			g.set(&p, n, idx[k])
		}
		out = append(out, p)
		for k := len(names) - 1; k >= 0; k-- {
			idx[k]++
			if idx[k] < g.size(names[k]) {
				break
			}
			idx[k] = 0
		}
	}
	return out
}

// ParamValue returns candidate p's value of a searched parameter the way
// cv_results_['param_<name>'] holds it: float64 for C and coef0, int for
// degree, "scale"/"auto" or float64 for gamma, the kernel's name for kernel.
func ParamValue(p svm.Params, name string) any {
	switch name {
	case "C":
		return p.C
	case "coef0":
		return p.Coef0
	case "degree":
		return p.Degree
	case "gamma":
		if p.Gamma.Mode == svm.GammaValue {
			return p.Gamma.Value
		}
		return p.Gamma.String()
	case "kernel":
		return p.Kernel.String()
	}
	return nil
}
