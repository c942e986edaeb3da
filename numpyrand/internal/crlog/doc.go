// Package crlog is a correctly rounded natural logarithm.
//
// numpy's legacy Gaussian calls glibc's log, and Go's math.Log differs from
// glibc in the last bit for about 7% of arguments (docs/numerics.md#libm). Log
// evaluates log(x) in double-double arithmetic (about 100 significant
// bits) and rounds once.
//
// glibc 2.36 is itself not correctly rounded everywhere: on 10⁶ uniform
// (0,1) arguments it differs from the correctly rounded value 768 times
// (0.08%), by one ulp; golden/numerics/numpyrand.json records where. Log
// equals glibc on every other argument tested (2·10⁶). Matching those 0.08%
// would need glibc's own table-driven algorithm together with its tables.
//
// Log is pure and safe for concurrent use.
package crlog
