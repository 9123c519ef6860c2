"""What every resumable training loop of the project shares: the EMA update, the per-epoch state and the
resume check, and the generators' final file."""
import os

import torch

from .cli import UserError
from .files import load_torch, save_torch, write_csv_rows


def ema_update(ema: torch.nn.Module, model: torch.nn.Module, decay: float) -> None:
    """EMA of the parameters; buffers (batch-norm statistics) are the live model's."""
    with torch.no_grad():
        for e, p in zip(ema.parameters(), model.parameters()):
            e.lerp_(p.detach(), 1.0 - decay)
        for e, b in zip(ema.buffers(), model.buffers()):
            e.copy_(b)


def save_epoch(state_path: str, wanted: dict, epochs_done: int, history: list, parts: dict) -> None:
    """The per-epoch state :func:`resume` reads: the settings, the epochs done, the history and the
    state of every part (networks, EMA copies, optimizers)."""
    save_torch({"config": wanted, "epoch": epochs_done, "history": history,
                **{name: part.state_dict() for name, part in parts.items()}}, state_path)


def save_generator(kind: str, config: dict, ema: torch.nn.Module, parameters: dict, model_path: str,
                   history: list, loss_csv: str, columns: list, device: torch.device, log=print) -> None:
    """A GAN's final files: the EMA generator with the settings that shape it and the parameter counts,
    and the loss history as CSV; on a GPU the peak memory is logged first."""
    if device.type == "cuda":
        log(f"peak GPU memory: {torch.cuda.max_memory_allocated(device) / 2**30:.2f} GiB")
    save_torch({"kind": kind, "config": config, "ema": ema.state_dict(), "parameters": parameters}, model_path)
    write_csv_rows(history, loss_csv, columns)


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
