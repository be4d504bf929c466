"""Python reference implementation (parity oracle) of the crate's TOML pipelines.

A config TOML (regression-model/config/*.toml) is turned into a scikit-learn
``Pipeline`` of feature-engine / scikit-learn transformers and a Lasso, the
way the course's ``regression_model`` package built it. ``ReferenceModel``
adds the project's row-rejection rules on top:

(a) a row with a missing value in a feature column that no
    ``impute_categorical`` / ``impute_numeric`` step covers is rejected
    before transforming;
(b) a row whose transformed feature vector holds NaN or +-inf (label not in a
    mapping, label unseen by the ordinal encoder, log of a value <= 0, a
    non-numeric ``as_number`` value) is rejected.
Rejected rows get no prediction (NaN in the returned array).
"""

from __future__ import annotations

import math
import os
import tomllib
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from feature_engine.encoding import OrdinalEncoder, RareLabelEncoder
from feature_engine.imputation import (
    AddMissingIndicator,
    CategoricalImputer,
    MeanMedianImputer,
)
from feature_engine.selection import DropFeatures
from feature_engine.transformation import LogTransformer
from feature_engine.wrappers import SklearnTransformerWrapper
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.linear_model import Lasso
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import Binarizer, MinMaxScaler

REPO_ROOT = Path(__file__).resolve().parents[2]

# Only these texts mean "missing" (pandas 1 rules the course ran under:
# the label "None" of MasVnrType is a real label).
NA_VALUES = ["NA", ""]


# --------------------------------------------------------------------------
# Config and data
# --------------------------------------------------------------------------


def load_config(path: str | os.PathLike) -> dict[str, Any]:
    with open(path, "rb") as fh:
        config = tomllib.load(fh)
    if config.get("target_transform", "log") != "log":
        raise ValueError(f"unsupported target_transform {config['target_transform']!r}")
    return config


def data_dir(arg: str | None = None) -> Path:
    """--data-dir, else $HOUSE_PRICES_DATA, else data/house-prices under the repo root."""
    if arg:
        return Path(arg)
    env = os.environ.get("HOUSE_PRICES_DATA")
    if env:
        return Path(env)
    return REPO_ROOT / "data" / "house-prices"


def read_house_prices(path: str | os.PathLike) -> pd.DataFrame:
    """Read a Kaggle house-prices CSV: only "NA" and empty cells are missing;
    MSSubClass (a categorical code) is kept as a string."""
    return pd.read_csv(
        path,
        keep_default_na=False,
        na_values=NA_VALUES,
        dtype={"MSSubClass": str},
    )


# --------------------------------------------------------------------------
# Small transformers (the course's own classes, re-written)
# --------------------------------------------------------------------------


class AsNumber(BaseEstimator, TransformerMixin):
    """Convert columns to float (non-numeric text becomes NaN)."""

    def __init__(self, variables: list[str]):
        self.variables = variables

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        X = X.copy()
        for var in self.variables:
            X[var] = pd.to_numeric(X[var], errors="coerce").astype(float)
        return X


class ModeImputer(BaseEstimator, TransformerMixin):
    """Fill missing values with the training mode (pandas ``mode()[0]``:
    the smallest value among ties)."""

    def __init__(self, variables: list[str]):
        self.variables = variables

    def fit(self, X, y=None):
        self.imputer_dict_ = {var: X[var].mode()[0] for var in self.variables}
        return self

    def transform(self, X):
        X = X.copy()
        for var in self.variables:
            X[var] = X[var].fillna(self.imputer_dict_[var])
        return X


class ElapsedYears(BaseEstimator, TransformerMixin):
    """The course's TemporalVariableTransformer: X[var] = X[reference] - X[var]."""

    def __init__(self, variables: list[str], reference: str):
        self.variables = variables
        self.reference = reference

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        X = X.copy()
        for var in self.variables:
            X[var] = X[self.reference] - X[var]
        return X


class LabelMapper(BaseEstimator, TransformerMixin):
    """The course's Mapper: X[var] = X[var].map(mapping); unmapped labels -> NaN."""

    def __init__(self, variables: list[str], mapping: dict[str, Any]):
        self.variables = variables
        self.mapping = mapping

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        X = X.copy()
        for var in self.variables:
            X[var] = X[var].map(self.mapping).astype(float)
        return X


class SafeLogTransformer(LogTransformer):
    """feature-engine's LogTransformer (fit unchanged: training values must be > 0),
    except that transform turns values <= 0 (or NaN) into NaN instead of raising,
    so that the row can be rejected on its own."""

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        from feature_engine.dataframe_checks import check_X
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self)
        X = check_X(X)
        values = X[self.variables_].astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            X[self.variables_] = np.log(values.where(values > 0))
        return X


# --------------------------------------------------------------------------
# Config -> Pipeline
# --------------------------------------------------------------------------


def _step_transformer(step: dict[str, Any]):
    kind = step["step"]
    variables = step.get("variables")
    if kind == "as_number":
        return AsNumber(variables=list(variables))
    if kind == "impute_categorical":
        method = step["method"]
        if method == "constant":
            return CategoricalImputer(
                imputation_method="missing",
                fill_value=step["fill"],
                variables=list(variables),
            )
        if method == "most_frequent":
            return CategoricalImputer(imputation_method="frequent", variables=list(variables))
        raise ValueError(f"impute_categorical: unknown method {method!r}")
    if kind == "impute_numeric":
        method = step["method"]
        if method in ("mean", "median"):
            return MeanMedianImputer(imputation_method=method, variables=list(variables))
        if method == "mode":
            return ModeImputer(variables=list(variables))
        raise ValueError(f"impute_numeric: unknown method {method!r}")
    if kind == "missing_indicator":
        # missing_only=False: the `<var>_na` column is always appended, whether or
        # not the training rows have a missing value (the crate's semantics).
        return AddMissingIndicator(variables=list(variables), missing_only=False)
    if kind == "elapsed_years":
        return ElapsedYears(variables=list(variables), reference=step["reference"])
    if kind == "drop":
        return DropFeatures(features_to_drop=list(variables))
    if kind == "log":
        return SafeLogTransformer(variables=list(variables))
    if kind == "binarize":
        return SklearnTransformerWrapper(
            transformer=Binarizer(threshold=float(step["threshold"])),
            variables=list(variables),
        )
    if kind == "map_labels":
        return LabelMapper(variables=list(variables), mapping=dict(step["mapping"]))
    if kind == "rare_labels":
        return RareLabelEncoder(
            tol=float(step["tolerance"]),
            n_categories=int(step["min_categories"]),
            replace_with="Rare",
            variables=list(variables),
        )
    if kind == "ordinal_by_target":
        return OrdinalEncoder(
            encoding_method="ordered", variables=list(variables), unseen="ignore"
        )
    if kind == "min_max_scale":
        if variables:
            return SklearnTransformerWrapper(transformer=MinMaxScaler(), variables=list(variables))
        return MinMaxScaler()
    raise ValueError(f"unknown step kind {kind!r}")


def _estimator(spec: dict[str, Any]):
    if spec["model"] != "lasso":
        raise ValueError(f"unsupported estimator {spec['model']!r}")
    return Lasso(
        alpha=float(spec["alpha"]),
        max_iter=int(spec.get("max_iter", 1000)),
        tol=float(spec.get("tol", 1e-4)),
        random_state=0,
    )


def build_pipeline(config: dict[str, Any]) -> Pipeline:
    steps = []
    for i, step in enumerate(config["steps"]):
        steps.append((f"{i:02d}_{step['step']}", _step_transformer(step)))
    steps.append(("estimator", _estimator(config["estimator"])))
    return Pipeline(steps)


def imputed_columns(config: dict[str, Any]) -> set[str]:
    covered: set[str] = set()
    for step in config["steps"]:
        if step["step"] in ("impute_categorical", "impute_numeric"):
            covered.update(step["variables"])
    return covered


# --------------------------------------------------------------------------
# Model with the row-rejection rules
# --------------------------------------------------------------------------


class ReferenceModel:
    def __init__(self, config: dict[str, Any]):
        self.config = config
        self.features: list[str] = list(config["features"])
        self.target: str = config["target"]
        self.uncovered = [f for f in self.features if f not in imputed_columns(config)]
        self.pipeline = build_pipeline(config)

    def _uncovered_missing(self, df: pd.DataFrame) -> np.ndarray:
        """Boolean per row: rule (a)."""
        return df[self.uncovered].isna().any(axis=1).to_numpy()

    def fit(self, df: pd.DataFrame) -> "ReferenceModel":
        X = df[self.features].reset_index(drop=True)
        bad = self._uncovered_missing(X)
        if bad.any():
            cols = X.loc[bad, self.uncovered].isna().any()
            raise ValueError(
                f"{bad.sum()} training rows miss values in uncovered columns "
                f"{list(cols[cols].index)}"
            )
        y = np.log(df[self.target].astype(float)).reset_index(drop=True)
        # Same as Pipeline.fit (fit_transform step by step, then the estimator),
        # done by hand to record ties that the Rust side must break the same way.
        self.ties_: list[str] = []
        Xt = X
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for name, step in self.pipeline.steps[:-1]:
                self._record_ties(name, step, Xt, y)
                Xt = step.fit(Xt, y).transform(Xt)
            self.pipeline.steps[-1][1].fit(np.asarray(Xt, dtype=float), y.to_numpy())
        return self

    def _record_ties(self, name, step, X, y) -> None:
        if isinstance(step, OrdinalEncoder):
            for var in step.variables:
                means = y.groupby(X[var]).mean()
                tied = means[means.duplicated(keep=False)]
                if len(tied):
                    self.ties_.append(f"{name}: {var} target means tie: {tied.to_dict()}")
        elif isinstance(step, ModeImputer) or (
            isinstance(step, CategoricalImputer) and step.imputation_method == "frequent"
        ):
            for var in step.variables:
                modes = X[var].mode()
                if len(modes) > 1:
                    self.ties_.append(f"{name}: {var} has several modes {list(modes)}")

    def transform(self, df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """Returns (accepted mask over df's rows, feature matrix of the accepted rows)."""
        X = df[self.features].reset_index(drop=True)
        accepted = ~self._uncovered_missing(X)
        n_feat = None
        Xt = np.empty((0, 0))
        if accepted.any():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                Xt = self.pipeline[:-1].transform(X.loc[accepted])
            Xt = np.asarray(Xt, dtype=float)
            finite = np.isfinite(Xt).all(axis=1)
            idx = np.flatnonzero(accepted)
            accepted[idx[~finite]] = False
            Xt = Xt[finite]
        return accepted, Xt

    def predict(self, df: pd.DataFrame) -> np.ndarray:
        """Predictions in dollars, NaN for rejected rows."""
        accepted, Xt = self.transform(df)
        out = np.full(len(df), np.nan)
        if accepted.any():
            out[accepted] = np.exp(self.pipeline[-1].predict(Xt))
        return out

    def feature_names_out(self) -> list[str]:
        """Column order of the matrix handed to the estimator."""
        last = self.pipeline[-2]
        if isinstance(last, MinMaxScaler):
            return list(last.feature_names_in_)
        return list(self.pipeline[:-1].get_feature_names_out())


# --------------------------------------------------------------------------
# Splits and metrics
# --------------------------------------------------------------------------

MASK64 = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed: int):
        self.state = seed & MASK64

    def next(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)


def project_split(n: int, holdout: float, seed: int) -> tuple[list[int], list[int]]:
    """The project's hold-out split: (train indices, hold-out indices), both sorted."""
    n_holdout = 0 if holdout == 0 else math.ceil(holdout * n)
    idx = shuffled_indices(n, seed)
    return sorted(idx[n_holdout:]), sorted(idx[:n_holdout])


def shuffled_indices(n: int, seed: int) -> list[int]:
    """Fisher-Yates from the top, j = next() % (i + 1)."""
    rng = SplitMix64(seed)
    idx = list(range(n))
    for i in range(n - 1, 0, -1):
        j = rng.next() % (i + 1)
        idx[i], idx[j] = idx[j], idx[i]
    return idx


def regression_metrics(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """RMSE and R^2 in dollars, RMSLE; over the predicted rows only."""
    ok = ~np.isnan(y_pred)
    t = np.asarray(y_true, dtype=float)[ok]
    p = np.asarray(y_pred, dtype=float)[ok]
    rmse = math.sqrt(float(np.mean((p - t) ** 2)))
    ss_res = float(np.sum((t - p) ** 2))
    ss_tot = float(np.sum((t - t.mean()) ** 2))
    r2 = 1.0 - ss_res / ss_tot
    rmsle = math.sqrt(float(np.mean((np.log(p) - np.log(t)) ** 2)))
    return {"rmse": rmse, "r2": r2, "rmsle": rmsle}
