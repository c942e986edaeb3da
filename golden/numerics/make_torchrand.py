"""Reference draws from PyTorch 1.13's CPU generator for hw1pipe/torchrand.

Run: /usr/bin/python3 golden/numerics/make_torchrand.py > golden/numerics/torchrand.json
float32 values are written as the exact float64 of the float32 (repr).
DataLoader orders (30,000 indices per epoch) are stored as the SHA-256 of the
int64 little-endian indices plus their first and last 16 entries.
"""
import hashlib
import json
import sys

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

out = {"torch": torch.__version__}

torch.manual_seed(20)
out["seed20_rand3_f32"] = torch.rand(3).tolist()
torch.manual_seed(20)
out["seed20_rand3_f64"] = torch.rand(3, dtype=torch.float64).tolist()
torch.manual_seed(20)
out["seed20_randperm10"] = torch.randperm(10).tolist()
torch.manual_seed(20)
out["seed20_randperm30000"] = torch.randperm(30000).tolist()
torch.manual_seed(7)
out["seed7_rand1000_uniform_m3_5_f32"] = torch.empty(1000).uniform_(-3, 5).tolist()
torch.manual_seed(3)
out["seed3_uniform_m3.3_5.7_f64_x300"] = torch.empty(300, dtype=torch.float64).uniform_(-3.3, 5.7).tolist()

torch.manual_seed(20)
l = nn.Linear(3, 2)
out["seed20_linear3x2"] = {"w": l.weight.detach().ravel().tolist(), "b": l.bias.detach().tolist()}
torch.manual_seed(20)
l = nn.Linear(784, 10)
out["seed20_linear784x10"] = {"w": l.weight.detach().ravel().tolist(), "b": l.bias.detach().tolist()}
torch.manual_seed(20)
l1, l2 = nn.Linear(784, 100), nn.Linear(100, 10)
out["seed20_linear784x100_then_100x10_sha256"] = hashlib.sha256(
    np.concatenate([p.detach().numpy().ravel() for p in (l1.weight, l1.bias, l2.weight, l2.bias)]).astype("<f4").tobytes()
).hexdigest()


def order_record(order):
    a = np.asarray(order, dtype="<i8")
    return {"sha256": hashlib.sha256(a.tobytes()).hexdigest(), "head": a[:16].tolist(), "tail": a[-16:].tolist()}


def loader_orders(val_between):
    torch.manual_seed(20)
    nn.Linear(784, 10)
    train = DataLoader(TensorDataset(torch.arange(30000)), batch_size=64, shuffle=True)
    val = DataLoader(TensorDataset(torch.arange(5000)), batch_size=64, shuffle=False)
    epochs, base_seeds = [], []
    for _ in range(3):
        it = iter(train)
        base_seeds.append(it._base_seed)
        order = []
        for (xb,) in it:
            order.extend(xb.tolist())
        epochs.append(order_record(order))
        for _ in range(val_between):
            for _ in val:
                pass
    return {"epochs": epochs, "base_seeds": base_seeds, "next_rand_f32": torch.rand(2).tolist()}


def homework_schedule():
    # Problem 3's loop: the training iterator is created before the update-0
    # validation pass, so its sampler seed is drawn after that pass.
    torch.manual_seed(20)
    nn.Linear(784, 10)
    train = DataLoader(TensorDataset(torch.arange(30000)), batch_size=64, shuffle=True)
    val = DataLoader(TensorDataset(torch.arange(5000)), batch_size=64, shuffle=False)
    it = iter(train)
    batches = []
    for t in range(10001):
        if t % 1000 == 0:
            for _ in val:
                pass
        if t == 10000:
            break
        try:
            (xb,) = next(it)
        except StopIteration:
            it = iter(train)
            (xb,) = next(it)
        batches.append(xb)
    rec = order_record(torch.cat(batches).tolist())
    rec["n_batches"] = len(batches)
    rec["last_batch"] = batches[-1].tolist()
    return rec


out["dataloader_30000_seed20_after_linear784x10"] = loader_orders(0)
out["homework_10000_updates_val_every_1000"] = homework_schedule()
out["dataloader_30000_seed20_after_linear784x10_val_between"] = loader_orders(1)

json.dump(out, sys.stdout, separators=(",", ":"))
sys.stdout.write("\n")
