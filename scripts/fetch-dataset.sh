#!/usr/bin/env bash
# Puts the Kaggle house-prices data where the code expects it: data/house-prices/
# (gitignored; the real data is never committed).
#   - from $HOUSE_PRICES_DATA when set (a folder with train.csv and test.csv),
#   - else from Kaggle with the `kaggle` CLI (needs ~/.kaggle/kaggle.json).
set -euo pipefail
cd "$(dirname "$0")/.."
dest=data/house-prices
mkdir -p "$dest"
files=(train.csv test.csv data_description.txt)

if [ -n "${HOUSE_PRICES_DATA:-}" ]; then
  src=$HOUSE_PRICES_DATA
  for f in train.csv test.csv; do
    [ -f "$src/$f" ] || { echo "fetch-dataset: $src/$f not found (HOUSE_PRICES_DATA=$src)" >&2; exit 1; }
  done
  for f in "${files[@]}"; do
    [ -f "$src/$f" ] && cp -f "$src/$f" "$dest/$f"
  done
  echo "fetch-dataset: copied from \$HOUSE_PRICES_DATA into $dest"
elif command -v kaggle >/dev/null 2>&1; then
  kaggle competitions download -c house-prices-advanced-regression-techniques -p "$dest"
  (cd "$dest" && unzip -o -q house-prices-advanced-regression-techniques.zip && rm -f house-prices-advanced-regression-techniques.zip)
  echo "fetch-dataset: downloaded from Kaggle into $dest"
else
  echo "fetch-dataset: set HOUSE_PRICES_DATA to a folder holding train.csv and test.csv, or install the kaggle CLI (pip install kaggle) with an API token" >&2
  exit 1
fi
lines=$(wc -l < "$dest/train.csv")
[ "$lines" -eq 1461 ] || { echo "fetch-dataset: $dest/train.csv has $lines lines, expected 1461" >&2; exit 1; }
