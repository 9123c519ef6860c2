"""DiffAugment (Zhao, Liu, Lin, Zhu, Han, NeurIPS 2020): random augmentations that gradients pass
through, applied to every image the discriminator sees -- real and generated, in the discriminator's
and the generator's steps -- so that a discriminator trained on few images does not memorise them,
while the generator still learns the unaugmented images.

Every random draw comes from the caller's CPU generator (the epoch's), so a run is reproducible and a
resumed run draws what an uninterrupted one draws. Images are in [-1, 1], [N, C, H, W].
"""

import torch
import torch.nn.functional as F

POLICIES = ("color", "translation")
TRANSLATION = 0.125  # the largest shift, as a share of the side


def _uniform(n: int, rng: torch.Generator, device, low: float, high: float) -> torch.Tensor:
    return (torch.rand((n, 1, 1, 1), generator=rng) * (high - low) + low).to(device)


def color(x: torch.Tensor, rng: torch.Generator) -> torch.Tensor:
    """Brightness (+U(-0.5, 0.5)), saturation (x U(0, 2) around the pixel's mean over channels) and
    contrast (x U(0.5, 1.5) around the image's mean), each drawn per image."""
    n = len(x)
    x = x + _uniform(n, rng, x.device, -0.5, 0.5)
    mean = x.mean(dim=1, keepdim=True)
    x = (x - mean) * _uniform(n, rng, x.device, 0.0, 2.0) + mean
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    return (x - mean) * _uniform(n, rng, x.device, 0.5, 1.5) + mean


def translation(x: torch.Tensor, rng: torch.Generator, ratio: float = TRANSLATION) -> torch.Tensor:
    """Each image shifted by whole pixels, up to ``ratio`` of its side in x and y; what comes in from
    outside is 0 (mid grey)."""
    n, _, h, w = x.shape
    sy, sx = int(h * ratio + 0.5), int(w * ratio + 0.5)
    ty = torch.randint(-sy, sy + 1, (n, 1, 1), generator=rng).to(x.device)
    tx = torch.randint(-sx, sx + 1, (n, 1, 1), generator=rng).to(x.device)
    gy, gx = torch.meshgrid(torch.arange(h, device=x.device), torch.arange(w, device=x.device), indexing="ij")
    gy = (gy[None] + ty + 1).clamp(0, h + 1)  # +1: the zero border of the padded image
    gx = (gx[None] + tx + 1).clamp(0, w + 1)
    padded = F.pad(x, (1, 1, 1, 1)).permute(0, 2, 3, 1)  # [N, H+2, W+2, C]
    return padded[torch.arange(n, device=x.device)[:, None, None], gy, gx].permute(0, 3, 1, 2).contiguous()


AUGMENTS = {"color": color, "translation": translation}


def augment(x: torch.Tensor, policy, rng: torch.Generator) -> torch.Tensor:
    """``x`` through the augmentations named in ``policy`` (a sequence of :data:`POLICIES`), in the
    order of :data:`POLICIES`; an empty policy returns ``x`` itself."""
    for name in POLICIES:
        if name in policy:
            x = AUGMENTS[name](x, rng)
    return x


class Augmented(torch.nn.Module):
    """A discriminator that sees its images through :func:`augment` (the module trained is ``disc``); any
    further inputs (a conditional discriminator's labels) pass unchanged."""

    def __init__(self, disc: torch.nn.Module, policy, rng: torch.Generator):
        super().__init__()
        self.disc, self.policy, self.rng = disc, tuple(policy), rng

    def forward(self, x: torch.Tensor, *rest):
        return self.disc(augment(x, self.policy, self.rng), *rest)
