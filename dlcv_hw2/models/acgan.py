"""ACGAN for 28x28 RGB digits (Odena et al. 2017): a generator G(z, y) and a discriminator with a
real/fake head and an auxiliary 10-class head.

Options (BENCHMARKS.md "ACGAN" has their numbers): spectral normalisation of every discriminator
layer (Miyato et al. 2018) and a projection term <embed(y), h> added to the real/fake score
(Miyato & Koyama 2018), so the real/fake judgement itself is class-aware.
"""

import torch
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm as _sn

N_CLASSES = 10


class Generator(nn.Module):
    """(z, y) -> image in [-1, 1]: [z, embed(y)] -> 4c x 7 x 7 -> 2c x 14 x 14 -> c x 28 x 28 -> 3 x 28 x 28,
    upsampling by 4x4 transposed convolutions with batch norm (the DCGAN generator at 28x28)."""

    def __init__(self, z_dim: int = 64, channels: int = 32):
        super().__init__()
        c = channels
        self.z_dim = z_dim
        self.channels = c
        self.embed = nn.Embedding(N_CLASSES, z_dim)
        self.fc = nn.Sequential(
            nn.Linear(2 * z_dim, 4 * c * 7 * 7, bias=False), nn.BatchNorm1d(4 * c * 7 * 7), nn.ReLU(inplace=True)
        )
        self.net = nn.Sequential(
            nn.ConvTranspose2d(4 * c, 2 * c, 4, stride=2, padding=1, bias=False),
            nn.BatchNorm2d(2 * c),
            nn.ReLU(inplace=True),
            nn.ConvTranspose2d(2 * c, c, 4, stride=2, padding=1, bias=False),
            nn.BatchNorm2d(c),
            nn.ReLU(inplace=True),
            nn.Conv2d(c, 3, 3, padding=1),
            nn.Tanh(),
        )

    def forward(self, z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        h = self.fc(torch.cat([z, self.embed(y)], dim=1))
        return self.net(h.view(len(z), 4 * self.channels, 7, 7))


class Discriminator(nn.Module):
    """image -> (real/fake score [N], class logits [N, 10]) from one shared convolutional trunk."""

    def __init__(self, channels: int = 32, spectral_norm: bool = True, projection: bool = True):
        super().__init__()
        c = channels
        sn = _sn if spectral_norm else (lambda m: m)
        self.trunk = nn.Sequential(
            sn(nn.Conv2d(3, c, 4, stride=2, padding=1)),
            nn.LeakyReLU(0.2, inplace=True),  # 14
            sn(nn.Conv2d(c, 2 * c, 4, stride=2, padding=1)),
            nn.LeakyReLU(0.2, inplace=True),  # 7
            sn(nn.Conv2d(2 * c, 4 * c, 3, stride=2, padding=1)),
            nn.LeakyReLU(0.2, inplace=True),  # 4
        )
        self.adv = sn(nn.Linear(4 * c, 1))
        self.aux = sn(nn.Linear(4 * c, N_CLASSES))
        self.proj = sn(nn.Embedding(N_CLASSES, 4 * c)) if projection else None

    def forward(self, x: torch.Tensor, y: torch.Tensor):
        h = self.trunk(x).sum(dim=(2, 3))  # global sum pooling
        score = self.adv(h).squeeze(1)
        if self.proj is not None:
            score = score + (self.proj(y) * h).sum(1)
        return score, self.aux(h)
