"""Class-conditional noise-prediction UNet for 28x28 RGB digits, written for this project.

Resolutions 28 -> 14 -> 7 (one level per entry of ``channel_mults``), residual blocks conditioned on
the sum of a sinusoidal timestep embedding and a label embedding, self-attention at the lowest
resolution. Label 10 is the learned "no label" token used for classifier-free guidance.

``patch=p`` folds each p x p pixel block into channels first (pixel unshuffle: 28x28x3 -> 14x14x12
for p = 2, 7x7x48 for p = 4) and unfolds at the end: p^2 times fewer positions, so the same compute
pays for a wider network. That is what makes CPU training affordable (BENCHMARKS.md compares them).
With p = 4 the lower level is 4x4 (a stride-2 convolution rounds 7 up) and the decoder interpolates
back to the skip connection's 7x7.
"""

import math

import torch
from torch import nn
from torch.nn import functional as F

NULL_LABEL = 10


def timestep_embedding(t: torch.Tensor, dim: int) -> torch.Tensor:
    """Sinusoidal embedding of integer timesteps (Vaswani et al.), sin then cos halves."""
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, device=t.device, dtype=torch.float32) / half)
    args = t.float()[:, None] * freqs[None]
    return torch.cat([torch.sin(args), torch.cos(args)], dim=1)


def groups(channels: int) -> int:
    return 8 if channels % 8 == 0 else 1


class ResBlock(nn.Module):
    """Two 3x3 convolutions with a residual path. The embedding enters either as a per-channel bias
    after the first convolution (``scale_shift=False``, as in DDPM) or as a scale and shift of the
    second normalisation (``scale_shift=True``, the adaptive group norm of Dhariwal & Nichol 2021)."""

    def __init__(self, cin: int, cout: int, emb_dim: int, dropout: float = 0.0, scale_shift: bool = False):
        super().__init__()
        self.scale_shift = scale_shift
        self.norm1 = nn.GroupNorm(groups(cin), cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.emb = nn.Linear(emb_dim, 2 * cout if scale_shift else cout)
        self.norm2 = nn.GroupNorm(groups(cout), cout)
        self.dropout = nn.Dropout(dropout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, emb):
        h = self.conv1(F.silu(self.norm1(x)))
        e = self.emb(F.silu(emb))[:, :, None, None]
        if self.scale_shift:
            scale, shift = e.chunk(2, dim=1)
            h = self.norm2(h) * (1 + scale) + shift
        else:
            h = self.norm2(h + e)
        h = self.conv2(self.dropout(F.silu(h)))
        return h + self.skip(x)


class SelfAttention(nn.Module):
    def __init__(self, channels: int):
        super().__init__()
        self.norm = nn.GroupNorm(groups(channels), channels)
        self.qkv = nn.Conv2d(channels, 3 * channels, 1)
        self.out = nn.Conv2d(channels, channels, 1)

    def forward(self, x):
        b, c, h, w = x.shape
        q, k, v = self.qkv(self.norm(x)).reshape(b, 3, c, h * w).unbind(1)
        a = F.scaled_dot_product_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2))
        return x + self.out(a.transpose(1, 2).reshape(b, c, h, w))


class DigitUNet(nn.Module):
    def __init__(
        self,
        base_channels: int = 64,
        channel_mults=(1, 2, 2),
        num_res_blocks: int = 2,
        attention: bool = True,
        dropout: float = 0.1,
        num_classes: int = 10,
        patch: int = 1,
        scale_shift: bool = False,
    ):
        super().__init__()
        self.config = dict(
            base_channels=base_channels,
            channel_mults=list(channel_mults),
            num_res_blocks=num_res_blocks,
            attention=attention,
            dropout=dropout,
            num_classes=num_classes,
            patch=patch,
            scale_shift=scale_shift,
        )
        self.patch = patch
        c0 = base_channels
        emb_dim = 4 * c0
        self.time_mlp = nn.Sequential(nn.Linear(c0, emb_dim), nn.SiLU(), nn.Linear(emb_dim, emb_dim))
        self.label_emb = nn.Embedding(num_classes + 1, emb_dim)  # last index: "no label"
        self.inp = nn.Conv2d(3 * patch * patch, c0, 3, padding=1)
        self.down = nn.ModuleList()
        skips = [c0]
        ch = c0
        for level, mult in enumerate(channel_mults):
            for _ in range(num_res_blocks):
                self.down.append(ResBlock(ch, c0 * mult, emb_dim, dropout, scale_shift))
                ch = c0 * mult
                skips.append(ch)
            if level < len(channel_mults) - 1:
                self.down.append(nn.Conv2d(ch, ch, 3, stride=2, padding=1))
                skips.append(ch)
        self.mid1 = ResBlock(ch, ch, emb_dim, dropout, scale_shift)
        self.mid_attn = SelfAttention(ch) if attention else nn.Identity()
        self.mid2 = ResBlock(ch, ch, emb_dim, dropout, scale_shift)
        self.up = nn.ModuleList()
        for level, mult in reversed(list(enumerate(channel_mults))):
            for _ in range(num_res_blocks + 1):
                self.up.append(ResBlock(ch + skips.pop(), c0 * mult, emb_dim, dropout, scale_shift))
                ch = c0 * mult
            if level > 0:
                self.up.append(nn.Upsample(scale_factor=2, mode="nearest"))
                self.up.append(nn.Conv2d(ch, ch, 3, padding=1))
        self.out = nn.Sequential(
            nn.GroupNorm(groups(ch), ch), nn.SiLU(), nn.Conv2d(ch, 3 * patch * patch, 3, padding=1)
        )

    def forward(self, x: torch.Tensor, t: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        emb = self.time_mlp(timestep_embedding(t, self.config["base_channels"])) + self.label_emb(labels)
        if self.patch > 1:
            x = F.pixel_unshuffle(x, self.patch)
        h = self.inp(x)
        hs = [h]
        for layer in self.down:
            h = layer(h, emb) if isinstance(layer, ResBlock) else layer(h)
            hs.append(h)
        h = self.mid2(self.mid_attn(self.mid1(h, emb)), emb)
        for layer in self.up:
            if isinstance(layer, ResBlock):
                skip = hs.pop()
                if skip.shape[-1] != h.shape[-1]:  # an odd size: upsampled 4 -> 8, the skip is 7
                    h = F.interpolate(h, size=skip.shape[-2:], mode="nearest")
                h = layer(torch.cat([h, skip], dim=1), emb)
            else:
                h = layer(h)
        out = self.out(h)
        return F.pixel_shuffle(out, self.patch) if self.patch > 1 else out


def guided_eps(model, labels: torch.Tensor, guidance: float):
    """eps_fn(x, t) for the samplers: classifier-free guidance, eps = (1 + w) eps(x|y) - w eps(x|none),
    with the conditional and unconditional predictions computed in one batched forward."""

    def eps_fn(x, t):
        if guidance == 0:
            return model(x, t, labels)
        null = torch.full_like(labels, NULL_LABEL)
        out = model(torch.cat([x, x]), torch.cat([t, t]), torch.cat([labels, null]))
        cond, uncond = out.chunk(2)
        return (1 + guidance) * cond - guidance * uncond

    return eps_fn
