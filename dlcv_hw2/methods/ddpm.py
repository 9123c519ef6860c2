"""Problem 1: training (Algorithm 1, label dropout, EMA, resumable) and sampling of the digit DDPM."""

import copy
import math
import time
from dataclasses import dataclass
from typing import Callable

import torch
from tqdm import tqdm

from ..core.files import load_torch, save_torch
from ..data.digits import load_cache
from ..data.images import to_model_input
from ..models.digit_unet import NULL_LABEL, DigitUNet, guided_eps
from .diffusion import Schedule, ddim_sample, ddpm_sample, denoising_loss
from .training import ema_decay, ema_update, epoch_rng, load_checkpoint, progress, resume, save_epoch, save_model

KIND = "dlcv_hw2.ddpm"


def model_settings(cfg) -> dict:
    """What a checkpoint carries to rebuild the network and its schedule: the ``model`` then the
    ``schedule`` settings of the ddpm section, in schema order."""
    return {**cfg.as_dict(group="model"), **cfg.as_dict(group="schedule")}


def build_model(config: dict) -> DigitUNet:
    """The UNet a checkpoint's config describes (checkpoints written before ``scale_shift`` existed
    lack the key: they used the plain bias conditioning)."""
    return DigitUNet(
        base_channels=config["base_channels"],
        channel_mults=config["channel_mults"],
        num_res_blocks=config["num_res_blocks"],
        attention=config["attention"],
        dropout=config["dropout"],
        patch=config["patch"],
        scale_shift=config.get("scale_shift", False),
    )


def eps_from_x0(schedule: Schedule, x_t: torch.Tensor, t: torch.Tensor, x0_hat: torch.Tensor) -> torch.Tensor:
    """eps = (x_t - sqrt(abar_t) x0) / sqrt(1 - abar_t)."""
    return (x_t - schedule.at(schedule.alpha_bar.sqrt(), t, x_t) * x0_hat.clamp(-1, 1)) / schedule.at(
        (1 - schedule.alpha_bar).sqrt(), t, x_t
    )


def eps_model(model: DigitUNet, schedule: Schedule, prediction: str):
    """The network as a noise predictor ``f(x, t, labels) -> eps`` whatever it was trained to predict."""
    if prediction == "eps":
        return model
    return lambda x, t, y: eps_from_x0(schedule, x, t, model(x, t, y))


def schedule_of(config: dict) -> Schedule:
    return Schedule.linear(config["T"], config["beta_start"], config["beta_end"])


def train(
    cfg, seed: int, cache_path: str, state_path: str, model_path: str, loss_csv: str, device: torch.device, log=print
) -> dict:
    """Train (or resume) with ``cfg`` (the ddpm settings object) and write the EMA model. ``state_path``
    holds the per-epoch checkpoint: a run killed at any moment continues from the last completed
    epoch when started again."""
    split = load_cache(cache_path)
    images = to_model_input(split.images)
    labels = split.labels.clone()
    n = len(labels)
    bs = min(cfg.batch_size, n)
    steps_per_epoch = max(1, n // bs)
    total_steps = steps_per_epoch * cfg.epochs

    torch.manual_seed(seed)
    carried = model_settings(cfg)
    model = build_model(carried).to(device)
    ema = copy.deepcopy(model).eval().requires_grad_(False)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    schedule = schedule_of(carried)
    # every setting belongs to the state, epochs too: the learning-rate schedule is laid out over all
    # of them, so a state from a run with another epoch count would continue on another curve
    wanted = {**cfg.as_dict(), "seed": seed}
    start_epoch, history = resume(state_path, wanted, {"model": model, "ema": ema, "opt": opt}, log)

    use_amp = device.type == "cuda"
    log(
        f"DDPM: {sum(p.numel() for p in model.parameters()) / 1e6:.2f} M parameters, {n} images, "
        f"{steps_per_epoch} steps/epoch, epochs {start_epoch + 1}..{cfg.epochs} on {device}"
    )
    target = "noise" if cfg.prediction == "eps" else "x0"
    for epoch in range(start_epoch, cfg.epochs):
        model.train()
        gen = epoch_rng(seed, epoch)
        order = torch.randperm(n, generator=gen)
        t0, losses = time.time(), []
        bar = progress(steps_per_epoch, epoch, cfg.epochs)
        for i in bar:
            step = epoch * steps_per_epoch + i
            lr = cfg.lr * min(1.0, (step + 1) / max(1, cfg.warmup_steps))
            lr *= 0.5 * (1 + math.cos(math.pi * step / total_steps)) * 0.9 + 0.1  # cosine to 10 %
            for g in opt.param_groups:
                g["lr"] = lr
            idx = order[i * bs : (i + 1) * bs]
            x0 = images[idx].to(device)
            y = labels[idx].clone()
            y[torch.rand(len(y), generator=gen) < cfg.label_dropout] = NULL_LABEL
            y = y.to(device)
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=use_amp):
                loss = denoising_loss(lambda x, t: model(x, t, y).float(), schedule, x0, target=target, generator=gen)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            ema_update(ema, model, ema_decay(cfg.ema_decay, step))
            losses.append(loss.item())
            bar.set_postfix(loss=f"{losses[-1]:.4f}", refresh=False)  # drawn at the bar's own interval
        history.append(
            {
                "epoch": epoch + 1,
                "step": (epoch + 1) * steps_per_epoch,
                "loss": sum(losses) / len(losses),
                "seconds": round(time.time() - t0, 2),
            }
        )
        save_epoch(state_path, wanted, epoch + 1, history, {"model": model, "ema": ema, "opt": opt})
        log(f"epoch {epoch + 1}: loss {history[-1]['loss']:.4f} ({history[-1]['seconds']:.1f} s)")  # after the save

    save_model(KIND, carried, ema, model_path, history, loss_csv, ["epoch", "step", "loss", "seconds"], device, log)
    return {"history": history}


@dataclass(frozen=True)
class DDPMCheckpoint:
    """A trained digit DDPM, ready to sample."""

    eps: Callable  # the EMA network as a noise predictor f(x, t, labels) -> eps
    schedule: Schedule
    sampling: dict  # the grading sampling settings an exported checkpoint carries ({} before export)


def load_model(path: str, device) -> DDPMCheckpoint:
    """The model in a file written by :func:`train` (or by :func:`export_for_grading`)."""
    model, obj = load_checkpoint(path, KIND, lambda config, _: _checked(config), "DDPM checkpoint", "train_ddpm.py")
    config, schedule = obj["config"], schedule_of(obj["config"])
    # checkpoints written before x0 prediction existed predicted eps
    fn = eps_model(model.to(device), schedule, config.get("prediction", "eps"))
    return DDPMCheckpoint(fn, schedule, dict(obj.get("sampling", {})))


def _checked(config: dict) -> DigitUNet:
    """The network of a stored config whose schedule can be built too."""
    schedule_of(config)
    return build_model(config)


def export_for_grading(model_path: str, out_path: str, sampling) -> None:
    """Copy a trained model with the sampling settings hw2_1.sh should use (the ``grading`` group of
    the ddpm_sampling settings ``sampling``)."""
    obj = load_torch(model_path, what="DDPM checkpoint")
    obj["sampling"] = sampling.as_dict(group="grading")
    save_torch(obj, out_path)


def initial_noise(n_per_digit: int, seed: int) -> tuple:
    """Labels [0]*n + [1]*n + ... and one noise per image, drawn on the CPU from ``seed``: the
    j-th noise of every digit is the same, so grid columns share their noise."""
    gen = torch.Generator().manual_seed(seed)
    noise = torch.randn((n_per_digit, 3, 28, 28), generator=gen)
    labels = torch.arange(10).repeat_interleave(n_per_digit)
    return labels, noise.repeat(10, 1, 1, 1), gen


@torch.no_grad()
def sample(
    model,
    schedule,
    labels: torch.Tensor,
    x_T: torch.Tensor,
    *,
    sampler: str,
    steps: int,
    guidance: float,
    generator: torch.Generator,
    device,
    batch_size: int = 500,
    record=None,
    progress=True,
) -> torch.Tensor:
    """Images in [-1, 1] for ``labels`` from ``x_T``, in batches; DDPM (all T steps) or DDIM (``steps``)
    with classifier-free guidance weight ``guidance``. ``record`` as in the samplers (first batch)."""
    outs = []
    batches = list(range(0, len(labels), batch_size))
    for start in tqdm(batches, desc=f"{sampler} sampling", disable=not progress):
        y = labels[start : start + batch_size].to(device)
        x = x_T[start : start + batch_size].to(device)
        eps_fn = guided_eps(model, y, guidance)
        rec = record if start == 0 else None
        if sampler == "ddpm":
            out = ddpm_sample(eps_fn, x, schedule, generator=generator, record=rec)
        else:
            out = ddim_sample(eps_fn, x, schedule, steps=steps, eta=0.0, clip_x0=True, generator=generator, record=rec)
        outs.append(out.clamp(-1, 1).cpu())
    return torch.cat(outs)
