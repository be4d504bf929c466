#!/usr/bin/env bash
# What a shadowed request costs the request path, in counts that load on a
# shared machine changes little: instructions per one-record request of the
# worker thread (callgrind) and system calls per request of the worker and
# the shadow thread (strace -f), SHADOW_SAMPLE=0 against 1.
# Each figure is the count after 1,100 requests minus the count after 100,
# divided by 1,000, so start-up and shutdown cancel out. Those requests are
# sent back to back (ab -k -c 1), so how often the shadow thread is idle
# (and a send must wake it) depends on the machine's load; the last part
# sends 100 requests 50 ms apart, so that it is idle before each, and counts
# the futex calls of both threads.
#
#   cargo build --release -p ml-api --features rustix/use-libc
#   bench/scripts/shadow-cost.sh [BINARY]
#
# `use-libc`: valgrind cannot run rustix's own vDSO reader.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-target/release/ml-api}
BODY=fixtures/requests/one-house.json
WORK=$(mktemp -d "${TMPDIR:-/tmp}/shadow-cost.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# serve TOOL... : starts the server (two copies of the shipped model, the
# second the challenger) under TOOL, sends $N one-record requests, waits for
# the shadow to drain, stops it.
serve() {
    local err="$WORK/err.$RANDOM"
    env LOG_LEVEL=warn LOG_DIR="$WORK/logs" PORT=0 WORKERS=1 BATCH_THREADS=1 \
        MODELS=a=shipped,b=shipped CHALLENGER=b SHADOW_SAMPLE="$SAMPLE" \
        "$@" "$BIN" 2>"$err" &
    local pid=$! port=""
    for _ in $(seq 600); do
        port=$(sed -n 's/.*listening on [^ ]*:\([0-9]*\).*/\1/p' "$err" | head -1)
        [ -n "$port" ] && break
        sleep 0.1
    done
    [ -n "$port" ] || { cat "$err" >&2; exit 1; }
    if [ "$N" = paced ]; then
        python3 - "$port" "$BODY" <<'PY'
import http.client, sys, time
body = open(sys.argv[2], "rb").read()
connection = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]))
for _ in range(100):
    connection.request("POST", "/v1/predict/regression", body,
                       {"Content-Type": "application/json"})
    reply = connection.getresponse()
    reply.read()
    assert reply.status == 200, reply.status
    time.sleep(0.05)
PY
    else
        ab -q -k -c 1 -n "$N" -p "$BODY" -T application/json \
            "http://127.0.0.1:$port/v1/predict/regression" >/dev/null
    fi
    sleep 2
    # Under strace the server is the tool's child; valgrind runs it in place.
    kill -TERM "$(pgrep -P "$pid" || echo "$pid")"
    wait "$pid" || true
}

# instructions FILE-PREFIX PATTERN: the total of the busiest thread whose
# profile mentions PATTERN (callgrind --separate-threads writes a file per
# thread).
instructions() {
    for f in "$1"-*; do
        if grep -q "$2" "$f"; then sed -n 's/^totals: \([0-9]*\).*/\1/p' "$f"; fi
    done | sort -n | tail -1
}

# syscalls FILE PATTERN: "name count" of the thread (strace -f prefixes
# each line with its id) that made the most calls matching PATTERN.
syscalls() {
    local tid
    tid=$({ grep -E "^[0-9]+ +$2" "$1" || true; } | awk '{print $1}' | sort | uniq -c |
        sort -n | tail -1 | awk '{print $2}')
    [ -n "$tid" ] || return 0
    awk -v tid="$tid" '$1 == tid && $2 ~ /^[a-z_0-9]+\(/ {sub(/\(.*/, "", $2); print $2}' "$1" |
        sort | uniq -c | awk '{print $2, $1}'
}

# Each thread: its name, the call that marks it in a trace, a function that
# marks it in a profile. The worker reads the requests; only the shadow
# thread lowers its priority.
THREADS=("worker|recvfrom\\(|ml_api::prediction::run" "shadow|setpriority\\(|setpriority")

for SAMPLE in 0 1; do
    for N in 100 1100; do
        serve valgrind --tool=callgrind --separate-threads=yes \
            --callgrind-out-file="$WORK/cg.$SAMPLE.$N"
        serve strace -f -o "$WORK/st.$SAMPLE.$N"
    done
    for thread in "${THREADS[@]}"; do
        IFS='|' read -r name traced profiled <<<"$thread"
        # The shadow thread's own count depends on how many jobs it scored
        # before the stop (it is starved on a busy machine): not shown.
        if [ "$name" = worker ]; then
            small=$(instructions "$WORK/cg.$SAMPLE.100" "$profiled")
            large=$(instructions "$WORK/cg.$SAMPLE.1100" "$profiled")
            echo "SHADOW_SAMPLE=$SAMPLE $name thread: $(((${large:-0} - ${small:-0}) / 1000)) instructions/request"
        fi
        echo "SHADOW_SAMPLE=$SAMPLE $name thread: system calls per request"
        join -a 2 -e 0 -o 0,1.2,2.2 \
            <(syscalls "$WORK/st.$SAMPLE.100" "$traced" | sort) \
            <(syscalls "$WORK/st.$SAMPLE.1100" "$traced" | sort) |
            awk '{d = ($3 - $2) / 1000; if (d >= 0.005) printf "  %-16s %6.3f\n", $1, d}'
    done
done

SAMPLE=1 N=paced
serve strace -f -o "$WORK/st.paced"
for thread in "${THREADS[@]}"; do
    IFS='|' read -r name traced _ <<<"$thread"
    futex=$(syscalls "$WORK/st.paced" "$traced" | awk '$1 == "futex" {print $2}')
    echo "SHADOW_SAMPLE=1, 100 requests 50 ms apart: $name thread: ${futex:-0} futex calls"
done
