package stages

import (
	"context"
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"hw1pipe/nn"
	"hw1pipe/numpyrand"
	"hw1pipe/pipeline"
	"hw1pipe/results"
)

var p3GradOutputs = map[string]string{"report": "gradcheck.json"}

// TestP3GradCheck runs the kind and checks its report against nn.GradCheck
// called directly on the same sample and weights: the same entries, bit
// for bit, every error within tol, and the maxima.
func TestP3GradCheck(t *testing.T) {
	in := p3FakeMNIST(t, 120, 40)
	inputs := p3Inputs(in, p3RunData(t, in, defaultP3DataParams()))
	cases := []struct {
		name   string
		params *P3GradCheckParams
		// entries: linear 5 k × (10 W + all 10 b + 10 h), relu 5 × 10,
		// loss 10, net 5 × 10 W + 10 b, for Entries 10 and Outputs 5.
		entries int
	}{
		{"defaults", defaultP3GradCheckParams(), 5*30 + 50 + 10 + 60},
		{"gaussian sample 7", &P3GradCheckParams{Entries: 12, Outputs: 6, Epsilon: 1e-5, Tol: 1e-6, Init: "gaussian", Seed: 3, Sample: 7},
			6*(12+10+12) + 6*10 + 10 + 6*12 + 10},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env, rec := p3Env(t, inputs, p3GradOutputs)
			if err := p3gradcheckKind().Call(context.Background(), env, c.params); err != nil {
				t.Fatal(err)
			}
			var rep results.GradCheck
			p3ReadJSON(t, env.Output("report"), &rep)

			sets, err := p3LoadSets(&pipeline.Env{Inputs: inputs})
			if err != nil {
				t.Fatal(err)
			}
			p := c.params
			net := nn.NewNet(p3Pixels, 10)
			init, _ := nn.ParseInit(p.Init)
			nn.Initialize(net.L, init, numpyrand.New(p.Seed))
			want, err := nn.GradCheck(net, sets.train.Row(p.Sample), sets.train.Y[p.Sample],
				nn.GradCheckConfig{Entries: p.Entries, Outputs: p.Outputs, Sigma: p.Epsilon, Tol: p.Tol, Seed: p.Seed})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Entries) != c.entries || len(want.Entries) != c.entries {
				t.Fatalf("%d entries in the report, %d from nn.GradCheck, want %d", len(rep.Entries), len(want.Entries), c.entries)
			}
			maxErr := 0.0
			seen := map[string]bool{}
			for i, e := range rep.Entries {
				if e != results.GradEntry(want.Entries[i]) {
					t.Fatalf("entry %d = %+v, nn.GradCheck gives %+v", i, e, want.Entries[i])
				}
				if !(e.AbsErr <= p.Tol) || e.AbsErr != math.Abs(e.Analytic-e.Numeric) {
					t.Errorf("entry %d: %+v", i, e)
				}
				maxErr = max(maxErr, e.AbsErr)
				seen[e.Layer+"/"+e.Param] = true
			}
			for _, k := range []string{"linear/W", "linear/b", "linear/h", "relu/h", "loss/h", "net/W", "net/b"} {
				if !seen[k] {
					t.Errorf("no %s derivative checked", k)
				}
			}
			if rep.MaxAbsErr != maxErr || rep.MaxAbsErr != want.MaxAbsErr || len(rep.MaxAbsErrBy) != 7 {
				t.Errorf("max %v (by %v), entries' max %v", rep.MaxAbsErr, rep.MaxAbsErrBy, maxErr)
			}
			if rep.Sample != p.Sample || rep.Source != sets.trainIdx[p.Sample] || rep.Label != sets.train.Y[p.Sample] || rep.Init != p.Init {
				t.Errorf("report header %+v", rep)
			}
			if n := len(rec.fracs); n == 0 || rec.fracs[n-1] != 1 {
				t.Errorf("progress %v", rec.fracs)
			}
		})
	}
}

func TestP3GradCheckErrors(t *testing.T) {
	in := p3FakeMNIST(t, 40, 20)
	inputs := p3Inputs(in, p3RunData(t, in, defaultP3DataParams()))
	with := func(f func(p *P3GradCheckParams)) *P3GradCheckParams { p := defaultP3GradCheckParams(); f(p); return p }
	cases := []struct {
		name   string
		params *P3GradCheckParams
		want   string
	}{
		{"tol exceeded", with(func(p *P3GradCheckParams) { p.Tol = 1e-300 }), "gradient check failed"},
		{"entries", with(func(p *P3GradCheckParams) { p.Entries = 9 }), `param "entries"`},
		{"outputs", with(func(p *P3GradCheckParams) { p.Outputs = 4 }), `param "outputs"`},
		{"epsilon", with(func(p *P3GradCheckParams) { p.Epsilon = 0 }), `param "epsilon"`},
		{"tol", with(func(p *P3GradCheckParams) { p.Tol = -1 }), `param "tol"`},
		{"init", with(func(p *P3GradCheckParams) { p.Init = "ones" }), `unknown init "ones"`},
		{"sample", with(func(p *P3GradCheckParams) { p.Sample = 20 }), `param "sample"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env, _ := p3Env(t, inputs, p3GradOutputs)
			err := p3gradcheckKind().Call(context.Background(), env, c.params)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			var ge *nn.GradCheckError
			if c.name == "tol exceeded" && !errors.As(err, &ge) {
				t.Errorf("err = %v: want an *nn.GradCheckError inside", err)
			}
			if _, err := os.Stat(env.Output("report")); !os.IsNotExist(err) {
				t.Error("report written after failure")
			}
		})
	}
}
