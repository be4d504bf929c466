#!/usr/bin/env bash
# Regenerate fixtures/python-reference/* from the real data.
# Data folder: $HOUSE_PRICES_DATA, else data/house-prices under the repo root.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data="${HOUSE_PRICES_DATA:-$root/data/house-prices}"
fixtures="$root/fixtures/python-reference"
config="$root/regression-model/config"

"$here/setup.sh"
py="$here/.venv/bin/python"
mkdir -p "$fixtures"
for gen in generation-2 generation-1; do
    "$py" "$here/train_predict.py" --config "$config/$gen.toml" --data-dir "$data" \
        --out "$fixtures/$gen-test-predictions.csv"
done
"$py" "$here/holdout.py" --config "$config/generation-2.toml" --config "$config/generation-1.toml" \
    --data-dir "$data" --out "$fixtures/holdout-metrics.json" > /dev/null
echo "wrote $fixtures"
