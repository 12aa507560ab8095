"""The page registry: every page of the app, in teaching order, with the URL keys it owns.

The one list that everything which enumerates pages reads: the router (app.py), Home's "What you will learn" and
page list, the guided tour, the lecturer tools, the benchmarks, the tests and the parameter table in
docs/LECTURERS.md (checked by tests/test_registry.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class PageInfo:
    path: str  # the page file, relative to the repository root
    slug: str  # its URL path (and the name it goes by in exports and tests)
    title: str  # in the navigation
    icon: str
    notice: str  # the guided tour's "what to notice", one sentence, true at every setting
    keys: tuple[str, ...] = ()  # the page's own URL parameters (core.state.TABLE names), besides n, z, T
    learn: str = ""  # Home's "What you will learn" line (markdown)

    @property
    def stem(self) -> str:
        return Path(self.path).stem


# The pages in teaching order (the guided tour follows this list).
PAGES: tuple[PageInfo, ...] = (
    PageInfo("pages/home.py", "home", "Home", ":material/home:", "Softmax turns any logits into positive numbers that sum to 1."),
    PageInfo("pages/softmax.py", "softmax", "Softmax", ":material/functions:", "Add the same constant to every z: S does not move.",
             ("c", "gdraws", "gseed", "tau"), "**Softmax** and its shift invariance and temperature."),
    PageInfo("pages/dependencies.py", "dependencies", "Dependencies", ":material/hub:", "Nudge one zⱼ: every Sᵢ moves, through the shared sum.",
             ("j",), "**Dependencies**: why every $S_i$ depends on every $z_j$."),
    PageInfo("pages/derivation.py", "derivation", "Derivation", ":material/edit_note:", "Four rules give Sᵢ(1 − Sᵢ) on the diagonal and −Sᵢ Sⱼ off it.",
             ("i", "j"), "**Derivation**: four rules give $\\partial S_i/\\partial z_j = S_i(\\delta_{ij} - S_j)$ at $T = 1$."),
    PageInfo("pages/jacobian.py", "jacobian", "Jacobian", ":material/grid_on:", "J is symmetric, its rows sum to 0, and it shrinks to 0 as softmax turns one-hot.",
             ("sweep", "mc", "mcseed"), "**Jacobian**: $J = (\\operatorname{diag}(S) - S S^\\top)/T$ as one object with structure."),
    PageInfo("pages/chain_rule.py", "chain_rule", "Chain rule", ":material/account_tree:", "Multiply along each path, add across paths: for cross-entropy the sum is (S − y)/T.",
             ("y", "loss", "i", "h", "nudge"), "**Chain rule**: multiply along a path, add across paths; cross-entropy gives $(S - y)/T$."),
    PageInfo("pages/logsumexp.py", "logsumexp", "Log-sum-exp", ":material/function:", "Cross-entropy is log-sum-exp minus the target logit, and ∇LSE is softmax: no Jacobian needed.",
             ("y", "target", "eps", "zt"), "**Log-sum-exp**: the same gradient in one line, why losses take logits, and soft targets."),
    PageInfo("pages/training.py", "training", "Training", ":material/model_training:", "The S − y gradient trains a network: at a small enough learning rate the loss falls and the regions settle.",
             ("data", "D", "m", "dseed", "iseed", "wscale", "loss", "lr", "epochs", "at", "s"),
             "**Training**: that gradient trains the seed's network, $D$ inputs and 3 outputs (the diagram at $n = 3$)."),
    PageInfo("pages/at_scale.py", "at_scale", "At scale", ":material/stacks:", "Over a batch J is block-diagonal, and one token's J over 50,000 classes would take 10 GB in float32: frameworks compute the VJP instead.",
             ("data", "D", "m", "dseed", "iseed", "wscale", "bm", "vocab"), "**At scale**: batch shapes, and why frameworks never form $J$."),
    PageInfo("pages/attention.py", "attention", "Attention", ":material/center_focus_strong:", "Scores of random d-dimensional vectors spread like √d; dividing them by √d is softmax at temperature T = √d.",
             ("d", "aseed"), "**Attention**: $1/\\sqrt{d}$ is a temperature."),
)


def page_info(file: str) -> PageInfo:
    """The entry of the page whose file is ``file`` (a page passes ``__file__``). Unknown files fail loudly: a page
    that is not registered would silently lose its tour, its notice and its URL keys."""
    stem = Path(file).stem
    for p in PAGES:
        if p.stem == stem:
            return p
    raise LookupError(f"{file} is not in pages/_ui/registry.py: PAGES")
