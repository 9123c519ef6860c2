"""The digit generators compared side by side: the conditional DDPM (2023 problem 1, 2022 problem 2) and
the ACGAN (2021 problem 2). ``DIGIT_GENERATORS`` names each once: display name, paper, networks (as
the reports print them), whether its discriminator is a critic, and its recipe in words."""

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
    critic: bool = False


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
    ),
}
