"""ACGAN for 28x28 RGB digits (Odena et al. 2017): a generator G(z, y) and a discriminator with a
real/fake head and an auxiliary 10-class head.

Options (BENCHMARKS.md "ACGAN" has their numbers): spectral normalisation of every discriminator
layer (Miyato et al. 2018), a projection term <embed(y), h> added to the real/fake score
(Miyato & Koyama 2018), so the real/fake judgement itself is class-aware, and the minibatch standard
deviation at 7x7 (Karras et al. 2018), so that it sees how much the digits of a batch differ.
"""

import torch
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm as _sn

from .layers import LabelSpread, MinibatchStd

N_CLASSES = 10


class ConditionalBatchNorm2d(nn.Module):
    """Batch norm whose scale and shift are the label's (de Vries et al. 2017; the generators of Miyato &
    Koyama 2018 and BigGAN): the statistics come from the batch, the affine from an embedding of y,
    starting as the identity (scale 1, shift 0)."""

    def __init__(self, channels: int):
        super().__init__()
        self.norm = nn.BatchNorm2d(channels, affine=False)
        self.scale = nn.Embedding(N_CLASSES, channels)
        self.shift = nn.Embedding(N_CLASSES, channels)
        nn.init.ones_(self.scale.weight)
        nn.init.zeros_(self.shift.weight)

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return self.norm(x) * self.scale(y)[:, :, None, None] + self.shift(y)[:, :, None, None]


class Generator(nn.Module):
    """(z, y) -> image in [-1, 1]: 4c x 7 x 7 -> 2c x 14 x 14 -> c x 28 x 28 -> 3 x 28 x 28, upsampling by 4x4
    transposed convolutions with batch norm and ReLU (the DCGAN generator at 28x28).

    ``conditioning`` says how the label enters. ``concat`` (ACGAN's): [z, embed(y)] through the first
    layer, one batch norm over both. ``cbn``: z alone through the first layer, the label as the scale and
    shift of every batch norm (conditional batch norm). With ``concat`` the first batch norm divides each
    feature by its spread over the batch, which the ten classes dominate once the label's weights grow:
    the noise's share of every feature shrinks with it (BENCHMARKS.md, "ACGAN digits that vary")."""

    def __init__(self, z_dim: int = 64, channels: int = 32, conditioning: str = "concat"):
        super().__init__()
        if conditioning not in ("concat", "cbn"):
            raise ValueError(f"unknown conditioning {conditioning!r} (concat or cbn)")
        c = channels
        self.z_dim = z_dim
        self.channels = c
        self.conditioning = conditioning
        relu = nn.ReLU(inplace=True)
        if conditioning == "concat":
            self.embed = nn.Embedding(N_CLASSES, z_dim)
            self.fc = nn.Sequential(
                nn.Linear(2 * z_dim, 4 * c * 7 * 7, bias=False), nn.BatchNorm1d(4 * c * 7 * 7), relu
            )
            self.net = nn.Sequential(
                nn.ConvTranspose2d(4 * c, 2 * c, 4, stride=2, padding=1, bias=False),
                nn.BatchNorm2d(2 * c),
                relu,
                nn.ConvTranspose2d(2 * c, c, 4, stride=2, padding=1, bias=False),
                nn.BatchNorm2d(c),
                relu,
                nn.Conv2d(c, 3, 3, padding=1),
                nn.Tanh(),
            )
        else:
            self.fc = nn.Linear(z_dim, 4 * c * 7 * 7, bias=False)
            self.ups = nn.ModuleList(
                [
                    nn.ConvTranspose2d(4 * c, 2 * c, 4, stride=2, padding=1, bias=False),
                    nn.ConvTranspose2d(2 * c, c, 4, stride=2, padding=1, bias=False),
                ]
            )
            self.norms = nn.ModuleList([ConditionalBatchNorm2d(n) for n in (4 * c, 2 * c, c)])
            self.out = nn.Sequential(relu, nn.Conv2d(c, 3, 3, padding=1), nn.Tanh())

    def forward(self, z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        if self.conditioning == "concat":
            h = self.fc(torch.cat([z, self.embed(y)], dim=1))
            return self.net(h.view(len(z), 4 * self.channels, 7, 7))
        h = self.norms[0](self.fc(z).view(len(z), 4 * self.channels, 7, 7), y)
        for up, norm in zip(self.ups, self.norms[1:]):
            h = norm(up(torch.relu(h)), y)
        return self.out(h)


class Discriminator(nn.Module):
    """image -> (real/fake score [N], class logits [N, 10]) from one shared convolutional trunk."""

    def __init__(
        self,
        channels: int = 32,
        spectral_norm: bool = True,
        projection: bool = True,
        minibatch_std: int = 0,
        label_spread: bool = False,
    ):
        super().__init__()
        c = channels
        sn = _sn if spectral_norm else (lambda m: m)
        spread = MinibatchStd(minibatch_std)  # the identity with 0
        extra = spread.added_channels() + int(label_spread)
        self.trunk = nn.Sequential(
            sn(nn.Conv2d(3, c, 4, stride=2, padding=1)),
            nn.LeakyReLU(0.2, inplace=True),  # 14
            sn(nn.Conv2d(c, 2 * c, 4, stride=2, padding=1)),
            nn.LeakyReLU(0.2, inplace=True),  # 7
            *([spread] if minibatch_std else []),
            *([LabelSpread()] if label_spread else []),
            sn(nn.Conv2d(2 * c + extra, 4 * c, 3, stride=2, padding=1)),
            nn.LeakyReLU(0.2, inplace=True),  # 4
        )
        self.adv = sn(nn.Linear(4 * c, 1))
        self.aux = sn(nn.Linear(4 * c, N_CLASSES))
        self.proj = sn(nn.Embedding(N_CLASSES, 4 * c)) if projection else None

    def forward(self, x: torch.Tensor, y: torch.Tensor):
        h = x
        for layer in self.trunk:
            h = layer(h, y) if isinstance(layer, LabelSpread) else layer(h)
        h = h.sum(dim=(2, 3))  # global sum pooling
        score = self.adv(h).squeeze(1)
        if self.proj is not None:
            score = score + (self.proj(y) * h).sum(1)
        return score, self.aux(h)
