"""Grid search of a config's Lasso alpha with scikit-learn's GridSearchCV, on the
same folds as `regression-model tune`, for the side-by-side benchmark.

    .venv/bin/python gridsearch.py --config ../../regression-model/config/generation-2.toml \
        --alphas 0.0001,0.0002,... [--folds 5] [--seed 0] [--n-jobs 2] [--data-dir DIR]

Folds are the project's (regression_model::split::k_folds): shuffle 0..n with
SplitMix64 Fisher-Yates (seed), fold i = every k-th shuffled index from position
i, sorted. The score is RMSE on log(SalePrice), i.e. the RMSLE of the prices
`regression-model tune` reports; the standard deviation is numpy's (ddof=0), as
there. Prints one line per alpha, the best, and the wall time of
GridSearchCV.fit (the process start and data loading are timed separately).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

_T0 = time.perf_counter()

import numpy as np  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402

from pipeline import (  # noqa: E402
    build_pipeline,
    data_dir,
    load_config,
    read_house_prices,
    shuffled_indices,
)

_IMPORTED = time.perf_counter()


def project_folds(n: int, k: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train, validation) index pairs of the project's k folds."""
    order = shuffled_indices(n, seed)
    out = []
    for i in range(k):
        held = sorted(order[i::k])
        held_set = set(held)
        train = [r for r in range(n) if r not in held_set]
        out.append((np.array(train), np.array(held)))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", required=True)
    ap.add_argument("--alphas", required=True, help="comma-separated Lasso alphas")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--n-jobs", type=int, default=2)
    ap.add_argument("--data-dir")
    ap.add_argument("--json", action="store_true", help="print a JSON report instead")
    args = ap.parse_args(argv)

    config = load_config(args.config)
    data = read_house_prices(data_dir(args.data_dir) / "train.csv")
    X = data[list(config["features"])]
    y = np.log(data[config["target"]].astype(float)).to_numpy()
    alphas = [float(a) for a in args.alphas.split(",") if a.strip()]
    folds = project_folds(len(data), args.folds, args.seed)
    loaded = time.perf_counter()

    search = GridSearchCV(
        build_pipeline(config),
        {"estimator__alpha": alphas},
        cv=folds,
        scoring="neg_root_mean_squared_error",
        n_jobs=args.n_jobs,
        refit=False,
        error_score="raise",
    )
    started = time.perf_counter()
    search.fit(X, y)
    fit_seconds = time.perf_counter() - started

    means = -search.cv_results_["mean_test_score"]
    sds = search.cv_results_["std_test_score"]
    best = int(np.argmin(means))
    report = {
        "config": config["name"],
        "rows": len(data),
        "folds": args.folds,
        "seed": args.seed,
        "n_jobs": args.n_jobs,
        "points": [
            {"alpha": a, "rmsle_mean": float(m), "rmsle_sd": float(s)}
            for a, m, s in zip(alphas, means, sds)
        ],
        "best": best,
        "seconds": {
            "imports": _IMPORTED - _T0,
            "data": loaded - _IMPORTED,
            "grid_search_fit": fit_seconds,
        },
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{config['name']}: {args.folds}-fold GridSearchCV (seed {args.seed}), "
          f"n_jobs={args.n_jobs}, {len(data)} rows")
    for i, p in enumerate(report["points"]):
        print(f"{i + 1:>5}  alpha={p['alpha']:<12g} RMSLE {p['rmsle_mean']:.5f} ± {p['rmsle_sd']:.5f}")
    print(f"best: point {best + 1} (alpha={alphas[best]:g}): RMSLE {means[best]:.5f} ± {sds[best]:.5f}")
    s = report["seconds"]
    print(f"GridSearchCV.fit {s['grid_search_fit']:.2f} s wall "
          f"(imports {s['imports']:.2f} s, data {s['data']:.2f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
