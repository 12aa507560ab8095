"""Pure maths and URL state for the Softmax Derivative Explorer (numpy + stdlib only).

Indices are 0-based here and shown 1-based on screen (S_1 ... S_n).
"""

from . import state
from .checks import complex_step_jacobian, fd_jacobian
from .data import DATASETS, make_blobs, make_dataset, make_spirals
from .derivation import RULES, Step, complex_step_partial, derivation_latex, derivation_steps
from .losses import LOSSES, Loss, check_loss, cross_entropy, cross_entropy_grad, dL_dS, mse, mse_grad, path_products, targets
from .lse import (
    ce_lse,
    ce_lse_grad,
    distill_loss,
    distill_loss_grad,
    logsumexp,
    logsumexp_grad,
    smooth_max,
    smooth_max_grad,
    smooth_targets,
    smoothing_gap,
)
from .network import DIVERGENCE_LOSS, History, gradient_step, init_params, logits, loss_and_grad, predict, train
from .softmax import (
    as_logits,
    check_temperature,
    elementwise_p1mp,
    jacobian,
    log_softmax,
    naive_softmax,
    softmax,
    stable_softmax_in,
    vjp,
)

__all__ = [
    "DATASETS",
    "DIVERGENCE_LOSS",
    "LOSSES",
    "RULES",
    "History",
    "Loss",
    "Step",
    "as_logits",
    "ce_lse",
    "ce_lse_grad",
    "check_loss",
    "check_temperature",
    "complex_step_jacobian",
    "complex_step_partial",
    "cross_entropy",
    "cross_entropy_grad",
    "dL_dS",
    "derivation_latex",
    "derivation_steps",
    "distill_loss",
    "distill_loss_grad",
    "elementwise_p1mp",
    "fd_jacobian",
    "gradient_step",
    "init_params",
    "jacobian",
    "log_softmax",
    "logits",
    "logsumexp",
    "logsumexp_grad",
    "loss_and_grad",
    "make_blobs",
    "make_dataset",
    "make_spirals",
    "mse",
    "mse_grad",
    "naive_softmax",
    "path_products",
    "predict",
    "smooth_max",
    "smooth_max_grad",
    "smooth_targets",
    "smoothing_gap",
    "softmax",
    "stable_softmax_in",
    "state",
    "targets",
    "train",
    "vjp",
]
