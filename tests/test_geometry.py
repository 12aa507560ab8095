"""core.geometry: softmax on the triangle (n = 3). Coordinates, arrows and paths against their definitions, at the
GUIDE's settings (ties, saturation, T ≠ 1), and the claims grid computed from the numbers."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import core
from core import geometry as geo
from tests.oracles import complex_step_grad, ref_softmax

EPS = np.finfo(float).eps
SETTINGS = [((2.0, 1.0, 0.1), 1.0), ((2.0, 1.0, 0.1), 0.1), ((2.0, 1.0, 0.1), 10.0), ((1.0, 1.0, 0.0), 1.0),
            ((1.0, 1.0, 1.0), 1.0), ((8.0, 0.0, -8.0), 1.0), ((40.0, -40.0, 0.0), 1.0), ((1000.0, 0.0, -1000.0), 1.0),
            ((0.3, -1.2, 2.2), 0.37)]
logits3 = st.lists(st.floats(-15, 15), min_size=3, max_size=3)
temps = st.sampled_from([0.1, 0.5, 1.0, 2.5, 10.0])


def test_vertices_centre_and_edges():
    np.testing.assert_allclose(geo.to_xy(np.eye(3)), geo.VERTICES)
    np.testing.assert_allclose(geo.to_xy(np.full(3, 1 / 3)), geo.CENTRE)
    sides = [np.linalg.norm(geo.VERTICES[i] - geo.VERTICES[j]) for i, j in ((0, 1), (1, 2), (2, 0))]
    np.testing.assert_allclose(sides, 1.0)  # equilateral, side 1
    np.testing.assert_allclose(geo.to_xy([0.5, 0.5, 0.0]), (geo.VERTICES[0] + geo.VERTICES[1]) / 2)


def test_plane_basis_is_orthonormal_and_orthogonal_to_ones():
    B = geo.PLANE_BASIS
    np.testing.assert_allclose(B @ B.T, np.eye(2), atol=1e-15)
    np.testing.assert_allclose(B @ np.ones(3), 0.0, atol=1e-15)
    z = np.array([0.3, -2.0, 1.1])
    np.testing.assert_allclose(geo.from_plane(geo.to_plane(z)), z - z.mean(), atol=1e-15)


@given(logits3, temps)
def test_column_arrows_lie_in_the_plane_and_point_at_their_vertex(z, T):
    a = geo.column_arrows(z, T)
    J = core.jacobian(z, T)
    np.testing.assert_array_equal(a.dS_dz, J)
    # each column sums to 0 relative to the factor S_j/T its terms share
    assert np.all(np.abs(a.column_sums) <= 8 * EPS * a.S / T + 1e-300)
    # arrow j is a non-negative multiple of e_j − S, drawn from S (its direction from the column itself: tips − xy
    # would lose the digits of a short arrow to the subtraction)
    np.testing.assert_allclose(a.tips, a.xy + geo.to_xy(a.dS_dz.T), atol=1e-15)
    for j in range(3):
        away = -a.S.copy()  # e_j − S, with its j-th entry as Σ_{k≠j} S_k (no cancellation near S_j = 1)
        away[j] = a.S.sum() - a.S[j]
        want = geo.to_xy(a.S[j] / T * away)
        # every entry of column j has an absolute rounding error of a few ulps of S_j/T (core.jacobian's S_j − S_j²)
        np.testing.assert_allclose(geo.to_xy(a.dS_dz[:, j]), want, rtol=0, atol=8 * EPS * a.S[j] / T + 1e-300)
        assert geo.to_xy(a.dS_dz[:, j]) @ (geo.VERTICES[j] - a.xy) >= 0  # towards e_j, never away
    # the three arrows add to J𝟙 = 0: the tips' displacements cancel
    # (up to the rounding of arrows as long as 1/(4T) and of tips − xy, a few ulps of 1/T + 1)
    np.testing.assert_allclose((a.tips - a.xy).sum(axis=0), 0.0, atol=16 * EPS * (1 / T + 1))


def test_column_arrows_predict_the_nudged_point_to_first_order():
    z = np.array([0.4, -0.3, 1.0])
    for dz in (1e-2, 1e-3):
        a = geo.column_arrows(z, 1.0, dz)
        assert np.abs(a.tips - a.actual).max() < 2 * dz**2  # linear prediction, error O(dz²)
    a = geo.column_arrows(z, 1.0, 1e-3)
    # the columns against the complex step of softmax itself (an independent oracle)
    np.testing.assert_allclose(a.dS_dz, complex_step_grad(ref_softmax, z), rtol=1e-13, atol=1e-16)


@given(logits3, st.floats(-50, 50), temps)
def test_shift_leaves_the_point_where_it_is(z, c, T):
    s = geo.shift_check(z, c, T)
    assert s.check.ok in (True, None)  # ⚠ only when float64 rounding of z + c explains the difference
    np.testing.assert_allclose(geo.to_xy(s.S_shifted), geo.to_xy(s.S), atol=1e-12)


def test_shift_check_flags_only_rounding():
    assert geo.shift_check((2.0, 1.0, 0.1), 5.0).check.ok is True
    big = geo.shift_check((2.0, 1.0, 0.1), 1e15).check
    assert big.ok is None and "rounded" in big.value


@pytest.mark.parametrize(("z", "cold"), [((2.0, 1.0, 0.1), (1, 0, 0)), ((1.0, 1.0, 0.0), (0.5, 0.5, 0)),
                                         ((0.0, 3.0, 3.0), (0, 0.5, 0.5)), ((40.0, -40.0, 0.0), (1, 0, 0)),
                                         ((1000.0, 0.0, -1000.0), (1, 0, 0)), ((2.0, 1.999, 0.0), (1, 0, 0))])
@pytest.mark.parametrize("T", [0.1, 1.0, 10.0])
def test_temperature_path_runs_from_the_cold_limit_to_the_centre(z, cold, T):
    p = geo.temperature_path(z, T)
    np.testing.assert_array_equal(p.cold, cold)
    assert p.cold_distance < 1e-3 and p.hot_distance < 0.05  # both ends reached, whatever the logits' scale
    assert np.all(np.diff(p.Ts) > 0)
    np.testing.assert_allclose(p.at_xy, geo.to_xy(core.softmax(z, T)))
    np.testing.assert_allclose(p.S, core.softmax(np.asarray(z)[None, :] / p.Ts[:, None]))
    assert ("vertex" in p.sentence) == (p.ties == 1) and ("edge" in p.sentence) == (p.ties == 2)


def test_three_way_tie_stays_at_the_centre():
    p = geo.temperature_path((1.0, 1.0, 1.0))
    assert p.ties == 3 and np.abs(p.xy - geo.CENTRE).max() < 1e-15 and "every temperature" in p.sentence


@given(logits3, st.integers(0, 2), temps)
def test_ce_arrow_runs_from_S_to_the_target_vertex(z, y, T):
    g = geo.ce_arrow(z, y, T)
    np.testing.assert_allclose(g.tip, geo.VERTICES[y], atol=1e-14)
    assert abs(g.arrow.sum()) <= 4 * EPS  # y − S lies in the plane
    np.testing.assert_allclose(g.dL_dz, core.cross_entropy_grad(np.asarray(z) / T, y) / T, atol=1e-15)
    assert g.arrow @ g.move >= -1e-18  # J is PSD: S never moves away from the target to first order
    assert math.isnan(g.angle) or 0 <= g.angle <= 90 + 1e-9  # the drawing is a similarity of the plane ⟂ 𝟙


def test_ce_arrow_label_says_what_the_arrow_is_at_T():
    assert geo.ce_arrow((2, 1, 0.1), 0).arrow_label == "−∂L/∂z = y − S"
    assert "T·" in geo.ce_arrow((2, 1, 0.1), 0, 0.5).arrow_label


def test_grid_image_is_inside_and_is_softmax_of_the_grid():
    g = geo.grid_image(radius=4.0, lines=5, points=11, temperature=0.7)
    assert g.ab.shape == (2, 5, 11, 2) and g.xy.shape == (2, 5, 11, 2)
    np.testing.assert_allclose(g.Z.sum(axis=-1), 0.0, atol=1e-14)  # the plane ⟂ 𝟙
    np.testing.assert_allclose(g.S, core.softmax(g.Z, 0.7))
    assert g.min_S > 0 and "strictly inside" in g.sentence
    far = geo.grid_image(radius=1000.0, lines=3, points=3)
    assert far.min_S == 0 and "exact arithmetic" in far.sentence


@pytest.mark.parametrize("n", [2, 4, 5, 10])
def test_other_n_get_a_statement_not_a_triangle(n):
    with pytest.raises(ValueError, match=f"n = {n}"):
        geo.column_arrows(np.zeros(n))
    text = geo.picture_statement(n)
    assert f"n = {n}" in text and ("n = 3" in text or "Σ Sᵢ = 1" in text)
    if n == 4:
        assert "three dimensions" in text and "tetrahedron" in text


def test_tetrahedron_for_n4_is_regular():
    V = geo.tetrahedron_xyz(np.eye(4))
    d = [np.linalg.norm(V[i] - V[j]) for i in range(4) for j in range(i + 1, 4)]
    np.testing.assert_allclose(d, 1.0)


@pytest.mark.parametrize(("z", "T"), SETTINGS)
@pytest.mark.parametrize("y", [0, 2])
def test_claims_never_fail_at_the_guides_settings(z, T, y):
    """✗ would mean the maths is wrong: at every setting the grid shows ✓, or ⚠ where float64 cannot show it."""
    checks = geo.geometry_claims(z, y, T)
    assert [c.mark for c in checks if c.ok is False] == [], [(c.name, c.value) for c in checks]
    assert len(checks) == 7 and all(c.value and c.why for c in checks)


def test_claims_at_defaults_are_all_true_and_saturation_is_flagged():
    assert all(c.ok is True for c in geo.geometry_claims((2.0, 1.0, 0.1), 0))
    sat = {c.name: c.ok for c in geo.geometry_claims((1000.0, 0.0, -1000.0), 2)}
    assert sat["S is a point of the triangle"] is None and sat["each arrow lies in the triangle's plane"] is None


def test_a_broken_jacobian_would_fail_the_plane_claim(monkeypatch):
    """The claim is computed: with the misconception's diagonal-only J the columns no longer sum to 0."""
    monkeypatch.setattr(geo, "jacobian", core.elementwise_p1mp)
    checks = {c.name: c.ok for c in geo.geometry_claims((2.0, 1.0, 0.1), 0)}
    assert checks["each arrow lies in the triangle's plane"] is False and checks["the three arrows add to 0"] is False


def test_angle_is_zero_on_the_symmetric_line():
    """At a tie of the two other classes, J(y − S) is parallel to y − S: the step goes straight."""
    g = geo.ce_arrow((0.0, 1.0, 1.0), 0)
    assert g.angle < 1e-6 and "straight" in g.sentence
    assert math.isfinite(geo.ce_arrow((2.0, 1.0, 0.1), 2, 0.1).angle)


@pytest.mark.parametrize(("z", "y", "word"), [((8.0, 0.0, -8.0), 0, "below 0.5°"), ((2.0, 1.0, 0.1), 0, "bends the step"),
                                              ((2.0, 0.0, 0.0), 0, "straight along it"),
                                              ((1.0, 1.0, 0.0), 2, "straight along it")])
def test_straight_is_said_only_from_the_angle(z, y, word):
    """'Straight' was said at 0.008°: the wording follows the computed angle with stated thresholds (float64's
    resolution of the angle; 0.5°, the smallest bend the drawing shows)."""
    g = geo.ce_arrow(z, y)
    assert word in g.sentence
    assert ("moves S straight along it" in g.sentence) == (g.angle < geo.ANGLE_RES)
    if geo.ANGLE_RES <= g.angle:
        assert f"{g.angle:.2g}° off that line" in g.sentence


def test_a_short_move_is_blamed_on_its_direction_not_on_a_small_J():
    """Reader 9, finding 3: at z = (2, 2, −1), T = 0.1 J is as large as it gets (1/(4T) = 2.5), yet J(y − S) is ~10⁻¹²
    because y − S lies along J's near-null directions: the sentence says that, with the numbers, and the claims row is
    ⚠ (the legend's 'float64 cannot show it here'), not ✓, while its cell says the direction cannot be shown."""
    g = geo.ce_arrow((2.0, 2.0, -1.0), 2, 0.1)
    assert math.isnan(g.angle) and g.j_max == pytest.approx(2.5)
    assert "so close to 0" not in g.sentence
    assert "J's largest entry is 2.5" in g.sentence and "directions J sends to nearly 0" in g.sentence
    row = geo.geometry_claims((2.0, 2.0, -1.0), 2, 0.1)[-1]
    assert row.name == "a small step moves S towards y" and row.ok is None and "direction" in row.value
    sat = geo.ce_arrow((40.0, -40.0, 0.0), 1)  # here J itself is ~10⁻¹⁸: that is what the sentence says
    assert math.isnan(sat.angle) and "J is so close to 0" in sat.sentence
    assert "underflowed to 0" in geo.ce_arrow((1000.0, 0.0, -1000.0), 1).sentence
