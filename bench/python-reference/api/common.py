"""What the two reference APIs share: the input schema, model loading, and turning
validated records into the response `{"predictions", "version", "errors"}`.

The schema mirrors the Rust crate's (`regression-model/src/schema.rs`): the 79 Kaggle
input columns, numeric or categorical, the same range rules, the course's aliases for
the three names that start with a digit. The response has the Rust shape:

    {"predictions": [{"row": 0, "id": 1461, "price": 111739.19}, ...],
     "version": "...",
     "errors": [{"row": 3, "field": "MSZoning", "message": "..."}, ...]}

Rows are numbered by their position in the request. A row is rejected (listed in
`errors`, absent from `predictions`) when a field the model reads, or an unknown field,
is invalid, when a column the model cannot impute is missing, or when the transformed
features are not finite (unmapped label, unseen category, log of a value <= 0), the
same rules as the Rust `FittedPipeline::predict_rows`.
"""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REFERENCE_DIR = HERE.parent  # bench/python-reference: holds pipeline.py
REPO_ROOT = HERE.parents[2]
if str(REFERENCE_DIR) not in sys.path:
    sys.path.insert(0, str(REFERENCE_DIR))  # the pickle refers to classes of `pipeline`

import joblib  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

DEFAULT_MODEL = REPO_ROOT / "bench" / "out" / "python-reference-model.joblib"

NUM, CAT = "numeric", "categorical"
NOT_NEGATIVE = (0.0, None, "must not be negative")
SCORE = (1.0, 10.0, "must be a score from 1 to 10")
YEAR = (1800.0, 2100.0, "must be a year between 1800 and 2100")
MONTH = (1.0, 12.0, "must be a month from 1 to 12")

# (Kaggle name, kind, range rule or None, course alias or None), in Kaggle file order.
SCHEMA: list[tuple[str, str, tuple | None, str | None]] = [
    ("MSSubClass", CAT, None, None), ("MSZoning", CAT, None, None),
    ("LotFrontage", NUM, NOT_NEGATIVE, None), ("LotArea", NUM, NOT_NEGATIVE, None),
    ("Street", CAT, None, None), ("Alley", CAT, None, None), ("LotShape", CAT, None, None),
    ("LandContour", CAT, None, None), ("Utilities", CAT, None, None),
    ("LotConfig", CAT, None, None), ("LandSlope", CAT, None, None),
    ("Neighborhood", CAT, None, None), ("Condition1", CAT, None, None),
    ("Condition2", CAT, None, None), ("BldgType", CAT, None, None),
    ("HouseStyle", CAT, None, None), ("OverallQual", NUM, SCORE, None),
    ("OverallCond", NUM, SCORE, None), ("YearBuilt", NUM, YEAR, None),
    ("YearRemodAdd", NUM, YEAR, None), ("RoofStyle", CAT, None, None),
    ("RoofMatl", CAT, None, None), ("Exterior1st", CAT, None, None),
    ("Exterior2nd", CAT, None, None), ("MasVnrType", CAT, None, None),
    ("MasVnrArea", NUM, NOT_NEGATIVE, None), ("ExterQual", CAT, None, None),
    ("ExterCond", CAT, None, None), ("Foundation", CAT, None, None),
    ("BsmtQual", CAT, None, None), ("BsmtCond", CAT, None, None),
    ("BsmtExposure", CAT, None, None), ("BsmtFinType1", CAT, None, None),
    ("BsmtFinSF1", NUM, NOT_NEGATIVE, None), ("BsmtFinType2", CAT, None, None),
    ("BsmtFinSF2", NUM, NOT_NEGATIVE, None), ("BsmtUnfSF", NUM, NOT_NEGATIVE, None),
    ("TotalBsmtSF", NUM, NOT_NEGATIVE, None), ("Heating", CAT, None, None),
    ("HeatingQC", CAT, None, None), ("CentralAir", CAT, None, None),
    ("Electrical", CAT, None, None), ("1stFlrSF", NUM, NOT_NEGATIVE, "FirstFlrSF"),
    ("2ndFlrSF", NUM, NOT_NEGATIVE, "SecondFlrSF"), ("LowQualFinSF", NUM, NOT_NEGATIVE, None),
    ("GrLivArea", NUM, NOT_NEGATIVE, None), ("BsmtFullBath", NUM, NOT_NEGATIVE, None),
    ("BsmtHalfBath", NUM, NOT_NEGATIVE, None), ("FullBath", NUM, NOT_NEGATIVE, None),
    ("HalfBath", NUM, NOT_NEGATIVE, None), ("BedroomAbvGr", NUM, NOT_NEGATIVE, None),
    ("KitchenAbvGr", NUM, NOT_NEGATIVE, None), ("KitchenQual", CAT, None, None),
    ("TotRmsAbvGrd", NUM, NOT_NEGATIVE, None), ("Functional", CAT, None, None),
    ("Fireplaces", NUM, NOT_NEGATIVE, None), ("FireplaceQu", CAT, None, None),
    ("GarageType", CAT, None, None), ("GarageYrBlt", NUM, YEAR, None),
    ("GarageFinish", CAT, None, None), ("GarageCars", NUM, NOT_NEGATIVE, None),
    ("GarageArea", NUM, NOT_NEGATIVE, None), ("GarageQual", CAT, None, None),
    ("GarageCond", CAT, None, None), ("PavedDrive", CAT, None, None),
    ("WoodDeckSF", NUM, NOT_NEGATIVE, None), ("OpenPorchSF", NUM, NOT_NEGATIVE, None),
    ("EnclosedPorch", NUM, NOT_NEGATIVE, None),
    ("3SsnPorch", NUM, NOT_NEGATIVE, "ThreeSsnPortch"),
    ("ScreenPorch", NUM, NOT_NEGATIVE, None), ("PoolArea", NUM, NOT_NEGATIVE, None),
    ("PoolQC", CAT, None, None), ("Fence", CAT, None, None), ("MiscFeature", CAT, None, None),
    ("MiscVal", NUM, NOT_NEGATIVE, None), ("MoSold", NUM, MONTH, None),
    ("YrSold", NUM, YEAR, None), ("SaleType", CAT, None, None),
    ("SaleCondition", CAT, None, None),
]
assert len(SCHEMA) == 79
KIND = {name: kind for name, kind, _, _ in SCHEMA}
RANGE = {name: rule for name, _, rule, _ in SCHEMA if rule}
BY_NAME = {name: name for name, _, _, _ in SCHEMA}
BY_NAME.update({alias: name for name, _, _, alias in SCHEMA if alias})
ID, TARGET = "Id", "SalePrice"
MISSING_TEXT = ("", "NA")


def load_model(path: str | os.PathLike | None = None):
    """Loads the joblib pickle written by train_script.py ($MODEL_PATH by default)."""
    path = Path(path or os.environ.get("MODEL_PATH") or DEFAULT_MODEL)
    model = joblib.load(path)
    model.feature_set = frozenset(model.features)
    model.version = getattr(model, "version", "unknown")
    return model


def range_problem(name: str, value: float) -> str | None:
    rule = RANGE.get(name)
    if rule is None:
        return None
    lo, hi, message = rule
    if value < lo or (hi is not None and value > hi):
        return message
    return None


def predict_valid(model, rows: list[int], ids: list[Any], columns: dict[str, list],
                  errors: list[dict]) -> dict:
    """Predicts the rows that passed validation and builds the response.

    `columns` holds, for each of the model's features, one value per row of `rows`
    (NaN / None for missing). Rows the model rejects are added to `errors`."""
    predictions: list[dict] = []
    if rows:
        frame = pd.DataFrame(
            {f: pd.Series(columns[f], dtype=float if KIND[f] == NUM else object)
             for f in model.features})
        missing = frame[model.uncovered].isna().to_numpy()
        preds = model.predict(frame)
        for k, row in enumerate(rows):
            price = preds[k]
            if math.isnan(price):
                if missing[k].any():
                    for j in np.flatnonzero(missing[k]):
                        errors.append({"row": row, "field": model.uncovered[j],
                                       "message": "is missing and the model cannot impute it"})
                else:
                    errors.append({"row": row, "field": "record", "message":
                                   "features not finite after transformation (unknown label, "
                                   "or log of a value <= 0)"})
                continue
            p = {"row": row}
            if ids[k] is not None:
                p["id"] = ids[k]
            p["price"] = float(price)
            predictions.append(p)
        errors.sort(key=lambda e: e["row"])
    return {"predictions": predictions, "version": model.version, "errors": errors}
