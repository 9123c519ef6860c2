"""Domain Separation Networks for digits (Bousmalis et al. 2016).

* a shared encoder: the DANN feature extractor (so the two methods differ only in their losses), whose
  code feeds the label predictor and, through the gradient-reversal layer, the domain classifier
  (the "similarity" loss of the DANN variant of DSN);
* a private encoder per domain (source, target) of its own width, projected to the shared code's size;
* one shared decoder that rebuilds the input image from shared + private code.

``classify``/``features`` have the DANN model's meaning (label logits, the shared code), so prediction,
accuracy and t-SNE take either model.
"""

import torch
from torch import nn
from torch.nn import functional as F

from .dann import FeatureExtractor, GradientReversal, _head


class Decoder(nn.Module):
    """A code of ``code_dim`` values -> a 3x28x28 image (no squashing: the scale-invariant loss ignores a
    global offset): 2w channels at 7x7, two transposed convolutions to w channels at 14x14 and 3 at
    28x28. Light on purpose (on a CPU, upsampling plus a convolution at 28x28 cost more than the whole
    shared encoder)."""

    def __init__(self, code_dim: int, width: int):
        super().__init__()
        self.width = 2 * width
        self.fc = nn.Sequential(nn.Linear(code_dim, self.width * 7 * 7), nn.ReLU(inplace=True))
        self.net = nn.Sequential(
            nn.ConvTranspose2d(self.width, width, 4, stride=2, padding=1),
            nn.ReLU(inplace=True),  # 14x14
            nn.ConvTranspose2d(width, 3, 4, stride=2, padding=1),  # 28x28
        )

    def forward(self, code):
        return self.net(self.fc(code).view(len(code), self.width, 7, 7))


class PrivateEncoder(nn.Module):
    def __init__(self, width: int, input: str, code_dim: int):
        super().__init__()
        self.net = FeatureExtractor(width, input)
        self.proj = nn.Linear(self.net.out_dim, code_dim)

    def forward(self, x):
        return F.relu(self.proj(self.net(x)))


class DSN(nn.Module):
    def __init__(self, width: int = 64, hidden: int = 256, input: str = "rgb", private_width: int = 16):
        super().__init__()
        self.config = dict(width=width, hidden=hidden, input=input, private_width=private_width)
        self.features = FeatureExtractor(width, input)  # the shared encoder
        dim = self.features.out_dim
        self.label_head = _head(dim, hidden, 10)
        self.domain_head = _head(dim, hidden, 2)
        self.grl = GradientReversal()
        self.private_source = PrivateEncoder(private_width, input, dim)
        self.private_target = PrivateEncoder(private_width, input, dim)
        self.decoder = Decoder(dim, width)

    def classify(self, x):
        return self.label_head(self.features(x))

    def classify_module(self) -> nn.Module:
        return nn.Sequential(self.features, self.label_head).eval()


def scale_invariant_mse(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Eigen et al.'s scale-invariant MSE, per image then averaged: mean(d^2) - mean(d)^2 with d the
    difference (a constant offset of the whole image costs nothing)."""
    d = (pred - target).flatten(1)
    return (d.pow(2).mean(1) - d.mean(1).pow(2)).mean()


def difference_loss(shared: torch.Tensor, private: torch.Tensor) -> torch.Tensor:
    """Soft orthogonality of a batch's shared and private codes: the squared Frobenius norm of
    S^T P (rows: the batch's codes, each centred over the batch and scaled to unit length), divided by
    the batch size squared. 0 when every shared dimension is uncorrelated over the batch with every
    private one; 1 when both codes carry the same one-dimensional signal."""

    def unit(h):
        h = h - h.mean(0, keepdim=True)
        return h / (h.norm(dim=1, keepdim=True) + 1e-6)

    s, p = unit(shared), unit(private)
    # ||S^T P||_F^2 = sum of (S S^T) * (P P^T): two n x n products instead of a code_dim x code_dim one
    return ((s @ s.t()) * (p @ p.t())).sum() / (len(s) ** 2)
