"""What every resumable training loop of the project shares: the EMA update and the resume check."""
import os

import torch

from .cli import UserError
from .files import load_torch


def ema_update(ema: torch.nn.Module, model: torch.nn.Module, decay: float) -> None:
    """EMA of the parameters; buffers (batch-norm statistics) are the live model's."""
    with torch.no_grad():
        for e, p in zip(ema.parameters(), model.parameters()):
            e.lerp_(p.detach(), 1.0 - decay)
        for e, b in zip(ema.buffers(), model.buffers()):
            e.copy_(b)


def resume(state_path: str, wanted: dict, parts: dict, log=print) -> tuple:
    """``(epochs done, history)`` of the per-epoch state at ``state_path``, its tensors loaded into
    ``parts`` ({key in the state: module or optimizer}); ``(0, [])`` when there is none. A state made
    with other settings than ``wanted`` is refused: continuing it would give a model no run from scratch
    gives."""
    if not os.path.exists(state_path):
        return 0, []
    state = load_torch(state_path, what="training state")
    if state.get("config") != wanted:
        raise UserError(f"training state {state_path} was made with other settings; delete it to start over")
    for key, part in parts.items():
        part.load_state_dict(state[key])
    log(f"resuming from {state_path} after epoch {state['epoch']}")
    return state["epoch"], state["history"]


def parameters(model_path: str) -> int:
    """Trainable parameters of the network a checkpoint samples with (batch-norm statistics left out)."""
    obj = load_torch(model_path, what="model")
    state = obj.get("ema") if isinstance(obj, dict) else None
    if not isinstance(state, dict):
        raise UserError(f"{model_path} is not a generator written by this workflow (no EMA weights)")
    return sum(v.numel() for k, v in state.items() if not k.endswith(("running_mean", "running_var",
                                                                       "num_batches_tracked")))
