#!/usr/bin/env bash
# Whole-process training, Rust `regression-model train` vs the course-style Python
# `train_script.py` (same config, same split), timed with hyperfine in one session, plus
# peak RSS (/usr/bin/time -v) and the Python in-process prediction timings
# (predict_bench.py: pickle size, joblib.load, predict 1459 rows / 1 row).
#
#   bench/scripts/train-vs-python.sh            # from anywhere; paths are repo-relative
#
# Environment: HOUSE_PRICES_DATA (default data/house-prices), RUNS (default 20),
# WARMUP (default 3), RSS_RUNS (default 3), PREDICT_RUNS (default 50),
# RUST_BIN (default target/release/regression-model).
# Outputs under bench/out/train-vs-python/ (summary.md is the printed table);
# the last Python pickle is left at bench/out/python-reference-model.joblib.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
. bench/scripts/lib.sh
bench_lock

data="${HOUSE_PRICES_DATA:-data/house-prices}"
runs="${RUNS:-20}"
warmup="${WARMUP:-3}"
rss_runs="${RSS_RUNS:-3}"
predict_runs="${PREDICT_RUNS:-50}"
rust="${RUST_BIN:-target/release/regression-model}"
py=bench/python-reference/.venv/bin/python
config=regression-model/config/generation-2.toml
out=bench/out/train-vs-python
pickle=bench/out/python-reference-model.joblib

die() { echo "train-vs-python: $*" >&2; exit 1; }
[ -f "$data/train.csv" ] && [ -f "$data/test.csv" ] ||
    die "no $data/train.csv / test.csv (run HOUSE_PRICES_DATA=... scripts/fetch-dataset.sh, or set HOUSE_PRICES_DATA)"
[ -x "$rust" ] || die "$rust is missing (cargo build --release -p regression-model --features cli)"
command -v hyperfine > /dev/null || die "hyperfine is missing (apt-get install -y hyperfine)"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install -y time)"
command -v jq > /dev/null || die "jq is missing (apt-get install -y jq)"
[ -x "$py" ] || bench/python-reference/setup.sh > /dev/null
mkdir -p "$out"

rust_model="$out/model.postcard"
rust_cmd="$rust train --data $data/train.csv --config $config --holdout 0.1 --seed 0 --out $rust_model --force"
# The shipped default config too: the Python reference cannot build it (one-hot,
# log1p, robust scaling), so it is timed beside the course config, not against Python.
shipped_config=regression-model/config/generation-3.toml
shipped_model="$out/shipped-model.postcard"
shipped_cmd="$rust train --data $data/train.csv --config $shipped_config --holdout 0.1 --seed 0 --out $shipped_model --force"
py_cmd="$py bench/python-reference/train_script.py --config $config --data-dir $data --holdout 0.1 --seed 0 --out $pickle"

# Both must work before anything is timed.
$rust_cmd > "$out/rust-train.log" 2>&1 || { cat "$out/rust-train.log" >&2; die "rust train failed"; }
$shipped_cmd > "$out/rust-shipped-train.log" 2>&1 || { cat "$out/rust-shipped-train.log" >&2; die "rust train of the shipped config failed"; }
$py_cmd > "$out/python-train.log" 2>&1 || { cat "$out/python-train.log" >&2; die "python train failed"; }

# Each command is timed on its own, and its timing repeated (at most ATTEMPTS times, after
# waiting for a quiet machine) while other processes used more than OTHER_MAX % of the
# machine during it; the least disturbed attempt is kept.
attempts="${ATTEMPTS:-4}"
other_max="${OTHER_MAX:-10}"
declare -A other
timed() { # name prepare-command command -> $out/hyperfine-<name>.json, other[name]
    local name=$1 prepare=$2 cmd=$3 attempt quiet busy0 busy1 wall0 wall1 own pct best=""
    for attempt in $(seq "$attempts"); do
        quiet=$(wait_quiet)
        echo "== $name (attempt $attempt): $runs runs, $warmup warm-up; $quiet" >&2
        read -r busy0 _ < <(cpu_jiffies)
        wall0=$EPOCHREALTIME
        hyperfine --shell=none --warmup "$warmup" --runs "$runs" --style basic --prepare "$prepare" \
            --export-json "$out/hyperfine-$name.$attempt.json" -n "$name" "$cmd" >&2
        read -r busy1 _ < <(cpu_jiffies)
        wall1=$EPOCHREALTIME
        # Machine busy time minus what the timed command used (runs + warm-ups).
        own=$(jq --argjson n "$((runs + warmup))" '.results[0] | (.user + .system) * $n' "$out/hyperfine-$name.$attempt.json")
        pct=$(awk -v b="$((busy1 - busy0))" -v hz="$CLK_TCK" -v own="$own" -v w0="$wall0" -v w1="$wall1" -v n="$NCPU" \
            'BEGIN { o = b / hz - own; if (o < 0) o = 0; printf "%.0f", 100 * o / ((w1 - w0) * n) }')
        echo "   other processes: ${pct}% of the machine" >&2
        if [ -z "$best" ] || [ "$pct" -lt "$best" ]; then
            best=$pct
            cp "$out/hyperfine-$name.$attempt.json" "$out/hyperfine-$name.json"
            other[$name]="${pct}% (attempt $attempt)"
        fi
        [ "$pct" -gt "$other_max" ] || break
    done
}
timed rust "rm -f $rust_model $rust_model.report.json" "$rust_cmd"
timed rust-shipped "rm -f $shipped_model $shipped_model.report.json" "$shipped_cmd"
timed python "rm -f $pickle $pickle.report.json" "$py_cmd"
# For reference: the Rust CLI predicting test.csv, whole process (artifact load included).
timed rust-predict "true" "$rust predict --model $rust_model --input $data/test.csv --output $out/rust-predictions.csv"
jq -s '{results: [.[].results[]]}' "$out/hyperfine-rust.json" "$out/hyperfine-python.json" "$out/hyperfine-rust-shipped.json" \
    "$out/hyperfine-rust-predict.json" > "$out/hyperfine-train.json"

peak_rss_kib() { # command... -> max "Maximum resident set size" over $rss_runs runs
    local max=0 kib
    for _ in $(seq "$rss_runs"); do
        kib=$(/usr/bin/time -v "$@" 2>&1 > /dev/null | awk -F': ' '/Maximum resident set size/ {print $2}')
        [ -n "$kib" ] || die "no RSS measured for: $*"
        [ "$kib" -gt "$max" ] && max=$kib
    done
    echo "$max"
}
rss_rust=$(peak_rss_kib $rust_cmd)
rss_shipped=$(peak_rss_kib $shipped_cmd)
rss_py=$(peak_rss_kib $py_cmd)
rss_rust_predict=$(peak_rss_kib $rust predict --model "$rust_model" --input "$data/test.csv" --output "$out/rust-predictions.csv")

hstat() { jq -r --arg n "$2" --arg k "$3" '.results[] | select(.command == $n) | .[$k]' "$1"; }
ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
hf="$out/hyperfine-train.json"
r_med=$(hstat "$hf" rust median); p_med=$(hstat "$hf" python median)
ratio=$(awk -v p="$p_med" -v r="$r_med" 'BEGIN { printf "%.1f", p / r }')
rp="$hf"

{
    echo "### Training, whole process (generation-2, train.csv, hold-out 0.1, seed 0)"
    echo
    echo "$(nproc) CPUs ($(lscpu | awk -F': +' '/Model name/ {print $2; exit}')), $(uname -sr);" \
         "$($py -V), $(hyperfine --version); $runs runs + $warmup warm-up each."
    echo "Other processes' share of the machine during the kept timings: Rust ${other[rust]}," \
         "Rust shipped config ${other[rust-shipped]}, Python ${other[python]}, Rust predict ${other[rust-predict]}."
    echo
    echo "| command | median | mean ± σ | min … max | peak RSS |"
    echo "| --- | --- | --- | --- | --- |"
    for n in rust python rust-shipped; do
        case $n in
            rust) label="Rust \`regression-model train\`"; rss=$rss_rust ;;
            python) label="Python \`train_script.py\`"; rss=$rss_py ;;
            rust-shipped) label="Rust \`regression-model train\`, the shipped config (generation-3; no Python equivalent)"; rss=$rss_shipped ;;
        esac
        echo "| $label | $(ms "$(hstat "$hf" $n median)") ms | $(ms "$(hstat "$hf" $n mean)") ± $(ms "$(hstat "$hf" $n stddev)") ms" \
             "| $(ms "$(hstat "$hf" $n min)") … $(ms "$(hstat "$hf" $n max)") ms | $(mib "$rss") MiB |"
    done
    echo
    echo "Ratio of medians (Python / Rust): **${ratio}×**. Peak RSS ratio:" \
         "$(awk -v p="$rss_py" -v r="$rss_rust" 'BEGIN { printf "%.1f", p / r }')×."
    echo
    echo "Artifacts: Rust $(wc -c < "$rust_model") bytes (postcard)," \
         "Python pickle $(wc -c < "$pickle") bytes (joblib)."
    echo "Rust \`regression-model predict\` on test.csv (1459 rows), whole process incl. artifact load:" \
         "median $(ms "$(hstat "$rp" rust-predict median)") ms, peak RSS $(mib "$rss_rust_predict") MiB."
    echo
    echo "### Python in-process prediction (predict_bench.py, $predict_runs runs)"
    echo
    for attempt in $(seq "$attempts"); do
        quiet=$(wait_quiet)
        read -r busy0 _ < <(cpu_jiffies)
        wall0=$EPOCHREALTIME
        /usr/bin/time -f "%U %S" -o "$out/predict-bench.cpu" \
            $py bench/python-reference/predict_bench.py --model "$pickle" --data-dir "$data" \
            --runs "$predict_runs" --json "$out/predict-bench.json" > "$out/predict-bench.md"
        read -r busy1 _ < <(cpu_jiffies)
        wall1=$EPOCHREALTIME
        pct=$(awk -v b="$((busy1 - busy0))" -v hz="$CLK_TCK" -v w0="$wall0" -v w1="$wall1" -v n="$NCPU" \
            -v own="$(awk '{ print $1 + $2 }' "$out/predict-bench.cpu")" \
            'BEGIN { o = b / hz - own; if (o < 0) o = 0; printf "%.0f", 100 * o / ((w1 - w0) * n) }')
        echo "   predict_bench attempt $attempt: other processes ${pct}% of the machine" >&2
        [ "$pct" -gt "$other_max" ] || break
    done
    echo "Other processes during the run: ${pct}% of the machine (attempt $attempt; before it: $quiet)."
    echo
    cat "$out/predict-bench.md"
    echo
    echo "Training logs: $(grep -m1 'hold-out' "$out/rust-train.log")"
    echo "$(tail -n 1 "$out/python-train.log")"
} | tee "$out/summary.md"
