#!/usr/bin/env bash
# Whole-process train and predict time and peak memory of the release CLI on
# synthetic data of 10^4, 10^5 and 10^6 rows (crates/synth-data, seeded), to
# show how they grow. Usage: scripts/bench-scaling.sh [rows ...]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p regression-model -p synth-data --features regression-model/cli
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)
measure() { /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }; cat "$work/time"; }
echo "| rows | train s | train peak RSS MB | predict s | predict peak RSS MB | predicted |"
echo "|---:|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  target/release/synth-data --rows "$n" --seed 7 --out "$work/train.csv"
  target/release/synth-data --rows "$n" --seed 8 --no-target --out "$work/test.csv"
  read -r ts tk < <(measure target/release/regression-model --log warn train --data "$work/train.csv" --holdout 0 --out "$work/m.postcard")
  read -r ps pk < <(measure target/release/regression-model --log error predict --model "$work/m.postcard" --input "$work/test.csv" --output "$work/p.csv")
  predicted=$(( $(wc -l < "$work/p.csv") - 1 ))
  printf '| %s | %s | %.1f | %s | %.1f | %s |\n' "$n" "$ts" "$(echo "$tk/1024" | bc -l)" "$ps" "$(echo "$pk/1024" | bc -l)" "$predicted"
  rm -f "$work"/*.csv "$work"/m.postcard*
done
