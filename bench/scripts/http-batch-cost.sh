#!/usr/bin/env bash
# Instructions per ROWS-record prediction request, over HTTP and in process (issue 17,
# "HTTP batches"), counted by callgrind, which load on a shared machine does not change:
#   in process  target/release/examples/batch_cost: the service's own parse (checks and
#               parse), drift counting, prediction and encoding of the same body, in a loop;
#   server      target/release/ml-api (WORKERS=1, BATCH_THREADS=1, defaults otherwise: INFO
#               logs to a temp LOG_DIR, the shipped model unless MODEL_PATH), sent the body
#               by `ab -k -c 1` on one keep-alive connection. YIELD_INTERVAL_US=0: the yield
#               check reads the thread's CPU clock through rustix's own vDSO reader, which
#               valgrind cannot run (with one client the worker never yields anyway).
# Each is run twice, with SMALL and LARGE bodies or requests; the difference of the two
# totals over LARGE - SMALL is the cost of one, start-up and shutdown cancelled out.
# Threads are counted together (workers, the batch thread, the log thread).
#
#   cargo build --release -p ml-api --example batch_cost && cargo build --release -p ml-api
#   HOUSE_PRICES_DATA=data/house-prices bench/scripts/http-batch-cost.sh
#
# Prints instructions per request, per stage of the in-process loop, and the functions
# whose inclusive count grew most per server request (TOP of them). The body is the first
# ROWS records of test.csv as JSON with Kaggle names (numbers as numbers, MSSubClass as
# its string code, null for NA), as bench/scripts/make_bodies.py writes it.
# Environment: HOUSE_PRICES_DATA (default data/house-prices), ROWS (100), SMALL (20),
# LARGE (120), TOP (30), ML_API_BIN, BATCH_COST_BIN, KEEP (a folder to keep the callgrind
# files in), CALLGRIND_ARGS (more valgrind options, e.g. --cache-sim=yes: the callgrind
# files then hold cache misses too); any ml-api setting (LOG_LEVEL, LOG_INPUT_SAMPLE,
# DRIFT_SAMPLE, MODEL_PATH, ...) is passed on (MODEL_PATH to batch_cost too).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
data="${HOUSE_PRICES_DATA:-data/house-prices}"
rows="${ROWS:-100}"
small="${SMALL:-20}"
large="${LARGE:-120}"
top="${TOP:-30}"
ml_api="${ML_API_BIN:-target/release/ml-api}"
batch_cost="${BATCH_COST_BIN:-target/release/examples/batch_cost}"
die() { echo "http-batch-cost: $*" >&2; exit 1; }
[ -x "$ml_api" ] || die "no $ml_api (cargo build --release -p ml-api)"
[ -x "$batch_cost" ] || die "no $batch_cost (cargo build --release -p ml-api --example batch_cost)"
[ -f "$data/test.csv" ] || die "no $data/test.csv (set HOUSE_PRICES_DATA)"
for tool in valgrind callgrind_annotate ab curl python3; do
    command -v "$tool" > /dev/null || die "$tool is missing"
done
[ "$large" -gt "$small" ] || die "LARGE must be more than SMALL"

work="$(mktemp -d)"
server=""
cleanup() {
    [ -n "$server" ] && kill -TERM "$server" 2> /dev/null && wait "$server" 2> /dev/null
    [ -n "${KEEP:-}" ] && mkdir -p "$KEEP" && cp "$work"/*.out "$work"/body.json "$KEEP"/ 2> /dev/null
    rm -rf "$work"
}
trap cleanup EXIT

python3 - "$data/test.csv" "$rows" > "$work/body.json" << 'PY'
import csv, json, sys
with open(sys.argv[1], newline="") as fh:
    records = list(csv.DictReader(fh))[: int(sys.argv[2])]
def value(name, text):
    if text in ("NA", ""):
        return None
    if name == "MSSubClass":
        return text
    try:
        number = float(text)
        return int(number) if number.is_integer() and "." not in text else number
    except ValueError:
        return text
body = [{k: value(k, v) for k, v in r.items()} for r in records]
sys.stdout.write(json.dumps(body, separators=(",", ":")))
PY
bytes=$(wc -c < "$work/body.json")

total() { # callgrind file -> total instructions
    awk '/^(summary|totals):/ { print $2; exit }' "$1"
}
per_one() { # small-file large-file -> instructions per body or request
    local a b
    a=$(total "$1") b=$(total "$2")
    awk -v a="$a" -v b="$b" -v n="$((large - small))" 'BEGIN { printf "%.0f", (b - a) / n }'
}
inclusive() { # callgrind file -> "instructions<TAB>function" for every function
    callgrind_annotate --inclusive=yes --threshold=100 "$1" 2> /dev/null |
        awk '$1 ~ /^[0-9,]+$/ {
                 n = $1; gsub(",", "", n); f = $0
                 sub(/^ *[0-9,]+ +(\( *[0-9.]+%\) +)?/, "", f); sub(/ \[[^]]*\]$/, "", f)
                 print n "\t" f }'
}
growth() { # small-file large-file -> functions by inclusive growth per request, largest first
    inclusive "$1" > "$work/a.tsv"
    inclusive "$2" > "$work/b.tsv"
    awk -F'\t' -v n="$((large - small))" -v top="$top" '
        NR == FNR { a[$2] += $1; next }
        { b[$2] += $1 }
        END {
            for (f in b) { d = (b[f] - a[f]) / n; if (d > 0) printf "%12.0f  %s\n", d, f }
        }' "$work/a.tsv" "$work/b.tsv" | sort -rn
}

# ---------------------------------------------------------------- in process
for n in "$small" "$large"; do
    valgrind --tool=callgrind ${CALLGRIND_ARGS:-} --callgrind-out-file="$work/inproc-$n.out" \
        "$batch_cost" "$work/body.json" "$n" ${MODEL_PATH:+"$MODEL_PATH"} > "$work/inproc-$n.txt" 2> "$work/inproc-$n.err" ||
        { cat "$work/inproc-$n.err" >&2; die "batch_cost failed"; }
done
inproc=$(per_one "$work/inproc-$small.out" "$work/inproc-$large.out")

# ---------------------------------------------------------------- server
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
for n in "$small" "$large"; do
    mkdir -p "$work/logs-$n"
    WORKERS=1 BATCH_THREADS=1 YIELD_INTERVAL_US=0 HOST=127.0.0.1 PORT="$port" LOG_DIR="$work/logs-$n" \
        valgrind --tool=callgrind ${CALLGRIND_ARGS:-} --trace-children=no \
        --callgrind-out-file="$work/server-$n.out" \
        "$ml_api" > "$work/server-$n.txt" 2>&1 &
    server=$!
    for _ in $(seq 600); do
        curl -fs "http://127.0.0.1:$port/health" > /dev/null 2>&1 && break
        kill -0 "$server" 2> /dev/null || { cat "$work/server-$n.txt" >&2; die "the server did not start"; }
        sleep 0.2
    done
    ab -q -k -c 1 -n "$n" -p "$work/body.json" -T application/json \
        "http://127.0.0.1:$port/v1/predict/regression" > "$work/ab-$n.txt" 2>&1 ||
        { cat "$work/ab-$n.txt" >&2; die "ab failed"; }
    grep -q "^Complete requests: *$n$" "$work/ab-$n.txt" &&
        ! grep -q "^Non-2xx responses" "$work/ab-$n.txt" &&
        grep -q "^Failed requests: *0$" "$work/ab-$n.txt" ||
        { cat "$work/ab-$n.txt" >&2; die "not every request was answered 200"; }
    kill -TERM "$server"
    wait "$server" || true
    server=""
done
served=$(per_one "$work/server-$small.out" "$work/server-$large.out")

echo "body: $rows records, $bytes bytes; $(tail -n 1 "$work/inproc-$large.txt")"
echo
echo "| | instructions per $rows-record body | per record |"
echo "|---|---:|---:|"
awk -v i="$inproc" -v s="$served" -v r="$rows" 'BEGIN {
    printf "| in process (batch_cost: parse, drift, predict, encode) | %d | %.0f |\n", i, i / r
    printf "| server (POST /v1/predict/regression) | %d | %.0f |\n", s, s / r
    printf "| server / in process | %.2f× | |\n", s / i }'
echo
echo "In process, inclusive per body:"
growth "$work/inproc-$small.out" "$work/inproc-$large.out" |
    grep -E ':(batch_cost::(parse|observe|predict|serialise)|ml_api::scan::json|regression_model::input::json::parse_json)$' || true
echo
echo "Server, inclusive per request (top $top):"
growth "$work/server-$small.out" "$work/server-$large.out" | head -n "$top" || true
