"""Independent oracles for the maths tests: written from the definition, never from core's formulas."""

import math

import numpy as np

# ---- independent oracles: written from the definition, never from core's formulas -----------------

def ref_softmax(z):
    """Softmax from the definition, complex-safe (shift by the real max), for the complex step."""
    z = np.asarray(z)
    x = z - np.max(z.real, axis=-1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=-1, keepdims=True)


def complex_step_grad(f, x, h=1e-30):
    """d f / d x for scalar f (or vector f: returns (*f.shape, *x.shape)) by the complex step."""
    x = np.asarray(x, dtype=float)
    cols = []
    for idx in np.ndindex(x.shape):
        xc = x.astype(complex)
        xc[idx] += 1j * h
        cols.append(np.imag(f(xc)) / h)
    out = np.array(cols)  # (x.size, *f.shape)
    return np.moveaxis(out.reshape(x.shape + out.shape[1:]), list(range(x.ndim)), list(range(-x.ndim, 0)))


def central_diff_grad(f, x, h=1e-6):
    """d f / d x by central differences (real arithmetic only)."""
    x = np.asarray(x, dtype=float)
    cols = []
    for idx in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[idx] = h
        cols.append((np.asarray(f(x + e)) - np.asarray(f(x - e))) / (2 * h))
    out = np.array(cols)
    return np.moveaxis(out.reshape(x.shape + out.shape[1:]), list(range(x.ndim)), list(range(-x.ndim, 0)))


def binomial_tails(count: int, N: int, p: float) -> tuple[float, float]:
    """P(X ≤ count) and P(X ≥ count) for X ~ Binomial(N, p), summed exactly from the definition (no normal
    approximation): log C(N, k) as a running sum of log((N − k + 1)/k), so N = 10⁶ costs one numpy pass."""
    if p <= 0 or p >= 1:  # X is surely 0 (or surely N)
        sure = 0 if p <= 0 else N
        return float(count >= sure), float(count <= sure)
    k = np.arange(1, N + 1)
    log_choose = np.concatenate([[0.0], np.cumsum(np.log((N - k + 1) / k))])
    pmf = np.exp(log_choose + np.arange(N + 1) * np.log(p) + (N - np.arange(N + 1)) * np.log1p(-p))
    return math.fsum(pmf[:count + 1]), math.fsum(pmf[count:])


def implausible_classes(freq, S, N: int, alpha: float = 1e-6) -> list[int]:
    """The classes whose count N·freq_k is implausible under Binomial(N, S_k): either tail below α/(2n).

    Each class's count is Binomial(N, S_k) exactly, and for a discrete X, P(tail ≤ β) ≤ β, so a correct sampler is
    flagged with probability at most α over all n classes and both tails (Bonferroni). Unlike a test in standard
    errors √(S(1 − S)/N), this is valid for a rare class (N·S_k ≲ 10): one draw of a class with S = 1e-6 in 1,000
    is not evidence (p = 1e-3), and a class never drawn is evidence only once e^{−N·S_k} < α/(2n)."""
    freq, S = np.asarray(freq, dtype=float), np.asarray(S, dtype=float)
    counts = np.rint(freq * N).astype(int)
    bad = []
    for k, (c, p) in enumerate(zip(counts, S, strict=True)):
        lower, upper = binomial_tails(int(c), N, float(p))
        if min(lower, upper) < alpha / (2 * S.size):
            bad.append(k)
    return bad


# ---- high precision: softmax and its exact forms in mpmath, for the claims grids -------------------------------------

def mp_softmax(z, T=1.0, dps: int = 50):
    """S = softmax(z/T) in mpmath at ``dps`` digits, from the definition e^{z_i/T} / Σ_k e^{z_k/T}; no sum of terms
    of both signs, so every S_i is good to ``dps`` digits however small (mpmath's exponent has no float64 floor)."""
    import mpmath as mp

    with mp.workdps(dps):
        # a float64 z is taken exactly; an mpf one too (z + Δz formed in mpmath is the nudge the pages mean)
        x = [(v if isinstance(v, mp.mpf) else mp.mpf(float(v))) / mp.mpf(float(T)) for v in z]
        top = max(x)
        e = [mp.exp(v - top) for v in x]
        total = mp.fsum(e)
        return [v / total for v in e]


def mp_rest(S, i: int):
    """1 − S_i as the sum of the other outputs, Σ_{k≠i} S_k: exact where S_i is within 10⁻¹⁸ of 1 (1 − S_i in float64
    would cancel to 0)."""
    import mpmath as mp

    return mp.fsum(s for k, s in enumerate(S) if k != i)


def mp_jacobian(z, T=1.0):
    """J = (diag(S) − S Sᵀ)/T in mpmath, the diagonal as S_i Σ_{k≠i} S_k/T (no 1 − S_i to cancel). A list of rows."""
    import mpmath as mp

    S = mp_softmax(z, T)
    with mp.workdps(50):
        t = mp.mpf(float(T))
        return [[(S[i] * mp_rest(S, i) if i == j else -S[i] * S[j]) / t for j in range(len(S))] for i in range(len(S))]


def mp_eigenvalues(z, T=1.0) -> list[float]:
    """J's eigenvalues, ascending, from mpmath's symmetric eigensolver at 50 digits (one of them is exactly 0: J𝟙 = 0)."""
    import mpmath as mp

    with mp.workdps(50):
        return sorted(float(v) for v in mp.eigsy(mp.matrix(mp_jacobian(z, T)), eigvals_only=True))


def mp_loss_grads(z, T, y: int) -> tuple[list[float], list[float]]:
    """∂L/∂z for cross-entropy, (S − e_y)/T with its target entry −Σ_{k≠y} S_k/T, and for MSE Σ(S − e_y)²,
    2 Jᵀ(S − e_y), both in mpmath."""
    import mpmath as mp

    S = mp_softmax(z, T)
    J = mp_jacobian(z, T)
    n = len(S)
    with mp.workdps(50):
        r = [(-mp_rest(S, k) if k == y else S[k]) for k in range(n)]  # S − e_y
        ce = [float(v / mp.mpf(float(T))) for v in r]
        mse = [float(2 * mp.fsum(J[i][j] * r[i] for i in range(n))) for j in range(n)]
    return ce, mse
