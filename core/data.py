"""Toy data sets for the training page. Every random draw comes from ``default_rng(seed)``."""

from __future__ import annotations

import numpy as np

from .fmt import given

__all__ = ["DATASETS", "make_blobs", "make_dataset", "make_spirals"]


def _check(n_per_class, dim, classes):
    for name, v, lo in (("n_per_class", n_per_class, 1), ("dim", dim, 1), ("classes", classes, 2)):
        if isinstance(v, bool) or not float(v).is_integer() or v < lo:
            raise ValueError(f"{name} must be a whole number >= {lo}, got {given(v)}")
    return int(n_per_class), int(dim), int(classes)


def _centers(dim: int, classes: int, radius: float) -> np.ndarray:
    """Class centres on a circle in the first two coordinates (a line if dim = 1), ``(classes, dim)``."""
    angle = 2 * np.pi * np.arange(classes) / classes + np.pi / 2
    c = np.zeros((classes, dim))
    c[:, 0] = radius * np.cos(angle)
    if dim >= 2:
        c[:, 1] = radius * np.sin(angle)
    return c


def make_blobs(n_per_class: int = 50, dim: int = 2, classes: int = 3, spread: float = 0.7, seed: int = 0):
    """Gaussian blobs: X ``(classes * n_per_class, dim)``, y ``(classes * n_per_class,)`` int in 0..classes-1.

    Centres sit on a circle of radius 3 in the first two coordinates, so with the
    default ``spread`` the classes are linearly separable; a large spread
    (e.g. 2.0) makes them overlap. Deterministic for a ``seed``.
    """
    n_per_class, dim, classes = _check(n_per_class, dim, classes)
    spread = float(spread)
    if not np.isfinite(spread) or spread < 0:
        raise ValueError(f"spread must be a finite number >= 0, got {spread}")
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(classes), n_per_class)
    X = _centers(dim, classes, 3.0)[y] + spread * rng.standard_normal((y.size, dim))
    return X, y


def make_spirals(n_per_class: int = 50, dim: int = 2, classes: int = 3, noise: float = 0.2, seed: int = 0):
    """Interleaved spirals (the harder set): no linear layer separates them.

    Shapes as :func:`make_blobs`; coordinates beyond the first two are pure noise.
    """
    n_per_class, dim, classes = _check(n_per_class, dim, classes)
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(classes), n_per_class)
    r = np.tile(np.linspace(0.2, 3.0, n_per_class), classes)
    theta = 2 * np.pi * y / classes + 1.6 * r + noise * rng.standard_normal(y.size)
    X = noise * rng.standard_normal((y.size, dim))
    X[:, 0] += r * np.cos(theta)
    if dim >= 2:
        X[:, 1] += r * np.sin(theta)
    return X, y


# name -> (label on screen, builder with its keyword defaults)
DATASETS = {
    "blobs": ("Separable blobs", lambda n, d, s: make_blobs(n, d, 3, 0.7, s)),
    "overlap": ("Overlapping blobs", lambda n, d, s: make_blobs(n, d, 3, 2.0, s)),
    "spirals": ("Spirals (not linearly separable)", lambda n, d, s: make_spirals(n, d, 3, 0.2, s)),
}


def make_dataset(name: str, n_per_class: int = 50, dim: int = 2, seed: int = 0):
    """One of :data:`DATASETS` by name, 3 classes. Returns ``(X, y)``."""
    if name not in DATASETS:
        raise ValueError(f"unknown data set {given(name)}; choose one of {', '.join(DATASETS)}")
    return DATASETS[name][1](n_per_class, dim, seed)
