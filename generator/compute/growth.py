"""Growth models of spending over time: each unit (an LA) has its own curve.

A latent growth model gives every unit its own intercept and slope over time,
and lets both vary with a predictor such as deprivation. Fitted as a linear
mixed model with random intercepts and slopes it gives the same fixed effects
under the usual assumptions (Singer & Willett 2003, *Applied Longitudinal Data
Analysis*, ch. 3-5; Bollen & Curran 2006, ch. 2):

    value_ti = b0 + b1 t + b2 t^2 + b3 x_i + b4 x_i t
               + u0_i + u1_i t + e_ti,
    (u0_i, u1_i) ~ N(0, G),  e_ti ~ N(0, sigma^2),

with t the time since the first period (so b0 is "spending in the first
year"), x_i the predictor centred at its mean (so b0 and b1 describe a unit of
average deprivation), b3 the predictor's effect on the intercept and b4 its
effect on the slope. The curvature b2 is fixed: every unit shares it.

This is lme4's ``lmer(value ~ t + I(t^2) + x + x:t + (1 + t | unit))``
(Bates et al. 2015, *J. Stat. Softw.* 67(1)), fitted as lme4 fits it: by
minimising the profiled (REML, by default) deviance over the relative
covariance factor, from several starts with several optimisers, the optimum
verified before it is called converged (:mod:`generator.compute.lmm`).
Standard errors are lme4's, sqrt(diag(sigma^2 (X'V^-1X)^-1)); a fit with a
variance at zero or a correlation at +/-1 is a "boundary (singular) fit", as
lme4's ``isSingular`` says. Fixed-effect p-values and intervals are Wald
(normal) ones; lme4 itself reports none. docs/growth-models.md says what is
reported and how it was checked against lme4.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import did_you_mean
from ..render.i18n import N_

if TYPE_CHECKING:  # pandas is imported where it is used, for a fast CLI start
    import pandas as pd

__all__ = [
    "GrowthError", "FixedEffect", "RandomEffects", "GrowthModel", "fit_growth", "MIN_UNITS", "SINGULAR_NOTE",
    "UNVERIFIED_NOTE",
]

#: Fewer units than this cannot support a random intercept and slope.
MIN_UNITS = 3

#: What a reader is told about a singular fit (lme4's own message is "boundary (singular) fit: see help('isSingular')").
SINGULAR_NOTE = N_(
    "boundary (singular) fit, as lme4's isSingular reports it: the units' own intercepts and slopes cannot all be "
    "told apart from noise (a variance at zero, or an intercept-slope correlation at +1 or -1), so the random "
    "effects describe fewer dimensions of variation than the model allows; read them with care"
)

#: What a reader is told when the optimum could not be verified.
UNVERIFIED_NOTE = N_(
    "the fit did not converge: no optimiser reached a point where the likelihood is verified to be at its maximum; "
    "the estimates are the best found and may be wrong"
)


class GrowthError(ValueError):
    """The data cannot support the growth model (missing columns, too few units)."""


@dataclass(frozen=True)
class FixedEffect:
    """One fixed effect: an average over units, with its Wald standard error."""

    name: str
    """What it is: intercept, slope, curvature, '<predictor>' or '<predictor> x time'."""
    estimate: float
    """The estimate, in the value's units (per period for slope terms)."""
    se: float
    """The standard error."""
    ci_low: float
    """Lower end of the 95% Wald interval (estimate - 1.96 se)."""
    ci_high: float
    """Upper end of the 95% Wald interval."""
    p: float
    """Two-sided Wald z-test p-value."""


@dataclass(frozen=True)
class RandomEffects:
    """How much units' own intercepts and slopes vary around the average curve."""

    intercept_variance: float
    """Variance of units' intercepts (first-period values) around the fixed intercept."""
    slope_variance: float
    """Variance of units' slopes around the fixed slope."""
    covariance: float
    """Covariance of intercept and slope (positive: units that start high grow faster)."""

    @property
    def intercept_sd(self) -> float:
        return math.sqrt(max(self.intercept_variance, 0.0))

    @property
    def slope_sd(self) -> float:
        return math.sqrt(max(self.slope_variance, 0.0))

    @property
    def correlation(self) -> float:
        """The intercept-slope correlation (NaN when either variance is zero)."""
        denominator = self.intercept_sd * self.slope_sd
        return self.covariance / denominator if denominator > 0 else math.nan


@dataclass(frozen=True)
class GrowthModel:
    """A fitted growth model: average curve, how units vary, and the fit itself."""

    unit: str
    """The column naming units (LAs)."""
    time: str
    """The time column; the model uses time minus :attr:`time_origin`."""
    value: str
    """The outcome column (spending)."""
    predictor: str | None
    """The predictor column (deprivation), or None."""
    fixed_effects: tuple[FixedEffect, ...]
    """Intercept, slope, curvature (if quadratic), then the predictor's two effects."""
    random_effects: RandomEffects
    """Variances and covariance of units' own intercepts and slopes."""
    residual_variance: float
    """Variance of observations around their unit's curve (sigma^2)."""
    log_likelihood: float
    """The maximised (restricted, for REML) log-likelihood, as R's ``logLik``."""
    method: str
    """'REML' or 'ML'."""
    n_units: int
    """Units with at least one complete observation."""
    n_obs: int
    """Observations used."""
    n_dropped: int
    """Rows dropped for a missing or non-numeric value in a model column."""
    converged: bool
    """Whether the maximum was verified: the likelihood's gradient is ~0 in every free direction and
    points out of bounds in any held at its bound (a variance at zero), the curvature a maximum's."""
    time_origin: float
    """The time subtracted before fitting (the first period unless given)."""
    predictor_centre: float | None
    """The mean subtracted from the predictor before fitting."""
    quadratic: bool
    """Whether the fixed curvature (time^2) term is in the model."""
    notes: tuple[str, ...] = ()
    """Warnings from the fit (a boundary fit, no verified optimum), for the reader."""
    singular: bool = False
    """lme4's ``isSingular``: a diagonal element of the relative covariance factor below 1e-4."""
    optimiser: str = ""
    """Which optimiser and start reached the optimum that was kept."""
    _curves: Any = field(default=None, repr=False, compare=False)

    def fixed_effect(self, name: str) -> FixedEffect:
        """Return the fixed effect called ``name``."""
        for effect in self.fixed_effects:
            if effect.name == name:
                return effect
        known = [effect.name for effect in self.fixed_effects]
        raise KeyError(f"no fixed effect '{name}'{did_you_mean(name, known)}; known: {', '.join(known)}")

    def fitted_curves(self) -> pd.DataFrame:
        """Return each unit's fitted curve: columns unit, time, fitted.

        The fitted values include the unit's own random intercept and slope
        (the best linear unbiased predictions), at the times the unit was
        observed, sorted by unit and time.
        """
        return self._curves.copy()


def _numeric_columns(frame: pd.DataFrame, columns: dict[str, str]) -> tuple[pd.DataFrame, int]:
    """Return the model columns as numbers with incomplete rows dropped, and how many were dropped."""
    import numpy as np
    import pandas as pd

    missing = [column for column in columns.values() if column not in frame.columns]
    if missing:
        known = [str(c) for c in frame.columns]
        column = missing[0]
        raise GrowthError(f"no column '{column}'{did_you_mean(column, known)}; columns: {', '.join(known)}")
    data = pd.DataFrame({role: frame[column] for role, column in columns.items()})
    for role, column in columns.items():
        if role == "unit":
            continue
        numbers = pd.to_numeric(data[role], errors="coerce")
        present = data[role].notna()
        if present.any() and numbers[present].isna().all():
            example = data[role][present].iloc[0]
            raise GrowthError(f"column '{column}' ({role}): expected numbers, got {example!r}")
        data[role] = numbers.where(np.isfinite(numbers))  # inf is as unusable as a blank
    complete = data.dropna()
    return complete, len(data) - len(complete)


def fit_growth(
    frame: pd.DataFrame,
    unit: str,
    time: str,
    value: str,
    predictor: str | None = None,
    *,
    quadratic: bool = True,
    reml: bool = True,
    origin: float | None = None,
) -> GrowthModel:
    """Fit a growth model with random intercepts and slopes for each unit.

    Args:
        frame: one row per unit and period (long format).
        unit: column naming the units (local authorities).
        time: column of times (years); need not be equally spaced.
        value: column of the outcome (spending).
        predictor: optional unit-level column (deprivation) that shifts both the
            intercept and the slope; centred at its mean over the rows used.
        quadratic: include a fixed curvature (time^2) term.
        reml: fit by restricted maximum likelihood (lme4's default); False for ML,
            which likelihood-ratio tests of fixed effects need.
        origin: the time subtracted before fitting, so the intercept is the
            expected value at that time; defaults to the first period.

    Returns:
        The fitted :class:`GrowthModel`.

    Raises:
        GrowthError: a column is missing or not numeric, fewer than
            :data:`MIN_UNITS` units, too few distinct times for the curve, too
            few rows for a random intercept and slope per unit, terms that
            cannot be told apart, or no finite fit.
    """
    import numpy as np
    import pandas as pd

    columns = {"unit": unit, "time": time, "value": value}
    if predictor is not None:
        columns["predictor"] = predictor
    data, n_dropped = _numeric_columns(frame, columns)
    data = data.sort_values(["unit", "time"], kind="mergesort").reset_index(drop=True)

    n_units = int(data["unit"].nunique())
    if n_units < MIN_UNITS:
        raise GrowthError(
            f"need at least {MIN_UNITS} units with complete data to estimate how units vary; "
            f"found {n_units} in '{unit}'"
            + (f" after dropping {n_dropped} incomplete row{'s' if n_dropped != 1 else ''}" if n_dropped else "")
        )
    times = np.sort(data["time"].unique())
    needed = 3 if quadratic else 2
    if len(times) < needed:
        hint = "; fit a straight line instead (quadratic=False, --linear)" if quadratic and len(times) == 2 else ""
        raise GrowthError(
            f"a {'curved' if quadratic else 'straight-line'} growth model needs at least {needed} distinct "
            f"times in '{time}'; found {len(times)}{hint}"
        )

    time_origin = float(times[0]) if origin is None else float(origin)
    t = data["time"].to_numpy(dtype=float) - time_origin
    design = {"intercept": np.ones(len(data)), "slope": t}
    if quadratic:
        design["curvature"] = t**2
    predictor_centre = None
    if predictor is not None:
        if data["predictor"].nunique() < 2:
            raise GrowthError(f"predictor '{predictor}' has the same value for every row; it cannot explain anything")
        predictor_centre = float(data["predictor"].mean())
        x = data["predictor"].to_numpy(dtype=float) - predictor_centre
        name = predictor if predictor not in design else f"{predictor} (predictor)"
        design[name] = x
        design[f"{name} x time"] = x * t
    from .lmm import fit_lmm

    names = list(design)
    X = np.column_stack([design[name] for name in names])
    Z = np.column_stack([np.ones(len(data)), t])
    # lme4 refuses these too (check.nobs.vs.nRE, a rank-deficient X): the variances
    # cannot be told apart from the residual, or the fixed effects are not identified.
    if len(data) <= Z.shape[1] * n_units:
        raise GrowthError(
            f"{len(data)} rows with complete data for {n_units} units: a random intercept and slope for each "
            f"unit needs more than {Z.shape[1] * n_units} rows (more times per unit)"
        )
    if np.linalg.matrix_rank(X) < X.shape[1]:
        raise GrowthError(
            "the terms of the model cannot be told apart in these rows (for example the predictor moves "
            "with time); add units or times, or drop the predictor"
        )
    try:
        fit = fit_lmm(data["value"].to_numpy(dtype=float), X, Z, data["unit"].to_numpy(), reml=reml)
    except ValueError as error:  # no start gave a finite deviance
        raise GrowthError(f"the model could not be fitted to these rows: {error}") from None

    fixed = _fixed_effects(fit.beta, np.sqrt(np.diag(fit.vcov)), names)
    notes = []
    if fit.singular:
        notes.append(SINGULAR_NOTE)
    if not fit.converged:
        notes.append(UNVERIFIED_NOTE)
    random_effects = RandomEffects(
        intercept_variance=float(fit.cov_re[0, 0]),
        slope_variance=float(fit.cov_re[1, 1]),
        covariance=float(fit.cov_re[0, 1]),
    )
    curves = pd.DataFrame({"unit": data["unit"].to_numpy(), "time": data["time"].to_numpy(), "fitted": fit.fitted})

    return GrowthModel(
        unit=unit,
        time=time,
        value=value,
        predictor=predictor,
        fixed_effects=fixed,
        random_effects=random_effects,
        residual_variance=fit.sigma2,
        log_likelihood=fit.log_likelihood,
        method="REML" if reml else "ML",
        n_units=n_units,
        n_obs=len(data),
        n_dropped=n_dropped,
        converged=fit.converged,
        time_origin=time_origin,
        predictor_centre=predictor_centre,
        quadratic=quadratic,
        notes=tuple(notes),
        singular=fit.singular,
        optimiser=fit.optimiser,
        _curves=curves,
    )


def _fixed_effects(estimates: Any, ses: Any, names: list[str]) -> tuple[FixedEffect, ...]:
    """Return the fixed effects with Wald 95% intervals and p-values."""
    from scipy import special  # the normal distribution without importing scipy.stats

    z = float(special.ndtri(0.975))
    effects = []
    for name, estimate, se in zip(names, (float(e) for e in estimates), (float(e) for e in ses)):
        p = float(2 * special.ndtr(-abs(estimate / se))) if se > 0 else math.nan
        effects.append(FixedEffect(name, estimate, se, estimate - z * se, estimate + z * se, p))
    return tuple(effects)
