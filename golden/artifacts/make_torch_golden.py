"""torch.save of a small state_dict, the reference for
artifacts/torchsave's TestTorchGolden.

Usage: /usr/bin/python3 make_torch_golden.py OUTDIR
Writes OUTDIR/sd.pt (torch 1.13.1, Debian bookworm): the state_dict of
Net(fc1=nn.Linear(3, 2), fc2=nn.Linear(2, 1)) with fixed weights.
"""
import os
import sys

import torch
from torch import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 2)
        self.fc2 = nn.Linear(2, 1)


net = Net()
with torch.no_grad():
    net.fc1.weight.copy_(torch.tensor([[0.5, -1.25, 3.0], [1e-3, -0.0, 2.5]]))
    net.fc1.bias.copy_(torch.tensor([0.125, -7.0]))
    net.fc2.weight.copy_(torch.tensor([[1.5, -2.0]]))
    net.fc2.bias.copy_(torch.tensor([0.25]))
os.makedirs(sys.argv[1], exist_ok=True)
torch.save(net.state_dict(), os.path.join(sys.argv[1], "sd.pt"))
