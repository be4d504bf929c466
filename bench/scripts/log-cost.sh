#!/usr/bin/env bash
# What the default logging costs: target/release/ml-api under wrk, one-record predictions,
# with its defaults (LOG_LEVEL=info, 1% of inputs, LOG_MAX_BYTES_PER_SEC 1 MiB) against the
# same server with LOG_LEVEL=warn, and with INFO but no practical byte budget (every line
# written). The servers (one worker each, LOG_DIR in a temp folder) run side by side; each
# round loads `warn` and one other at the same time, each by its own wrk (-t1 -c8):
# whatever else the machine does lands on both alike, so the ratio of their req/s holds even
# on a shared machine where runs one after another do not compare (they moved by 2x there).
# ROUNDS rounds of defaults + warn, then ROUNDS of unlimited + warn.
#
#   bench/scripts/log-cost.sh            # ROUNDS=5 DURATION=4s
#
# Prints, per configuration: req/s of every round, the median of the per-round ratios to
# `warn`, the server's CPU time per request (user + system, from /proc), the log bytes
# written per request and the lines dropped by the budget.
# Environment: HOUSE_PRICES_DATA (default data/house-prices), ML_API_BIN
# (target/release/ml-api), ROUNDS, DURATION.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
data="${HOUSE_PRICES_DATA:-data/house-prices}"
ml_api="${ML_API_BIN:-target/release/ml-api}"
rounds="${ROUNDS:-5}"
duration="${DURATION:-4s}"
die() { echo "log-cost: $*" >&2; exit 1; }
[ -x "$ml_api" ] || die "no $ml_api (cargo build --release -p ml-api)"
[ -f "$data/test.csv" ] || die "no $data/test.csv (set HOUSE_PRICES_DATA)"
command -v wrk > /dev/null || die "wrk is missing (apt-get install -y wrk)"

work="$(mktemp -d)"
pids=()
cleanup() { [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2> /dev/null; wait 2> /dev/null; rm -rf "$work"; }
trap cleanup EXIT

# The first test.csv record as JSON with Kaggle names, `null` for NA (as ml-api reads it).
python3 - "$data/test.csv" > "$work/body-1.json" << 'PY'
import csv, json, sys
row = next(csv.DictReader(open(sys.argv[1])))
def value(text):
    if text in ("NA", ""):
        return None
    try:
        number = float(text)
        return int(number) if number.is_integer() and "." not in text else number
    except ValueError:
        return text
print(json.dumps([{k: value(v) for k, v in row.items()}]))
PY
export BODY_FILE="$work/body-1.json"

configs=(defaults warn unlimited)
declare -A env_of=(
    [defaults]=""
    [warn]="LOG_LEVEL=warn"
    [unlimited]="LOG_MAX_BYTES_PER_SEC=1073741824"
)
declare -A pid_of url_of rates ratios requests bytes_before cpu_before dropped_before
clk_tck=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # utime + stime of a process
dropped_lines() { # name -> ml_api_log_lines_rate_limited_total of that server
    curl -s "${url_of[$1]%/v1/predict/regression}/metrics" |
        awk '/^ml_api_log_lines_rate_limited_total / { print $2 }'
}

for name in "${configs[@]}"; do
    # shellcheck disable=SC2086 # env_of holds VAR=value words
    env -i PATH="$PATH" HOST=127.0.0.1 PORT=0 WORKERS=1 LOG_DIR="$work/logs-$name" ${env_of[$name]} \
        "$ml_api" 2> "$work/err-$name" > /dev/null &
    pid_of[$name]=$!
    pids+=($!)
done
for name in "${configs[@]}"; do
    port=""
    for _ in $(seq 200); do
        port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/err-$name")
        [ -n "$port" ] && break
        sleep 0.05
    done
    [ -n "$port" ] || die "$name did not start: $(cat "$work/err-$name")"
    url_of[$name]="http://127.0.0.1:$port/v1/predict/regression"
    status=""
    for _ in $(seq 100); do
        status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
            --data-binary @"$BODY_FILE" "${url_of[$name]}" || true)
        [ "$status" = 200 ] && break
        sleep 0.1
    done
    [ "$status" = 200 ] || die "$name: the body is not predicted (HTTP $status)"
done

load() { # seconds name... -> one wrk per named server at once, outputs in $work/wrk-<name>
    local name waits=() seconds=$1
    shift
    for name in "$@"; do
        wrk -t1 -c8 -d"$seconds" -s bench/scripts/post.lua "${url_of[$name]}" > "$work/wrk-$name" &
        waits+=($!)
    done
    wait "${waits[@]}"
}

load 1s "${configs[@]}" # warm-up
for name in "${configs[@]}"; do
    bytes_before[$name]=$(du -sb "$work/logs-$name" | cut -f1)
    cpu_before[$name]=$(cpu_ticks "${pid_of[$name]}")
    dropped_before[$name]=$(dropped_lines "$name")
done
for other in defaults unlimited; do
    for round in $(seq "$rounds"); do
        load "$duration" "$other" warn
        declare -A rps=()
        for name in "$other" warn; do
            rps[$name]=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$work/wrk-$name")
            rates[$name]+="${rps[$name]} "
            requests[$name]=$((${requests[$name]:-0} + $(awk '/requests in/ { print $1 }' "$work/wrk-$name")))
        done
        ratios[$other]+="$(awk -v a="${rps[$other]}" -v b="${rps[warn]}" 'BEGIN { printf "%.4f", a / b }') "
        ratios[warn]+="1 "
        echo "round $round: $other ${rps[$other]} req/s, warn ${rps[warn]} req/s" >&2
    done
done
sleep 1.2 # the last buffered lines are written within a second

median() { tr ' ' '\n' | grep . | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
echo "ml-api $(git rev-parse --short HEAD), servers side by side, $rounds rounds of wrk -t1 -c8 -d$duration on each of a pair at once (after a 1 s warm-up), body $(wc -c < "$BODY_FILE") bytes, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| logging | req/s per round | vs warn in the same rounds (median) | server CPU per request | log bytes per request | lines dropped by the budget |"
echo "|---|---|---:|---:|---:|---:|"
for name in "${configs[@]}"; do
    ticks=$(($(cpu_ticks "${pid_of[$name]}") - ${cpu_before[$name]}))
    bytes=$(($(du -sb "$work/logs-$name" | cut -f1) - ${bytes_before[$name]}))
    dropped=$(($(dropped_lines "$name") - ${dropped_before[$name]}))
    ratio=$(echo "${ratios[$name]}" | median)
    awk -v n="$name" -v r="${rates[$name]}" -v x="$ratio" -v t="$ticks" -v k="$clk_tck" \
        -v q="${requests[$name]}" -v b="$bytes" -v d="$dropped" \
        'BEGIN { printf "| %s | %s | %+.1f%% | %.1f µs | %.1f | %d |\n",
                        n, r, (x - 1) * 100, t / k / q * 1e6, b / q, d }'
done
