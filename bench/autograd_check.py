"""Independent check of the core API against PyTorch's autograd (float64). Optional: needs torch.

    python -m venv /tmp/tv && /tmp/tv/bin/pip install numpy==2.4.6 torch==2.13.0
    /tmp/tv/bin/python -m bench.autograd_check      # from the repository root

200 random cases (n = 2..10, batches of 1..5, T = 0.1..10, random upstream gradients, never all-ones) for
softmax, log_softmax, the Jacobian, the VJP, cross-entropy (labels and soft targets) and MSE through softmax,
plus 100 epochs of core.train against the same loop in torch. Prints the worst |difference| of each.
"""

from __future__ import annotations

import numpy as np

import core


def main() -> None:
    import torch

    torch.set_default_dtype(torch.float64)
    rng = np.random.default_rng(0)
    worst: dict[str, float] = {}

    def rec(k: str, v) -> None:
        worst[k] = max(worst.get(k, 0.0), float(v))

    for _ in range(200):
        n, m, T = int(rng.integers(2, 11)), int(rng.integers(1, 6)), float(rng.uniform(0.1, 10))
        z, g = rng.normal(0, 5, (m, n)), rng.normal(size=(m, n))
        zt = torch.tensor(z, requires_grad=True)
        S = torch.softmax(zt / T, -1)
        rec("softmax", np.abs(S.detach().numpy() - core.softmax(z, T)).max())
        rec("log_softmax", np.abs(torch.log_softmax(zt / T, -1).detach().numpy() - core.log_softmax(z, T)).max())
        (S * torch.tensor(g)).sum().backward()
        rec("vjp", np.abs(zt.grad.numpy() - core.vjp(z, g, T)).max())
        J = torch.autograd.functional.jacobian(lambda x, T=T: torch.softmax(x / T, -1), torch.tensor(z[0]))
        rec("jacobian", np.abs(J.numpy() - core.jacobian(z[0], T)).max())
        y = rng.integers(0, n, m)
        for name, loss, grad in (("ce", core.cross_entropy, core.cross_entropy_grad), ("mse", core.mse, core.mse_grad)):
            zt = torch.tensor(z, requires_grad=True)
            if name == "ce":
                L = torch.nn.functional.cross_entropy(zt, torch.tensor(y))
            else:
                L = ((torch.softmax(zt, -1) - torch.nn.functional.one_hot(torch.tensor(y), n)) ** 2).sum() / m
            L.backward()
            rec(f"{name} value", abs(L.item() - loss(z, y)))
            rec(f"{name} grad", np.abs(zt.grad.numpy() - grad(z, y)).max())
        Y = torch.softmax(torch.tensor(rng.normal(size=(m, n))), -1)
        zt = torch.tensor(z, requires_grad=True)
        (-(Y * torch.log_softmax(zt, -1)).sum() / m).backward()
        rec("ce soft-target grad", np.abs(zt.grad.numpy() - core.cross_entropy_grad(z, Y.numpy())).max())

    X, yy = core.make_blobs(50, seed=0)
    W0, b0 = core.init_params(2, 3, 0)
    h = core.train(X, yy, W0, b0, 0.5, 100)
    W, b = torch.tensor(W0, requires_grad=True), torch.tensor(b0, requires_grad=True)
    losses = []
    for t in range(101):
        L = torch.nn.functional.cross_entropy(torch.tensor(X) @ W.T + b, torch.tensor(yy))
        losses.append(L.item())
        if t == 100:
            break
        W.grad = b.grad = None
        L.backward()
        with torch.no_grad():
            W -= 0.5 * W.grad
            b -= 0.5 * b.grad
    rec("train loss history", np.abs(np.array(losses) - h.loss).max())
    for k, v in worst.items():
        print(f"{k:22s} max |diff| = {v:.2e}")
    lse_checks(torch, np.random.default_rng(1))
    stability_table(torch)


def lse_checks(torch, rng, cases: int = 400) -> None:
    """core.lse against torch in float64: logsumexp (value, relative; gradient with a random upstream g), cross-entropy
    with label_smoothing=ε (value and gradient), distillation's T²·KL; |z| up to 1e4 (scale log-uniform in 1..1e4),
    T log-uniform in 0.1..10, n = 2..10."""
    F = torch.nn.functional
    worst: dict[str, float] = {}

    def rec(k: str, v) -> None:
        worst[k] = max(worst.get(k, 0.0), float(v))

    top = {"|z|": 0.0, "T min": 10.0, "T max": 0.0}
    for _ in range(cases):
        n, m = int(rng.integers(2, 11)), int(rng.integers(1, 6))
        T, scale = float(10 ** rng.uniform(-1, 1)), float(10 ** rng.uniform(0, 4))
        z = rng.uniform(-1, 1, (m, n)) * scale
        top["|z|"], top["T min"], top["T max"] = max(top["|z|"], np.abs(z).max()), min(top["T min"], T), max(top["T max"], T)
        g = rng.normal(size=m)
        zt = torch.tensor(z, requires_grad=True)
        L = torch.logsumexp(zt / T, -1)
        ref = L.detach().numpy()
        rec("logsumexp value (rel)", np.max(np.abs(ref - core.logsumexp(z, T)) / np.maximum(np.abs(ref), 1e-300)))
        (L * torch.tensor(g)).sum().backward()
        rec("logsumexp grad", np.abs(zt.grad.numpy() - g[:, None] * core.logsumexp_grad(z, T)).max())
        y, eps = rng.integers(0, n, m), float(rng.uniform(0, 1))
        for r in range(m):
            zr = torch.tensor(z[r], requires_grad=True)
            ce = F.cross_entropy((zr / T)[None], torch.tensor([int(y[r])]), label_smoothing=eps)
            ce.backward()
            q = core.smooth_targets(int(y[r]), n, eps)
            mine = core.ce_lse(z[r], q, T)
            rec("CE label_smoothing value (rel)", abs(ce.item() - mine) / max(abs(ce.item()), 1e-300))
            rec("CE label_smoothing grad", np.abs(zr.grad.numpy() - core.ce_lse_grad(z[r], q, T)).max())
            teacher = rng.normal(0, 3, n)
            zs = torch.tensor(z[r], requires_grad=True)
            kd = F.kl_div(F.log_softmax(zs / T, -1), F.softmax(torch.tensor(teacher) / T, -1), reduction="sum") * T * T
            kd.backward()
            diff = abs(kd.item() - core.distill_loss(z[r], teacher, T))
            rec("distillation T²·KL value (abs)", diff)
            rec("distillation T²·KL value (rel)", diff / max(abs(kd.item()), 1e-12))
            rec("distillation grad", np.abs(zs.grad.numpy() - core.distill_loss_grad(z[r], teacher, T)).max())
    print(f"\ncore.lse against torch, float64, {cases} cases: max |z| = {top['|z|']:.3g}, "
          f"T in [{top['T min']:.3g}, {top['T max']:.3g}]")
    for k, v in worst.items():
        print(f"{k:32s} worst = {v:.2e}")


def stability_table(torch) -> None:
    """What torch itself gives, per dtype: log(softmax(z))[y] and its autograd gradient against the fused
    log_softmax / cross_entropy, for the page's probe logits and the confidently wrong class (the last)."""
    F = torch.nn.functional
    print("\ntorch stability table (y = the last class, the smallest logit)")
    print(f"{'dtype':8s} {'z':22s} {'log(softmax(z))_y':>18s} {'log_softmax(z)_y':>17s}  {'grad via log(softmax)':28s} "
          "grad via cross_entropy")
    for dt, name in ((torch.float16, "float16"), (torch.float32, "float32"), (torch.float64, "float64")):
        for z in ((1000.0, 0.0, -1000.0), (100.0, 0.0, -100.0), (20.0, 0.0, -20.0), (2.0, 1.0, 0.1)):
            a = torch.tensor(z, dtype=dt, requires_grad=True)
            (-torch.log(torch.softmax(a, -1))[-1]).backward()
            b = torch.tensor(z, dtype=dt, requires_grad=True)
            F.cross_entropy(b[None], torch.tensor([len(z) - 1])).backward()
            with torch.no_grad():
                naive, fused = torch.log(torch.softmax(a, -1))[-1].item(), torch.log_softmax(a, -1)[-1].item()
            fmt = lambda t: "(" + ", ".join(f"{v:.3g}" for v in t.tolist()) + ")"
            print(f"{name:8s} {z!s:22s} {naive:18.6g} {fused:17.6g}  {fmt(a.grad):28s} {fmt(b.grad)}")


if __name__ == "__main__":
    main()
