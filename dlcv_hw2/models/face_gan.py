"""Unconditional GANs for 64x64 RGB faces (2021/2022 problem 1): one generator and one discriminator
family whose options -- batch norm, spectral norm on every layer, self-attention at 16x16 -- make each
method's networks (DCGAN's, a WGAN critic, SAGAN's ...; which method takes which options: ``FACE_GANS``
in dlcv_hw2/methods/face_gan.py).
"""

import torch
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm as _sn

from .layers import MinibatchStd

IMAGE_SIZE = 64


def _maybe_sn(on: bool):
    return _sn if on else (lambda m: m)


class SelfAttention(nn.Module):
    """SAGAN's attention over the positions of a feature map: x + gamma * attend(x), gamma from 0."""

    def __init__(self, channels: int, sn: bool = True):
        super().__init__()
        wrap = _maybe_sn(sn)
        inner = max(1, channels // 8)
        self.query = wrap(nn.Conv2d(channels, inner, 1, bias=False))
        self.key = wrap(nn.Conv2d(channels, inner, 1, bias=False))
        self.value = wrap(nn.Conv2d(channels, max(1, channels // 2), 1, bias=False))
        self.out = wrap(nn.Conv2d(max(1, channels // 2), channels, 1, bias=False))
        self.gamma = nn.Parameter(torch.zeros(1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, c, h, w = x.shape
        q = self.query(x).flatten(2).transpose(1, 2)  # [n, hw, c/8]
        k = self.key(x).flatten(2)  # [n, c/8, hw]
        attn = torch.softmax(q @ k, dim=-1)  # [n, hw, hw]
        v = self.value(x).flatten(2)  # [n, c/2, hw]
        o = (v @ attn.transpose(1, 2)).view(n, -1, h, w)
        return x + self.gamma * self.out(o)


class Generator(nn.Module):
    """z -> 64x64 image in [-1, 1]: 8c x 4 x 4 -> 4c x 8 -> 2c x 16 -> c x 32 -> 3 x 64, 4x4 transposed
    convolutions with batch norm and ReLU; with ``spectral_norm`` and ``attention`` (SAGAN) the
    convolutions are spectrally normalised and self-attention follows the 16x16 map."""

    def __init__(self, z_dim: int = 100, channels: int = 32, spectral_norm: bool = False, attention: bool = False):
        super().__init__()
        c, wrap = channels, _maybe_sn(spectral_norm)
        self.z_dim = z_dim

        def up(cin, cout):
            return [wrap(nn.ConvTranspose2d(cin, cout, 4, 2, 1, bias=False)), nn.BatchNorm2d(cout), nn.ReLU(True)]

        layers = [wrap(nn.ConvTranspose2d(z_dim, 8 * c, 4, 1, 0, bias=False)), nn.BatchNorm2d(8 * c), nn.ReLU(True)]
        layers += up(8 * c, 4 * c) + up(4 * c, 2 * c)  # 8x8, 16x16
        if attention:
            layers.append(SelfAttention(2 * c, sn=spectral_norm))
        layers += up(2 * c, c)  # 32x32
        layers += [wrap(nn.ConvTranspose2d(c, 3, 4, 2, 1)), nn.Tanh()]
        self.net = nn.Sequential(*layers)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z.view(len(z), -1, 1, 1))


class Discriminator(nn.Module):
    """64x64 image -> one score (a logit for DCGAN, a critic value for WGAN-GP, a hinge score for
    SAGAN): c x 32 -> 2c x 16 -> 4c x 8 -> 8c x 4 -> 1, 4x4 strided convolutions with LeakyReLU 0.2;
    ``batch_norm`` after all but the first (DCGAN), ``spectral_norm`` on every layer, self-attention
    after the 16x16 map (SAGAN) and, with ``minibatch_std`` > 0, the minibatch standard deviation of the
    4x4 map (ProGAN) before the last layer."""

    def __init__(
        self,
        channels: int = 32,
        batch_norm: bool = True,
        spectral_norm: bool = False,
        attention: bool = False,
        minibatch_std: int = 0,
    ):
        super().__init__()
        c, wrap = channels, _maybe_sn(spectral_norm)

        def down(cin, cout, norm=batch_norm):
            return (
                [wrap(nn.Conv2d(cin, cout, 4, 2, 1, bias=not norm))]
                + ([nn.BatchNorm2d(cout)] if norm else [])
                + [nn.LeakyReLU(0.2, True)]
            )

        layers = down(3, c, norm=False) + down(c, 2 * c)  # 32x32, 16x16
        if attention:
            layers.append(SelfAttention(2 * c, sn=spectral_norm))
        layers += down(2 * c, 4 * c) + down(4 * c, 8 * c)  # 8x8, 4x4
        spread = MinibatchStd(minibatch_std)
        layers += [spread] if minibatch_std else []
        layers.append(wrap(nn.Conv2d(8 * c + spread.added_channels(), 1, 4, 1, 0)))
        self.net = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x).view(len(x))


def init_weights(module: nn.Module) -> None:
    """DCGAN's initialisation: convolutions N(0, 0.02), batch-norm scales N(1, 0.02) and shifts 0."""
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            weight = m.parametrizations.weight.original if hasattr(m, "parametrizations") else m.weight
            nn.init.normal_(weight, 0.0, 0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.normal_(m.weight, 1.0, 0.02)
            nn.init.zeros_(m.bias)
