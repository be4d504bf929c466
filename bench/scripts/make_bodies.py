"""Write JSON request bodies for the load tests: the first N rows of test.csv that the
model accepts, as a list of records with Kaggle field names (numbers as JSON numbers,
labels as strings, MSSubClass as the string code, `null` for NA / empty cells).

    bench/python-reference/.venv/bin/python bench/scripts/make_bodies.py \
        --model bench/out/python-reference-model.joblib --out-dir bench/out 1 100

Writes <out-dir>/body-<N>.json for each N and prints their paths.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "python-reference" / "api"))
from common import KIND, NUM, load_model  # noqa: E402
from pipeline import data_dir, read_house_prices  # noqa: E402


def cell(name: str, text: str):
    if text in ("", "NA"):
        return None
    if KIND.get(name) == NUM:
        try:
            return int(text)
        except ValueError:
            return float(text)
    return text


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--data-dir")
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("sizes", nargs="+", type=int)
    args = ap.parse_args()

    test_csv = data_dir(args.data_dir) / "test.csv"
    model = load_model(args.model)
    preds = model.predict(read_house_prices(test_csv))
    with open(test_csv, newline="") as fh:
        rows = list(csv.DictReader(fh))
    accepted = [
        {k: (int(v) if k == "Id" else cell(k, v)) for k, v in row.items()}
        for row, p in zip(rows, preds) if not math.isnan(p)
    ]
    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for n in args.sizes:
        if n > len(accepted):
            sys.exit(f"only {len(accepted)} accepted rows, cannot build a body of {n}")
        path = out_dir / f"body-{n}.json"
        path.write_text(json.dumps(accepted[:n], separators=(",", ":")))
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
