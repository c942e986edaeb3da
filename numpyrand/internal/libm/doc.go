// Package libm gives numpyrand the natural logarithm numpy itself uses.
//
// numpy's legacy Gaussian calls the C library's log, and on Debian that is
// glibc's, which is not correctly rounded everywhere: on about 0.08% of
// arguments in (0,1) it is one ulp away from the true value (checked with
// mpmath). A bit-exact RandomState therefore has to call the same log.
// With cgo (the default on a machine with a C compiler, and always in the
// Makefile's builds) Log is glibc's log itself; without cgo it falls back
// to a correctly rounded log, which matches glibc on 99.9% of arguments.
package libm
