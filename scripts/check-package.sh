#!/usr/bin/env bash
# Checks what `cargo package -p regression-model` ships: the trained model of
# this version, the configs, the fixtures the API tests reuse, and never the
# real dataset. Then builds the packaged crate on its own (cargo's verify step).
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(cargo metadata --no-deps --format-version 1 | python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"]=="regression-model"))')
list=$(cargo package -p regression-model --list --allow-dirty --locked)
need=(
  "trained_models/regression_model_output_v$version.postcard"
  "config/generation-1.toml" "config/generation-2.toml" "config/random-forest.toml"
  "fixtures/synthetic/train.csv" "fixtures/synthetic/test.csv"
  "fixtures/python-reference/generation-2-test-predictions.csv"
  "fixtures/differential/predictions-v$version.csv"
)
for f in "${need[@]}"; do
  grep -qx "$f" <<<"$list" || { echo "check-package: $f is missing from the package" >&2; exit 1; }
done
if grep -E '(^|/)(train|test)\.csv$' <<<"$list" | grep -v '^fixtures/synthetic/' | grep -q .; then
  echo "check-package: the package would ship a dataset file:" >&2
  grep -E '(^|/)(train|test)\.csv$' <<<"$list" | grep -v '^fixtures/synthetic/' >&2
  exit 1
fi
if grep -q '^data/' <<<"$list"; then echo "check-package: data/ must never be packaged" >&2; exit 1; fi
echo "check-package: regression-model $version ships $(wc -l <<<"$list") files, including its model, configs and fixtures"
# Build the packaged crate in isolation (cargo's verify step).
cargo package -p regression-model --allow-dirty --locked >/dev/null
echo "check-package: the packaged crate builds on its own"
