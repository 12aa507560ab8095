"""Independent oracles for the maths tests: written from the definition, never from core's formulas."""

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
