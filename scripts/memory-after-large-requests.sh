#!/usr/bin/env bash
# RSS of an ml-api binary before, at its peak and after three 8 MiB CSV and three
# 8 MiB JSON predictions (bodies built from fixtures/synthetic/test.csv), with input
# logging off (LOG_INPUT_SAMPLE=0; see ml-api/README.md "Memory" for why).
#
#   cargo build --release -p ml-api
#   scripts/memory-after-large-requests.sh target/release/ml-api [VAR=VALUE ...]
#
# Extra VAR=VALUE pairs go to the server's environment (MALLOC_ARENA_MAX=2, ...).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:?usage: $0 BINARY [VAR=VALUE ...]}
shift
command -v curl > /dev/null || { echo "curl is missing" >&2; exit 1; }
command -v python3 > /dev/null || { echo "python3 is missing" >&2; exit 1; }
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2> /dev/null; rm -rf "$work"; }
trap cleanup EXIT

python3 - "$work" << 'PY'
import csv, json, sys
out = sys.argv[1]
lines = open("fixtures/synthetic/test.csv").read().splitlines()
header, records = lines[0], lines[1:]
with open(f"{out}/large.csv", "w") as f:
    f.write("\n".join([header] + [records[i % len(records)] for i in range(10000)]) + "\n")
def cell(name, text):
    if text in ("", "NA"):
        return None
    if name == "MSSubClass":
        return text
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text
rows = [json.dumps({k: cell(k, v) for k, v in r.items()})
        for r in csv.DictReader(open("fixtures/synthetic/test.csv"))]
parts, size = [], 2
while size + len(rows[len(parts) % len(rows)]) + 1 <= 8 * 1024 * 1024 - 1024:
    parts.append(rows[len(parts) % len(rows)])
    size += len(parts[-1]) + 1
open(f"{out}/large.json", "w").write("[" + ",".join(parts) + "]")
open(f"{out}/small.json", "w").write("[" + ",".join(rows[:20]) + "]")
PY

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
env -i PATH="$PATH" PORT="$port" WORKERS=1 LOG_DIR="$work/logs" LOG_INPUT_SAMPLE=0 "$@" "$bin" 2> "$work/stderr" &
pid=$!
url="http://127.0.0.1:$port/v1/predict/regression"
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health" > /dev/null && break; sleep 0.1; done
kib() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$pid/status"; }
post() { curl -s -o /dev/null -w '%{http_code} ' -H "content-type: $1" --data-binary "@$2" "$url"; }
for _ in 1 2 3; do post application/json "$work/small.json" > /dev/null; done
before=$(kib VmRSS)
for _ in 1 2 3; do post text/csv "$work/large.csv"; post application/json "$work/large.json"; done
sleep 2 # the heap is trimmed after the response, off the event loop
echo
echo "RSS before ${before} KiB, peak $(kib VmHWM) KiB, after $(kib VmRSS) KiB"
