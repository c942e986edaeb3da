#!/usr/bin/env bash
# bench/cold.sh: the pipeline from nothing, as a user's first `make submit`
# runs it once the binaries are built: `rm -rf out && bin/hw1pipe run`,
# then each stage's time from out/.hw1pipe/lock.json (stages run in
# parallel where the graph allows, so they add up to more than the wall
# time), then the no-op rerun (best of 5). It DELETES out/.
#
#   bench/cold.sh [STAGE...]      (default: every stage)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bin=$root/bin/hw1pipe
[ -x "$bin" ] || { echo "cold: $bin missing (make build)" >&2; exit 1; }
py=${HW1PIPE_PYTHON:-/usr/bin/python3}
ms() { date +%s%3N; }

rm -rf out
t0=$(ms)
"$bin" run "$@" >&2
t1=$(ms)
# The cold run wrote about a gigabyte: let its writeback finish before
# timing the reruns, which measure hw1pipe, not the disk.
sync
sleep 1
noop=()
for _ in 1 2 3 4 5; do
	a=$(ms)
	"$bin" run "$@" >/dev/null 2>&1
	b=$(ms)
	noop+=($((b - a)))
done
best=$(printf '%s\n' "${noop[@]}" | sort -n | head -1)

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; $(date -u +%Y-%m-%dT%H:%MZ)"
echo
"$py" - "$((t1 - t0))" "$best" "${noop[*]}" <<'PY'
import json, sys
wall, best, all_ = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
stages = json.load(open("out/.hw1pipe/lock.json"))["stages"]
print("| stage | seconds |")
print("|---|---|")
for name, s in sorted(stages.items(), key=lambda kv: kv[1]["finished"]):
    print("| %s | %.1f |" % (name, s["duration_ms"] / 1000))
print("| **cold pipeline, wall** | **%.1f** |" % (wall / 1000))
print("| no-op rerun, wall (best of 5: %s ms) | %.3f |" % (all_, best / 1000))
PY
