"""2021 problem 2: training (resumable, EMA generator) and sampling of the ACGAN on MNIST-M digits."""
import copy
import time
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from tqdm import tqdm

from .cli import UserError
from .data import load_cache, to_model_input
from .files import load_torch, state_mismatch
from .models.acgan import N_CLASSES, Discriminator, Generator
from .training import ema_update, resume, save_epoch, save_generator

KIND = "dlcv_hw2.acgan"
LOSS_COLUMNS = ["epoch", "step", "d_loss", "g_loss", "d_real_acc", "d_fake_acc", "seconds"]


def build_generator(config: dict) -> Generator:
    return Generator(z_dim=config["z_dim"], channels=config["g_channels"])


def _adv_losses(kind: str, real: torch.Tensor, fake: torch.Tensor):
    """The discriminator's real/fake loss on the scores of real and of generated images."""
    if kind == "hinge":
        return F.relu(1 - real).mean() + F.relu(1 + fake).mean()
    return F.softplus(-real).mean() + F.softplus(fake).mean()


def _gen_adv_loss(kind: str, fake: torch.Tensor) -> torch.Tensor:
    """The generator's real/fake loss on the scores of its images."""
    return -fake.mean() if kind == "hinge" else F.softplus(-fake).mean()


def train(cfg, seed: int, cache_path: str, state_path: str, model_path: str, loss_csv: str, device: torch.device,
          log=print) -> dict:
    """Train (or resume) the ACGAN with ``cfg`` (the acgan settings object) and write the EMA
    generator. ``state_path`` holds the per-epoch checkpoint: a run killed at any moment continues from
    the last completed epoch when started again, with the same result as an uninterrupted run."""
    split = load_cache(cache_path)
    images = to_model_input(split.images)
    labels = split.labels.clone()
    n = len(labels)
    bs = min(cfg.batch_size, n)
    steps_per_epoch = max(1, n // bs)

    torch.manual_seed(seed)
    carried = cfg.as_dict(group="model")
    gen = build_generator(carried).to(device)
    disc = Discriminator(cfg.d_channels, spectral_norm=cfg.spectral_norm, projection=cfg.projection).to(device)
    ema = copy.deepcopy(gen).eval().requires_grad_(False)
    opt_g = torch.optim.Adam(gen.parameters(), lr=cfg.lr_g, betas=(cfg.beta1, cfg.beta2))
    opt_d = torch.optim.Adam(disc.parameters(), lr=cfg.lr_d, betas=(cfg.beta1, cfg.beta2))
    wanted = {**cfg.as_dict(), "seed": seed}
    parts = {"gen": gen, "disc": disc, "ema": ema, "opt_g": opt_g, "opt_d": opt_d}
    start_epoch, history = resume(state_path, wanted, parts, log)

    n_g = sum(p.numel() for p in gen.parameters())
    n_d = sum(p.numel() for p in disc.parameters())
    log(f"ACGAN: generator {n_g / 1e6:.2f} M, discriminator {n_d / 1e6:.2f} M parameters, {n} images, "
        f"{steps_per_epoch} steps/epoch, epochs {start_epoch + 1}..{cfg.epochs} on {device}")
    for epoch in range(start_epoch, cfg.epochs):
        gen.train()
        disc.train()
        rng = torch.Generator().manual_seed(seed * 100003 + epoch)  # a pure function of the epoch
        order = torch.randperm(n, generator=rng)
        t0 = time.time()
        sums = dict.fromkeys(("d_loss", "g_loss", "d_real_acc", "d_fake_acc"), 0.0)
        bar = tqdm(range(steps_per_epoch), desc=f"epoch {epoch + 1}/{cfg.epochs}", leave=False, mininterval=5)
        for i in bar:
            step = epoch * steps_per_epoch + i
            idx = order[i * bs:(i + 1) * bs]
            real, y_real = images[idx].to(device), labels[idx].to(device)
            z = torch.randn(bs, cfg.z_dim, generator=rng).to(device)
            y_fake = torch.randint(0, N_CLASSES, (bs,), generator=rng).to(device)

            # discriminator: real/fake on both, the class of the real (and, as in ACGAN, the generated) images
            fake = gen(z, y_fake)
            s_real, c_real = disc(real, y_real)
            s_fake, c_fake = disc(fake.detach(), y_fake)
            d_aux = F.cross_entropy(c_real, y_real)
            if cfg.aux_on_fake:
                d_aux = d_aux + F.cross_entropy(c_fake, y_fake)
            d_loss = _adv_losses(cfg.loss, s_real, s_fake) + cfg.aux_weight * d_aux
            opt_d.zero_grad(set_to_none=True)
            d_loss.backward()
            opt_d.step()

            # generator: fool the real/fake head, be read as the asked-for class
            s_gen, c_gen = disc(fake, y_fake)
            g_loss = _gen_adv_loss(cfg.loss, s_gen) + cfg.aux_weight * F.cross_entropy(c_gen, y_fake)
            opt_g.zero_grad(set_to_none=True)
            g_loss.backward()
            opt_g.step()
            ema_update(ema, gen, min(cfg.ema_decay, (1 + step) / (10 + step)))

            sums["d_loss"] += d_loss.item()
            sums["g_loss"] += g_loss.item()
            sums["d_real_acc"] += (c_real.argmax(1) == y_real).float().mean().item()
            sums["d_fake_acc"] += (c_gen.argmax(1) == y_fake).float().mean().item()
            bar.set_postfix(d=f"{d_loss.item():.3f}", g=f"{g_loss.item():.3f}", refresh=False)
        row = {"epoch": epoch + 1, "step": (epoch + 1) * steps_per_epoch}
        row.update({k: round(v / steps_per_epoch, 5) for k, v in sums.items()})
        row["seconds"] = round(time.time() - t0, 2)
        history.append(row)
        save_epoch(state_path, wanted, epoch + 1, history, parts)
        log(f"epoch {epoch + 1}: D {row['d_loss']:.4f}  G {row['g_loss']:.4f}  class acc real "
            f"{100 * row['d_real_acc']:.1f} % / generated {100 * row['d_fake_acc']:.1f} % ({row['seconds']:.1f} s)")

    save_generator(KIND, carried, ema, {"generator": n_g, "discriminator": n_d}, model_path, history, loss_csv,
                   LOSS_COLUMNS, device, log)
    return {"history": history}


@dataclass(frozen=True)
class ACGANCheckpoint:
    """A trained ACGAN generator (EMA weights), ready to sample."""

    generator: Generator
    z_dim: int
    parameters: dict  # {"generator": n, "discriminator": n} at training time


def load_model(path: str, device) -> ACGANCheckpoint:
    """The generator in a file written by :func:`train` (or copied to checkpoints/ from it)."""
    obj = load_torch(path, what="ACGAN checkpoint")
    if not isinstance(obj, dict) or obj.get("kind") != KIND:
        raise UserError(f"{path} is not an ACGAN checkpoint written by train_acgan.py")
    config = obj.get("config")
    try:
        gen = build_generator(config)
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise UserError(f"ACGAN checkpoint {path} has an unusable model config ({type(exc).__name__}: {exc})") from None
    problem = state_mismatch(gen.state_dict(), obj.get("ema"))
    if problem:
        raise UserError(f"ACGAN checkpoint {path} does not fit its own config: {problem}")
    gen.load_state_dict(obj["ema"])
    return ACGANCheckpoint(gen.to(device).eval(), config["z_dim"], dict(obj.get("parameters", {})))


def initial_noise(n_per_digit: int, z_dim: int, seed: int):
    """Labels [0]*n + [1]*n + ... and one noise vector per image, drawn on the CPU from ``seed``: the
    j-th noise of every digit is the same, so the columns of a grid share their noise (style)."""
    gen = torch.Generator().manual_seed(seed)
    z = torch.randn((n_per_digit, z_dim), generator=gen)
    return torch.arange(N_CLASSES).repeat_interleave(n_per_digit), z.repeat(N_CLASSES, 1)


@torch.no_grad()
def sample(ckpt: ACGANCheckpoint, labels: torch.Tensor, z: torch.Tensor, device, batch_size: int = 500):
    """Images in [-1, 1] for ``labels`` from noise ``z``, in batches."""
    outs = [ckpt.generator(z[s:s + batch_size].to(device), labels[s:s + batch_size].to(device)).float().cpu()
            for s in range(0, len(labels), batch_size)]
    return torch.cat(outs).clamp(-1, 1)
