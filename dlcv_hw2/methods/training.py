"""What every training loop of the project shares, written once: the random generator of an epoch, the
progress bar, the EMA of the weights, the per-epoch state and the resume check, the final model file,
the one checkpoint loader, and the one adversarial loop of the GANs (the ACGAN and the face GANs).

Checkpoint ``kind`` tags ("dlcv_hw2.ddpm", "dlcv_hw2.acgan", "dlcv_hw2.face_gan", "dlcv_hw2.dann",
"dlcv_hw2.dsn") name the modules that wrote the first checkpoints; they stay as they are, so every
checkpoint already written (and handed in) loads.
"""

import copy
import os
import time
from dataclasses import dataclass
from typing import Callable

import torch
from tqdm import tqdm

from ..core.cli import UserError
from ..core.files import load_torch, save_torch, state_mismatch, write_csv_rows
from .diffaugment import Augmented


def epoch_rng(seed: int, epoch: int) -> torch.Generator:
    """The CPU generator of one epoch, a pure function of the seed and the epoch: a run resumed after
    epoch k draws what an uninterrupted run draws."""
    return torch.Generator().manual_seed(seed * 100003 + epoch)


def progress(steps: int, epoch: int, epochs: int):
    """The bar of one epoch's steps (redrawn at most every 5 s; logs stay short)."""
    return tqdm(range(steps), desc=f"epoch {epoch + 1}/{epochs}", leave=False, mininterval=5)


def ema_decay(decay: float, step: int) -> float:
    """The EMA's decay at ``step``: warms up as (1 + step) / (10 + step), at most ``decay``."""
    return min(decay, (1 + step) / (10 + step))


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
    save_torch(
        {
            "config": wanted,
            "epoch": epochs_done,
            "history": history,
            **{name: part.state_dict() for name, part in parts.items()},
        },
        state_path,
    )


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


def save_model(
    kind: str,
    config: dict,
    ema: torch.nn.Module,
    model_path: str,
    history: list,
    loss_csv: str,
    columns: list,
    device: torch.device,
    log=print,
    **extra,
) -> None:
    """A training's final files: the EMA network with its ``kind`` tag, the settings that shape it and
    ``extra`` entries (a GAN's parameter counts), and the history as CSV; on a GPU the peak memory is
    logged first."""
    if device.type == "cuda":
        log(f"peak GPU memory: {torch.cuda.max_memory_allocated(device) / 2**30:.2f} GiB")
    save_torch({"kind": kind, "config": config, "ema": ema.state_dict(), **extra}, model_path)
    write_csv_rows(history, loss_csv, columns)


def load_checkpoint(path: str, kind, build: Callable, name: str, written_by: str, weights: str = "ema"):
    """``(network, checkpoint dict)`` of a file this project wrote: its ``kind`` tag must be ``kind`` (or
    one of them), ``build(config, kind)`` makes the network its stored settings describe, and the
    stored ``weights`` must fit it. ``name`` ("DDPM checkpoint") and ``written_by`` ("train_ddpm.py")
    word the one-line errors; the network comes back on the CPU in eval mode."""
    obj = load_torch(path, what=name)
    kinds = (kind,) if isinstance(kind, str) else tuple(kind)
    if not isinstance(obj, dict) or obj.get("kind") not in kinds:
        article = "an" if name[0] in "AEIOUaeiou" else "a"
        raise UserError(f"{path} is not {article} {name} written by {written_by}")
    try:
        net = build(obj.get("config"), obj["kind"])
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise UserError(f"{name} {path} has an unusable model config ({type(exc).__name__}: {exc})") from None
    problem = state_mismatch(net.state_dict(), obj.get(weights))
    if problem:
        raise UserError(f"{name} {path} does not fit its own config: {problem}")
    net.load_state_dict(obj[weights])
    return net.eval(), obj


def generator_parameters(model_path: str) -> int:
    """Trainable parameters of the network a checkpoint samples with (batch-norm statistics left out)."""
    obj = load_torch(model_path, what="model")
    state = obj.get("ema") if isinstance(obj, dict) else None
    if not isinstance(state, dict):
        raise UserError(f"{model_path} is not a generator written by this workflow (no EMA weights)")
    return sum(
        v.numel() for k, v in state.items() if not k.endswith(("running_mean", "running_var", "num_batches_tracked"))
    )


# ------------------------------------------------------------------------------------- the GAN loop
@dataclass(frozen=True)
class GanSteps:
    """What a GAN method does in :func:`train_gan`'s loop.

    ``noise(batch, rng)`` draws the generator's inputs on the CPU (noise, and labels for a conditional
    generator). ``d_step(disc, real, fake, inputs, rng)`` is the discriminator's (critic's) loss on a real
    batch (a tuple: images, and labels when the data has them) and on the generated one (detached),
    with statistics {name: float}; ``g_step(disc, fake, inputs)`` the generator's. ``columns`` orders
    the statistics in the loss CSV; those in ``per_g_step`` are averaged over generator steps, the rest
    over discriminator steps. The generator steps once every ``n_critic`` discriminator steps."""

    noise: Callable
    d_step: Callable
    g_step: Callable
    columns: tuple
    per_g_step: tuple = ("g_loss",)
    n_critic: int = 1


def diversity(images: torch.Tensor, z: torch.Tensor, bound: float) -> torch.Tensor:
    """The diversity-sensitive term of Yang et al. 2019 (the mode-seeking term of Mao et al. 2019) over the
    pairs (i, i + ceil(n/2)) of a batch (for the ACGAN, two noises of one label: its ``gan_steps``' noise):
    the mean absolute difference of their images over that of their noises, each pair's at most
    ``bound``, averaged over the pairs. The generator maximises it: a pair of one image scores 0."""
    half, offset = len(images) // 2, (len(images) + 1) // 2
    apart = (images[:half] - images[offset:]).abs().flatten(1).mean(1)
    return (apart / (z[:half] - z[offset:]).abs().mean(1).add(1e-8)).clamp(max=bound).mean()


def train_gan(
    steps: GanSteps,
    gen,
    disc,
    data: tuple,
    cfg,
    *,
    seed: int,
    wanted: dict,
    carried: dict,
    kind: str,
    state_path: str,
    model_path: str,
    loss_csv: str,
    device: torch.device,
    title: str,
    log=print,
    on_epoch: Callable = None,
) -> dict:
    """Train (or resume) a GAN whose networks the caller built (under ``torch.manual_seed(seed)``) on
    ``data`` (tensors in [-1, 1] first, then labels, all on the CPU), with Adam (``cfg.lr_g``,
    ``cfg.lr_d``, betas ``cfg.beta1``/``cfg.beta2``), ``cfg.batch_size``, ``cfg.epochs`` and an EMA of
    the generator (``cfg.ema_decay``), and write the EMA generator (``kind``, ``carried``). The state
    after each epoch (``state_path``) lets a killed run continue with the result of an uninterrupted one;
    ``wanted`` is what a state must have been made with. With ``cfg.diffaugment`` the discriminator sees
    every image through DiffAugment (:mod:`.diffaugment`). ``on_epoch(ema, epoch)``, called after each
    epoch (counted from 1), returns more columns of that epoch's row (a learning curve); it must not
    touch the training state."""
    n = len(data[0])
    bs = min(cfg.batch_size, n)
    steps_per_epoch = max(1, n // bs)
    gen, disc = gen.to(device), disc.to(device)
    ema = copy.deepcopy(gen).eval().requires_grad_(False)
    opt_g = torch.optim.Adam(gen.parameters(), lr=cfg.lr_g, betas=(cfg.beta1, cfg.beta2))
    opt_d = torch.optim.Adam(disc.parameters(), lr=cfg.lr_d, betas=(cfg.beta1, cfg.beta2))
    parts = {"gen": gen, "disc": disc, "ema": ema, "opt_g": opt_g, "opt_d": opt_d}
    start_epoch, history = resume(state_path, wanted, parts, log)

    counts = {
        "generator": sum(p.numel() for p in gen.parameters()),
        "discriminator": sum(p.numel() for p in disc.parameters()),
    }
    log(
        f"{title}: generator {counts['generator'] / 1e6:.2f} M, discriminator {counts['discriminator'] / 1e6:.2f} M "
        f"parameters, {n} images, {steps_per_epoch} discriminator steps/epoch, epochs {start_epoch + 1}..{cfg.epochs} "
        f"on {device}"
    )
    g_steps = start_epoch * steps_per_epoch // steps.n_critic
    for epoch in range(start_epoch, cfg.epochs):
        gen.train()
        disc.train()
        rng = epoch_rng(seed, epoch)
        order = torch.randperm(n, generator=rng)
        judge = Augmented(disc, cfg.diffaugment, rng) if getattr(cfg, "diffaugment", None) else disc
        t0 = time.time()
        sums, g_count = dict.fromkeys(steps.columns, 0.0), 0
        bar = progress(steps_per_epoch, epoch, cfg.epochs)
        for i in bar:
            idx = order[i * bs : (i + 1) * bs]
            real = tuple(t[idx].to(device) for t in data)
            inputs = tuple(t.to(device) for t in steps.noise(bs, rng))
            fake = gen(*inputs)
            loss_d, stats = steps.d_step(judge, real, fake.detach(), inputs, rng)
            opt_d.zero_grad(set_to_none=True)
            loss_d.backward()
            opt_d.step()
            if (epoch * steps_per_epoch + i + 1) % steps.n_critic == 0:
                loss_g, g_stats = steps.g_step(judge, fake, inputs)
                opt_g.zero_grad(set_to_none=True)
                loss_g.backward()
                opt_g.step()
                ema_update(ema, gen, ema_decay(cfg.ema_decay, g_steps))
                g_steps += 1
                g_count += 1
                stats = {**stats, **g_stats}
                bar.set_postfix(d=f"{stats['d_loss']:.3f}", g=f"{stats['g_loss']:.3f}", refresh=False)
            for key, value in stats.items():
                sums[key] += value
        row = {"epoch": epoch + 1, "step": (epoch + 1) * steps_per_epoch}
        for key in steps.columns:
            per = g_count if key in steps.per_g_step else steps_per_epoch
            row[key] = round(sums[key] / per, 5) if per else float("nan")
        row["seconds"] = round(time.time() - t0, 2)
        if on_epoch is not None:
            row.update(on_epoch(ema, epoch + 1))
        history.append(row)
        save_epoch(state_path, wanted, epoch + 1, history, parts)
        log(
            f"epoch {epoch + 1}: "
            + "  ".join(f"{k} {row[k]:.4f}" for k in steps.columns)
            + f" ({row['seconds']:.1f} s)"
            + "".join(f"  {k} {v:g}" for k, v in row.items() if k not in ("epoch", "step", "seconds", *steps.columns))
        )  # after the save

    save_model(
        kind,
        carried,
        ema,
        model_path,
        history,
        loss_csv,
        list(history[-1]),  # epoch, step, the method's columns, seconds, on_epoch's columns
        device,
        log,
        parameters=counts,
    )
    return {"history": history}
