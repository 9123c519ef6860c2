"""The course's 256x256 face DDPM UNet (problem 2), written from its checkpoint format.

It loads the course's ``UNet.pt`` state dict with ``strict=True`` (every key and shape of
``face_unet_keys.tsv``) and computes the same function. ``base_channels`` (128 in the checkpoint)
may be reduced for tests; every other width scales with it.

Layout: ``down1`` conv; six levels of two residual blocks (channel multipliers 1,1,2,2,4,4, attention
at the fifth), each but the last followed by a stride-2 conv; ``mid1`` (with attention), ``mid2``;
six levels of three residual blocks fed with the popped skips, each but the last followed by
nearest-x2 upsampling and a conv; GroupNorm-SiLU-conv head. Names ``down1..down18``, ``up1..up23``.
"""

import math

import torch
from torch import nn
from torch.nn import functional as F

MULTS = (1, 1, 2, 2, 4, 4)
ATTENTION_LEVEL = 4
BLOCKS_DOWN, BLOCKS_UP = 2, 3


class SinusoidalEmbedding(nn.Module):
    """Integer timestep (as float, not rescaled) times inv_freq[i] = exp(-ln(10000) 2i / dim); sin then cos."""

    def __init__(self, dim: int = 128):
        super().__init__()
        inv_freq = torch.exp(-math.log(10000.0) * torch.arange(0, dim, 2, dtype=torch.float32) / dim)
        self.register_buffer("inv_freq", inv_freq)  # persistent: stored in the checkpoint

    def forward(self, t):
        args = t.float()[:, None] * self.inv_freq[None]
        return torch.cat([args.sin(), args.cos()], dim=1)


class ResidualBlock(nn.Module):
    def __init__(self, cin: int, cout: int, temb: int, dropout: float = 0.0):
        super().__init__()
        self.norm1 = nn.GroupNorm(32, cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.time = nn.Sequential(nn.SiLU(), nn.Linear(temb, cout))
        self.norm2 = nn.GroupNorm(32, cout)
        self.dropout = nn.Dropout(dropout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        if cin != cout:
            self.skip = nn.Conv2d(cin, cout, 1)

    def forward(self, x, temb):
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.time(temb)[:, :, None, None]
        h = self.conv2(self.dropout(F.silu(self.norm2(h))))
        return h + (self.skip(x) if hasattr(self, "skip") else x)


class AttentionBlock(nn.Module):
    """One-head self-attention over all positions; q, k, v split from one 1x1 conv in that order."""

    def __init__(self, channels: int):
        super().__init__()
        self.norm = nn.GroupNorm(32, channels)
        self.qkv = nn.Conv2d(channels, 3 * channels, 1)
        self.out = nn.Conv2d(channels, channels, 1)

    def forward(self, x):
        b, c, h, w = x.shape
        q, k, v = self.qkv(self.norm(x)).reshape(b, 3 * c, h * w).chunk(3, dim=1)  # [b, c, hw] each
        weighted = F.scaled_dot_product_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2))
        return x + self.out(weighted.transpose(1, 2).reshape(b, c, h, w))


class Stage(nn.Module):
    """A residual block, optionally followed by attention (keys ``resblocks.*`` and ``attention.*``)."""

    def __init__(self, cin, cout, temb, attention: bool, dropout: float):
        super().__init__()
        self.resblocks = ResidualBlock(cin, cout, temb, dropout)
        if attention:
            self.attention = AttentionBlock(cout)

    def forward(self, x, temb):
        x = self.resblocks(x, temb)
        return self.attention(x) if hasattr(self, "attention") else x


class FaceUNet(nn.Module):
    def __init__(self, base_channels: int = 128, dropout: float = 0.0):
        super().__init__()
        c = base_channels
        temb = 4 * c
        self.time = nn.Sequential(SinusoidalEmbedding(c), nn.Linear(c, temb), nn.SiLU(), nn.Linear(temb, temb))
        self.down1 = nn.Conv2d(3, c, 3, padding=1)
        skips, ch, n = [c], c, 1
        self.down_names = ["down1"]
        for level, mult in enumerate(MULTS):
            for _ in range(BLOCKS_DOWN):
                n += 1
                self.add_module(f"down{n}", Stage(ch, c * mult, temb, level == ATTENTION_LEVEL, dropout))
                ch = c * mult
                skips.append(ch)
                self.down_names.append(f"down{n}")
            if level < len(MULTS) - 1:
                n += 1
                self.add_module(f"down{n}", nn.Sequential(nn.Conv2d(ch, ch, 3, stride=2, padding=1)))
                skips.append(ch)
                self.down_names.append(f"down{n}")
        self.mid1 = Stage(ch, ch, temb, True, dropout)
        self.mid2 = Stage(ch, ch, temb, False, dropout)
        self.up_names, n = [], 0
        for level in reversed(range(len(MULTS))):
            for _ in range(BLOCKS_UP):
                n += 1
                self.add_module(
                    f"up{n}", Stage(ch + skips.pop(), c * MULTS[level], temb, level == ATTENTION_LEVEL, dropout)
                )
                ch = c * MULTS[level]
                self.up_names.append(f"up{n}")
            if level > 0:
                n += 1
                self.add_module(
                    f"up{n}",
                    nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(ch, ch, 3, padding=1)),
                )
                self.up_names.append(f"up{n}")
        self.out = nn.Sequential(nn.GroupNorm(32, ch), nn.SiLU(), nn.Conv2d(ch, 3, 3, padding=1))

    def forward(self, x, t):
        temb = self.time(t)
        stack = []
        for name in self.down_names:
            layer = getattr(self, name)
            x = layer(x, temb) if isinstance(layer, Stage) else layer(x)
            stack.append(x)
        x = self.mid2(self.mid1(x, temb), temb)
        for name in self.up_names:
            layer = getattr(self, name)
            x = layer(torch.cat([x, stack.pop()], dim=1), temb) if isinstance(layer, Stage) else layer(x)
        return self.out(x)


def fill_reference_weights(model: nn.Module, seed: int = 0) -> None:
    """The deterministic fill of the course fixture (HW2_FACTS section 4), for tests and benchmarks."""
    gen = torch.Generator().manual_seed(seed)
    state = model.state_dict()
    with torch.no_grad():
        for key in sorted(state):
            if key.endswith("inv_freq"):
                continue
            shape = state[key].shape
            if len(shape) > 1:
                value = torch.randn(shape, generator=gen) / math.sqrt(math.prod(shape[1:]))
            elif "norm" in key and key.endswith("weight"):
                value = 1 + 0.1 * torch.randn(shape, generator=gen)
            else:
                value = 0.1 * torch.randn(shape, generator=gen)
            state[key].copy_(value)
