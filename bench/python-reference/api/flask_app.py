"""Flask reference API (the course's ml_api), serving the joblib pickle of train_script.py.

    cd bench/python-reference/api
    MODEL_PATH=../../out/python-reference-model.joblib \
        ../.venv/bin/gunicorn --workers 2 --bind 127.0.0.1:5000 flask_app:application

Routes:
  GET  /health                 -> {"status": "ok", "version": ...}
  POST /v1/predict/regression  a JSON list of records with Kaggle field names (or one
                               record) -> {"predictions": [...], "version", "errors": [...]}

Validation is the course's: each record is checked field by field (type, range, known
name); rows with problems in the fields the model reads are reported in `errors` and
left out, the valid rows are predicted together. (The course used a marshmallow schema
for this; here it is plain Python with the same rules as the Rust schema.)
"""

from __future__ import annotations

import math
from typing import Any

from flask import Flask, jsonify, request

from common import BY_NAME, CAT, ID, KIND, MISSING_TEXT, TARGET, load_model, predict_valid, range_problem


def _number(value: Any) -> tuple[float | None, str | None]:
    if value is None or (isinstance(value, str) and value in MISSING_TEXT):
        return math.nan, None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None, f"expected a number, got {type(value).__name__}"
    try:
        number = float(value)
    except ValueError:
        return None, f"expected a number, got the text {value[:32]!r}"
    if not math.isfinite(number):
        return None, "expected a finite number"
    return number, None


def _label(value: Any) -> tuple[str | None, str | None]:
    if value is None or (isinstance(value, str) and value in MISSING_TEXT):
        return None, None
    if isinstance(value, str):
        return value, None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None, f"expected a label (text), got {type(value).__name__}"
    # Codes such as MSSubClass are often sent as numbers: 20 is the label "20".
    return (str(int(value)) if float(value).is_integer() else str(value)), None


def validate(model, records: Any):
    """-> (rows, ids, columns, errors), see common.predict_valid."""
    features = model.features
    feature_set = model.feature_set
    rows: list[int] = []
    ids: list[Any] = []
    columns: dict[str, list] = {f: [] for f in features}
    errors: list[dict] = []
    if isinstance(records, dict):
        records = [records]
    for row, record in enumerate(records):
        if not isinstance(record, dict):
            errors.append({"row": row, "field": "record",
                           "message": f"expected an object of house fields, got {type(record).__name__}"})
            continue
        values: dict[str, Any] = {}
        problems: list[dict] = []
        id_ = None
        for key, raw in record.items():
            if key == ID:
                if raw is not None and (isinstance(raw, bool) or not isinstance(raw, int)):
                    problems.append({"row": row, "field": ID, "message": "must be an integer"})
                id_ = raw
                continue
            if key == TARGET:
                continue
            name = BY_NAME.get(key)
            if name is None:
                problems.append({"row": row, "field": key[:32],
                                 "message": "unknown field: not one of the 79 house-prices inputs"})
                continue
            if name in values:
                if name in feature_set:
                    problems.append({"row": row, "field": key,
                                     "message": "given twice (Kaggle name and course alias?)"})
                continue
            if KIND[name] == CAT:
                value, problem = _label(raw)
            else:
                value, problem = _number(raw)
                if problem is None and not math.isnan(value):
                    problem = range_problem(name, value)
            values[name] = value
            if problem is not None and name in feature_set:
                problems.append({"row": row, "field": name, "message": problem})
        if problems:
            errors.extend(problems)
            continue
        rows.append(row)
        ids.append(id_)
        for f in features:
            columns[f].append(values.get(f, None if KIND[f] == CAT else math.nan))
    return rows, ids, columns, errors


def create_app(model_path: str | None = None) -> Flask:
    app = Flask(__name__)
    model = load_model(model_path)

    @app.get("/health")
    def health():
        return jsonify(status="ok", version=model.version)

    @app.post("/v1/predict/regression")
    def predict():
        records = request.get_json(silent=True)
        if not isinstance(records, (list, dict)):
            return jsonify(error="expected a JSON list of house records"), 400
        rows, ids, columns, errors = validate(model, records)
        return jsonify(predict_valid(model, rows, ids, columns, errors))

    return app


application = create_app()
