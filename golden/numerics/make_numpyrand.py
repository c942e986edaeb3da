"""Reference draws from numpy's legacy RandomState for hw1pipe/numpyrand.

Run: /usr/bin/python3 golden/numerics/make_numpyrand.py > golden/numerics/numpyrand.json
Every float is written with repr(), which round-trips exactly.
"""
import hashlib
import json
import math
import sys

import mpmath
import numpy as np


def f64hash(values):
    return hashlib.sha256(np.asarray(values, dtype="<f8").tobytes()).hexdigest()


out = {"numpy": np.__version__}

np.random.seed(20)
out["seed20_u32"] = [int(v) for v in np.random.RandomState(20).randint(0, 2**32, size=4, dtype=np.uint32)]
R = np.random.rand(10, 784)
out["seed20_rand_10x784"] = R.ravel().tolist()
out["seed20_next_rand_10x1"] = np.random.rand(10, 1).ravel().tolist()

np.random.seed(20)
out["seed20_randn_1000"] = np.random.randn(1000).tolist()

# The cached Gaussian survives rand() and is cleared by seed().
rs = np.random.RandomState(7)
seq = list(rs.randn(3)) + list(rs.rand(2)) + list(rs.randn(3))
rs.seed(7)
seq += list(rs.randn(1))
out["seed7_randn3_rand2_randn3_reseed_randn1"] = [float(v) for v in seq]

out["seed42_permutation_30000"] = np.random.RandomState(42).permutation(30000).tolist()
out["seed42_permutation_10"] = np.random.RandomState(42).permutation(10).tolist()
out["seed42_choice_10_3"] = np.random.RandomState(42).choice(10, 3, replace=False).tolist()
out["seed42_randint_0_10_5"] = np.random.RandomState(42).randint(0, 10, 5).tolist()

rs = np.random.RandomState(42)
out["seed42_randint_2p31m1_x1000"] = [int(rs.randint(2**31 - 1)) for _ in range(1000)]
rs = np.random.RandomState(5)
out["seed5_randint_0_2p40_x200"] = rs.randint(0, 2**40, 200).tolist()
out["seed5_then_randint_m5_2p32m5_x20"] = rs.randint(-5, 2**32 - 5, 20).tolist()
out["seed5_then_randint_3_4_x5"] = rs.randint(3, 4, 5).tolist()
out["seed5_then_randint_m2p62_2p62_x50"] = rs.randint(-2**62, 2**62, 50).tolist()
out["seed5_then_rand1"] = rs.rand(1).tolist()

rs = np.random.RandomState(3)
M = np.arange(12, dtype=np.float64).reshape(6, 2)
rs.shuffle(M)
out["seed3_shuffle_rows_arange12_6x2"] = M.ravel().tolist()

# glibc log against a correctly rounded log (mpmath, 200 bits). glibc 2.36's
# log is not correctly rounded on about 0.08% of arguments; those indices and
# glibc's values there are stored so the Go test can prove that hw1pipe's
# correctly rounded log equals glibc everywhere else. Arguments come from
# RandomState streams the Go test reproduces; the full results are hashed.
mpmath.mp.prec = 200


def log_record(xs):
    glibc = [math.log(v) for v in xs]
    exc_i, exc_v = [], []
    for i, (v, g) in enumerate(zip(xs, glibc)):
        if float(mpmath.log(mpmath.mpf(v))) != g:
            exc_i.append(i)
            exc_v.append(g)
    return {"n": len(xs), "glibc_sha256": f64hash(glibc), "not_cr_index": exc_i, "not_cr_glibc": exc_v}


N = 1_000_000
u = np.random.RandomState(123).random_sample(N)
out["log_uniform_seed123"] = log_record(u[u > 0].tolist())
rs = np.random.RandomState(321)
m = rs.random_sample(N)
k = rs.randint(-1000, 1000, N)
x = np.ldexp(m, k)
out["log_wide_seed321"] = log_record(x[x > 0].tolist())
np.random.seed(99)
g = np.random.randn(N)
out["seed99_randn_1e6_sha256"] = f64hash(g)
out["seed99_randn_1e6_every1000"] = g[::1000].tolist()

json.dump(out, sys.stdout, separators=(",", ":"))
sys.stdout.write("\n")
