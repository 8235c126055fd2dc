"""Growth fits kept between builds, by a hash of their data: the same data and code give the same fit.

A fit is the slowest computation of a build (a likelihood maximised over
thousands of steps), and its data rarely changes when an author edits text.
Each fit is stored as JSON under ``.cache/fits/`` beside the content: floats
are written exactly (``repr`` round-trips), and JSON is read as data, never
run, whatever a copied folder holds. The key covers the tool's code and the
versions of the libraries it computes with, so an upgrade fits again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import fields
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from .growth import FixedEffect, GrowthModel, RandomEffects


def _key(frame: pd.DataFrame, options: dict[str, Any]) -> str:
    from ..fingerprint import tool_digest

    digest = hashlib.sha256(tool_digest().encode())
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    digest.update(json.dumps([str(t) for t in frame.dtypes]).encode())
    digest.update(frame.to_csv(index=False).encode("utf-8"))
    return digest.hexdigest()


def to_json(model: GrowthModel) -> str:
    data = {f.name: getattr(model, f.name) for f in fields(model) if f.name != "_curves"}
    data["fixed_effects"] = [{f.name: getattr(e, f.name) for f in fields(e)} for e in model.fixed_effects]
    data["random_effects"] = {f.name: getattr(model.random_effects, f.name) for f in fields(model.random_effects)}
    curves = model.fitted_curves()
    data["_curves"] = {"columns": list(curves.columns), "dtypes": [str(t) for t in curves.dtypes],
                       "data": curves.to_dict(orient="list")}
    return json.dumps(data)


def from_json(text: str) -> GrowthModel:
    data = json.loads(text)
    curves = data.pop("_curves")
    frame = pd.DataFrame({column: pd.Series(curves["data"][column], dtype=dtype)
                          for column, dtype in zip(curves["columns"], curves["dtypes"])})
    data["fixed_effects"] = tuple(FixedEffect(**effect) for effect in data["fixed_effects"])
    data["random_effects"] = RandomEffects(**data["random_effects"])
    data["notes"] = tuple(data["notes"])
    return GrowthModel(**data, _curves=frame)


def cached_fit(fit: Callable[..., GrowthModel], frame: pd.DataFrame, folder: Path | None,
               **options: Any) -> GrowthModel:
    """``fit(frame, **options)``, read from ``folder`` when the same data was fitted before."""
    if folder is None:
        return fit(frame, **options)
    path = folder / f"{_key(frame, options)}.json"
    try:
        return from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        pass  # not fitted yet, or a record this version cannot read: fit again
    model = fit(frame, **options)
    from ..output import write_file_atomically

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_file_atomically(path, to_json(model).encode("utf-8"))
    except OSError:
        pass  # a folder the build may not write to: the fit is still right, only not kept
    return model
