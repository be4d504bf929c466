"""FastAPI reference API (the course's later api/), serving the joblib pickle of train_script.py.

    cd bench/python-reference/api
    MODEL_PATH=../../out/python-reference-model.joblib \
        ../.venv/bin/uvicorn --workers 2 --host 127.0.0.1 --port 8001 fastapi_app:app

Same routes and response as flask_app.py. Each record is validated by a pydantic model
of the 79 Kaggle inputs (Kaggle names, course aliases accepted; numeric fields float
with the Rust range rules, categorical fields text with numbers turned into labels;
unknown fields forbidden). Records are validated one by one so that a bad record is
reported in `errors` instead of failing the whole request with a 422.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Optional

from fastapi import Body, FastAPI
from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, create_model

from common import CAT, ID, KIND, MISSING_TEXT, NUM, SCHEMA, TARGET, load_model, predict_valid


def _na_to_none(value: Any) -> Any:
    if isinstance(value, str) and value in MISSING_TEXT:
        return None
    return value


def _label(value: Any) -> Any:
    value = _na_to_none(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 20.0 is the label "20", as 20 is
    return value


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, allow_inf_nan=False)


def _field(name: str, kind: str, rule, alias: str | None):
    validation_alias = AliasChoices(name, alias) if alias else name
    if kind == CAT:
        return (Annotated[Optional[str], BeforeValidator(_label)],
                Field(default=None, validation_alias=validation_alias))
    constraints = {}
    if rule:
        lo, hi, _ = rule
        constraints["ge"] = lo
        if hi is not None:
            constraints["le"] = hi
    return (Annotated[Optional[float], BeforeValidator(_na_to_none)],
            Field(default=None, validation_alias=validation_alias, **constraints))


HouseRecord = create_model(
    "HouseRecord",
    __base__=_Base,
    Id=(Optional[int], Field(default=None, validation_alias=ID)),
    SalePrice=(Optional[Any], Field(default=None, validation_alias=TARGET)),
    # Python names f0..f78 (Kaggle names such as 1stFlrSF are not identifiers).
    **{f"f{i}": _field(name, kind, rule, alias) for i, (name, kind, rule, alias) in enumerate(SCHEMA)},
)
FIELD_OF = {name: f"f{i}" for i, (name, _, _, _) in enumerate(SCHEMA)}
NAME_OF_KEY = {name: name for name, _, _, _ in SCHEMA}
NAME_OF_KEY.update({alias: name for name, _, _, alias in SCHEMA if alias})


def _errors_of(row: int, exc: ValidationError, feature_set) -> tuple[list[dict], set[str]]:
    """Problems that reject the row (fields the model reads, unknown fields, Id) and the
    keys of the other invalid fields (ignored, as the Rust API ignores them)."""
    rejecting: list[dict] = []
    ignorable: set[str] = set()
    for e in exc.errors(include_url=False, include_input=False):
        key = str(e["loc"][0]) if e["loc"] else "record"
        name = NAME_OF_KEY.get(key)
        if name is not None and name not in feature_set:
            ignorable.add(key)
            continue
        message = ("unknown field: not one of the 79 house-prices inputs"
                   if e["type"] == "extra_forbidden" else e["msg"])
        rejecting.append({"row": row, "field": name or key[:32], "message": message})
    return rejecting, ignorable


model = load_model()
FEATURE_FIELDS = [(f, FIELD_OF[f], KIND[f] == NUM) for f in model.features]
app = FastAPI(title="house-prices regression (Python reference)")


def validate(records: list[Any]):
    rows: list[int] = []
    ids: list[Any] = []
    columns: dict[str, list] = {f: [] for f in model.features}
    errors: list[dict] = []
    for row, record in enumerate(records):
        if not isinstance(record, dict):
            errors.append({"row": row, "field": "record",
                           "message": f"expected an object of house fields, got {type(record).__name__}"})
            continue
        try:
            house = HouseRecord.model_validate(record)
        except ValidationError as exc:
            rejecting, ignorable = _errors_of(row, exc, model.feature_set)
            if rejecting:
                errors.extend(rejecting)
                continue
            house = HouseRecord.model_validate({k: v for k, v in record.items() if k not in ignorable})
        rows.append(row)
        ids.append(house.Id)
        for name, attr, numeric in FEATURE_FIELDS:
            value = getattr(house, attr)
            columns[name].append(math.nan if numeric and value is None else value)
    return rows, ids, columns, errors


@app.get("/health")
async def health() -> dict:
    return {"status": "ok", "version": model.version}


@app.post("/v1/predict/regression")
async def predict(records: Annotated[list[Any] | dict[str, Any], Body()]) -> dict:
    if isinstance(records, dict):
        records = [records]
    rows, ids, columns, errors = validate(records)
    return predict_valid(model, rows, ids, columns, errors)
