"""Train a config's pipeline on ALL rows of train.csv and predict test.csv.

    .venv/bin/python train_predict.py --config ../../regression-model/config/generation-2.toml \
        --data-dir "$HOUSE_PRICES_DATA" --out out/generation-2-test-predictions.csv

Writes `Id,SalePrice` for every test Id in file order; SalePrice is repr() of the
prediction (shortest round-trip text of the f64) or empty for a rejected row.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from pathlib import Path

from pipeline import ReferenceModel, data_dir, load_config, read_house_prices


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", required=True, help="pipeline config TOML")
    ap.add_argument("--data-dir", help="folder with train.csv and test.csv "
                    "(default: $HOUSE_PRICES_DATA, else data/house-prices)")
    ap.add_argument("--out", required=True, help="output CSV")
    args = ap.parse_args(argv)

    config = load_config(args.config)
    ddir = data_dir(args.data_dir)
    train = read_house_prices(ddir / "train.csv")
    test = read_house_prices(ddir / "test.csv")

    model = ReferenceModel(config).fit(train)
    preds = model.predict(test)

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["Id", "SalePrice"])
        for id_, p in zip(test["Id"].tolist(), preds.tolist()):
            w.writerow([id_, "" if math.isnan(p) else repr(float(p))])

    n_pred = sum(not math.isnan(p) for p in preds.tolist())
    first = next((f"Id {i}: {float(p)!r}" for i, p in zip(test["Id"], preds) if not math.isnan(p)), "none")
    print(f"{config['name']}: trained on {len(train)} rows; predicted {n_pred} of "
          f"{len(test)} test rows ({len(test) - n_pred} rejected); first {first}; -> {out}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
