"""2021/2022 problem 1: training (resumable, EMA generator) and sampling of the unconditional face GANs
DCGAN, WGAN-GP and SAGAN on 64x64 faces.

The method is the settings section's name (``dcgan``, ``wgan_gp``, ``sagan``): it picks the networks
(:func:`dlcv_hw2.models.face_gan.networks`) and the loss -- DCGAN the non-saturating GAN loss, WGAN-GP
the Wasserstein critic with a gradient penalty and ``n_critic`` critic steps per generator step,
SAGAN the hinge loss. The learning rates and Adam betas of each come from its settings (TTUR where
they differ).
"""
import copy
import os
import time
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from PIL import Image
from tqdm import tqdm

from .cli import UserError
from .data import to_model_input
from .face_data import load_face_cache
from .files import ensure_dir_writable, files_into, load_torch, state_mismatch
from .models.face_gan import METHODS, discriminator, generator, init_weights
from .training import ema_update, resume, save_epoch, save_generator

KIND = "dlcv_hw2.face_gan"
LOSS_COLUMNS = ["epoch", "step", "d_loss", "g_loss", "d_real", "d_fake", "seconds"]


def d_loss(method: str, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    """The discriminator's (critic's) loss on its scores of real and generated images, without WGAN-GP's
    gradient penalty."""
    if method == "dcgan":
        return F.softplus(-real).mean() + F.softplus(fake).mean()  # BCE with logits
    if method == "wgan_gp":
        return fake.mean() - real.mean()
    return F.relu(1 - real).mean() + F.relu(1 + fake).mean()  # hinge


def g_loss(method: str, fake: torch.Tensor) -> torch.Tensor:
    """The generator's loss on the discriminator's scores of its images."""
    return F.softplus(-fake).mean() if method == "dcgan" else -fake.mean()


def gradient_penalty(disc, real: torch.Tensor, fake: torch.Tensor, rng: torch.Generator) -> torch.Tensor:
    """E[(||grad_x D(x)|| - 1)^2] at random points between real and generated images (WGAN-GP)."""
    eps = torch.rand(len(real), 1, 1, 1, generator=rng).to(real.device)
    x = (eps * real + (1 - eps) * fake).requires_grad_(True)
    (grad,) = torch.autograd.grad(disc(x).sum(), x, create_graph=True)
    return ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()


def model_config(method: str, cfg) -> dict:
    """What a generator checkpoint carries: the method and the settings that shape its network."""
    return {"method": method, **cfg.as_dict(group="model")}


def train(method: str, cfg, seed: int, cache_path: str, state_path: str, model_path: str, loss_csv: str,
          device: torch.device, log=print) -> dict:
    """Train (or resume) a face GAN with ``cfg`` (the method's settings object) and write the EMA
    generator. ``state_path`` holds the per-epoch checkpoint: a run killed at any moment continues from
    the last completed epoch when started again, with the same result as an uninterrupted run."""
    if method not in METHODS:
        raise UserError(f"unknown face GAN method {method!r} (one of {', '.join(METHODS)})")
    images_u8, _ = load_face_cache(cache_path)
    images = to_model_input(images_u8)
    n = len(images)
    bs = min(cfg.batch_size, n)
    steps_per_epoch = max(1, n // bs)  # discriminator steps; the generator steps every n_critic-th
    n_critic = getattr(cfg, "n_critic", 1)

    torch.manual_seed(seed)
    carried = model_config(method, cfg)
    gen, disc = generator(method, cfg.z_dim, cfg.g_channels), discriminator(method, cfg.d_channels)
    init_weights(gen)
    init_weights(disc)
    gen, disc = gen.to(device), disc.to(device)
    ema = copy.deepcopy(gen).eval().requires_grad_(False)
    opt_g = torch.optim.Adam(gen.parameters(), lr=cfg.lr_g, betas=(cfg.beta1, cfg.beta2))
    opt_d = torch.optim.Adam(disc.parameters(), lr=cfg.lr_d, betas=(cfg.beta1, cfg.beta2))
    wanted = {**cfg.as_dict(), "method": method, "seed": seed}
    parts = {"gen": gen, "disc": disc, "ema": ema, "opt_g": opt_g, "opt_d": opt_d}
    start_epoch, history = resume(state_path, wanted, parts, log)

    n_g = sum(p.numel() for p in gen.parameters())
    n_d = sum(p.numel() for p in disc.parameters())
    log(f"{method}: generator {n_g / 1e6:.2f} M, discriminator {n_d / 1e6:.2f} M parameters, {n} faces, "
        f"{steps_per_epoch} discriminator steps/epoch, epochs {start_epoch + 1}..{cfg.epochs} on {device}")
    g_steps = start_epoch * steps_per_epoch // n_critic
    for epoch in range(start_epoch, cfg.epochs):
        gen.train()
        disc.train()
        rng = torch.Generator().manual_seed(seed * 100003 + epoch)  # a pure function of the epoch
        order = torch.randperm(n, generator=rng)
        t0 = time.time()
        sums = dict.fromkeys(("d_loss", "g_loss", "d_real", "d_fake"), 0.0)
        g_count = 0
        bar = tqdm(range(steps_per_epoch), desc=f"epoch {epoch + 1}/{cfg.epochs}", leave=False, mininterval=5)
        for i in bar:
            real = images[order[i * bs:(i + 1) * bs]].to(device)
            z = torch.randn(bs, cfg.z_dim, generator=rng).to(device)
            fake = gen(z)
            s_real, s_fake = disc(real), disc(fake.detach())
            loss_d = d_loss(method, s_real, s_fake)
            if method == "wgan_gp":
                loss_d = loss_d + cfg.gp_weight * gradient_penalty(disc, real, fake.detach(), rng)
            opt_d.zero_grad(set_to_none=True)
            loss_d.backward()
            opt_d.step()
            sums["d_loss"] += loss_d.item()
            sums["d_real"] += s_real.mean().item()
            sums["d_fake"] += s_fake.mean().item()

            if (epoch * steps_per_epoch + i + 1) % n_critic == 0:
                loss_g = g_loss(method, disc(fake))
                opt_g.zero_grad(set_to_none=True)
                loss_g.backward()
                opt_g.step()
                ema_update(ema, gen, min(cfg.ema_decay, (1 + g_steps) / (10 + g_steps)))
                g_steps += 1
                g_count += 1
                sums["g_loss"] += loss_g.item()
                bar.set_postfix(d=f"{loss_d.item():.3f}", g=f"{loss_g.item():.3f}", refresh=False)
        row = {"epoch": epoch + 1, "step": (epoch + 1) * steps_per_epoch}
        row.update({k: round(sums[k] / steps_per_epoch, 5) for k in ("d_loss", "d_real", "d_fake")})
        row["g_loss"] = round(sums["g_loss"] / g_count, 5) if g_count else float("nan")
        row["seconds"] = round(time.time() - t0, 2)
        history.append(row)
        save_epoch(state_path, wanted, epoch + 1, history, parts)
        log(f"epoch {epoch + 1}: D {row['d_loss']:.4f}  G {row['g_loss']:.4f}  scores real {row['d_real']:.3f} / "
            f"generated {row['d_fake']:.3f} ({row['seconds']:.1f} s)")

    save_generator(KIND, carried, ema, {"generator": n_g, "discriminator": n_d}, model_path, history, loss_csv,
                   LOSS_COLUMNS, device, log)
    return {"history": history}


@dataclass(frozen=True)
class FaceGANCheckpoint:
    """A trained face generator (EMA weights), ready to sample."""

    generator: torch.nn.Module
    method: str
    z_dim: int
    parameters: dict  # {"generator": n, "discriminator": n} at training time


def load_model(path: str, device) -> FaceGANCheckpoint:
    """The generator in a file written by :func:`train` (or copied to checkpoints/ from it)."""
    obj = load_torch(path, what="face GAN checkpoint")
    if not isinstance(obj, dict) or obj.get("kind") != KIND:
        raise UserError(f"{path} is not a face GAN checkpoint written by train_face_gan.py")
    config = obj.get("config")
    try:
        gen = generator(config["method"], config["z_dim"], config["g_channels"])
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise UserError(f"face GAN checkpoint {path} has an unusable model config ({type(exc).__name__}: {exc})") \
            from None
    problem = state_mismatch(gen.state_dict(), obj.get("ema"))
    if problem:
        raise UserError(f"face GAN checkpoint {path} does not fit its own config: {problem}")
    gen.load_state_dict(obj["ema"])
    return FaceGANCheckpoint(gen.to(device).eval(), config["method"], config["z_dim"], dict(obj.get("parameters", {})))


def initial_noise(n: int, z_dim: int, seed: int) -> torch.Tensor:
    """``n`` noise vectors drawn on the CPU from ``seed``: the same on every device."""
    return torch.randn((n, z_dim), generator=torch.Generator().manual_seed(seed))


@torch.no_grad()
def sample(ckpt: FaceGANCheckpoint, z: torch.Tensor, device, batch_size: int = 250) -> torch.Tensor:
    """Faces in [-1, 1] from noise ``z``, in batches."""
    outs = [ckpt.generator(z[s:s + batch_size].to(device)).float().cpu() for s in range(0, len(z), batch_size)]
    return torch.cat(outs).clamp(-1, 1)


def face_image_name(i: int) -> str:
    """The name of the i-th (0-based) generated face: 0000.png .. 0999.png."""
    return f"{i:04d}.png"


def write_face_folder(images_uint8: torch.Tensor, out_dir: str) -> None:
    """Write uint8 [N, 3, 64, 64] faces as 0000.png ... into ``out_dir``: all into a hidden temporary
    folder first, moved into place only when every image is written."""
    ensure_dir_writable(out_dir)
    with files_into(out_dir) as tmp:
        for i, img in enumerate(images_uint8):
            Image.fromarray(img.permute(1, 2, 0).numpy(), "RGB").save(os.path.join(tmp, face_image_name(i)))
