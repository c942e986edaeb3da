package svm

import "math"

// updateG adds Q_ik·dI + Q_jk·dJ to every g[k] (both products rounded,
// then their sum, then the addition to g[k]: libsvm's
// G[k] += Q_i[k]*delta_alpha_i + Q_j[k]*delta_alpha_j, no FMA) and returns
// the first half of the next working-set selection over the same
// positions: the position up of the largest −y_k·g_k over I_up (y_k > 0
// and not at the upper bound, or y_k < 0 and not at the lower bound),
// ties going to the later position, and that value; −1 and −∞ when I_up
// is empty. All slices have the length of g.
func updateG(g []float64, qi, qj []float32, dI, dJ float64, y []float64, status []int8) (up int, gmax float64) {
	n := len(g)
	qi, qj, y, status = qi[:n], qj[:n], y[:n], status[:n]
	up, gmax = -1, math.Inf(-1)
	k0 := 0
	if n4 := n &^ 3; useUpdateGAsm && n4 > 0 {
		up, gmax = updateGBlocks(g[:n4], qi, qj, dI, dJ, y, status)
		k0 = n4
	}
	for k := k0; k < n; k++ {
		// The conversions keep both products rounded (no FMA).
		gk := g[k] + (float64(float64(qi[k])*dI) + float64(float64(qj[k])*dJ))
		g[k] = gk
		if y[k] > 0 {
			if status[k] != atUpper && -gk >= gmax {
				gmax, up = -gk, k
			}
		} else if status[k] != atLower && gk >= gmax {
			gmax, up = gk, k
		}
	}
	return up, gmax
}

// reduceUpLanes merges per-lane maxima (lane l saw positions ≡ l mod 4,
// its ties already resolved to the later position) into the sequential
// scan's answer: the largest value, ties to the later position.
func reduceUpLanes(vals *[4]float64, idx *[4]int64) (up int, gmax float64) {
	up, gmax = -1, math.Inf(-1)
	for l := range vals {
		if idx[l] < 0 {
			continue
		}
		if v, k := vals[l], int(idx[l]); up < 0 || v > gmax || (v == gmax && k > up) {
			up, gmax = k, v
		}
	}
	return up, gmax
}

// selectLow is the second half of libsvm's working-set selection: over
// I_low (y_k > 0 and not at the lower bound, or y_k < 0 and not at the
// upper bound) it returns gmax2, the largest y_k·g_k, and the position j
// minimising −b²/quad with b = gmax + y_k·g_k > 0 and
// quad = (qdi + qd_k) − y_k·(twoYi·Q_ik) (τ when not positive), ties to
// the later position; j is −1 when no b is positive.
func selectLow(g, y []float64, status []int8, qd []float64, qi []float32, gmax, qdi, twoYi float64) (j int, objMin, gmax2 float64) {
	n := len(g)
	y, status, qd, qi = y[:n], status[:n], qd[:n], qi[:n]
	j, objMin, gmax2 = -1, math.Inf(1), math.Inf(-1)
	k0 := 0
	if n4 := n &^ 3; useUpdateGAsm && n4 > 0 {
		j, objMin, gmax2 = selectLowBlocks(g[:n4], y, status, qd, qi, gmax, qdi, twoYi)
		k0 = n4
	}
	for k := k0; k < n; k++ {
		if y[k] > 0 {
			if status[k] == atLower {
				continue
			}
			b := gmax + g[k]
			if g[k] >= gmax2 {
				gmax2 = g[k]
			}
			if b > 0 {
				quad := qdi + qd[k] - twoYi*float64(qi[k])
				var obj float64
				if quad > 0 {
					obj = -(b * b) / quad
				} else {
					obj = -(b * b) / tau
				}
				if obj <= objMin {
					j, objMin = k, obj
				}
			}
		} else {
			if status[k] == atUpper {
				continue
			}
			b := gmax - g[k]
			if -g[k] >= gmax2 {
				gmax2 = -g[k]
			}
			if b > 0 {
				quad := qdi + qd[k] + twoYi*float64(qi[k])
				var obj float64
				if quad > 0 {
					obj = -(b * b) / quad
				} else {
					obj = -(b * b) / tau
				}
				if obj <= objMin {
					j, objMin = k, obj
				}
			}
		}
	}
	return j, objMin, gmax2
}

// lowLanes is selectLow's per-lane state for the assembly kernel.
type lowLanes struct {
	obj   [4]float64
	idx   [4]int64 // positions 0..3 on entry
	gmax2 [4]float64
}

// reduce merges the lanes as the sequential scan would have.
func (l *lowLanes) reduce() (j int, objMin, gmax2 float64) {
	j, objMin, gmax2 = -1, math.Inf(1), math.Inf(-1)
	for k := range l.obj {
		gmax2 = max(gmax2, l.gmax2[k])
		if l.idx[k] < 0 {
			continue
		}
		if v, p := l.obj[k], int(l.idx[k]); j < 0 || v < objMin || (v == objMin && p > j) {
			j, objMin = p, v
		}
	}
	return j, objMin, gmax2
}
