"""In-process prediction timings of the joblib pickle written by train_script.py.

    .venv/bin/python predict_bench.py --model ../../bench/out/python-reference-model.joblib \
        [--data-dir DIR] [--runs 50] [--json out.json]

Reports:
  * the pickle's size;
  * `joblib.load` time: the first load in this process (which imports pandas, scikit-learn,
    feature-engine and pipeline.py, as a fresh server worker does) and the median of
    later loads (modules already imported);
  * `ReferenceModel.predict` on the 1459 rows of test.csv (a DataFrame read beforehand;
    row rejection included: 10 rows are rejected) and on 1 row: median of --runs runs;
  * the same through the API code path (api/flask_app.validate + common.predict_valid):
    JSON-decoded records -> field validation -> DataFrame -> predict -> response dict,
    for the 1459 test records and for 1 record (no HTTP, no JSON text).
"""

from __future__ import annotations

import time

T_START = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

HERE = Path(__file__).resolve().parent


def median_time(fn, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), min(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True, help="joblib pickle from train_script.py")
    ap.add_argument("--data-dir", help="folder with test.csv "
                    "(default: $HOUSE_PRICES_DATA, else data/house-prices)")
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--json", help="also write the numbers here")
    args = ap.parse_args(argv)

    size = os.path.getsize(args.model)

    # First load: nothing of the scientific stack is imported yet.
    sys.path.insert(0, str(HERE))
    t = time.perf_counter()
    import joblib

    model = joblib.load(args.model)
    cold_load = time.perf_counter() - t
    warm_load, _ = median_time(lambda: joblib.load(args.model), 20)

    import numpy as np

    from pipeline import data_dir, read_house_prices

    sys.path.insert(0, str(HERE / "api"))
    from common import KIND, NUM, predict_valid

    test_csv = data_dir(args.data_dir) / "test.csv"
    test = read_house_prices(test_csv)
    one = test.iloc[:1]
    preds = model.predict(test)
    n_pred = int((~np.isnan(preds)).sum())

    t_all, t_all_min = median_time(lambda: model.predict(test), args.runs)
    t_one, t_one_min = median_time(lambda: model.predict(one), args.runs)

    # The API path, from JSON-decoded records (as request.get_json() gives them).
    import csv

    def cell(name, text):
        if text in ("", "NA"):
            return None
        if name == "Id":
            return int(text)
        if KIND.get(name) == NUM:
            try:
                return int(text)
            except ValueError:
                return float(text)
        return text

    with open(test_csv, newline="") as fh:
        records = [{k: cell(k, v) for k, v in row.items()} for row in csv.DictReader(fh)]
    # flask_app builds its app at import (loading $MODEL_PATH): point it at this pickle.
    os.environ["MODEL_PATH"] = str(Path(args.model).resolve())
    import flask_app

    model.feature_set = frozenset(model.features)
    model.version = getattr(model, "version", "unknown")

    def api(recs):
        return predict_valid(model, *flask_app.validate(model, recs))

    resp = api(records)
    assert len(resp["predictions"]) == n_pred, (len(resp["predictions"]), n_pred)
    t_api_all, t_api_all_min = median_time(lambda: api(records), args.runs)
    t_api_one, t_api_one_min = median_time(lambda: api(records[:1]), args.runs)

    result = {
        "pickle_bytes": size,
        "joblib_load_first_s": cold_load,
        "joblib_load_warm_median_s": warm_load,
        "rows": len(test),
        "rows_predicted": n_pred,
        "runs": args.runs,
        "predict_all_median_s": t_all,
        "predict_all_min_s": t_all_min,
        "predict_one_median_s": t_one,
        "predict_one_min_s": t_one_min,
        "api_path_all_median_s": t_api_all,
        "api_path_one_median_s": t_api_one,
        "process_seconds": time.perf_counter() - T_START,
    }
    ms = lambda s: f"{s * 1000:.2f} ms"  # noqa: E731
    print("| Python in-process | value |")
    print("| --- | --- |")
    print(f"| pickle size | {size} bytes |")
    print(f"| `joblib.load`, first in process (imports pandas/sklearn/feature-engine) | {ms(cold_load)} |")
    print(f"| `joblib.load`, modules already imported (median of 20) | {ms(warm_load)} |")
    print(f"| `predict` {len(test)} test rows ({n_pred} predicted), median of {args.runs} | "
          f"{ms(t_all)} ({t_all / len(test) * 1e6:.1f} µs/row; min {ms(t_all_min)}) |")
    print(f"| `predict` 1 row, median of {args.runs} | {ms(t_one)} (min {ms(t_one_min)}) |")
    print(f"| API path (validate + predict + response dict), {len(records)} records, median | "
          f"{ms(t_api_all)} |")
    print(f"| API path, 1 record, median | {ms(t_api_one)} |")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
