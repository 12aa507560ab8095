r"""Softmax on the probability simplex: for n = 3, S is a point of a triangle (numpy + stdlib).

.. math:: \Delta^{n-1} = \{S \in \mathbb R^n : S_i \ge 0,\ \textstyle\sum_i S_i = 1\}

The triangle is drawn with the vertex :math:`e_1` bottom left, :math:`e_2` bottom right and :math:`e_3` on top; a
point with barycentric coordinates S sits at :math:`S_1 V_1 + S_2 V_2 + S_3 V_3`. The same linear map sends a vector
whose components sum to 0 (a column of J, the CE gradient) to a direction *in the triangle's plane*: that is why every
arrow drawn here lies along the triangle, never off it.

Every number a figure draws and every claim a page prints is computed here; the figures only draw.
Indices are 0-based; the screen shows them 1-based.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .fmt import given, label, num, prose
from .jacobian_props import Check
from .softmax import as_logits, check_temperature, jacobian, softmax

__all__ = [
    "CENTRE",
    "PLANE_BASIS",
    "VERTICES",
    "ColumnArrows",
    "GradientArrow",
    "GridImage",
    "ShiftCheck",
    "TemperaturePath",
    "ce_arrow",
    "check_three",
    "column_arrows",
    "from_plane",
    "geometry_claims",
    "grid_image",
    "picture_statement",
    "shift_check",
    "temperature_path",
    "tetrahedron_xyz",
    "to_plane",
    "to_xy",
]

EPS = float(np.finfo(np.float64).eps)
# acos near 1 resolves angles only to about √(2ε) rad ≈ 1.2·10⁻⁶°: below ten times that, an angle is 0 to float64
ANGLE_RES = 10 * math.degrees(math.sqrt(2 * EPS))
SEEN_DEG = 0.5  # a bend below this many degrees moves an arrow's tip by under 2 px of ~200: the drawing cannot show it

# The triangle's corners in the drawing plane, (3, 2): e₁ bottom left, e₂ bottom right, e₃ on top (side 1).
VERTICES = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, math.sqrt(3.0) / 2.0]])
CENTRE = VERTICES.mean(axis=0)  # S = (⅓, ⅓, ⅓): the image of every z = c𝟙, and the limit T → ∞

# An orthonormal basis (2, 3) of the plane ⟂ 𝟙 (the logits modulo shifts): z = a u₁ + b u₂ + c𝟙, and only (a, b) move S.
PLANE_BASIS = np.array([[1.0, -1.0, 0.0], [1.0, 1.0, -2.0]]) / np.array([[math.sqrt(2.0)], [math.sqrt(6.0)]])

# A regular tetrahedron with edge 1 (4, 3): the picture for n = 4, in three dimensions.
_TETRA = np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.5, math.sqrt(3.0) / 2.0, 0.0],
                   [0.5, math.sqrt(3.0) / 6.0, math.sqrt(2.0 / 3.0)]])


def picture_statement(n: int) -> str:
    """What the simplex picture is for ``n`` outputs: a sentence a page prints instead of the triangle when n ≠ 3."""
    n = int(n)
    if n == 3:
        return "n = 3: S is a point of a triangle (the 2-simplex); each corner is a one-hot output, the centre is uniform."
    if n == 2:
        return ("n = 2: the simplex is a segment from e₁ to e₂ (one dimension): S₁ = σ((z₁ − z₂)/T) slides along it. "
                "Set n = 3 to see the triangle.")
    if n == 4:
        return ("n = 4: the simplex is a tetrahedron, a solid in three dimensions (n − 1 = 3); "
                "a flat picture cannot hold it. Set n = 3 to see the triangle.")
    return (f"n = {n}: the simplex has n − 1 = {n - 1} dimensions, so no flat picture holds it. "
            "Everything the triangle shows still holds: Σ Sᵢ = 1, J's columns sum to 0, and S − y points along it.")


def check_three(z) -> np.ndarray:
    """``z`` as float64 logits ``(3,)``, or a ValueError carrying :func:`picture_statement` for other n."""
    arr = as_logits(z)
    if arr.ndim != 1 or arr.size != 3:
        n = arr.shape[-1] if arr.ndim == 1 else arr.size
        raise ValueError(f"the triangle needs n = 3 logits. {picture_statement(n)}")
    return arr


def to_xy(P) -> np.ndarray:
    r"""Barycentric coordinates to the drawing plane: :math:`(x, y) = \sum_i P_i V_i`.

    Shapes ``(..., 3) -> (..., 2)``. Linear, so a vector whose entries sum to 0 (a column of J, S − y) maps to a
    direction in the triangle's plane, and a point with Σ Pᵢ = 1 to a point of that plane.
    """
    return np.asarray(P, dtype=np.float64) @ VERTICES


def tetrahedron_xyz(P) -> np.ndarray:
    r"""n = 4: barycentric coordinates to a regular tetrahedron in 3-D, :math:`\sum_i P_i V_i`. ``(..., 4) -> (..., 3)``."""
    return np.asarray(P, dtype=np.float64) @ _TETRA


def to_plane(z) -> np.ndarray:
    r"""The part of z that moves S: coordinates (a, b) of z − z̄𝟙 in :data:`PLANE_BASIS`. ``(..., 3) -> (..., 2)``."""
    return np.asarray(z, dtype=np.float64) @ PLANE_BASIS.T


def from_plane(ab) -> np.ndarray:
    r""":math:`z = a\,u_1 + b\,u_2` (a logit vector with mean 0). ``(..., 2) -> (..., 3)``."""
    return np.asarray(ab, dtype=np.float64) @ PLANE_BASIS


# ---- the image of a grid of logits ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GridImage:
    """A square grid in the plane ⟂ 𝟙 and its image under softmax.

    ``ab`` ``(2, L, P, 2)``: plane coordinates of the grid lines, family 0 (a fixed, b varies) and family 1;
    ``Z`` ``(2, L, P, 3)``: the logits; ``S`` ``(2, L, P, 3)``; ``xy`` ``(2, L, P, 2)``: the image in the triangle.
    ``radius``: the grid spans [−radius, radius]² in (a, b); ``min_S``: the smallest output anywhere on the grid.
    """

    ab: np.ndarray
    Z: np.ndarray
    S: np.ndarray
    xy: np.ndarray
    radius: float
    temperature: float
    min_S: float

    @property
    def sentence(self) -> str:
        """A computed caption: the grid fills the triangle's inside but never reaches an edge (while float64 holds)."""
        span = f"logits on a {self.ab.shape[1]} × {self.ab.shape[1]} grid spanning ±{prose(self.radius)} in the plane ⟂ 𝟙"
        if self.min_S > 0:
            return (f"{span} land strictly inside the triangle: the smallest Sᵢ on the grid is {prose(self.min_S)} > 0. "
                    "A corner is reached only as the logits run off to infinity.")
        return (f"{span}: float64 rounds some Sᵢ to 0, so points at the grid's rim print on an edge; "
                "in exact arithmetic every Sᵢ > 0 and the image stays inside.")


def grid_image(radius: float = 4.0, lines: int = 9, points: int = 61, temperature: float = 1.0) -> GridImage:
    r"""The image of the grid :math:`z = a u_1 + b u_2`, :math:`a, b \in [-r, r]`, under :math:`S(z / T)`.

    Shapes: ``lines`` grid lines per family, ``points`` samples per line (see :class:`GridImage`). Adding c𝟙 to every
    grid point would change nothing, so this plane is every logit vector there is, up to a shift.
    """
    t = check_temperature(temperature)
    r = float(radius)
    if not (math.isfinite(r) and r > 0):
        raise ValueError(f"radius must be a finite number > 0, got {given(radius)}")
    fixed = np.linspace(-r, r, int(lines))
    run = np.linspace(-r, r, int(points))
    A, B = np.meshgrid(fixed, run, indexing="ij")  # (L, P): family 0 holds a fixed along each line
    ab = np.stack([np.stack([A, B], axis=-1), np.stack([B, A], axis=-1)])  # (2, L, P, 2)
    Z = from_plane(ab)
    S = softmax(Z, t)
    return GridImage(ab, Z, S, to_xy(S), r, t, float(S.min()))


# ---- J's columns as arrows at S ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnArrows:
    r"""Column j of J, :math:`\partial S / \partial z_j`, drawn at S: where S moves when z_j alone is nudged.

    - ``S`` ``(3,)``, ``xy`` ``(2,)``: the student's point; ``dS_dz`` ``(3, 3)`` the Jacobian (column j = arrow j).
    - ``dz``: the nudge the arrows are drawn for; ``tips`` ``(3, 2)``: xy + dz·(column j in the plane), the linear
      prediction of S(z + dz e_j); ``actual`` ``(3, 2)``: the true S(z + dz e_j), to compare.
    - ``column_sums`` ``(3,)``: Σᵢ ∂Sᵢ/∂zⱼ (0: each arrow lies in the triangle's plane), ``column_scale`` ``(3,)``:
      S/T, the factor every term of column j carries (column j = Sⱼ(eⱼ − S)/T, and Σᵢ|∂Sᵢ/∂zⱼ| ≤ 2Sⱼ/T): what "0" is
      relative to; ``total`` ``(3,)``: J𝟙, the sum of the three arrows (0: a shift; row i carries the same Sᵢ/T).
    """

    S: np.ndarray
    xy: np.ndarray
    dS_dz: np.ndarray
    dz: float
    tips: np.ndarray
    actual: np.ndarray
    column_sums: np.ndarray
    column_scale: np.ndarray
    total: np.ndarray


def column_arrows(z, temperature: float = 1.0, dz: float = 1.0) -> ColumnArrows:
    r"""J's three columns as arrows at S.

    .. math:: \frac{\partial S}{\partial z_j} = \frac{1}{T} S_j (e_j - S),\qquad
              \sum_i \frac{\partial S_i}{\partial z_j} = \frac{S_j}{T}\Big(1 - \sum_i S_i\Big) = 0

    Shapes: z ``(3,)`` -> :class:`ColumnArrows`. Arrow j points from S towards the vertex e_j (it is a positive
    multiple of e_j − S), and its length S_j·|e_j − S|/T vanishes as S saturates.
    """
    z = check_three(z)
    t = check_temperature(temperature)
    S = softmax(z, t)
    dS_dz = jacobian(z, t)
    xy = to_xy(S)
    tips = xy + float(dz) * to_xy(dS_dz.T)  # row j of dS_dz.T is column j of J
    bumped = z + float(dz) * np.eye(3)  # row j: z with z_j raised by dz
    actual = to_xy(softmax(bumped, t))
    return ColumnArrows(S, xy, dS_dz, float(dz), tips, actual, dS_dz.sum(axis=0), S / t, dS_dz.sum(axis=1))


# ---- shift invariance ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShiftCheck:
    """S(z) against S(z + c𝟙): ``S``, ``S_shifted`` ``(3,)`` (or ``(n,)``), ``c``, ``max_diff`` = max |difference|,
    ``rounding`` = the largest difference float64's rounding of z + c can explain."""

    S: np.ndarray
    S_shifted: np.ndarray
    c: float
    max_diff: float
    rounding: float

    @property
    def check(self) -> Check:
        if self.max_diff <= 4 * EPS:
            ok = True
        else:  # z + c is rounded to float64 before softmax sees it: that moves S by up to about |J| ulp(z + c)
            ok = None if self.max_diff <= self.rounding else False
        note = " (float64 rounded z + c: digits of z were lost)" if ok is None else ""
        return Check("shift invariance", "S(z + c𝟙) = S(z)",
                     f"c = {num(self.c)}: max |S(z + c𝟙) − S(z)| = {num(self.max_diff)}{note}", ok,
                     "The common factor e^(c/T) cancels between numerator and denominator; on the triangle, "
                     "the point does not move (𝟙 is J's null direction).")


def shift_check(z, c: float, temperature: float = 1.0) -> ShiftCheck:
    r""":math:`S(z + c\mathbb 1) = S(z)`, checked on the numbers (any n). Shapes: z ``(n,)``."""
    z = as_logits(z)
    t = check_temperature(temperature)
    c = float(c)
    S, S2 = softmax(z, t), softmax(z + c, t)
    ulp = float(np.max(np.spacing(np.abs(z + c)))) + float(np.max(np.spacing(np.abs(z))))
    return ShiftCheck(S, S2, c, float(np.abs(S2 - S).max()), 4 * ulp / t + 4 * EPS)


# ---- the temperature path ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TemperaturePath:
    r"""S(z / T) as T runs from ``Ts[0]`` (cold) to ``Ts[-1]`` (hot).

    ``Ts`` ``(k,)``; ``S`` ``(k, 3)``; ``xy`` ``(k, 2)``; ``cold`` ``(3,)``: the exact limit T → 0 (equal split over the
    tied largest logits); ``hot`` ``(3,)``: the limit T → ∞, (⅓, ⅓, ⅓); ``cold_xy``, ``hot_xy`` ``(2,)``; ``ties``: how
    many logits share the maximum; ``top`` (0-based indices of those logits); ``at_T``, ``at_xy``: the student's T and S.
    """

    Ts: np.ndarray
    S: np.ndarray
    xy: np.ndarray
    cold: np.ndarray
    hot: np.ndarray
    cold_xy: np.ndarray
    hot_xy: np.ndarray
    ties: int
    top: tuple[int, ...]
    at_T: float
    at_xy: np.ndarray

    @property
    def cold_name(self) -> str:
        """Where T → 0 leads, in words: 'the vertex e₁', 'the midpoint of the edge e₁e₂', or 'the centre'."""
        if self.ties == 1:
            return f"the vertex {label('e', self.top[0])}"
        if self.ties == 2:
            return f"the midpoint of the edge {label('e', self.top[0])}{label('e', self.top[1])}"
        return "the centre"

    @property
    def cold_distance(self) -> float:
        """How far the coldest point drawn is from the T → 0 limit (in triangle units, side 1)."""
        return float(np.linalg.norm(self.xy[0] - self.cold_xy))

    @property
    def hot_distance(self) -> float:
        """How far the hottest point drawn is from the centre."""
        return float(np.linalg.norm(self.xy[-1] - self.hot_xy))

    @property
    def sentence(self) -> str:
        """The computed caption of the path."""
        if self.ties == 3:
            return "All three logits are equal: S is the centre (⅓, ⅓, ⅓) at every temperature; the path is one point."
        why = (label("z", self.top[0]) + " is the unique largest logit" if self.ties == 1 else
               f"{label('z', self.top[0])} = {label('z', self.top[1])} tie for the largest logit, so S splits ½–½")
        return (f"As T → 0, S runs to {self.cold_name} ({why}; at T = {prose(self.Ts[0])} it is "
                f"{prose(self.cold_distance, 2)} away); as T → ∞, S runs to the centre (⅓, ⅓, ⅓) "
                f"(at T = {prose(self.Ts[-1])}, {prose(self.hot_distance, 2)} away).")


def temperature_path(z, temperature: float = 1.0, steps: int = 121) -> TemperaturePath:
    r"""The path :math:`T \mapsto S(z / T)` on the triangle, and its two ends.

    .. math:: \lim_{T\to 0} S(z/T) = \frac{1}{|M|}\sum_{k \in M} e_k,\ M = \arg\max_k z_k,\qquad
              \lim_{T\to\infty} S(z/T) = \tfrac13 \mathbb 1

    T is sampled geometrically from g/25 (where the largest logit leads the next by g, e^{-25} ≈ 10⁻¹¹: the vertex,
    to the eye) to 50·(max z − min z) (within a few hundredths of the centre), so the path reaches both ends whatever
    the logits' scale. Shapes: z ``(3,)`` -> :class:`TemperaturePath`.
    """
    z = check_three(z)
    t = check_temperature(temperature)
    top = np.flatnonzero(z == z.max())
    spread = float(z.max() - z.min()) or 1.0
    below = z[z < z.max()]
    gap = float(z.max() - below.max()) if below.size else spread
    Ts = np.geomspace(gap / 25.0, 50.0 * spread, int(steps))
    S = softmax(z[None, :] / Ts[:, None])  # one row per T (z / T is finite: T ≥ gap/25 > 0)
    cold = np.zeros(3)
    cold[top] = 1.0 / top.size
    hot = np.full(3, 1.0 / 3.0)
    return TemperaturePath(Ts, S, to_xy(S), cold, hot, to_xy(cold), to_xy(hot), int(top.size),
                           tuple(int(k) for k in top), t, to_xy(softmax(z, t)))


# ---- the cross-entropy gradient as an arrow ------------------------------------------------------------------------


@dataclass(frozen=True)
class GradientArrow:
    r"""The CE gradient at S, drawn on the triangle.

    - ``S``, ``Y`` ``(3,)``; ``xy`` ``(2,)`` the point S, ``target_xy`` ``(2,)`` the vertex of y.
    - ``dL_dz`` ``(3,)`` = (S − y)/T, the gradient with respect to z; ``arrow`` ``(3,)`` = −(S − y) = y − S
      (T·(−∂L/∂z)), whose components sum to 0; ``tip`` ``(2,)``: xy + arrow in the plane, which is y's vertex.
    - ``move`` ``(3,)``: the first-order move of S under the step Δz = −η ∂L/∂z with η = T (so Δz = y − S):
      ΔS = J Δz; ``move_tip`` ``(2,)``; ``angle`` (degrees, in [0, 90]) between the move and the straight line to the
      vertex; NaN when the move is too short for float64 to give it a direction (its rounding, ``noise``, above 10⁻⁴
      of it): either J itself is nearly 0 (S at a vertex) or y − S lies almost along the directions J sends to nearly 0.
    - ``j_max``: J's largest |entry|; ``noise``: the rounding that J(y − S) carries, about 3ε/T · max|y − S|.
    """

    S: np.ndarray
    Y: np.ndarray
    xy: np.ndarray
    target_xy: np.ndarray
    dL_dz: np.ndarray
    arrow: np.ndarray
    tip: np.ndarray
    move: np.ndarray
    move_tip: np.ndarray
    angle: float
    temperature: float
    j_max: float = math.nan
    noise: float = math.nan

    @property
    def arrow_label(self) -> str:
        """What the arrow is, exactly: −(S − y) is −∂L/∂z only at T = 1."""
        return "−∂L/∂z = y − S" if self.temperature == 1 else f"−T·∂L/∂z = y − S (T = {prose(self.temperature)})"

    @property
    def sentence(self) -> str:
        """A computed caption: the arrow ends on y's vertex; S itself moves along J(y − S), bent by `angle`."""
        y = int(np.argmax(self.Y))
        if not np.any(self.arrow):
            return f"S is exactly the vertex {label('e', y)} in float64: the gradient S − y is 0 and there is no arrow."
        if math.isnan(self.angle):
            if self.j_max == 0:
                return (f"The arrow y − S runs from S to the vertex {label('e', y)} of the target, but J has underflowed "
                        "to 0 here, so a small step on z does not move S at all in float64.")
            if not self.j_max * float(np.abs(self.arrow).max()) > 1e4 * self.noise:  # J itself is nearly 0
                return (f"The arrow y − S runs from S to the vertex {label('e', y)} of the target, but J is so close to 0 "
                        f"here (largest entry {prose(self.j_max)}) that float64 cannot show which way a small step on z "
                        "moves S.")
            size = float(np.linalg.norm(self.move))
            share = f"{prose(self.noise / size, 2)} of that move" if size > 0 else "all of that move"
            return (f"The arrow y − S runs from S to the vertex {label('e', y)} of the target. S's first move J(y − S) is "
                    f"only {prose(size)} long, although J's largest entry is {prose(self.j_max)}: y − S lies almost along "
                    f"the directions J sends to nearly 0. float64's rounding in J(y − S), about {prose(self.noise)}, is "
                    f"{share}, too much to quote the move's angle to the line (that needs under 10⁻⁴).")
        if self.angle < ANGLE_RES:
            bend = ("and a small step on z moves S straight along it (0° to float64's precision: J(y − S) is parallel "
                    "to y − S here)")
        elif self.angle < SEEN_DEG:
            bend = (f"and a small step on z moves S along J(y − S), {prose(self.angle, 2)}° off that line: not straight, "
                    f"but below {prose(SEEN_DEG)}°, a bend too small to see in the drawing")
        else:
            bend = (f"but a small step on z moves S along J(y − S), {prose(self.angle, 2)}° off that line: "
                    "the softmax Jacobian bends the step")
        if not np.any(self.move):
            bend = "but J has underflowed to 0 here, so a small step on z does not move S at all in float64"
        return f"The arrow y − S runs from S to the vertex {label('e', y)} of the target, {bend}."


def ce_arrow(z, y: int, temperature: float = 1.0) -> GradientArrow:
    r"""The cross-entropy gradient as an arrow on the triangle.

    .. math:: \frac{\partial L}{\partial z} = \frac{S - y}{T},\qquad S + (y - S) = y,\qquad
              \Delta S \approx J\,\Delta z = J (y - S)

    Shapes: z ``(3,)``, y a 0-based class -> :class:`GradientArrow`.
    """
    z = check_three(z)
    t = check_temperature(temperature)
    y = int(y)
    if not 0 <= y < 3:
        raise ValueError(f"the target class must be 0, 1 or 2 (shown 1–3), got {y}")
    S = softmax(z, t)
    Y = np.zeros(3)
    Y[y] = 1.0
    arrow = Y - S
    arrow[y] = float(np.sum(np.delete(S, y)))  # 1 − S_y as the other outputs' sum: exact when S_y rounds to 1
    xy = to_xy(S)
    J = jacobian(z, t)
    move = J @ arrow
    a, b = to_xy(arrow), to_xy(move)
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    # J's entries carry absolute rounding errors of a few ulps of 1/T, so a move shorter than ~10⁴ times that has no
    # direction float64 can show (near a vertex, J ≈ 0): its angle is NaN, not a number made of rounding
    noise = 3 * EPS / t * float(np.abs(arrow).max())
    if na > 0 and nb > 1e4 * noise:
        angle = math.degrees(math.acos(max(-1.0, min(1.0, float(a @ b) / (na * nb)))))
    else:
        angle = 0.0 if na == 0 else math.nan
    return GradientArrow(S, Y, xy, VERTICES[y].copy(), -arrow / t, arrow, xy + a, move, xy + b, angle, t,
                         float(np.abs(J).max()), noise)


# ---- the lesson's claims -------------------------------------------------------------------------------------------


def _rel(x: float, scale: float) -> float:
    """|x| relative to the size of the terms it is a sum of (0 when both are 0)."""
    return abs(x) / scale if scale > 0 else (0.0 if x == 0 else math.inf)


def geometry_claims(z, y: int, temperature: float = 1.0, c: float = 5.0) -> list[Check]:
    r"""The claims grid of the geometry lesson, each computed from the numbers the figures draw.

    Rows: S lies on the triangle; each column of J sums to 0 (its arrow lies in the plane); the three arrows add to
    J𝟙 = 0; S(z + c𝟙) = S(z); the temperature path's two ends; the CE arrow ends at y's vertex; S moves towards it.
    A sum that "is 0" is judged relative to its terms (a few ulps of the factor Sⱼ/T they share), never by an
    absolute 1e-12.
    """
    z = check_three(z)
    t = check_temperature(temperature)
    cols = column_arrows(z, t)
    S = cols.S
    out = []
    total = abs(float(S.sum()) - 1.0)
    inside = bool(S.min() > 0)
    out.append(Check("S is a point of the triangle", "Sᵢ ≥ 0 and Σ Sᵢ = 1",
                     f"S = ({', '.join(num(s) for s in S)}), |Σ Sᵢ − 1| = {num(total)}",
                     (True if inside else None) if total <= 4 * EPS else False,
                     "Every e^{zᵢ} > 0 and they are divided by their sum. "
                     + ("S is strictly inside: no output is exactly 0." if inside else
                        "Here float64 rounds an output to 0, so S prints on an edge; exactly, it is inside.")))
    worst = max(_rel(s, m) for s, m in zip(cols.column_sums, cols.column_scale, strict=True))
    zero = not np.any(cols.dS_dz)
    out.append(Check("each arrow lies in the triangle's plane", "Σᵢ ∂Sᵢ/∂zⱼ = 0 for every column j",
                     "J is 0 in float64: every arrow has length 0 (saturated)" if zero else
                     f"max |column sum| / (Sⱼ/T) = {num(worst)}", None if zero else bool(worst <= 8 * EPS),
                     "Σ Sᵢ = 1 whatever z is, so a nudge of one zⱼ moves S along the triangle, never off it."))
    tot = max(_rel(s, m) for s, m in zip(cols.total, cols.column_scale, strict=True))  # row i of J carries Sᵢ/T too
    out.append(Check("the three arrows add to 0", "J𝟙 = 0", "J is 0 in float64" if zero else
                     f"max |row sum| / (Sᵢ/T) = {num(tot)}", None if zero else bool(tot <= 8 * EPS),
                     "Nudging every zⱼ by the same amount is a shift, and a shift does not move S."))
    out.append(shift_check(z, c, t).check)
    path = temperature_path(z, t)
    if path.ties == 3:
        still = float(np.abs(path.xy - path.hot_xy).max())
        out.append(Check("temperature: S(z/T) for every T", "S = (⅓, ⅓, ⅓) at every T", f"max distance = {num(still)}",
                         bool(still <= 8 * EPS), "Equal logits stay equal after dividing by T."))
    else:
        ok = path.cold_distance < 1e-3 and path.hot_distance < 0.05
        out.append(Check("temperature: cold → " + path.cold_name.replace("the ", ""),
                         f"T → 0: {path.cold_name}; T → ∞: the centre",
                         # through prose, as the path's sentence prints them: num gave "T = 4×10³" beside its "T = 4000"
                         f"{prose(path.cold_distance, 2)} from it at T = {prose(path.Ts[0])}, "
                         f"{prose(path.hot_distance, 2)} from the centre at T = {prose(path.Ts[-1])}", bool(ok),
                         "Dividing by a small T magnifies the gaps between logits (an argmax, split over ties); "
                         "a large T shrinks every gap to 0 (uniform)."))
    g = ce_arrow(z, y, t)
    miss = float(np.linalg.norm(g.tip - g.target_xy))
    out.append(Check("the CE arrow points at y's vertex", f"S + (y − S) = {label('e', y)}",
                     f"|tip − vertex| = {num(miss)}, Σ(y − S) = {num(float(g.arrow.sum()))}", bool(miss <= 8 * EPS),
                     "∂L/∂z = (S − y)/T: its negative, times T, is y − S, the straight line from S to the target's corner."))
    progress = float(g.arrow @ g.move)  # (y − S)ᵀ J (y − S) ≥ 0: J is positive semi-definite
    out.append(Check("a small step moves S towards y", "(y − S)ᵀ J (y − S) ≥ 0",
                     f"(y − S)ᵀ J (y − S) = {num(progress)}; " + ("S's move is too short for float64 to show its direction"
                     if math.isnan(g.angle) else f"S's move is {num(g.angle, 2)}° off the straight line"),
                     # ⚠ where float64 cannot show the move's direction (the legend's "cannot show it here")
                     None if math.isnan(g.angle) or progress == 0 else progress > 0,
                     "J is positive semi-definite, so S never moves away from the target to first order; "
                     "it need not move straight at it."))
    return out
