#!/usr/bin/env bash
# sensei and its peers side by side on the same machine and the same input: the public corpus and
# a generated 5,000-resource template. Prints the median wall time, the median peak memory and the
# ratio of each peer to sensei.
#
#   bench/compare-templates.sh [RUNS]      (default 5 runs for sensei, 3 for the slower peers)
#   PEER_RUNS=1 bench/compare-templates.sh   runs of each peer; SENSEI_BIN=path skips the build
#
# Installs what it needs under bench/out/ (a Python venv with checkov and cfn-lint, cfn-guard with
# cargo install) the first time; later runs reuse it. Needs GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
peer_runs="${PEER_RUNS:-$(( runs < 3 ? runs : 3 ))}"
corpus="${SENSEI_CORPUS:-../shared/corpus/public}"
out=bench/out
mkdir -p "$out"
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

echo "== installing (first run only)"
if [ ! -x "$out/venv/bin/checkov" ] || [ ! -x "$out/venv/bin/cfn-lint" ]; then
  python3 -m venv "$out/venv"
  "$out/venv/bin/pip" install -q checkov cfn-lint
fi
if [ ! -x "$out/cfn-guard/bin/cfn-guard" ]; then
  cargo install -q --locked cfn-guard --root "$out/cfn-guard"
fi
# SENSEI_BIN: a sensei already built (e.g. `cargo build --release -p sensei --no-default-features`,
# the same template audit without the AWS SDK, which builds in minutes).
if [ -n "${SENSEI_BIN:-}" ]; then
  sensei="$SENSEI_BIN"
else
  cargo build --release --quiet --bin sensei
  sensei="${CARGO_TARGET_DIR:-target}/release/sensei"
fi
large="$out/large-5000.yaml"
[ -f "$large" ] || python3 bench/gen-template.py 5000 > "$large"

checkov_v=$("$out/venv/bin/checkov" --version 2>/dev/null | tail -n 1)
cfnlint_v=$("$out/venv/bin/cfn-lint" --version 2>/dev/null | tail -n 1)
guard_v=$("$out/cfn-guard/bin/cfn-guard" --version 2>/dev/null | tail -n 1)
echo "sensei $("$sensei" --version | cut -d' ' -f2), checkov $checkov_v, $cfnlint_v, $guard_v"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"

# measure LABEL RUNS COMMAND...: prints "LABEL median_seconds median_kb"
measure() {
  local label="$1" n="$2"; shift 2
  local times=() mems=()
  for _ in $(seq "$n"); do
    local start end
    start=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$out/mem" "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000 )))
    mems+=("$(tail -n 1 "$out/mem")")
  done
  local t m
  t=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  m=$(printf '%s\n' "${mems[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$label $t $m"
}

report() { # title, then lines "label micros kb", sensei first
  local title="$1"; shift
  echo
  echo "== $title"
  printf '%-34s %12s %12s %14s\n' tool "median wall" "peak RSS" "vs sensei"
  local base
  base=$(echo "$1" | awk '{print $2}')
  for line in "$@"; do
    echo "$line" | awk -v b="$base" '{printf "%-34s %10.3f s %9.1f MB %13.1fx\n", $1, $2/1e6, $3/1024, $2/b}'
  done
}

guard_files() { # cfn-guard takes one data file or folder; give it the template files only
  find "$corpus" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' -o -name '*.template' \) \
    ! -path '*/LICENSES/*'
}

export RAYON_NUM_THREADS=1
r1=$(measure sensei "$runs" "$sensei" scan --format json --select all "$corpus")
r2=$(measure checkov "$peer_runs" "$out/venv/bin/checkov" -d "$corpus" --framework cloudformation -o json --quiet)
r3=$(measure cfn-lint "$peer_runs" sh -c "find '$corpus' -type f \\( -name '*.yaml' -o -name '*.yml' -o -name '*.json' -o -name '*.template' \\) ! -path '*/LICENSES/*' | xargs '$out/venv/bin/cfn-lint' --format json")
r4=$(measure cfn-guard "$peer_runs" sh -c "for f in \$(find '$corpus' -type f \\( -name '*.yaml' -o -name '*.yml' -o -name '*.json' -o -name '*.template' \\) ! -path '*/LICENSES/*'); do '$out/cfn-guard/bin/cfn-guard' validate --rules bench/s3-checks.guard --data \"\$f\" --show-summary none; done")
report "public corpus ($(guard_files | wc -l) files), one core for sensei" "$r1" "$r2" "$r3" "$r4"

# One template: its rules run in parallel, so sensei runs as it does by default, on every core.
unset RAYON_NUM_THREADS
l1=$(measure sensei "$runs" "$sensei" scan --format json --select all "$large")
l2=$(measure checkov "$peer_runs" "$out/venv/bin/checkov" -f "$large" --framework cloudformation -o json --quiet)
l3=$(measure cfn-lint "$peer_runs" "$out/venv/bin/cfn-lint" --format json "$large")
l4=$(measure cfn-guard "$peer_runs" "$out/cfn-guard/bin/cfn-guard" validate --rules bench/s3-checks.guard --data "$large" --show-summary none)
report "generated template, 5,000 resources, every core for sensei" "$l1" "$l2" "$l3" "$l4"
echo
echo "Note: the tools check different rule sets (sensei: all 92 rules; checkov: its CloudFormation checks;"
echo "cfn-lint: its schema and best-practice rules; cfn-guard: the three S3 checks of bench/s3-checks.guard)."
