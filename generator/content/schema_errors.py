"""Turn pydantic's validation errors into messages a researcher can act on.

Each message names the field, says what was expected and what was found,
and suggests a close match for typos. The line comes from the front-matter
key the error is about.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import did_you_mean

# What the constrained string types look like, for pattern errors.
_PATTERN_HINTS = {
    r"^[a-z0-9][a-z0-9-]*$": "an id of lower-case letters, digits and hyphens (e.g. 'east-hub')",
    r"^[A-Z][A-Za-z0-9]*$": "a code id starting with a capital letter (e.g. 'P1', 'LAC')",
    r"^[a-z0-9][a-z0-9-]*#[a-z0-9][a-z0-9-]*$": "an extract reference 'source-id#extract-id'",
    r"^[A-Z][0-9A-Z]{8}$": "a 9-character area code (e.g. 'E02001234' or 'S02000123')",
}

_TYPE_WORDS = {
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "date": "a date as YYYY-MM-DD",
    "list": "a list (one '- item' per line, or [a, b])",
    "dict": "a set of 'key: value' lines",
    "model": "a set of 'key: value' lines",
    "string": "text",
}


def field_label(loc: tuple[Any, ...]) -> str:
    """Return 'small_areas[1].population' for a pydantic location."""
    label = ""
    for part in loc:
        if isinstance(part, int):
            label += f"[{part}]"
        else:
            label += ("." if label else "") + str(part)
    return label


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _type_word(error_type: str) -> str | None:
    for prefix, word in _TYPE_WORDS.items():
        if error_type.startswith(prefix):
            return word
    return None


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """Return the model class that owns the last key of ``loc``, for field suggestions."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return None
        annotation = field.annotation
        args = getattr(annotation, "__args__", None) or ()
        candidates = [annotation, *args]
        current = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None)
        if current is None:
            return None
    return current if isinstance(current, type) else None


def describe_validation_error(model: type[BaseModel], error: dict[str, Any]) -> tuple[tuple[Any, ...], str]:
    """Return (location, message) for one pydantic error dict."""
    loc = tuple(error["loc"])
    kind = error["type"]
    ctx = error.get("ctx") or {}
    got = error.get("input")
    name = field_label(loc)

    if kind == "missing":
        owner = _model_at(model, loc)
        doc = ""
        if owner is not None:
            info = owner.model_fields.get(str(loc[-1]))
            if info is not None and info.description:
                doc = f" ({info.description.split('. ')[0].rstrip('.')})"
        return loc, f"missing required field '{name}'{doc}"
    if kind == "extra_forbidden":
        owner = _model_at(model, loc)
        allowed = sorted(owner.model_fields) if owner is not None else []
        hint = did_you_mean(str(loc[-1]), allowed)
        listing = f"; allowed here: {', '.join(allowed)}" if allowed and not hint else ""
        return loc, f"unknown field '{name}'{hint}{listing}"
    if kind in ("enum", "literal_error"):
        expected = ctx.get("expected", "")
        choices = [part.strip(" '") for part in expected.replace(" or ", ",").split(",")]
        return loc, f"{name}: expected {expected}, got {_shown(got)}{did_you_mean(str(got), choices)}"
    if kind == "string_pattern_mismatch":
        hint = _PATTERN_HINTS.get(ctx.get("pattern", ""), f"text matching {ctx.get('pattern')}")
        return loc, f"{name}: expected {hint}, got {_shown(got)}"
    if kind == "string_too_short":
        return loc, f"{name}: must not be empty"
    if kind == "string_too_long":
        return loc, f"{name}: expected at most {ctx.get('max_length')} characters, got {len(str(got))}"
    if kind == "too_short":
        return loc, f"{name}: expected at least {ctx.get('min_length')} item(s), got {ctx.get('actual_length', 0)}"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        sign = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤", "less_than": "<"}[kind]
        bound = next(iter(ctx.values()), "")
        return loc, f"{name}: expected a number {sign} {bound}, got {_shown(got)}"
    if kind == "value_error":
        reason = str(ctx.get("error", error.get("msg", "")))
        return loc, f"{name + ': ' if name else ''}{reason}"
    word = _type_word(kind)
    if word is not None:
        return loc, f"{name}: expected {word}, got {_shown(got)}"
    return loc, f"{name}: {error.get('msg', kind)} (got {_shown(got)})"


def describe(model: type[BaseModel], exc: ValidationError) -> list[tuple[tuple[Any, ...], str]]:
    """Return every error of a ValidationError as (location, message)."""
    return [describe_validation_error(model, e) for e in exc.errors(include_url=False)]
