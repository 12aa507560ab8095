r"""Independent numerical derivatives, for the pages' "check it yourself" tables.

Neither function uses the analytic formula S_i(delta_ij - S_j): they only
evaluate softmax itself, so agreement with :func:`core.jacobian` is evidence.
"""

from __future__ import annotations

import numpy as np

from .softmax import as_logits, check_temperature, jacobian, softmax

__all__ = ["complex_step_jacobian", "fd_jacobian", "numeric_check"]


def fd_jacobian(z, temperature: float = 1.0, h: float = 1e-6) -> np.ndarray:
    r"""Central differences, :math:`J_{ij} \approx \frac{S_i(z + h e_j) - S_i(z - h e_j)}{2h}`.

    Shapes ``(n,) -> (n, n)``. Error O(h^2) from truncation plus O(eps/h) from
    rounding, so about 1e-10 at best.
    """
    x = as_logits(z)
    t = check_temperature(temperature)
    cols = []
    for j in range(x.size):
        e = np.zeros_like(x)
        e[j] = h
        cols.append((softmax(x + e, t) - softmax(x - e, t)) / (2 * h))
    return np.stack(cols, axis=-1)


def complex_step_jacobian(z, temperature: float = 1.0, h: float = 1e-30) -> np.ndarray:
    r"""The complex step, :math:`J_{ij} = \operatorname{Im} S_i(z + \mathrm{i} h e_j) / h`.

    Shapes ``(n,) -> (n, n)``. No subtraction, hence no cancellation: it agrees
    with the analytic J to machine precision, with h as small as 1e-30.
    """
    x = as_logits(z)
    t = check_temperature(temperature)
    if x.ndim != 1:
        raise ValueError("complex_step_jacobian takes one logit vector of shape (n,)")
    x = (x - x.max()) / t  # a real shift keeps exp in range; softmax ignores it
    cols = []
    for j in range(x.size):
        xc = x.astype(np.complex128)
        xc[j] += 1j * h / t
        e = np.exp(xc)
        col = (e / e.sum()).imag / h
        # S_i as 1 / Σ_k e^{x_k − x_i} (its k = i term exactly 1): e_i / Σ e cancels inside the complex division
        # once S_i rounds to 1, and gives 0 for ∂S_i/∂z_i at z = (40, −40, 0) instead of 4.25e-18
        with np.errstate(over="ignore", invalid="ignore"):
            w = np.exp(xc[None, :] - xc[:, None]).sum(axis=1)
            safe = (1 / w).imag / h
        cols.append(np.where(np.isfinite(w), safe, col))
    return np.stack(cols, axis=-1)


def numeric_check(z, temperature: float = 1.0, J=None) -> dict[str, list[str]]:
    r"""The "check it numerically" table: the analytic ``J`` (n, n) (computed if not given) against
    :func:`fd_jacobian` and :func:`complex_step_jacobian` at z ``(n,)``, as columns (method, formula,
    max |error| vs analytic, what to expect), one row per method."""
    J = jacobian(z, temperature) if J is None else np.asarray(J, dtype=np.float64)
    fd, cs = fd_jacobian(z, temperature), complex_step_jacobian(z, temperature)
    return {"method": ["analytic (core.jacobian)", "central differences, h = 10⁻⁶", "complex step, h = 10⁻³⁰"],
            "formula": ["Sᵢ(δᵢⱼ − Sⱼ)/T", "(S(z + h eⱼ) − S(z − h eⱼ)) / 2h", "Im S(z + i h eⱼ) / h"],
            "max |error| vs analytic": ["0 (the reference)", f"{np.abs(fd - J).max():.2e}", f"{np.abs(cs - J).max():.2e}"],
            "what to expect": ["—", "≈ 1e-10: truncation O(h²) plus rounding O(ε/h)",
                               "≈ 1e-17: no subtraction, no cancellation"]}
