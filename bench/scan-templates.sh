#!/usr/bin/env bash
# Time sensei over the public corpus and over its largest template, on one core, and print the
# median wall time and the peak memory of several runs.
#
#   bench/scan-templates.sh [RUNS]          (default 15 runs each)
#
# Needs GNU time (/usr/bin/time, Debian package `time`) for peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-15}"
corpus="${SENSEI_CORPUS:-../shared/corpus/public}"
largest="${SENSEI_LARGEST:-../shared/corpus/large/aws-waf-security-automations__aws-waf-security-automations.template}"
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

cargo build --release --quiet --bin sensei
bin="${CARGO_TARGET_DIR:-target}/release/sensei"
export RAYON_NUM_THREADS=1

measure() { # label, then the command
  local label="$1"; shift
  local times=() mems=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s%N)
    /usr/bin/time -f '%M' -o /tmp/sensei-bench-mem "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000 )))
    mems+=("$(tail -n 1 /tmp/sensei-bench-mem)")
  done
  local med_t med_m
  med_t=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  med_m=$(printf '%s\n' "${mems[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  awk -v l="$label" -v t="$med_t" -v m="$med_m" -v r="$runs" \
    'BEGIN { printf "%-44s median %8.1f ms   peak RSS %6.1f MB   (%s runs, 1 thread)\n", l, t / 1000, m / 1024, r }'
}

files=$(find "$corpus" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' -o -name '*.template' \) | wc -l)
bytes=$(find "$corpus" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' -o -name '*.template' \) -print0 | du -cb --files0-from=- | tail -n 1 | cut -f1)
echo "corpus: $files files, $((bytes / 1024)) KiB; largest: $(basename "$largest") ($(( $(stat -c %s "$largest") / 1024 )) KiB)"
measure "sensei scan (whole public corpus, JSON)" "$bin" scan --format json --select all "$corpus"
measure "sensei scan (largest template, JSON)" "$bin" scan --format json --select all "$largest"
measure "sensei --version (process start-up)" "$bin" --version
