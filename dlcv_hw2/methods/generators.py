"""The digit generators compared side by side: the conditional DDPM (2023 problem 1, 2022 problem 2) and
the ACGAN (2021 problem 2). ``DIGIT_GENERATORS`` names each once: display name, paper, networks (as
the reports print them), its recipe in words, its kind (how it samples) and what its curves plot. A
generator's key is also its problem (course.PROBLEMS), its settings section and its results folder."""

from dataclasses import dataclass
from typing import Callable

from ..models.acgan import Discriminator, Generator
from .acgan import describe as describe_acgan
from .ddpm import build_model


@dataclass(frozen=True)
class DigitGenerator:
    name: str
    paper: str  # the citation the reports' References give
    describe: Callable  # settings of its section -> its recipe in words
    networks: Callable  # settings of its section -> {name: network}
    kind: str  # DIFFUSION (sampled by many denoising steps) or GAN (one forward pass of a generator)
    curves: str  # what its training curves plot


DIFFUSION, GAN = "diffusion", "gan"


def describe_ddpm(cfg: dict) -> str:
    return (
        f"DDPM Algorithm 1 with a linear beta schedule from {cfg['beta_start']} to {cfg['beta_end']} over "
        f"T = {cfg['T']} steps, label dropout {cfg['label_dropout']} for classifier-free guidance, AdamW with "
        f"warm-up and cosine decay, and an exponential moving average of the weights (decay {cfg['ema_decay']}) "
        "used for sampling."
    )


DIGIT_GENERATORS = {
    "ddpm": DigitGenerator(
        "DDPM",
        "J. Ho, A. Jain, P. Abbeel. Denoising Diffusion Probabilistic Models. NeurIPS 2020.",
        describe_ddpm,
        lambda cfg: {"UNet": build_model(cfg)},
        DIFFUSION,
        "denoising loss",
    ),
    "acgan": DigitGenerator(
        "ACGAN",
        "A. Odena, C. Olah, J. Shlens. Conditional Image Synthesis with Auxiliary Classifier GANs. ICML 2017.",
        describe_acgan,
        lambda cfg: {
            "Generator": Generator(z_dim=cfg["z_dim"], channels=cfg["g_channels"], conditioning=cfg["conditioning"]),
            "Discriminator": Discriminator(
                cfg["d_channels"], cfg["spectral_norm"], cfg["projection"], cfg["minibatch_std"], cfg["label_spread"]
            ),
        },
        GAN,
        "discriminator and generator losses",
    ),
}


def of_kind(kind: str) -> str:
    """The digit generator of a kind (DIFFUSION: the DDPM of problem 1; GAN: the conditional GAN)."""
    return next(key for key, g in DIGIT_GENERATORS.items() if g.kind == kind)
