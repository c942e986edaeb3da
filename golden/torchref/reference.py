"""Problem 3h's reference loop in Python PyTorch, the loop torchref mirrors.

usage: reference.py DATA_DIR OUT_DIR [ITERATIONS] [PASSES_TO_RECORD]

DATA_DIR holds train_images.npy (uint8 n×784, or float32/float64 already
scaled), train_labels.npy, val_images.npy, val_labels.npy. Pixels become
float32 as numpy's (X/255).astype(np.float32). OUT_DIR receives
training_loss.npy, training_error.npy, validation_loss.npy,
validation_error.npy (float64), init_fc1_weight.npy, init_fc1_bias.npy,
fc1_weight.npy, fc1_bias.npy (float32), pass_orders.npy (int64, the first
PASSES_TO_RECORD passes' index order, default 3) and timing.json (seconds
spent in the training loop).

Measurements: per update the batch loss (loss.item()) and error
(argmax != label count / batch size, a Python float division); validation
after 0, 1000, ... updates = mean over in-order batches of 64 of the same
two numbers. Runs with Debian 12's python3-torch 1.13.
"""
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 10)

    def forward(self, x):
        return F.relu(self.fc1(x))


def load(data, split):
    X = np.load(os.path.join(data, split + "_images.npy")).reshape(-1, 784)
    if X.dtype == np.uint8:
        X = X / 255
    X = torch.from_numpy(X.astype(np.float32))
    y = torch.from_numpy(np.load(os.path.join(data, split + "_labels.npy")).astype(np.int64))
    return X, y


def main(data, out, iterations=10000, record_passes=3, seed=20, lr=0.1, batch=64, val_every=1000):
    Xtr, ytr = load(data, "train")
    Xva, yva = load(data, "val")
    n = len(ytr)
    torch.manual_seed(seed)
    net = Net()
    init_w = net.fc1.weight.detach().clone()
    init_b = net.fc1.bias.detach().clone()
    # The third tensor only reports which samples a batch holds; it draws nothing.
    train_set = TensorDataset(Xtr, ytr, torch.arange(n)) if record_passes else TensorDataset(Xtr, ytr)
    train_loader = DataLoader(train_set, batch_size=batch, shuffle=True)
    val_loader = DataLoader(TensorDataset(Xva, yva), batch_size=batch, shuffle=False)
    opt = torch.optim.SGD(net.parameters(), lr=lr)
    crit = nn.CrossEntropyLoss()

    def validate():
        ls, es = [], []
        with torch.no_grad():
            for x, y in val_loader:
                o = net(x)
                ls.append(crit(o, y).item())
                es.append((o.argmax(1) != y).sum().item() / len(y))
        return sum(ls) / len(ls), sum(es) / len(es)

    def batches():
        while True:
            for b in train_loader:
                yield b

    seen = []
    tl, te, vl, ve = [], [], [], []
    start = time.perf_counter()
    l, e = validate()
    vl.append(l)
    ve.append(e)
    gen = batches()
    for t in range(1, iterations + 1):
        x, y, *ids = next(gen)
        if len(seen) < record_passes * n:
            seen.extend(ids[0].tolist())
        opt.zero_grad()
        o = net(x)
        loss = crit(o, y)
        loss.backward()
        opt.step()
        tl.append(loss.item())
        te.append((o.argmax(1) != y).sum().item() / len(y))
        if t % val_every == 0:
            l, e = validate()
            vl.append(l)
            ve.append(e)
    elapsed = time.perf_counter() - start

    os.makedirs(out, exist_ok=True)
    save = lambda name, a: np.save(os.path.join(out, name), a)
    save("training_loss.npy", np.array(tl, np.float64))
    save("training_error.npy", np.array(te, np.float64))
    save("validation_loss.npy", np.array(vl, np.float64))
    save("validation_error.npy", np.array(ve, np.float64))
    save("init_fc1_weight.npy", init_w.numpy())
    save("init_fc1_bias.npy", init_b.numpy())
    save("fc1_weight.npy", net.fc1.weight.detach().numpy())
    save("fc1_bias.npy", net.fc1.bias.detach().numpy())
    k = len(seen) // n
    save("pass_orders.npy", np.array(seen[:k * n], np.int64).reshape(k, n))
    with open(os.path.join(out, "timing.json"), "w") as fh:
        json.dump({"seconds": elapsed, "iterations": iterations, "threads": torch.get_num_threads(),
                   "torch": torch.__version__}, fh)


if __name__ == "__main__":
    a = sys.argv[1:]
    main(a[0], a[1], *(int(v) for v in a[2:4]))
