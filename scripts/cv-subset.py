#!/usr/bin/env python3
"""Cross-validated RMSLE over a subset of rows, from `regression-model tune --oof`.

The protocol of `tune`: per grid point, the RMSLE of each fold (root mean squared error of
ln price over the fold's predicted rows), then the mean and standard deviation (ddof 0) over
the folds. `--exclude` leaves the given Ids out of every fold before scoring, e.g. the two
partial sales that public Kaggle kernels drop before cross-validating:

    target/release/regression-model tune --config regression-model/config/generation-4.toml \\
        --data "$HOUSE_PRICES_DATA/train.csv" --folds 5 --seed 0 --oof /tmp/oof.csv
    scripts/cv-subset.py /tmp/oof.csv --exclude 524,1299
"""
import argparse
import csv
import math
import sys
from collections import defaultdict


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("oof", help="CSV written by `tune --oof`")
    parser.add_argument("--exclude", default="", help="comma-separated Ids to leave out")
    args = parser.parse_args()
    try:
        excluded = {int(i) for i in args.exclude.split(",") if i.strip()}
    except ValueError as e:
        print(f"error: --exclude: {e}", file=sys.stderr)
        return 1
    squares = defaultdict(list)  # (point, fold) -> squared log errors
    with open(args.oof, newline="") as f:
        for n, row in enumerate(csv.DictReader(f), start=2):
            try:
                if row["Id"] and int(row["Id"]) in excluded:
                    continue
                error = math.log(float(row["predicted"])) - math.log(float(row["SalePrice"]))
                squares[(int(row["point"]), int(row["fold"]))].append(error * error)
            except (KeyError, ValueError) as e:
                print(f"error: {args.oof} line {n}: {e}", file=sys.stderr)
                return 1
    points = sorted({p for p, _ in squares})
    print("point  folds  CV RMSLE")
    for p in points:
        scores = [math.sqrt(sum(s) / len(s)) for (q, _), s in sorted(squares.items()) if q == p]
        mean = sum(scores) / len(scores)
        sd = math.sqrt(sum((x - mean) ** 2 for x in scores) / len(scores))
        print(f"{p:>5}  {len(scores):>5}  {mean:.5f} ± {sd:.5f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
