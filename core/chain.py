r"""The chain rule through softmax, path by path, and the toy network's gradient two ways (numpy + stdlib).

.. math:: \frac{\partial L}{\partial z_j} = \sum_{i=1}^{n} \frac{\partial L}{\partial S_i}\,\frac{\partial S_i}{\partial z_j}

Multiply along a path (L -> S_i -> z_j), add across the paths that reach z_j.
Also: the gradient magnitude of CE vs MSE as the correct logit drops, the plane
the training page draws for D > 2, and the exact decision-region polygons of a
linear softmax classifier on that plane. Indices are 0-based; the page shows them 1-based.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .fmt import percent, prose
from .fmt import shown as _shown
from .fmt import tex as num  # chain.num: the name pages used before core.fmt; new code calls fmt.tex
from .losses import check_loss, dL_dS
from .network import loss_and_grad
from .softmax import as_logits, check_temperature, jacobian, minus_target, others, softmax, vjp

__all__ = [
    "ChainPaths",
    "SampleGrad",
    "batch_grad_explicit",
    "batch_grad_gap",
    "chain_paths",
    "collapse_intro",
    "collapse_lines",
    "comparison_sentence",
    "delta_indices",
    "grad_vs_drop",
    "num",
    "paths_sentence",
    "project_2d",
    "region_polygons",
    "sample_grad",
]


@dataclass(frozen=True)
class ChainPaths:
    """Everything the chain-rule page shows for one z, target y and loss.

    - ``S``, ``Y`` ``(n,)``: softmax output and one-hot target; ``g`` ``(n,)`` = dL/dS (may hold -inf for CE).
    - ``dS_dz`` ``(n, n)``: the Jacobian, ``P`` ``(n, n)``: path products g_i dS_i/dz_j.
    - ``total`` ``(n,)``: the column sums of P (the path sum), ``vector``: S ⊙ (g − g·S)/T (NaN if g is not finite),
      ``closed``: the closed form, (S − Y)/T for CE and 2 S ⊙ ((S − Y) − S·(S − Y))/T for MSE.
    - ``cancelled``: True when g overflowed (S_y underflowed to 0) and P was taken from the cancelled form.
    """

    S: np.ndarray
    Y: np.ndarray
    g: np.ndarray
    dS_dz: np.ndarray
    P: np.ndarray
    total: np.ndarray
    vector: np.ndarray
    closed: np.ndarray
    cancelled: bool

    @property
    def max_diff_vector(self) -> float:
        """max_j |path sum − VJP| (NaN when the VJP could not be evaluated)."""
        return float(np.max(np.abs(self.total - self.vector)))

    @property
    def max_diff_closed(self) -> float:
        """max_j |path sum − closed form|."""
        return float(np.max(np.abs(self.total - self.closed)))


def chain_paths(z, y: int, loss: str = "cross_entropy", T: float = 1.0) -> ChainPaths:
    r"""All n² chain-rule paths for one row z ``(n,)`` and a 0-based target class y.

    .. math:: P_{ij} = g_i\,\frac{S_i(\delta_{ij} - S_j)}{T},\qquad \frac{\partial L}{\partial z_j} = \sum_i P_{ij}

    For CE the product along a path is taken in its cancelled form −y_i(δ_ij − S_j)/T, which is what the S_i in
    the Jacobian entry does to the 1/S_i in g (with δ_yy − S_y as Σ_{k≠y} S_k): g_y = −1/S_y overflows to −inf when
    S_y underflows to 0 (``cancelled``), and a Jacobian entry below float64's normal range (S_y S_j < 2.2e-308)
    would lose digits that the product g_y J_yj needs.
    """
    z = as_logits(z)
    if z.ndim != 1:
        raise ValueError(f"z must be one row of logits (n,), got shape {z.shape}")
    check_loss(loss)
    t = check_temperature(T)
    n = z.size
    S = softmax(z, t)
    Y = np.zeros(n)
    Y[int(y)] = 1.0
    # dL/dS at this very S (core.dL_dS's formulas): from z / T, S would be rounded a second, different way
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        # MSE: 2(S − y) with the target's entry as −2 Σ_{k≠y} S_k (S_y − 1 rounds to 0 at saturation)
        g = np.where(Y > 0, -Y / S, 0.0) if loss == "cross_entropy" else 2.0 * minus_target(S, Y)
    dS_dz = jacobian(z, t)
    cancelled = not bool(np.all(np.isfinite(g)))
    if loss == "cross_entropy":  # g_y S_y = −y_y exactly
        delta_minus_S = np.eye(n) - S[None, :]
        np.fill_diagonal(delta_minus_S, others(S))  # 1 − S_j summed from the other outputs
        P = -Y[:, None] * delta_minus_S / t
    else:
        P = g[:, None] * dS_dz
    vector = np.full(n, np.nan) if cancelled else vjp(z, g, t)  # only CE's g can overflow
    if loss == "cross_entropy":
        closed = minus_target(S, Y) / t  # the target's entry as −Σ_{k≠y} S_k: S_y − 1 rounds to 0 at saturation
    else:
        closed = vjp(z, 2.0 * minus_target(S, Y), t)  # 2 S ⊙ (r − S·r)/T, the bracket as Σ_i S_i (r_j − r_i)
    return ChainPaths(S, Y, g, dS_dz, P, P.sum(axis=0), vector, closed, cancelled)


def grad_vs_drop(z, y: int, T: float = 1.0, count: int = 161) -> dict[str, np.ndarray]:
    r"""The push on the correct logit, |∂L/∂z_y|, for CE and for MSE as z_y sweeps down, the other logits fixed.

    .. math:: \text{CE: } \frac{1 - S_y}{T} \to \frac{1}{T} \qquad
              \text{MSE: } \frac{2}{T} S_y\Big|(S_y - 1) - \sum_i S_i(S_i - y_i)\Big| \to 0

    Returns ``zy`` (descending), ``S_y``, ``ce``, ``mse``. The sweep runs from 6T above to 16T below the largest
    other logit (``count`` points), where softmax goes from confident and right to confident and wrong, and includes
    the current z_y. Beyond that window it reaches the current z_y (``count // 4`` more points) wherever float64 can
    draw it on the log axes: S_y and both pushes at least float64's smallest normal number (z = (40, −40, 0) is drawn
    at z₁ = 40, a push of 4.2×10⁻¹⁸; z₁ = 10⁶ is not, and the figure says where it is).
    """
    z = as_logits(z)
    t = check_temperature(T)
    y = int(y)
    others = np.delete(z, y)
    top = float(np.max(others))
    hi, lo = top + 6.0 * t, top - 16.0 * t
    zy = np.linspace(hi, lo, count)
    if not lo <= z[y] <= hi and min(float(a[0]) for a in _drop_at(z[None, :], y, t)) >= np.finfo(np.float64).tiny:
        zy = np.concatenate([np.linspace(z[y], hi if z[y] > hi else lo, count // 4), zy])
    if zy.min() <= z[y] <= zy.max():
        zy = np.unique(np.append(zy, z[y]))[::-1]
    Z = np.repeat(z[None, :], zy.size, axis=0)
    Z[:, y] = zy
    S_y, ce, mse = _drop_at(Z, y, t)
    return {"zy": zy, "S_y": S_y, "ce": ce, "mse": mse}


def _drop_at(Z, y: int, t: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """S_y and the pushes |∂L/∂z_y| of CE and MSE for each row of logits Z ``(m, n)``: three ``(m,)``."""
    S = softmax(Z, t)
    Y = np.zeros_like(S)
    Y[:, y] = 1.0
    S_Y = minus_target(S, Y)  # the target's entry −Σ_{k≠y} S_k, never S_y − 1 (0 once S_y rounds to 1)
    ce = np.abs(S_Y)[:, y] / t
    mse = np.abs(vjp(Z, 2.0 * S_Y, t))[:, y]  # with S_y − 1 = 0 it lost −2(1 − S_y)² S_y/T: half of it at z = (40, −40, 0)
    return S[:, y], ce, mse


# ---- the toy network: one sample's gradient, two ways -----------------------------------------------


@dataclass(frozen=True)
class SampleGrad:
    """One sample x ``(D,)`` with label y through ``z = W x + b``: every quantity on the inspector.

    ``delta_explicit`` = Jᵀ g (the explicit Jacobian), ``delta_shortcut`` = S − y for CE (the VJP for MSE);
    ``dW_*`` ``(K, D)`` = δ xᵀ; ``max_diff`` = max |dW_explicit − dW_shortcut| (NaN if g overflowed).
    """

    x: np.ndarray
    z: np.ndarray
    S: np.ndarray
    Y: np.ndarray
    g: np.ndarray
    J: np.ndarray
    delta_explicit: np.ndarray
    delta_shortcut: np.ndarray
    dW_explicit: np.ndarray
    dW_shortcut: np.ndarray

    @property
    def max_diff(self) -> float:
        return float(np.max(np.abs(self.dW_explicit - self.dW_shortcut)))


def sample_grad(x, y: int, W, b, loss: str = "cross_entropy") -> SampleGrad:
    r"""The gradient of one sample's loss with respect to W, computed two ways.

    .. math:: \frac{\partial L}{\partial W} = \Big(J^\top \frac{\partial L}{\partial S}\Big) x^\top
              \overset{\text{CE}}{=} (S - y)\,x^\top

    Shapes: x ``(D,)``, W ``(K, D)``, b ``(K,)``; y a 0-based label.
    """
    x, W, b = (np.asarray(a, dtype=np.float64) for a in (x, W, b))
    z = W @ x + b
    S = softmax(z)
    Y = np.zeros_like(S)
    Y[int(y)] = 1.0
    with np.errstate(over="ignore"):
        g = dL_dS(z, int(y), loss)
    J = jacobian(z)
    with np.errstate(invalid="ignore"):
        delta_explicit = J.T @ g  # the chain rule with every path written out
    delta_shortcut = minus_target(S, Y) if loss == "cross_entropy" else vjp(z, g)
    return SampleGrad(x, z, S, Y, g, J, delta_explicit, delta_shortcut,
                      np.outer(delta_explicit, x), np.outer(delta_shortcut, x))


def batch_grad_explicit(X, y, W, b, loss: str = "cross_entropy") -> tuple[np.ndarray, np.ndarray, int]:
    r"""Full-batch dL/dW ``(K, D)``, dL/db ``(K,)`` through an explicit Jacobian per sample, and how many samples
    overflowed (CE: S_y underflowed to 0, so g = −1/S_y = −inf and that sample's J^T g is NaN).

    .. math:: \frac{\partial L}{\partial W} = \frac{1}{m}\sum_r \big(J_r^\top g_r\big)\,x_r^\top

    Independent of :func:`core.loss_and_grad` (which uses S − Y and the VJP), to compare the two.
    """
    X, W, b = (np.asarray(a, dtype=np.float64) for a in (X, W, b))
    y = np.asarray(y, dtype=int)
    m = X.shape[0]
    Z = X @ W.T + b
    S = softmax(Z)
    Y = np.eye(W.shape[0])[y]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # MSE: 2(S − y) with the target's entry as −2 Σ_{k≠y} S_k (S_y − 1 rounds to 0 at saturation)
        g = np.where(Y > 0, -Y / S, 0.0) if loss == "cross_entropy" else 2.0 * minus_target(S, Y)
        dL_dz = np.einsum("ri,rij->rj", g, jacobian(Z)) / m
    overflow = int(np.sum(~np.all(np.isfinite(g), axis=1)))
    return dL_dz.T @ X, dL_dz.sum(axis=0), overflow


def batch_grad_gap(X, y, W, b, loss: str = "cross_entropy") -> tuple[float, int]:
    """max |∂L/∂W, ∂L/∂b through :func:`batch_grad_explicit` − the same from :func:`core.loss_and_grad`| over the
    batch, and how many samples overflowed on the explicit route (the gap is NaN then)."""
    bW, bb, overflow = batch_grad_explicit(X, y, W, b, loss)
    _, cW, cb = loss_and_grad(X, np.eye(np.asarray(W).shape[0])[np.asarray(y, dtype=int)], W, b, loss)
    return float(max(np.abs(bW - cW).max(), np.abs(bb - cb).max())), overflow


# ---- drawing helpers: a 2-D plane through the data and exact region polygons ------------------------


def project_2d(X) -> tuple[np.ndarray, np.ndarray]:
    r"""A plane to draw D-dimensional data on: ``(origin (D,), axes (2, D))``, x ≈ origin + u @ axes.

    D = 2: the identity (no projection). D > 2: through the data mean, spanned by the first two
    principal components (signs fixed so the largest entry of each axis is positive).
    """
    X = np.asarray(X, dtype=np.float64)
    D = X.shape[1]
    if D == 2:
        return np.zeros(2), np.eye(2)
    origin = X.mean(axis=0)
    _, _, Vt = np.linalg.svd(X - origin, full_matrices=False)
    axes = Vt[:2].copy()
    signs = np.sign(axes[np.arange(2), np.argmax(np.abs(axes), axis=1)])
    return origin, axes * signs[:, None]


def _clip(poly: list[tuple[float, float]], a: np.ndarray, c: float) -> list[tuple[float, float]]:
    """Sutherland–Hodgman: keep the part of a convex polygon where a·u + c >= 0."""
    out = []
    for k in range(len(poly)):
        p, q = poly[k], poly[(k + 1) % len(poly)]
        fp, fq = a[0] * p[0] + a[1] * p[1] + c, a[0] * q[0] + a[1] * q[1] + c
        if fp >= 0:
            out.append(p)
        if (fp >= 0) != (fq >= 0):
            s = fp / (fp - fq)
            out.append((p[0] + s * (q[0] - p[0]), p[1] + s * (q[1] - p[1])))
    return out


def region_polygons(W, b, origin, axes, box) -> list[np.ndarray]:
    r"""The decision region of each class on the drawing plane, clipped to ``box = (u0, u1, v0, v1)``.

    On the plane the logits are affine in u: z = (W axesᵀ) u + (W origin + b), so class k wins on the
    convex polygon where z_k − z_j >= 0 for every j. Returns K arrays ``(vertices, 2)`` (possibly empty).
    """
    W, b = np.asarray(W, float), np.asarray(b, float)
    A, c = W @ np.asarray(axes, float).T, W @ np.asarray(origin, float) + b
    u0, u1, v0, v1 = (float(v) for v in box)
    polys = []
    for k in range(W.shape[0]):
        poly = [(u0, v0), (u1, v0), (u1, v1), (u0, v1)]
        for j in range(W.shape[0]):
            if j != k and poly:
                poly = _clip(poly, A[k] - A[j], float(c[k] - c[j]))
        polys.append(np.array(poly, dtype=float).reshape(-1, 2))
    return polys


def region_frames(X, snapshot_W, snapshot_b, pad: float = 0.12) -> tuple[np.ndarray, tuple, list[list[np.ndarray]]]:
    r"""What the Training animation draws: the data on its plane and each snapshot's regions.

    ``U = (X - origin) axesᵀ`` ``(m, 2)`` on :func:`project_2d`'s plane; ``box = (u0, u1, v0, v1)``, the data's bounding
    box widened by ``pad`` × its longer side on every edge; ``polys[s]``, :func:`region_polygons` of snapshot ``s``
    (``snapshot_W`` ``(s, K, D)``, ``snapshot_b`` ``(s, K)``) clipped to the box.
    """
    X = np.asarray(X, dtype=np.float64)
    origin, axes = project_2d(X)
    U = (X - origin) @ axes.T
    lo, hi = U.min(axis=0), U.max(axis=0)
    margin = pad * float((hi - lo).max())
    box = (lo[0] - margin, hi[0] + margin, lo[1] - margin, hi[1] + margin)
    polys = [region_polygons(W, b, origin, axes, box) for W, b in zip(snapshot_W, snapshot_b, strict=True)]
    return U, box, polys


def confidently_wrong(X, y, W, b, threshold: float = 0.01) -> float:
    r"""The fraction of samples whose true class gets :math:`S_y < ` ``threshold`` (X ``(m, D)``, y ``(m,)``, W ``(K, D)``)."""
    Z = np.asarray(X, float) @ np.asarray(W, float).T + np.asarray(b, float)
    S = softmax(Z)
    return float(np.mean(S[np.arange(len(y)), np.asarray(y)] < threshold))


def comparison_sentence(curves: dict, wscale: float, wrong0: float, epochs: int) -> str:
    """The Training page's "both losses, same start" paragraph from ``curves[loss] = (loss, accuracy, diverged_at)``
    per epoch (both losses), the initial weight scale and the fraction ``wrong0`` of points confidently wrong at the
    start (:func:`confidently_wrong`). The Jacobian's factor S_j is named as the reason only when CE ends at least
    25 points of accuracy ahead; a diverged run counts with its last finite accuracy."""
    end = {k: float(acc[np.isfinite(acc)][-1]) for k, (_, acc, _) in curves.items()}
    return (f"**Both losses, same start** (initial weight scale σ = {prose(wscale, 6)}; {percent(wrong0)} of the points "
            f"start confidently wrong, $S_y < 0.01$). After {epochs} epochs cross-entropy classifies "
            f"{percent(end['cross_entropy'], 1)} of the points correctly and MSE {percent(end['mse'], 1)}"
            + (". MSE's gradient keeps the factor $S_j$ of the Jacobian (Chain rule page), tiny on confidently wrong "
               "points; cross-entropy's $S - y$ does not." if end["cross_entropy"] - end["mse"] >= 0.25 else ".")
            + " Each loss has its own axis below: they are different quantities.")


# ---- LaTeX with live numbers -----------------------------------------------------------------------


def paths_sentence(g, y: int, loss: str) -> str:
    """How many paths into each z_j contribute, read from the upstream gradient ``g`` (n,) and the 0-based target y:
    CE's one-hot g leaves one path per column; MSE's g_i = 2(S_i − y_i) leaves every path whose g_i float64 did not
    round to 0 (it does once softmax saturates)."""
    n, k = len(g), int(y) + 1
    if loss == "cross_entropy":
        return (f"Only $g_{{{k}}}$ is non-zero (the target is one-hot), so each column of the figure has at most **one** "
                f"non-zero path: the one through $S_{{{k}}}$.")
    live = int(np.count_nonzero(g))
    rest = "." if live == n else f" (the other {n - live} $g_i$ round to 0 in float64: softmax has saturated)."
    return (f"$g_i = 2(S_i - y_i)$ is non-zero for **{live} of {n}** outputs here, so up to {live} paths "
            "into each $z_j$ contribute" + rest)


def collapse_intro(y: int, loss: str, T: float = 1.0) -> tuple[str, str]:
    """(subheader, paragraph) above :func:`collapse_lines`: CE's sum collapses to (S − y)/T, MSE's keeps a factor S_j
    and is bounded by 4 S_j / T. ``y`` is 0-based."""
    t, k = check_temperature(T), int(y) + 1
    tfac = "" if t == 1 else rf"\tfrac{{1}}{{{num(t, 6)}}}"
    if loss == "cross_entropy":
        return (f"Cross-entropy: the sum collapses to {'S − y' if t == 1 else f'(S − y)/{prose(t, 6)}'}",
                f"Term by term: $g_i = 0$ unless $i = y$, and the $1/S_{{{k}}}$ of $g_{{{k}}}$ cancels the "
                f"$S_{{{k}}}$ of the Jacobian entry. Nothing of softmax's derivative survives except "
                f"${tfac}(S_j - y_j)$" + (f" (the temperature's factor 1/{prose(t, 6)} stays)." if t != 1 else "."))
    return ("MSE: the sum does not collapse",
            "Every path survives, and what is left keeps a factor $S_j$ and the shared term $\\sum_i S_i(S_i - y_i)$. "
            f"Both terms in the bracket lie in $[-1, 1]$, so $|\\partial L/\\partial z_j| \\le {num(4 / t, 4)}\\,S_j$: "
            "when $S_j$ is small, so is the gradient on $z_j$.")


def delta_indices(a, b) -> str:
    r"""The subscript of δ for indices a and b as shown (1-based, or a letter): ``"3j"``, ``"7,10"``. A comma once either
    has two digits, as core.derivation writes it: ``\delta_{710}`` would read as δ₇₁₀."""
    return f"{a},{b}" if len(str(a)) > 1 or len(str(b)) > 1 else f"{a}{b}"


def collapse_lines(cp: ChainPaths, y: int, loss: str, T: float = 1.0) -> list[str]:
    r"""One LaTeX line per j: the path sum, term by term, with the live numbers.

    CE: only the path through S_y survives (g_i = 0 for i ≠ y), and its 1/S_y cancels the S_y of the
    Jacobian entry, leaving S_j − y_j. MSE: every path survives and a factor S_j is left over.
    """
    n, tf = cp.S.size, ("" if T == 1 else rf"\tfrac{{1}}{{{num(T, 6)}}}")
    Y, S, yy = cp.Y, cp.S, int(y) + 1
    lines = []
    for j in range(n):
        jj, d = j + 1, int(j == y)
        if loss == "cross_entropy":
            # S_j is printed to the result's 4 figures ("(0.2424 - 0) = 0.2424", never "(0.242 - 0) = 0.2424"). Rounded,
            # it can still equal y_j (S_1 = 0.99996 prints as 1, and 1 − 1 ≠ −4e-5): then the line shows the
            # difference S_j − y_j itself, so the printed numbers always give the printed result
            diff = -float(np.sum(np.delete(S, j))) if d else float(S[j])  # S_y − 1 as −Σ_{k≠y} S_k: no 1 − 1 = 0
            result = num(cp.total[j], 4)
            # and with a decimal or more where 4 do not give the printed result once divided by T: at z = (2, 1, 0.1, −1,
            # −2), T = 2.5, "(1/2.5)(0.3786 − 1) = −0.2485" works out to −0.2486; "(0.37863 − 1)" gives −0.2485
            k = next((k for k in range(4, 9) if num((_shown(S[j], k) - d) / T, 4) == result), 4)
            rounded_ok = abs((_shown(S[j], k) - d) - diff) <= 0.01 * abs(diff)
            plug = f"{num(S[j], k)} - {d}" if rounded_ok else num(diff, 4)
            # "≈" where the result needs far more digits than its terms show and they do not give it: 1/0.1 (0.5 − 0) is 5,
            # not 4.9999999999998
            printed = (_shown(S[j], k) - d if rounded_ok else _shown(diff, 4)) / T
            long = sum(c.isdigit() for c in result.split("\\times")[0].lstrip("-0.")) > 6
            eq = r"\approx" if long and num(printed, 4) != result else "="
            lines.append(
                rf"\begin{{aligned}}\frac{{\partial L}}{{\partial z_{{{jj}}}}} &= "  # two rows: fits half a laptop screen
                rf"\sum_i \Big(-\frac{{y_i}}{{S_i}}\Big){tf} S_i(\delta_{{{delta_indices('i', jj)}}} - S_{{{jj}}})"
                rf" = -\frac{{1}}{{S_{{{yy}}}}}{tf}\,S_{{{yy}}}\,(\delta_{{{delta_indices(yy, jj)}}} - S_{{{jj}}})\\"
                rf" &= {tf}(S_{{{jj}}} - y_{{{jj}}}) = {tf}({plug}) {eq} {num(cp.total[j], 4)}\end{{aligned}}"
            )
        else:
            r, two = S - Y, ("2" if T == 1 else rf"\tfrac{{2}}{{{num(T, 6)}}}")
            inner = r[j] - S @ r
            rounded_ok = abs((_shown(r[j], 4) - _shown(S @ r, 4)) - inner) <= 0.01 * abs(inner)
            bracket = f"{num(r[j], 4)} - ({num(S @ r, 4)})" if rounded_ok else num(inner, 4)  # as for CE: no 1 − (1) = 2e-4
            lines.append(
                rf"\begin{{aligned}}\frac{{\partial L}}{{\partial z_{{{jj}}}}} &= "
                rf"\sum_i 2(S_i - y_i){tf} S_i(\delta_{{{delta_indices('i', jj)}}} - S_{{{jj}}})"
                rf" = {two}S_{{{jj}}}\Big[(S_{{{jj}}} - y_{{{jj}}}) - \sum_i S_i(S_i - y_i)\Big]\\"
                rf" &= {two}\cdot{num(S[j], 4)}\,[{bracket}] = {num(cp.total[j], 4)}"
                rf"\quad(\text{{not }} {tf}(S_{{{jj}}} - y_{{{jj}}}) = {num((S[j] - Y[j]) / T, 4)})\end{{aligned}}"
            )
    return lines
