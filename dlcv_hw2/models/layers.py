"""Layers the GAN discriminators share."""

import torch
from torch import nn


class MinibatchStd(nn.Module):
    """Karras et al. 2018 (ProGAN), section 3: one more feature map, the standard deviation of each feature
    over a group of ``group`` images of the batch, averaged over features and positions, so that the
    discriminator sees how much the images of a batch differ, and a generator that draws one image
    whatever its noise is told apart from the data. The batch is split into groups of ``group`` images
    (the whole batch when it does not divide evenly); ``group`` 0 is the identity."""

    def __init__(self, group: int):
        super().__init__()
        self.group = group

    def extra_repr(self) -> str:
        return f"group={self.group}"

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.group:
            return x
        n, c, h, w = x.shape
        g = self.group if n % self.group == 0 else n
        spread = x.view(g, n // g, c, h, w).float().var(dim=0, unbiased=False).add(1e-8).sqrt()  # [n/g, c, h, w]
        feature = (
            spread.mean(dim=(1, 2, 3)).to(x.dtype).view(-1, 1, 1, 1).repeat(g, 1, h, w)
        )  # image i: group i % (n/g)
        return torch.cat([x, feature], dim=1)

    def added_channels(self) -> int:
        return 1 if self.group else 0


class LabelSpread(nn.Module):
    """Minibatch discrimination within a label (after Salimans et al. 2016): one more feature map, for each
    image the mean absolute difference of its features from those of the batch's other images of the
    same label (0 for an image without one). A class-conditional generator that draws one image per label
    whatever its noise gives 0 where real images of a label differ; the minibatch standard deviation of
    mixed labels cannot see that, since different digits differ anyway."""

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        n, _, h, w = x.shape
        flat = x.flatten(1).float()
        apart = torch.cdist(flat, flat, p=1) / flat.shape[1]  # [n, n] mean |f_i - f_j|
        same = (y[:, None] == y[None, :]) & ~torch.eye(n, dtype=torch.bool, device=x.device)
        spread = (apart * same).sum(1) / same.sum(1).clamp(min=1)
        return torch.cat([x, spread.to(x.dtype).view(n, 1, 1, 1).expand(n, 1, h, w)], dim=1)
