#!/usr/bin/env bash
# The shadow's cost to the champion's tail, one-record requests at saturation: alternates a
# single-model server and the same server with a challenger scoring every request
# (SHADOW_SAMPLE=1), ROUNDS times, and prints req/s, p50 and p99 of each wrk run and the rows
# the shadow compared. Alternating rounds of one server at a time, with nothing sampling the
# server's memory (see load-vs-python.sh for the whole picture), so that the spread between
# rounds of the same server shows the noise the difference is to be judged against.
#
#   bench/scripts/shadow-p99.sh            # after cargo build --release -p ml-api
#
# Environment: ML_API_BIN (target/release/ml-api), CHALLENGER_PATH (shipped: a second copy
# of the shipped model, the same work as the champion's), ROUNDS (4), DURATION (10s),
# CONNECTIONS (16), THREADS (2), WARMUP (2s). Loopback only; bounded by ROUNDS x 2 runs.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
. bench/scripts/lib.sh
bench_lock

bin="${ML_API_BIN:-target/release/ml-api}"
challenger="${CHALLENGER_PATH:-shipped}"
rounds="${ROUNDS:-4}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-16}"
threads="${THREADS:-2}"
warmup="${WARMUP:-2s}"
body=fixtures/requests/one-house.json
work=$(mktemp -d "${TMPDIR:-/tmp}/shadow-p99.XXXXXX")
pid=""
trap '[ -z "$pid" ] || kill "$pid" 2> /dev/null; rm -rf "$work"' EXIT

die() { echo "shadow-p99: $*" >&2; exit 1; }
[ -x "$bin" ] || die "no $bin (cargo build --release -p ml-api)"
command -v wrk > /dev/null || die "wrk is missing (apt-get install -y wrk)"
command -v jq > /dev/null || die "jq is missing (apt-get install -y jq)"

# run NAME ENV... : starts the server with ENV on a free port, warms it up, measures.
run() {
    local name=$1 port="" out rps p50 p99 compared
    shift
    env "$@" LOG_LEVEL=warn LOG_DIR="$work/logs" HOST=127.0.0.1 PORT=0 "$bin" 2> "$work/err" &
    pid=$!
    for _ in $(seq 600); do
        port=$(sed -n 's/.*listening on [^ ]*:\([0-9]*\).*/\1/p' "$work/err" | head -1)
        [ -n "$port" ] && break
        sleep 0.1
    done
    [ -n "$port" ] || { cat "$work/err" >&2; die "$name did not start"; }
    local url="http://127.0.0.1:$port/v1/predict/regression"
    BODY_FILE=$body wrk -t "$threads" -c "$connections" -d "$warmup" -s bench/scripts/post.lua "$url" > /dev/null
    out=$(BODY_FILE=$body wrk -t "$threads" -c "$connections" -d "$duration" --latency \
        -s bench/scripts/post.lua "$url")
    rps=$(awk '/Requests\/sec/ { print $2 }' <<< "$out")
    p50=$(awk '$1 == "50%" { print $2 }' <<< "$out")
    p99=$(awk '$1 == "99%" { print $2 }' <<< "$out")
    compared=$(curl -sf "http://127.0.0.1:$port/v1/models/compare" |
        jq -r '"\([.pairs[].rows_compared] | add // 0) / \(.requests_dropped)"') ||
        die "$name: no /v1/models/compare"
    kill "$pid"
    wait "$pid" 2> /dev/null || true
    pid=""
    printf '| %s | %s | %s | %s | %s | %s |\n' "$round" "$name" "$rps" "$p50" "$p99" "$compared"
}

echo "$(wait_quiet)" >&2
echo "| round | server | req/s | p50 | p99 | shadow: rows compared / requests dropped |"
echo "|---:|---|---:|---:|---:|---:|"
for round in $(seq "$rounds"); do
    run "one model" MODELS=a=shipped
    run "+ challenger, SHADOW_SAMPLE=1" MODELS="a=shipped,b=$challenger" \
        CHALLENGER=b SHADOW_SAMPLE=1
done
