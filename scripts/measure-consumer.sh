#!/usr/bin/env bash
# What a predict-only consumer of regression-model compiles: builds a copy of
# crates/model-consumer against regression-model of commit REV (default HEAD)
# by path, and prints the number of packages in its normal dependency tree and
# the CPU and wall time of one clean debug build in a fresh target folder.
# Usage: scripts/measure-consumer.sh [REV]. Takes minutes (a clean build).
set -euo pipefail
cd "$(dirname "$0")/.."
rev=$(git rev-parse --verify "${1:-HEAD}^{commit}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The whole tree: regression-model inherits settings from the workspace root.
git archive "$rev" | tar -x -C "$work"
consumer=$work/crates/model-consumer
# The registry requirement becomes a path one; the lock starts from the workspace's.
sed -i -E 's|^regression-model = \{ version = "([^"]+)", registry = "house-prices" \}|regression-model = { version = "\1", path = "../../regression-model" }|' "$consumer/Cargo.toml"
grep -q 'path = "../../regression-model"' "$consumer/Cargo.toml" \
  || { echo "measure-consumer: cannot point $consumer/Cargo.toml at the path" >&2; exit 1; }
cp "$work/Cargo.lock" "$consumer/Cargo.lock"
packages=$(cargo tree --quiet -e normal --prefix none --manifest-path "$consumer/Cargo.toml" | sed 's/ (\*)$//' | sort -u | wc -l)
# CPU time (user + system) as well as wall time: on a shared machine the
# wall time says more about the other jobs than about this build.
/usr/bin/time -f '%e %U %S' -o "$work/time" \
  env CARGO_TARGET_DIR="$work/target" cargo build --quiet --manifest-path "$consumer/Cargo.toml"
read -r wall user sys <"$work/time"
printf 'measure-consumer: %s: %d packages in cargo tree -e normal; clean debug build: %.0f s CPU (user + system), %.0f s wall (load average %s)\n' \
  "${rev:0:10}" "$packages" "$(echo "$user + $sys" | bc)" "$wall" "$(cut -d' ' -f1-3 /proc/loadavg)"
