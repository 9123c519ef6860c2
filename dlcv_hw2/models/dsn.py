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
    """A code of ``code_dim`` values -> a 3x28x28 image in [-1, 1]-like range (no squashing: the
    scale-invariant loss ignores a global offset)."""

    def __init__(self, code_dim: int, width: int):
        super().__init__()
        c = 2 * width
        self.width = c
        self.fc = nn.Sequential(nn.Linear(code_dim, c * 7 * 7), nn.ReLU(inplace=True))
        self.net = nn.Sequential(
            nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(c, c, 3, padding=1), nn.ReLU(inplace=True),  # 14
            nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(c, c, 3, padding=1), nn.ReLU(inplace=True),  # 28
            nn.Conv2d(c, 3, 3, padding=1),
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
    return (s.t() @ p).pow(2).sum() / (len(s) ** 2)
