# hw1pipe: two commands for a user (`make submit`, `make test`); the rest
# are the steps they are made of. Everything a fresh Debian 12 machine lacks
# is installed by the `deps` target (as root) or named with the command that
# installs it.

SHELL := /bin/bash
GO    ?= go

# Go fuses a*b+c into an FMA under GOAMD64=v3, which changes the last bit
# of results that must equal numpy's and OpenCV's; pin the baseline ISA.
export GOAMD64 := v1

# libhdf5 (cgo, tag hdf5) lives in Debian's "serial" flavour directories.
# It is linked statically, from libhdf5-dev's own archives of the same
# 1.10.8: the shared library brings libcurl and 30 more libraries (for S3
# access, which hw1pipe never uses), and loading them was 12 of a no-op
# run's 40 ms (bench/RESULTS.md). build/hdf5-static holds only the two
# archives, so that -lhdf5 finds nothing else.
HDF5_STATIC := $(CURDIR)/build/hdf5-static
HDF5_LIBDIR := /usr/lib/x86_64-linux-gnu
$(shell mkdir -p $(HDF5_STATIC) && ln -sfn $(HDF5_LIBDIR)/libhdf5_serial.a $(HDF5_STATIC)/libhdf5.a && ln -sfn $(HDF5_LIBDIR)/libhdf5_serial_hl.a $(HDF5_STATIC)/libhdf5_hl.a)
export CGO_CFLAGS  := -I/usr/include/hdf5/serial
export CGO_LDFLAGS := -L$(HDF5_STATIC) -Wl,--start-group -lhdf5_hl -lhdf5 -lsz -lz -lm -ldl -Wl,--end-group
TAGS := hdf5

# Build-time C libraries, and the Python stack the tests prove files against.
BUILD_DEBS  := build-essential libhdf5-dev libtorch-dev libopenblas0
PYTHON_DEBS := python3-numpy python3-scipy python3-sklearn python3-skimage \
               python3-opencv python3-h5py python3-torch
# chromium prints submit/report/report.pdf; poppler-utils reads it back in
# the tests, which also compile the LaTeX pack's example.tex (graphicx is in
# texlive-latex-base, booktabs in texlive-latex-recommended).
REPORT_DEBS := chromium poppler-utils texlive-latex-base texlive-latex-recommended
# make compat: chroots of newer Debian releases (scripts/compat-chroot.sh).
COMPAT_DEBS := debootstrap

BIN     := bin/hw1pipe
CONFIG  ?= pipeline.yaml

# make compat proves submit/ in these Debian suites, each a chroot built once
# under COMPAT_DIR from the Debian mirror apt already uses (COMPAT_MIRROR
# overrides it). About 1 GB of packages on the first run.
COMPAT_SUITES ?= trixie sid
COMPAT_DIR    ?= build/compat
COMPAT_MIRROR ?=

include torchref/Makefile.inc

.PHONY: all submit test build deps deps-build deps-test deps-compat vet gotest fuzz-short bench bench-full bench-cold e2e e2e-full-grid compat goldens goldens-full clean help

all: build

help:
	@echo "make submit   install what is missing, build, run the pipeline, write submit/"
	@echo "make test     install what is missing, build, run every test (and fuzz-short)"
	@echo "make build    build $(BIN)"
	@echo "make bench    Go benchmarks and the Python counterparts, same run"
	@echo "make bench-full  the full-size grid search beside GridSearchCV (~20 min)"
	@echo "make bench-cold  rm -rf out, the whole pipeline cold, per-stage times"
	@echo "make e2e      the full-size run compared with its goldens and with scikit-learn, then make compat"
	@echo "make compat   load submit/ in Debian trixie and sid chroots (newer scikit-learn, torch, numpy)"
	@echo "make goldens  regenerate golden/regression/small.json (review git diff golden/)"
	@echo "make clean    remove build outputs (not the pipeline's out/)"

deps-build:
	@scripts/deps.sh $(BUILD_DEBS)

deps-test: deps-build
	@scripts/deps.sh $(PYTHON_DEBS) $(REPORT_DEBS)

deps: deps-test

deps-compat:
	@scripts/deps.sh $(COMPAT_DEBS)

build: deps-build $(HW1TORCH)
	$(GO) build -trimpath -tags '$(TAGS)' -o $(BIN) ./cmd/hw1pipe

# staticcheck, pinned, built once through the Go module proxy into build/
# (a new version gets a new directory, so bumping it rebuilds).
STATICCHECK_VERSION := v0.8.2
STATICCHECK := build/tools/staticcheck-$(STATICCHECK_VERSION)/staticcheck

$(STATICCHECK):
	GOBIN=$(CURDIR)/$(@D) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

vet: torch-vet $(STATICCHECK)
	$(GO) vet -tags '$(TAGS)' ./...
	$(STATICCHECK) -tags '$(TAGS)' ./...
	@# The other build too, without the tag and without cgo: the !hdf5
	@# stubs and the !cgo fallbacks (internal/openblas on gonum) are what a
	@# machine without libhdf5 or a C compiler builds, and code only they
	@# leave unused shows only there.
	CGO_ENABLED=0 $(GO) vet ./...
	CGO_ENABLED=0 $(STATICCHECK) ./...
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi

gotest:
	$(GO) test -tags '$(TAGS)' -count=1 ./...

# Each reader of untrusted files, fuzzed from the seeds in golden/hostile
# (the hostile-file corpus) and testdata/fuzz: four targets, about a minute
# in all on 2 cores. A failing input is saved under the package's
# testdata/fuzz/ (commit it) and replays in every later go test.
# The budgets are execution counts, not durations: with a duration, Go
# 1.26's fuzz coordinator can fail a target with a bare "context deadline
# exceeded" when a starved worker is mid-input as time runs out
# (https://go.dev/issue/75804, fixed in Go 1.27); a count has no deadline.
# Each count is about 10 s of that target's throughput here (the h5 target
# runs one input per child process, hence its small count).
FUZZ_TARGETS := ./artifacts/pickle:FuzzDecode:300000x ./artifacts/npy:FuzzRead:600000x \
                ./artifacts/inspect:FuzzReadTorch:60000x ./artifacts/h5:FuzzReadAttrs:200x

fuzz-short:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*} rest=$${t#*:}; name=$${rest%%:*} n=$${rest#*:}; \
		echo "fuzz $$name in $$pkg for $$n inputs"; \
		$(GO) test -tags '$(TAGS)' -run '^$$' -fuzz "^$$name$$" -fuzztime "$$n" "$$pkg"; \
	done

test: deps-test build vet gotest fuzz-short torch-test

submit: deps build
	./$(BIN) run --config $(CONFIG)
	./$(BIN) submit --config $(CONFIG)

bench: deps-test build
	bench/run.sh

# The full-size grid search beside scikit-learn's GridSearchCV(n_jobs=1):
# about 20 minutes, most of it scikit-learn's.
bench-full: deps-test build
	bench/run.sh grid-full

# A cold pipeline (rm -rf out, then bin/hw1pipe run) with its per-stage
# times, and the no-op rerun. It deletes out/.
bench-cold: build
	bench/cold.sh

# The full-size run, then every test, including the ones that need it:
# the regression goldens of the full run and the scikit-learn comparisons
# on the real 8,000/2,000 split (golden/e2e). From an empty out/ on 2 cores:
# the pipeline took 30-45 s (mostly the grid search), the checks ~4 min.
# Then Problem 1 again with p1_grid solver=exact in build/e2e-exact
# (scripts/e2e-exact.sh), checked against scikit-learn the same way:
# ~3 min for the exact grid on a quiet machine, ~4 min of checks.
# Then make compat: the first time it builds two chroots (~1 GB fetched;
# 22 min here, on a machine shared with other builds), later 1 to 2.5 min.
e2e: deps-test build
	./$(BIN) run --config $(CONFIG)
	set -o pipefail; HW1PIPE_E2E=1 $(GO) test -tags '$(TAGS)' -count=1 -timeout 0 -v ./golden/... 2>&1 | tee e2e.log
	set -o pipefail; scripts/e2e-exact.sh $(BIN) $(CONFIG) build/e2e-exact '$(GO)' '$(TAGS)' 2>&1 | tee -a e2e.log
	$(MAKE) compat

# submit/ as written, and the GridSearchCV export for each chroot's own
# scikit-learn version, loaded and scored with each chroot's Python stack
# (hw1pipe verify --python). Needs root (debootstrap, chroot, mount); the
# chroots are built once and reused while COMPAT_DIR/SUITE.stamp exists.
compat: deps-compat submit
	COMPAT_MIRROR='$(COMPAT_MIRROR)' scripts/compat.sh $(BIN) $(CONFIG) submit $(COMPAT_DIR) $(COMPAT_SUITES)

# make e2e compares the six rbf grid cells with GridSearchCV (a linear
# cell on raw pixels takes scikit-learn minutes); this compares all twelve.
e2e-full-grid: deps-test build
	./$(BIN) run --config $(CONFIG)
	HW1PIPE_E2E=1 HW1PIPE_E2E_FULL_GRID=1 $(GO) test -tags '$(TAGS)' -count=1 -timeout 0 -v ./golden/e2e/

# Regression goldens: the small configuration (make test compares it), and
# the full one from a finished, fresh out/ (run make e2e first).
goldens: deps-test build
	$(GO) test -tags '$(TAGS)' -count=1 ./golden/regression -run 'TestRegression$$' -update

goldens-full: build
	HW1PIPE_E2E=1 $(GO) test -tags '$(TAGS)' -count=1 ./golden/regression -run TestRegressionFull -update

clean:
	rm -rf bin build
