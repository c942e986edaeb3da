package pipeline

import (
	"context"
	"errors"
	"strings"
	"testing"
)

type valueParams struct {
	N int `yaml:"n"`
}

func (valueParams) Validate() error { return nil }

// TestKindCall: Call validates before running, runs with the defaults on
// nil, and refuses params of another type or params for a kind without.
func TestKindCall(t *testing.T) {
	var got *testParams
	k := NewKind(Kind{Name: "k", Version: "1"}, func() *testParams { return &testParams{Rate: 0.5} },
		func(_ context.Context, _ *Env, p *testParams) error { got = p; return nil })
	env := &Env{Stage: "s"}
	var pe *ParamError
	if err := k.Call(context.Background(), env, &testParams{Rate: -1}); !errors.As(err, &pe) || pe.Param != "rate" || got != nil {
		t.Errorf("bad rate: err %v, ran with %+v", err, got)
	}
	if err := k.Call(context.Background(), env, nil); err != nil || got == nil || got.Rate != 0.5 {
		t.Errorf("nil params: err %v, ran with %+v", err, got)
	}
	if err := k.Call(context.Background(), env, &blobParams{}); err == nil || !strings.Contains(err.Error(), "*pipeline.blobParams") {
		t.Errorf("wrong type: err %v", err)
	}
	bare := Kind{Name: "bare", Version: "1", Run: func(context.Context, *Env) error { return nil }}
	if err := bare.Call(context.Background(), env, &testParams{}); err == nil {
		t.Error("params for a kind without params: no error")
	}
}

// TestRegistryChecksParamsType: a kind's defaults must be a non-nil
// pointer to a struct, or Load could not decode into them.
func TestRegistryChecksParamsType(t *testing.T) {
	run := func(context.Context, *Env, valueParams) error { return nil }
	_, err := NewRegistry(NewKind(Kind{Name: "v", Version: "1"}, func() valueParams { return valueParams{} }, run))
	if err == nil || !strings.Contains(err.Error(), "want a non-nil pointer to a struct") {
		t.Errorf("struct value: err %v", err)
	}
	nilRun := func(context.Context, *Env, *testParams) error { return nil }
	_, err = NewRegistry(NewKind(Kind{Name: "n", Version: "1"}, func() *testParams { return nil }, nilRun))
	if err == nil || !strings.Contains(err.Error(), "a nil *pipeline.testParams") {
		t.Errorf("nil pointer: err %v", err)
	}
}
