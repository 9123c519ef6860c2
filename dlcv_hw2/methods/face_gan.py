"""2021/2022 problem 1: the unconditional face GANs on 64x64 faces -- their registry, training (the shared
GAN loop, an EMA generator, resumable) and sampling.

``FACE_GANS`` names each method once: its settings section (the key), display name, paper, networks
(the options of :class:`~dlcv_hw2.models.face_gan.Generator` and ``Discriminator``), losses, whether its
discriminator is a Wasserstein critic, and the words the report describes it with. The rules, scripts,
comparisons and reports take the methods from here. A new face GAN is one entry here and one settings
section in the schema.
"""

from dataclasses import dataclass, field
from typing import Callable

import torch

from ..core.cli import UserError
from ..data.faces import load_face_cache
from ..data.images import to_model_input
from ..models.face_gan import Discriminator, Generator, init_weights
from .gan_losses import (
    hinge_d,
    least_squares_d,
    least_squares_g,
    minus_score_g,
    non_saturating_d,
    non_saturating_g,
    wasserstein_d,
)
from .training import GanSteps, diversity, load_checkpoint, train_gan

KIND = "dlcv_hw2.face_gan"


@dataclass(frozen=True)
class FaceGan:
    """One face GAN. ``d_loss(real scores, fake scores)`` and ``g_loss(fake scores)`` are its losses;
    ``describe(settings)`` is its loss and networks in words."""

    name: str
    paper: str  # the citation the reports' References give
    d_loss: Callable
    g_loss: Callable
    describe: Callable
    generator: dict = field(default_factory=dict)
    discriminator: dict = field(default_factory=dict)
    critic: bool = False  # a Wasserstein critic: unbounded scores, n_critic critic steps per generator step
    gradient_penalty: bool = False  # adds gp_weight x E[(|grad D| - 1)^2] to the critic's loss
    cites: tuple = ()  # further references keys its recipe uses (the reports' References)


FACE_GANS = {
    "dcgan": FaceGan(
        "DCGAN",
        "A. Radford, L. Metz, S. Chintala. Unsupervised Representation Learning with Deep Convolutional "
        "Generative Adversarial Networks. ICLR 2016.",
        non_saturating_d,
        non_saturating_g,
        lambda cfg: "the non-saturating GAN loss with batch norm in both networks",
        discriminator={"batch_norm": True},
    ),
    "wgan_gp": FaceGan(
        "WGAN-GP",
        "I. Gulrajani, F. Ahmed, M. Arjovsky, V. Dumoulin, A. Courville. Improved Training of "
        "Wasserstein GANs. NeurIPS 2017.",
        wasserstein_d,
        minus_score_g,
        lambda cfg: (
            f"the Wasserstein loss with a gradient penalty (weight {cfg['gp_weight']:g}) and "
            f"{cfg['n_critic']} critic steps per generator step, no batch norm in the critic"
        ),
        discriminator={"batch_norm": False},
        critic=True,
        gradient_penalty=True,
    ),
    "sagan": FaceGan(
        "SAGAN",
        "H. Zhang, I. Goodfellow, D. Metaxas, A. Odena. Self-Attention Generative Adversarial Networks. ICML 2019.",
        hinge_d,
        minus_score_g,
        lambda cfg: "the hinge loss, spectral norm in both networks and self-attention at 16x16",
        generator={"spectral_norm": True, "attention": True},
        discriminator={"batch_norm": False, "spectral_norm": True, "attention": True},
        cites=("sn",),  # its spectral norm
    ),
    "lsgan": FaceGan(
        "LSGAN",
        "X. Mao, Q. Li, H. Xie, R. Y. K. Lau, Z. Wang, S. P. Smolley. Least Squares Generative Adversarial "
        "Networks. ICCV 2017.",
        least_squares_d,
        least_squares_g,
        lambda cfg: "the least-squares loss (real scores pulled to 1, generated ones to 0) with DCGAN's networks",
        discriminator={"batch_norm": True},
    ),
    "sngan": FaceGan(
        "SNGAN",
        "T. Miyato, T. Kataoka, M. Koyama, Y. Yoshida. Spectral Normalization for Generative Adversarial "
        "Networks. ICLR 2018.",
        hinge_d,
        minus_score_g,
        lambda cfg: "the hinge loss, spectral norm in a discriminator without batch norm and DCGAN's generator",
        discriminator={"batch_norm": False, "spectral_norm": True},
    ),
}
# The real faces scored beside the GANs (their rows of the comparison), by the names the tables give them.
REAL_FACES = {
    "real_val": "real val faces (the reference)",
    "real_train": "real train faces",
    "lfw": "LFW faces (scikit-image, 100)",
}


def build_generator(method: str, z_dim: int, channels: int) -> Generator:
    return Generator(z_dim, channels, **FACE_GANS[method].generator)


def build_discriminator(method: str, channels: int, minibatch_std: int = 0) -> Discriminator:
    return Discriminator(channels, minibatch_std=minibatch_std, **FACE_GANS[method].discriminator)


def recipe(method: str, cfg: dict) -> str:
    """A method's training recipe in one sentence, from its settings (the reports' text)."""
    return (
        f"{FACE_GANS[method].name}: {FACE_GANS[method].describe(cfg)}; {cfg['epochs']} epochs of batch "
        f"{cfg['batch_size']}, noise of {cfg['z_dim']} dimensions, widths {cfg['g_channels']} (generator) / "
        f"{cfg['d_channels']} (discriminator), Adam {cfg['lr_g']:g} / {cfg['lr_d']:g} (generator / "
        f"discriminator), betas {cfg['beta1']:g}/{cfg['beta2']:g}, faces drawn from an EMA of the generator "
        f"(decay {cfg['ema_decay']:g})"
        + (
            f"; the discriminator sees the standard deviation of its 4x4 features over groups of "
            f"{cfg['minibatch_std']} faces (minibatch standard deviation)"
            if cfg.get("minibatch_std")
            else ""
        )
        + (
            f"; the generator is rewarded (weight {cfg['diversity']:g}) for how much the faces of two noises "
            f"differ over how much the noises do, up to {cfg['diversity_bound']:g} (the mode-seeking term)"
            if cfg.get("diversity")
            else ""
        )
        + (
            f"; the discriminator sees every image through DiffAugment ({', '.join(cfg['diffaugment'])})."
            if cfg.get("diffaugment")
            else "."
        )
    )


def gradient_penalty(disc, real: torch.Tensor, fake: torch.Tensor, rng: torch.Generator) -> torch.Tensor:
    """E[(||grad_x D(x)|| - 1)^2] at random points between real and generated images (WGAN-GP)."""
    eps = torch.rand(len(real), 1, 1, 1, generator=rng).to(real.device)
    x = (eps * real + (1 - eps) * fake).requires_grad_(True)
    (grad,) = torch.autograd.grad(disc(x).sum(), x, create_graph=True)
    return ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()


def gan_steps(method: str, cfg) -> GanSteps:
    """The method's steps for the shared GAN loop: noise in, the method's losses on the scores."""
    entry = FACE_GANS[method]

    def noise(bs, rng):
        return (torch.randn(bs, cfg.z_dim, generator=rng),)

    def d_step(disc, real, fake, inputs, rng):
        s_real, s_fake = disc(real[0]), disc(fake)
        loss = entry.d_loss(s_real, s_fake)
        if entry.gradient_penalty:
            loss = loss + cfg.gp_weight * gradient_penalty(disc, real[0], fake, rng)
        return loss, {"d_loss": loss.item(), "d_real": s_real.mean().item(), "d_fake": s_fake.mean().item()}

    def g_step(disc, fake, inputs):
        loss = entry.g_loss(disc(fake))
        if cfg.diversity:  # the batch's pairs of noises must draw faces as far apart as their noises
            loss = loss - cfg.diversity * diversity(fake, inputs[0], cfg.diversity_bound)
        return loss, {"g_loss": loss.item()}

    return GanSteps(
        noise, d_step, g_step, columns=("d_loss", "g_loss", "d_real", "d_fake"), n_critic=getattr(cfg, "n_critic", 1)
    )


def model_config(method: str, cfg) -> dict:
    """What a generator checkpoint carries: the method and the settings that shape its network."""
    return {"method": method, **cfg.as_dict(group="model")}


def train(
    method: str,
    cfg,
    seed: int,
    cache_path: str,
    state_path: str,
    model_path: str,
    loss_csv: str,
    device: torch.device,
    log=print,
    on_epoch=None,
) -> dict:
    """Train (or resume) a face GAN with ``cfg`` (the method's settings object) and write the EMA
    generator. ``state_path`` holds the per-epoch checkpoint: a run killed at any moment continues from
    the last completed epoch when started again, with the same result as an uninterrupted run.
    ``on_epoch(ema, epoch)`` adds columns to each epoch's row (:func:`~.training.train_gan`)."""
    if method not in FACE_GANS:
        raise UserError(f"unknown face GAN method {method!r} (one of {', '.join(FACE_GANS)})")
    images_u8, _ = load_face_cache(cache_path)
    torch.manual_seed(seed)
    gen = build_generator(method, cfg.z_dim, cfg.g_channels)
    disc = build_discriminator(method, cfg.d_channels, cfg.minibatch_std)
    init_weights(gen)
    init_weights(disc)
    return train_gan(
        gan_steps(method, cfg),
        gen,
        disc,
        (to_model_input(images_u8),),
        cfg,
        seed=seed,
        wanted={**cfg.as_dict(), "method": method, "seed": seed},
        carried=model_config(method, cfg),
        kind=KIND,
        state_path=state_path,
        model_path=model_path,
        loss_csv=loss_csv,
        device=device,
        title=method,
        log=log,
        on_epoch=on_epoch,
    )


@dataclass(frozen=True)
class FaceGANCheckpoint:
    """A trained face generator (EMA weights), ready to sample."""

    generator: torch.nn.Module
    method: str
    z_dim: int
    parameters: dict  # {"generator": n, "discriminator": n} at training time


def load_model(path: str, device) -> FaceGANCheckpoint:
    """The generator in a file written by :func:`train` (or copied to checkpoints/ from it)."""
    gen, obj = load_checkpoint(
        path,
        KIND,
        lambda config, _: build_generator(config["method"], config["z_dim"], config["g_channels"]),
        "face GAN checkpoint",
        "train_face_gan.py",
    )
    config = obj["config"]
    return FaceGANCheckpoint(gen.to(device), config["method"], config["z_dim"], dict(obj.get("parameters", {})))


def initial_noise(n: int, z_dim: int, seed: int) -> torch.Tensor:
    """``n`` noise vectors drawn on the CPU from ``seed``: the same on every device."""
    return torch.randn((n, z_dim), generator=torch.Generator().manual_seed(seed))


@torch.no_grad()
def sample(ckpt: FaceGANCheckpoint, z: torch.Tensor, device, batch_size: int = 250) -> torch.Tensor:
    """Faces in [-1, 1] from noise ``z``, in batches."""
    outs = [ckpt.generator(z[s : s + batch_size].to(device)).float().cpu() for s in range(0, len(z), batch_size)]
    return torch.cat(outs).clamp(-1, 1)
