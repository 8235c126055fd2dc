"""A linear mixed model with one grouping factor, fitted as lme4 fits it.

lme4 (Bates, Maechler, Bolker & Walker 2015, *J. Stat. Softw.* 67(1),
section 3) writes the model as

    y = X beta + Z b + e,   b = Lambda_theta u,   u ~ N(0, sigma^2 I),
    e ~ N(0, sigma^2 I),

with Lambda_theta block diagonal: one lower-triangular q x q factor T per
group, its elements theta stacked column by column, the diagonal bounded
below by 0. For given theta, beta and sigma^2 have closed forms, so the fit
is a bounded minimisation of the *profiled deviance* over theta alone:

    ML:   d(theta)   = log|L|^2 + n (1 + log(2 pi r^2 / n))
    REML: d_R(theta) = log|L|^2 + log|R_X|^2 + (n-p)(1 + log(2 pi r^2 / (n-p)))

where |L|^2 = prod_i det(T' Z_i'Z_i T + I), R_X'R_X = X'V^-1X with
V = I + Z Lambda Lambda' Z' (relative to sigma^2), and r^2 is the penalised
residual sum of squares, y'V^-1y - beta' X'V^-1y. Every group's block is
only q x q, so the deviance costs O(groups q^3) with no sparse algebra.

At the optimum, as lme4's ``vcov``: Var(beta) = sigma^2 (X'V^-1X)^-1, with
sigma^2 = r^2/n (ML) or r^2/(n-p) (REML); the random effects' covariance is
sigma^2 T T'. The fit is *singular* (lme4's ``isSingular``) when a diagonal
element of T is below 1e-4.

The deviance is minimised from several starts by several optimisers (lme4's
own default is BOBYQA, a bounded derivative-free method); the lowest is kept
and polished, and called converged only when the bounded first-order
conditions hold there: the gradient is ~0 in every free direction and does
not point out of the feasible set in a direction held at its bound.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["LmmFit", "fit_lmm", "profiled_deviance", "SINGULAR_TOLERANCE", "GRADIENT_TOLERANCE"]

#: lme4's ``isSingular`` tolerance on the relative factor's diagonal (``lmerControl``'s check.conv.singular).
SINGULAR_TOLERANCE = 1e-4

#: Largest deviance gradient, per unit of theta, in a free direction at a verified optimum.
#: lme4 warns above 0.002 (check.conv.grad); the polished optimum is usually below 1e-5.
GRADIENT_TOLERANCE = 1e-3

_OPTIONS: dict[str, dict[str, float]] = {
    "L-BFGS-B": {"ftol": 1e-15, "gtol": 1e-10, "maxiter": 20000},
    "Nelder-Mead": {"xatol": 1e-8, "fatol": 1e-9, "maxiter": 5000},
    "Powell": {"xtol": 1e-10, "ftol": 1e-14, "maxiter": 5000},
}

#: theta below this is taken to be on its bound when the optimum is checked.
_AT_BOUND = 1e-7


@dataclass(frozen=True)
class LmmFit:
    """The fitted model at the minimum of the profiled deviance."""

    beta: np.ndarray
    """Fixed effects."""
    vcov: np.ndarray
    """Their covariance, sigma^2 (X'V^-1X)^-1, as lme4's ``vcov``."""
    theta: np.ndarray
    """The relative covariance factor's elements, lme4's ``getME(fit, "theta")``."""
    sigma2: float
    """Residual variance."""
    cov_re: np.ndarray
    """Covariance of a group's random effects, sigma^2 T T'."""
    log_likelihood: float
    """Minus half the (REML) deviance, as R's ``logLik``."""
    reml: bool
    converged: bool
    """Whether the optimum was verified (bounded first-order conditions, and a positive-definite Hessian when interior)."""
    singular: bool
    """lme4's ``isSingular``: a diagonal element of T below :data:`SINGULAR_TOLERANCE`."""
    gradient: np.ndarray
    """The deviance gradient in theta at the optimum (one-sided at a bound)."""
    optimiser: str
    """Which start and optimiser reached the kept optimum."""
    attempts: tuple[tuple[str, float], ...]
    """Every (optimiser and start, deviance reached), for the record."""
    groups: np.ndarray
    """The group labels, sorted; the rows of :attr:`random_effects`."""
    random_effects: np.ndarray
    """Each group's conditional modes b_i (lme4's ``ranef``), groups x q."""
    fitted: np.ndarray
    """X beta + Z b for every row."""


class _Problem:
    """The data reduced to per-group cross-products, so the deviance is cheap to evaluate."""

    def __init__(self, y: np.ndarray, X: np.ndarray, Z: np.ndarray, groups: np.ndarray, reml: bool) -> None:
        self.n, self.p = X.shape
        self.q = Z.shape[1]
        self.reml = reml
        self.X, self.Z = X, Z
        # Work with the OLS residual: the fit is the same with beta shifted by b_ols,
        # and r^2 = y'V^-1y - ... then cancels far fewer digits.
        self.beta_ols = np.linalg.lstsq(X, y, rcond=None)[0]
        self.y = y - X @ self.beta_ols
        self.labels, self.index = np.unique(groups, return_inverse=True)
        self.m = int(self.index.max()) + 1
        self.ZtZ = np.zeros((self.m, self.q, self.q))
        self.ZtX = np.zeros((self.m, self.q, self.p))
        self.Zty = np.zeros((self.m, self.q))
        np.add.at(self.ZtZ, self.index, Z[:, :, None] * Z[:, None, :])
        np.add.at(self.ZtX, self.index, Z[:, :, None] * X[:, None, :])
        np.add.at(self.Zty, self.index, Z * self.y[:, None])
        self.XtX, self.Xty, self.yty = X.T @ X, X.T @ self.y, float(self.y @ self.y)
        rows, cols = np.tril_indices(self.q)
        order_cols = np.lexsort((rows, cols))  # lme4 stacks theta column by column
        self.tri = (rows[order_cols], cols[order_cols])
        self.diagonal = np.array([r == c for r, c in zip(*self.tri)])

    def factor(self, theta: np.ndarray) -> np.ndarray:
        T = np.zeros((self.q, self.q))
        T[self.tri] = theta
        return T

    def solve(self, theta: np.ndarray) -> dict[str, Any]:
        """Return the quantities the deviance and the estimates need at ``theta``."""
        T = self.factor(theta)
        TtZtZ = np.einsum("ji,gjk->gik", T, self.ZtZ)
        A = TtZtZ @ T + np.eye(self.q)  # T' Z_i'Z_i T + I, one q x q block per group
        TtZtX = np.einsum("ji,gjk->gik", T, self.ZtX)
        TtZty = self.Zty @ T
        A_inv = _inverse(A)
        if A_inv is None:
            raise np.linalg.LinAlgError("a group's block is not positive definite")
        A_inv, det = A_inv
        log_det_L = float(np.sum(np.log(det)))
        A_inv_X = A_inv @ TtZtX
        A_inv_y = np.einsum("gij,gj->gi", A_inv, TtZty)
        XVX = self.XtX - np.einsum("gik,gil->kl", TtZtX, A_inv_X)
        XVy = self.Xty - np.einsum("gik,gi->k", TtZtX, A_inv_y)
        yVy = self.yty - float(np.sum(TtZty * A_inv_y))
        beta = np.linalg.solve(XVX, XVy)
        r2 = max(yVy - float(beta @ XVy), 1e-300)
        return {"T": T, "A": A, "A_inv": A_inv, "log_det_L": log_det_L, "XVX": XVX, "beta": beta, "r2": r2}

    def deviance(self, theta: np.ndarray) -> float:
        try:
            s = self.solve(np.asarray(theta, dtype=float))
        except np.linalg.LinAlgError:
            return math.inf
        if self.reml:
            sign, log_det_RX = np.linalg.slogdet(s["XVX"])
            if sign <= 0:
                return math.inf
            dof = self.n - self.p
            return s["log_det_L"] + log_det_RX + dof * (1.0 + math.log(2.0 * math.pi * s["r2"] / dof))
        return s["log_det_L"] + self.n * (1.0 + math.log(2.0 * math.pi * s["r2"] / self.n))


def _inverse(A: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Return the inverses and determinants of a stack of small positive-definite blocks (closed form for q <= 2)."""
    q = A.shape[1]
    if q == 1:
        det = A[:, 0, 0]
        inverse = (1.0 / det)[:, None, None]
    elif q == 2:
        a, b, c = A[:, 0, 0], A[:, 0, 1], A[:, 1, 1]
        det = a * c - b * b
        inverse = np.stack([np.stack([c, -b], -1), np.stack([-b, a], -1)], -2) / det[:, None, None]
    else:
        sign, log_det = np.linalg.slogdet(A)
        if np.any(sign <= 0):
            return None
        return np.linalg.inv(A), np.exp(log_det)
    if not np.all(det > 0):
        return None
    return inverse, det


def profiled_deviance(y: Any, X: Any, Z: Any, groups: Any, theta: Any, *, reml: bool = True) -> float:
    """Return lme4's profiled (REML) deviance at ``theta``: ``-2 logLik`` with beta and sigma^2 at their optimum."""
    problem = _Problem(np.asarray(y, float), np.asarray(X, float), np.asarray(Z, float), np.asarray(groups), reml)
    return problem.deviance(np.asarray(theta, float))


def fit_lmm(y: Any, X: Any, Z: Any, groups: Any, *, reml: bool = True) -> LmmFit:
    """Fit ``y ~ X + (Z | groups)`` by minimising lme4's profiled deviance; see the module docstring.

    Args:
        y: the response, n values.
        X: fixed-effects design, n x p, full column rank.
        Z: random-effects design, n x q (each group gets its own coefficients on these columns).
        groups: n group labels.
        reml: restricted maximum likelihood (lme4's default) or, if False, maximum likelihood.
    """
    from scipy import optimize

    problem = _Problem(np.asarray(y, float), np.asarray(X, float), np.asarray(Z, float), np.asarray(groups), reml)
    bounds = [(0.0, None) if d else (None, None) for d in problem.diagonal]
    lower = np.where(problem.diagonal, 0.0, -np.inf)

    def start(scale: float) -> np.ndarray:
        return np.where(problem.diagonal, scale, 0.0)

    # lme4 starts at T = I; the other starts guard against a local minimum or a
    # stall on a flat ridge near the boundary.
    starts = {"lme4's start (T = I)": start(1.0), "small variances": start(0.1), "large variances": start(5.0)}
    attempts: list[tuple[str, float, np.ndarray]] = []

    def record(name: str, theta: np.ndarray) -> None:
        theta = np.maximum(np.asarray(theta, float), lower)
        attempts.append((name, problem.deviance(theta), theta))

    runs = [("L-BFGS-B", label) for label in starts] + [("Nelder-Mead", "lme4's start (T = I)"),
                                                        ("Powell", "lme4's start (T = I)")]
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # line searches that step where the deviance is inf
        for method, label in runs:
            try:
                result = optimize.minimize(problem.deviance, starts[label], method=method, bounds=bounds,
                                           options=_OPTIONS[method])
            except (ValueError, np.linalg.LinAlgError, FloatingPointError):
                continue
            record(f"{method} from {label}", result.x)
    finite = [a for a in attempts if math.isfinite(a[1])]
    if not finite:
        raise ValueError("the profiled deviance is not finite at any start")
    name, _, theta = min(finite, key=lambda a: a[1])
    # Polish: a bounded derivative-free search from the best point, kept if it is lower still.
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        polished = optimize.minimize(problem.deviance, theta, method="Powell", bounds=bounds,
                                     options={"xtol": 1e-12, "ftol": 1e-15, "maxiter": 5000})
    if problem.deviance(np.maximum(polished.x, lower)) < problem.deviance(theta):
        record(f"{name}, polished", polished.x)
        name, _, theta = attempts[-1]
    theta, name = _onto_bound(problem, theta, bounds, name, record)

    gradient, converged = _verify(problem, theta)
    return _estimates(problem, theta, gradient, converged, name, attempts)


def _onto_bound(problem: _Problem, theta: np.ndarray, bounds: list[tuple[float | None, float | None]], name: str,
                record: Any) -> tuple[np.ndarray, str]:
    """Put a diagonal element that is nearly 0 at exactly 0, the others re-optimised, if the deviance is no higher.

    Near a zero variance the deviance is flat (it moves with theta squared), so
    optimisers stop anywhere below ~1e-4 short of the bound, which lme4's
    bounded BOBYQA reaches exactly; lme4 then reports the variance as 0.
    """
    from scipy import optimize

    best = problem.deviance(theta)
    held = list(bounds)
    while True:  # one element at a time: re-optimising the others may leave another one nearly 0
        near = np.flatnonzero(problem.diagonal & (theta > 0) & (theta < SINGULAR_TOLERANCE))
        near = [j for j in near if held[j] != (0.0, 0.0)]
        if not near:
            break
        j = near[0]
        held[j] = (0.0, 0.0)
        start = theta.copy()
        start[j] = 0.0
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            result = optimize.minimize(problem.deviance, start, method="L-BFGS-B", bounds=held, options=_OPTIONS["L-BFGS-B"])
        candidate = np.where([h == (0.0, 0.0) for h in held], 0.0, result.x)
        if problem.deviance(start) < problem.deviance(candidate):
            candidate = start
        if problem.deviance(candidate) <= best + 1e-10:
            record(f"{name}, on the bound", candidate)
            theta, best = candidate, problem.deviance(candidate)
            name = name if name.endswith(", on the bound") else f"{name}, on the bound"
        else:
            held[j] = bounds[j]
            break
    return theta, name


def _verify(problem: _Problem, theta: np.ndarray) -> tuple[np.ndarray, bool]:
    """Return the deviance gradient at ``theta`` and whether theta is a verified bounded minimum."""
    k = len(theta)
    at_bound = problem.diagonal & (theta <= _AT_BOUND)
    gradient = np.zeros(k)
    f0 = problem.deviance(theta)
    for j in range(k):
        h = 1e-5 * max(1.0, abs(theta[j]))
        up = theta.copy()
        up[j] += h
        if at_bound[j]:  # one-sided: the deviance may only rise moving into the feasible set
            up2 = theta.copy()
            up2[j] += 2 * h
            gradient[j] = (-3 * f0 + 4 * problem.deviance(up) - problem.deviance(up2)) / (2 * h)
        else:
            down = theta.copy()
            down[j] -= h
            gradient[j] = (problem.deviance(up) - problem.deviance(down)) / (2 * h)
    if not np.all(np.isfinite(gradient)):
        return gradient, False
    free = ~at_bound
    first_order = bool(np.all(np.abs(gradient[free]) <= GRADIENT_TOLERANCE) and np.all(gradient[at_bound] >= -GRADIENT_TOLERANCE))
    if not first_order:
        return gradient, False
    if problem.diagonal[free].all() and free.all():
        # Interior: the Hessian must be positive definite there too (lme4's check.conv.hess).
        hessian = _hessian(problem, theta)
        if not np.all(np.isfinite(hessian)) or np.linalg.eigvalsh((hessian + hessian.T) / 2).min() <= 0:
            return gradient, False
    return gradient, True


def _hessian(problem: _Problem, theta: np.ndarray) -> np.ndarray:
    k = len(theta)
    h = 1e-4 * np.maximum(1.0, np.abs(theta))
    hessian = np.zeros((k, k))
    for i in range(k):
        for j in range(i, k):
            def f(di: float, dj: float) -> float:
                point = theta.copy()
                point[i] += di
                point[j] += dj
                return problem.deviance(point)

            value = (f(h[i], h[j]) - f(h[i], -h[j]) - f(-h[i], h[j]) + f(-h[i], -h[j])) / (4 * h[i] * h[j])
            hessian[i, j] = hessian[j, i] = value
    return hessian


def _estimates(problem: _Problem, theta: np.ndarray, gradient: np.ndarray, converged: bool, name: str,
               attempts: list[tuple[str, float, np.ndarray]]) -> LmmFit:
    s = problem.solve(theta)
    dof = problem.n - problem.p if problem.reml else problem.n
    sigma2 = s["r2"] / dof
    T = s["T"]
    beta_resid = s["beta"]
    # Conditional modes: u_i = A_i^-1 T' Z_i'(y_i - X_i beta), b_i = T u_i.
    TtZtr = np.einsum("ji,gj->gi", T, problem.Zty) - np.einsum("ji,gjk,k->gi", T, problem.ZtX, beta_resid)
    u = np.einsum("gij,gj->gi", s["A_inv"], TtZtr)
    b = u @ T.T
    beta = problem.beta_ols + beta_resid
    fitted = problem.X @ beta + np.einsum("nq,nq->n", problem.Z, b[problem.index])
    deviance = problem.deviance(theta)
    return LmmFit(
        beta=beta,
        vcov=sigma2 * np.linalg.inv(s["XVX"]),
        theta=theta,
        sigma2=float(sigma2),
        cov_re=sigma2 * T @ T.T,
        log_likelihood=-deviance / 2.0,
        reml=problem.reml,
        converged=converged,
        singular=bool(np.any(theta[problem.diagonal] < SINGULAR_TOLERANCE)),
        gradient=gradient,
        optimiser=name,
        attempts=tuple((a[0], float(a[1])) for a in attempts),
        groups=problem.labels,
        random_effects=b,
        fitted=fitted,
    )
