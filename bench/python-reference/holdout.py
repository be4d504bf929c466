"""Hold-out metrics of a config's pipeline, on two splits of train.csv.

    .venv/bin/python holdout.py --config ../../regression-model/config/generation-2.toml \
        [--config ...] [--data-dir DIR] [--out metrics.json]

Splits:
  project  the project's SplitMix64 split (config [split] holdout/seed), which the
           Rust crate implements identically;
  sklearn  scikit-learn's train_test_split(test_size=0.1, random_state=0), as the
           course did (for the record).
Metrics over the predicted hold-out rows: RMSE and R^2 on dollars, RMSLE.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import feature_engine
import numpy as np
import pandas as pd
import sklearn
from sklearn.model_selection import train_test_split

from pipeline import (
    ReferenceModel,
    data_dir,
    load_config,
    project_split,
    read_house_prices,
    regression_metrics,
)


def evaluate(config: dict, train: pd.DataFrame, holdout: pd.DataFrame) -> dict:
    model = ReferenceModel(config).fit(train)
    preds = model.predict(holdout)
    n_pred = int((~np.isnan(preds)).sum())
    result = {
        "n_train": len(train),
        "n_holdout": len(holdout),
        "n_predicted": n_pred,
        **regression_metrics(holdout[config["target"]].to_numpy(dtype=float), preds),
    }
    if model.ties_:
        result["ties"] = model.ties_
    return result


def run(config_path: str, ddir: Path) -> dict:
    config = load_config(config_path)
    data = read_house_prices(ddir / "train.csv")
    split = config.get("split", {})
    holdout_frac = float(split.get("holdout", 0.1))
    seed = int(split.get("seed", 0))

    tr_idx, ho_idx = project_split(len(data), holdout_frac, seed)
    project = evaluate(config, data.iloc[tr_idx], data.iloc[ho_idx])
    project = {"holdout": holdout_frac, "seed": seed,
               "first_holdout_indices": ho_idx[:10], **project}

    sk_train, sk_test = train_test_split(data, test_size=0.1, random_state=0)
    sk = {"test_size": 0.1, "random_state": 0, **evaluate(config, sk_train, sk_test)}
    return {"project_split": project, "sklearn_split": sk}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", required=True, action="append",
                    help="pipeline config TOML (repeatable)")
    ap.add_argument("--data-dir", help="folder with train.csv "
                    "(default: $HOUSE_PRICES_DATA, else data/house-prices)")
    ap.add_argument("--out", help="write the JSON here too")
    args = ap.parse_args(argv)

    ddir = data_dir(args.data_dir)
    report: dict = {
        "versions": {
            "scikit-learn": sklearn.__version__,
            "feature-engine": feature_engine.__version__,
            "pandas": pd.__version__,
            "numpy": np.__version__,
            "python": sys.version.split()[0],
        },
        "metrics": "rmse and r2 on dollars, rmsle = sqrt(mean((log(pred) - log(true))^2)), "
                   "over the predicted hold-out rows",
        "configs": {},
    }
    for path in args.config:
        name = load_config(path)["name"]
        report["configs"][name] = run(path, ddir)

    text = json.dumps(report, indent=2) + "\n"
    sys.stdout.write(text)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
