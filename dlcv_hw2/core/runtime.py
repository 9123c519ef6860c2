"""Where and how a script runs: the torch device, the random seeds, the record of where a training ran."""

import json
import random

import numpy as np
import torch

from .cli import UserError


def pick_device(name: str = "auto") -> torch.device:
    """``auto`` picks CUDA when present, else the CPU."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise UserError(f"device {name!r} asked for, but no CUDA GPU is available")
    return torch.device(name)


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def write_run_info(path: str, device: torch.device) -> None:
    """Where a training ran, as JSON (the reports state it): the device and the torch threads."""
    from .files import atomic_write_text

    atomic_write_text(path, json.dumps({"device": str(device), "threads": torch.get_num_threads()}) + "\n")
