"""Whole-process Python training, the way the course's `train_pipeline.py` runs.

    .venv/bin/python train_script.py --config ../../regression-model/config/generation-2.toml \
        [--data-dir DIR] [--holdout 0.1] [--seed 0] --out out/model.joblib

Reads train.csv, splits it with the project's SplitMix64 hold-out split (the config's
`[split]` unless --holdout/--seed are given; generation 2: 0.1, seed 0, the same split
as `regression-model train`), fits the config's pipeline on the training rows, scores
the hold-out rows (RMSE / R^2 / RMSLE, as the Rust CLI does) and persists the fitted
`ReferenceModel` with `joblib.dump` to --out, plus a small JSON report next to it
(`<out>.report.json`).

The pickle holds instances of classes defined in `pipeline.py`: whoever loads it must
be able to `import pipeline` (put this folder on `sys.path`).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import joblib
import numpy as np

from pipeline import (
    ReferenceModel,
    data_dir,
    load_config,
    project_split,
    read_house_prices,
    regression_metrics,
)

MODEL_VERSION = "0.1.0-python-reference"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", required=True, help="pipeline config TOML")
    ap.add_argument("--data-dir", help="folder with train.csv "
                    "(default: $HOUSE_PRICES_DATA, else data/house-prices)")
    ap.add_argument("--holdout", type=float, help="hold-out share (default: config [split])")
    ap.add_argument("--seed", type=int, help="split seed (default: config [split])")
    ap.add_argument("--out", required=True, help="joblib pickle to write")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    config = load_config(args.config)
    split = config.get("split", {})
    holdout = args.holdout if args.holdout is not None else float(split.get("holdout", 0.1))
    seed = args.seed if args.seed is not None else int(split.get("seed", 0))

    data = read_house_prices(data_dir(args.data_dir) / "train.csv")
    tr_idx, ho_idx = project_split(len(data), holdout, seed)
    train, test = data.iloc[tr_idx], data.iloc[ho_idx]

    t_fit = time.perf_counter()
    model = ReferenceModel(config).fit(train)
    fit_s = time.perf_counter() - t_fit
    model.version = MODEL_VERSION

    report: dict = {"config": config["name"], "version": MODEL_VERSION,
                    "holdout": holdout, "seed": seed, "n_train": len(train),
                    "n_holdout": len(test), "fit_seconds": fit_s}
    if len(test):
        preds = model.predict(test)
        report["n_holdout_predicted"] = int((~np.isnan(preds)).sum())
        report.update(regression_metrics(test[config["target"]].to_numpy(dtype=float), preds))

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, out)
    report["pickle_bytes"] = out.stat().st_size
    Path(f"{out}.report.json").write_text(json.dumps(report, indent=2) + "\n")

    metrics = (f"hold-out ({len(test)} rows): RMSE ${report['rmse']:.2f}  R2 {report['r2']:.4f}  "
               f"RMSLE {report['rmsle']:.4f}; " if len(test) else "")
    print(f"trained {config['name']} on {len(train)} rows (fit {fit_s * 1000:.1f} ms); {metrics}"
          f"-> {out} ({report['pickle_bytes']} bytes) in {time.perf_counter() - t0:.2f} s "
          f"after imports", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
