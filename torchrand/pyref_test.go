package torchrand

import (
	"encoding/json"
	"testing"

	"hw1pipe/internal/pyref"
)

// TestPyrefLive regenerates draws with the installed torch for several
// seeds (including seeds ≥ 2³², which torch reduces mod 2³²) and compares
// them bit for bit, including a DataLoader schedule with two validation
// passes per epoch.
func TestPyrefLive(t *testing.T) {
	out := pyref.Run(t, []string{"torch"}, `
import json, sys
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
res = []
for s in (0, 1, 123456789, 2**32 + 5, 2**63 - 1):
    torch.manual_seed(s)
    r = {"seed": s, "rand": torch.rand(100).tolist(), "perm": torch.randperm(1000).tolist()}
    lin = nn.Linear(20, 5)
    r["w"] = lin.weight.detach().ravel().tolist()
    r["b"] = lin.bias.detach().tolist()
    tr = DataLoader(TensorDataset(torch.arange(500)), batch_size=64, shuffle=True)
    va = DataLoader(TensorDataset(torch.arange(70)), batch_size=64)
    orders = []
    for _ in range(2):
        orders.append([i for (xb,) in tr for i in xb.tolist()])
        for _ in range(2):
            for _ in va:
                pass
    r["orders"] = orders
    r["after"] = torch.rand(3).tolist()
    res.append(r)
json.dump(res, sys.stdout)
`)
	var res []struct {
		Seed   uint64
		Rand   []float32
		Perm   []int
		W, B   []float32
		Orders [][]int
		After  []float32
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		g := New(r.Seed)
		got := make([]float32, 100)
		g.Rand(got)
		same(t, "rand", got, r.Rand)
		same(t, "randperm", g.Randperm(1000), r.Perm)
		w, b := g.LinearInit(20, 5)
		same(t, "weight", w, r.W)
		same(t, "bias", b, r.B)
		orders := DataLoaderOrder(g, 500, 2, 2)
		for e := range orders {
			same(t, "order", orders[e], r.Orders[e])
		}
		got = got[:3]
		g.Rand(got)
		same(t, "rand after", got, r.After)
	}
}
