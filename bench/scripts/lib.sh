# Helpers shared by the bench scripts (sourced). Linux only: reads /proc.
#
# The machine may be shared (other people's builds): before each measured phase the
# scripts wait, for at most QUIET_TIMEOUT seconds (default 900), until the whole
# machine is at most QUIET_BUSY percent busy (default 15) over QUIET_SECONDS (default 3)
# seconds, and they report how much CPU other processes used during each measurement.

CLK_TCK=$(getconf CLK_TCK)

# One benchmark at a time: both scripts write under bench/out/ and would disturb each other.
# Waits at most LOCK_TIMEOUT seconds (default 1800) for another run to finish.
bench_lock() {
    mkdir -p bench/out
    exec {BENCH_LOCK_FD}> bench/out/.bench.lock
    if ! flock -n "$BENCH_LOCK_FD"; then
        echo "$(basename "$0"): another benchmark run holds bench/out/.bench.lock; waiting..." >&2
        flock -w "${LOCK_TIMEOUT:-1800}" "$BENCH_LOCK_FD" ||
            { echo "$(basename "$0"): still locked after ${LOCK_TIMEOUT:-1800} s; giving up" >&2; exit 1; }
    fi
}
NCPU=$(nproc)

# "busy total" jiffies of the whole machine since boot. Busy is user + nice + system +
# steal: interrupt and softirq time (loopback networking, mostly) is left out, as it is not
# charged to the processes whose CPU time is subtracted from it.
cpu_jiffies() {
    awk '$1 == "cpu" { busy = $2 + $3 + $4 + $9; print busy, busy + $5 + $6 + $7 + $8; exit }' /proc/stat
}

# The pids of a process and all its descendants that are alive now.
tree_pids() { # root pid
    ps -e -o pid=,ppid= | awk -v root="$1" '
        { parent[$1] = $2 }
        END {
            print root
            for (p in parent) {
                q = p; n = 0
                while (q != root && (q in parent) && n++ < 64) q = parent[q]
                if (q == root && p != root) print p
            }
        }'
}

# CPU time (jiffies, user + system, children not included) of a process and all its
# descendants that are alive now.
tree_cpu_jiffies() {
    local pids
    pids=$(tree_pids "$1")
    local p sum=0 stat rest
    for p in $pids; do
        stat=$(cat "/proc/$p/stat" 2> /dev/null) || continue
        rest=${stat##*) }  # fields after "(comm) ": state ppid ... utime(12th) stime(13th)
        set -- $rest
        sum=$((sum + ${12} + ${13}))
    done
    echo "$sum"
}

# Percent of the whole machine that was busy over the last $1 seconds.
busy_percent_over() {
    local b0 t0 b1 t1
    read -r b0 t0 < <(cpu_jiffies)
    sleep "$1"
    read -r b1 t1 < <(cpu_jiffies)
    awk -v b="$((b1 - b0))" -v t="$((t1 - t0))" 'BEGIN { printf "%.0f", (t > 0 ? 100 * b / t : 0) }'
}

# Waits until the machine is quiet; prints a short note of what happened.
wait_quiet() {
    local limit="${QUIET_BUSY:-15}" timeout="${QUIET_TIMEOUT:-900}" window="${QUIET_SECONDS:-3}"
    local start=$SECONDS busy
    while :; do
        busy=$(busy_percent_over "$window")
        if [ "$busy" -le "$limit" ]; then
            if [ $((SECONDS - start)) -gt "$window" ]; then
                echo "waited $((SECONDS - start)) s for a quiet machine (now ${busy}% busy)"
            else
                echo "machine quiet (${busy}% busy)"
            fi
            return 0
        fi
        if [ $((SECONDS - start)) -ge "$timeout" ]; then
            echo "NOT QUIET: still ${busy}% busy after ${timeout} s; measured anyway"
            return 0
        fi
        echo "  machine ${busy}% busy (other processes); waiting..." >&2
        sleep 5
    done
}
