#!/usr/bin/env bash
# sensei audit and sls-mentor (and Prowler, with WITH_PROWLER=1) side by side on the same emulated
# account: moto with a few stubs (../shared/tools/moto_plus.py), seeded by bench/seed-account.py,
# behind tools/aws-proxy.py, which adds a fixed latency to every call and counts the calls.
# Prints per tool: the median wall time, CPU time (user + system) and peak memory, the API calls
# (total, per resource, per service and operation) and the ratio to sensei.
#
#   bench/compare-live.sh            COUNT=300 RUNS=3 LATENCY_MS=20 by default
#   WITH_PROWLER=1 bench/compare-live.sh      (PROWLER_RUNS: its number of runs, default RUNS)
#
# Runs as root: installs what it needs (sls-mentor 2.4.6 with npm and moto 5.2.5 in a venv, both
# under bench/out/; sensei in release), then does everything else inside a loopback-only network
# namespace (unshare -n), so no call can leave the machine. Set SENSEI_BIN to time another build.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
count="${COUNT:-300}" runs="${RUNS:-3}" latency="${LATENCY_MS:-20}" region="${REGION:-eu-west-1}"
moto_plus=../shared/tools/moto_plus.py
export COUNT="$count" RUNS="$runs" LATENCY_MS="$latency" REGION="$region"

if [ "${1:-}" != --inside ]; then
  [ "$(id -u)" = 0 ] || { echo "needs root (unshare -n)" >&2; exit 2; }
  [ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time)" >&2; exit 2; }
  [ -f "$moto_plus" ] || { echo "needs $moto_plus" >&2; exit 2; }
  echo "== installing (first run only)"
  mkdir -p "$out/sls-mentor"
  [ -x "$out/sls-mentor/node_modules/.bin/sls-mentor" ] \
    || npm install --prefix "$out/sls-mentor" --no-audit --no-fund --silent sls-mentor@2.4.6
  # The moto of the lab notes (../shared/research/emulator.md): moto_plus.py's stubs fit it, and
  # 5.2.1 answers GetBucketVersioning and GetBucketNotificationConfiguration with another XML root.
  [ -x "$out/moto-venv/bin/python" ] && "$out/moto-venv/bin/python" -c 'import moto, boto3' 2>/dev/null || {
    python3 -m venv "$out/moto-venv"
    "$out/moto-venv/bin/pip" install -q "moto[server]==5.2.5"
  }
  if [ "${WITH_PROWLER:-0}" = 1 ] && [ ! -x "$out/prowler-venv/bin/prowler" ]; then
    python3 -m venv "$out/prowler-venv"  # about 7.5 min and 2.3 GB
    "$out/prowler-venv/bin/pip" install -q prowler==5.46.0
  fi
  if [ -z "${SENSEI_BIN:-}" ]; then
    cargo build --release --quiet --locked --bin sensei
    export SENSEI_BIN="${CARGO_TARGET_DIR:-target}/release/sensei"
  fi
  exec unshare -n bash "$0" --inside
fi

# ---- inside the namespace: only 127.0.0.1 exists
ip link set lo up
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_EC2_METADATA_DISABLED=true
export AWS_REGION="$region" AWS_DEFAULT_REGION="$region" AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_ENDPOINT_URL AWS_PROFILE AWS_SESSION_TOKEN
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
py="$out/moto-venv/bin/python"
"$py" "$moto_plus" -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
pids+=($!)
for _ in $(seq 300); do curl -sf -o /dev/null "http://127.0.0.1:$port/moto-api/data.json" && break; sleep 0.1; done
moto="http://127.0.0.1:$port"

echo "== seeding $count resources into $region"
ENDPOINT="$moto" "$py" bench/seed-account.py > "$work/seed.json"
cat "$work/seed.json"

python3 tools/aws-proxy.py --upstream "$moto" --port 0 --latency-ms "$latency" > "$work/proxy.port" &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/proxy.port" ] && break; sleep 0.1; done
proxy="http://127.0.0.1:$(cat "$work/proxy.port")"

sensei_v=$("$SENSEI_BIN" --version | cut -d' ' -f2)
mentor="$PWD/$out/sls-mentor/node_modules/.bin/sls-mentor"
mentor_v=$(node -p "require('$PWD/$out/sls-mentor/node_modules/sls-mentor/package.json').version")
echo "sensei $sensei_v, sls-mentor $mentor_v, moto $("$py" -c 'import moto; print(moto.__version__)'), node $(node --version)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "proxy: $latency ms added to every call; $runs runs per tool"

# measure NAME COMMAND...: RUNS runs, the proxy's counters reset before each; writes
# $work/NAME.runs ("micros kb user_s sys_s" per run), $work/NAME.stats.json (the last run's counts) and
# $work/NAME.out (the last run's output).
measure() {
  local name="$1"; shift
  : > "$work/$name.runs"
  for _ in $(seq "${MEASURE_RUNS:-$runs}"); do
    curl -sf -X POST "$proxy/_proxy/reset"
    local start end
    start=$(date +%s%N)
    /usr/bin/time -f '%M %U %S' -o "$work/mem" "$@" > "$work/$name.out" 2> "$work/$name.err" || true
    end=$(date +%s%N)
    echo "$(( (end - start) / 1000 )) $(tail -n 1 "$work/mem")" >> "$work/$name.runs"
    curl -sf "$proxy/_proxy/stats" > "$work/$name.stats.json"
  done
}

measure sensei "$SENSEI_BIN" audit --region "$region" --endpoint-url "$proxy" --format json
# The same checks as sls-mentor: the rules whose aliases are sls-mentor's rule ids (camelCase).
mentor_rules=$("$SENSEI_BIN" rules --format json | jq -r '[.[] | .aliases[] | select(test("^[a-z][A-Za-z0-9]+$"))] | join(",")')
echo "sls-mentor's rules in sensei: $(tr ',' '\n' <<<"$mentor_rules" | wc -l) aliases"
measure sensei-mentor-rules "$SENSEI_BIN" audit --region "$region" --endpoint-url "$proxy" --format json --select "$mentor_rules"
mkdir -p "$work/mentor-cwd"  # sls-mentor reads sls-mentor.json from its working directory
(cd "$work/mentor-cwd" && AWS_ENDPOINT_URL="$proxy" measure sls-mentor "$mentor" -r "$region" -l 5)
tools=(sensei sensei-mentor-rules sls-mentor)
if [ "${WITH_PROWLER:-0}" = 1 ]; then
  # The Prowler checks that match the rules the other two run (see docs/benchmarks.md).
  checks=awslambda_function_using_supported_runtimes,awslambda_function_not_publicly_accessible,s3_bucket_secure_transport_policy,s3_bucket_level_public_access_block,s3_bucket_default_encryption,sqs_queues_server_side_encryption_enabled,sns_topics_kms_encryption_at_rest_enabled,dynamodb_tables_pitr_enabled,cloudwatch_log_group_retention_policy_specific_days_enabled,stepfunctions_statemachine_logging_enabled,apigatewayv2_api_authorizers_enabled,iam_inline_policy_no_administrative_privileges,cognito_user_pool_mfa_enabled
  AWS_ENDPOINT_URL="$proxy" MEASURE_RUNS="${PROWLER_RUNS:-$runs}" measure prowler "$out/prowler-venv/bin/prowler" aws --no-banner -f "$region" \
    --checks ${checks//,/ } -M csv -o "$work/prowler-out" --aws-retries-max-attempts 1 -z
  tools+=(prowler)
fi

echo
echo "== last run's output, for a look"
jq -c .summary "$work/sensei.out" 2>/dev/null || head -c 300 "$work/sensei.out"
jq -c .summary "$work/sensei-mentor-rules.out" 2>/dev/null || head -c 300 "$work/sensei-mentor-rules.out"
grep -A 12 -i 'checks summary' "$work/sls-mentor.out" | head -n 14 || tail -n 5 "$work/sls-mentor.out"

python3 - "$work" "${tools[@]}" <<'EOF'
import json, statistics, sys
work, tools = sys.argv[1], sys.argv[2:]
seed = json.load(open(f"{work}/seed.json"))
kinds = seed["kinds"]
# seeded resources per SigV4 service name
per_service = {"lambda": kinds["function"], "s3": kinds["bucket"], "sqs": kinds["queue"], "sns": kinds["topic"],
               "dynamodb": kinds["table"], "logs": kinds["function_log_group"] + kinds["log_group"],
               "iam": kinds["role"], "apigateway": kinds["http_api"], "states": kinds["state_machine"],
               "events": kinds["event_rule"], "cognito-idp": kinds["user_pool"]}
rows = {}
for tool in tools:
    runs = [tuple(map(float, l.split())) for l in open(f"{work}/{tool}.runs")]
    stats = json.load(open(f"{work}/{tool}.stats.json"))
    rows[tool] = (statistics.median(r[0] for r in runs) / 1e6, statistics.median(r[1] for r in runs) / 1024, stats,
                  [r[0] / 1e6 for r in runs], statistics.median(r[2] + r[3] for r in runs))
base = rows["sensei"][0]
print(f"\n== {seed['resources']} resources seeded; wall time is the median of {len(rows['sensei'][3])} runs")
print(f"{'tool':<20} {'median wall':>12} {'runs':>22} {'CPU':>8} {'peak RSS':>10} {'API calls':>10} {'per resource':>13} {'vs sensei':>10}")
for tool, (wall, rss, stats, walls, cpu) in rows.items():
    print(f"{tool:<20} {wall:>10.2f} s {', '.join(f'{w:.2f}' for w in walls):>22} {cpu:>6.2f} s {rss:>7.0f} MB {stats['total']:>10}"
          f" {stats['total'] / seed['resources']:>13.2f} {wall / base:>9.1f}x")
same = rows["sensei-mentor-rules"]
mentor = rows["sls-mentor"]
print(f"\nsls-mentor against sensei with sls-mentor's rules: {mentor[0] / same[0]:.1f}x the wall time, "
      f"{mentor[2]['total'] / seed['resources']:.2f} against {same[2]['total'] / seed['resources']:.2f} calls per resource")
print("\n== API calls per service, and per seeded resource of that service (last run)")
services = sorted({s for _, _, st, _, _ in rows.values() for s in st["services"]})
print(f"{'service':<14} {'resources':>9} " + " ".join(f"{t:>18}" for t in tools))
for s in services:
    n = per_service.get(s)
    cells = []
    for t in tools:
        c = rows[t][2]["services"].get(s, {}).get("total", 0)
        cells.append(f"{c:>6} ({c / n:>5.2f}/res)" if n else f"{c:>18}")
    print(f"{s:<14} {n if n else '-':>9} " + " ".join(f"{c:>18}" for c in cells))
for t in tools:
    print(f"\n== {t}: calls per operation (last run)")
    for s, v in rows[t][2]["services"].items():
        for op, c in v["operations"].items():
            n = per_service.get(s)
            print(f"  {s:<12} {op:<58} {c:>6}" + (f"  {c / n:5.2f}/res" if n else ""))
json.dump({t: {"median_wall_s": w, "median_rss_mb": r, "walls": ws, "median_cpu_s": c, "stats": st}
           for t, (w, r, st, ws, c) in rows.items()},
          open("bench/out/compare-live.json", "w"), indent=1)
EOF
