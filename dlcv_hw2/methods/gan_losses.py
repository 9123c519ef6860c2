"""The adversarial losses of every GAN of the project (the face GANs and the ACGAN), once: each
discriminator loss takes the scores of real and of generated images, each generator loss those of its
images."""

import torch
import torch.nn.functional as F


def non_saturating_d(real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    return F.softplus(-real).mean() + F.softplus(fake).mean()  # BCE with logits


def non_saturating_g(fake: torch.Tensor) -> torch.Tensor:
    return F.softplus(-fake).mean()


def wasserstein_d(real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    return fake.mean() - real.mean()


def hinge_d(real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    return F.relu(1 - real).mean() + F.relu(1 + fake).mean()


def minus_score_g(fake: torch.Tensor) -> torch.Tensor:
    """The generator's loss of WGAN and of the hinge GAN: minus the mean score of its images."""
    return -fake.mean()


def least_squares_d(real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    """LSGAN's discriminator: real scores pulled to 1, generated ones to 0 (Mao et al., a = 0, b = c = 1)."""
    return 0.5 * ((real - 1) ** 2).mean() + 0.5 * (fake**2).mean()


def least_squares_g(fake: torch.Tensor) -> torch.Tensor:
    return 0.5 * ((fake - 1) ** 2).mean()


# The ACGAN's real/fake losses by its ``loss`` setting: (discriminator's, generator's).
BY_NAME = {"bce": (non_saturating_d, non_saturating_g), "hinge": (hinge_d, minus_score_g)}
