package numpyrand

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"hw1pipe/internal/pyref"
	"hw1pipe/numpyrand/internal/libm"
)

// TestPyrefLive regenerates draws with the installed numpy for several
// seeds (including 0 and 2³²−1) and compares them bit for bit.
func TestPyrefLive(t *testing.T) {
	out := pyref.Run(t, []string{"numpy"}, `
import json, sys
import numpy as np
res = []
for s in (0, 1, 12345, 2**32 - 1):
    rs = np.random.RandomState(s)
    res.append({"seed": s, "rand": rs.rand(100).tolist(), "randn": rs.randn(101).tolist(),
                "perm": rs.permutation(1000).tolist(),
                "ri": rs.randint(0, 1000, 50).tolist() + rs.randint(-3, 2**35, 50).tolist(),
                "choice": rs.choice(50, 7, replace=False).tolist(), "after": rs.rand(3).tolist()})
json.dump(res, sys.stdout)
`)
	var res []struct {
		Seed   uint32
		Rand   []float64
		Randn  []float64
		Perm   []int
		Ri     []int64
		Choice []int
		After  []float64
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		rs := New(r.Seed)
		got := make([]float64, len(r.Rand))
		rs.Rand(got)
		sameFloats(t, "rand", got, r.Rand)
		got = make([]float64, len(r.Randn))
		rs.Randn(got)
		sameFloats(t, "randn", got, r.Randn)
		sameInts(t, "permutation", rs.Permutation(1000), r.Perm)
		ri := make([]int64, 100)
		rs.RandIntN(ri[:50], 0, 1000)
		rs.RandIntN(ri[50:], -3, 1<<35)
		sameInts(t, "randint", ri, r.Ri)
		sameInts(t, "choice", rs.Choice(50, 7), r.Choice)
		got = make([]float64, 3)
		rs.Rand(got)
		sameFloats(t, "rand after", got, r.After)
	}
}

// TestRandnBitExactLive compares a million Gaussians with numpy's, hashed.
// With cgo the log is glibc's own, so every value must match, including
// the ~0.08% of arguments where glibc's log is not correctly rounded
// (seed 20 hits one at draws 3540/3541).
func TestRandnBitExactLive(t *testing.T) {
	if !libm.Exact {
		t.Skip("built without cgo: log is correctly rounded, not glibc's")
	}
	out := pyref.Run(t, []string{"numpy"}, `
import hashlib, sys
import numpy as np
for seed, n in ((20, 7840), (99, 1000000)):
    np.random.seed(seed)
    print(seed, n, hashlib.sha256(np.random.randn(n).astype('<f8').tobytes()).hexdigest())
`)
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var seed uint32
		var n int
		var want string
		if _, err := fmt.Sscan(line, &seed, &n, &want); err != nil {
			t.Fatalf("parse %q: %v", line, err)
		}
		v := make([]float64, n)
		New(seed).Randn(v)
		buf := make([]byte, 8*n)
		for i, x := range v {
			binary.LittleEndian.PutUint64(buf[8*i:], math.Float64bits(x))
		}
		if got := fmt.Sprintf("%x", sha256.Sum256(buf)); got != want {
			t.Errorf("seed %d: randn(%d) sha256 %s, numpy %s", seed, n, got, want)
		}
	}
}
