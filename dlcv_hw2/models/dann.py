"""DANN for digits (Ganin et al. 2016): CNN feature extractor, label predictor, domain classifier and
the gradient-reversal layer between features and domain classifier. Input: 28x28 images with 3
channels (grayscale expanded), normalised to [-1, 1]."""
import math

import torch
from torch import nn


class _ReverseGrad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, lambd):
        ctx.lambd = lambd
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad):
        return -ctx.lambd * grad, None


class GradientReversal(nn.Module):
    """Identity forward; multiplies the gradient by -lambda backward."""

    def forward(self, x, lambd: float):
        return _ReverseGrad.apply(x, lambd)


def grl_lambda(progress: float, gamma: float = 10.0) -> float:
    """The DANN schedule lambda = 2 / (1 + exp(-gamma p)) - 1 for training progress p in [0, 1]."""
    return 2.0 / (1.0 + math.exp(-gamma * progress)) - 1.0


def _block(cin, cout):
    return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]


class FeatureExtractor(nn.Module):
    """28x28x3 -> a feature vector of 4*width*3*3 values (the "output of the CNN layers" for t-SNE)."""

    def __init__(self, width: int = 64):
        super().__init__()
        w = width
        self.net = nn.Sequential(
            *_block(3, w), *_block(w, w), nn.MaxPool2d(2),            # 14x14
            *_block(w, 2 * w), *_block(2 * w, 2 * w), nn.MaxPool2d(2),  # 7x7
            *_block(2 * w, 4 * w), nn.MaxPool2d(2, ceil_mode=True),    # 4x4
            nn.Flatten(),
        )
        self.out_dim = 4 * w * 4 * 4

    def forward(self, x):
        return self.net(x)


def _head(din, hidden, dout, dropout=0.3):
    return nn.Sequential(nn.Dropout(dropout), nn.Linear(din, hidden), nn.BatchNorm1d(hidden), nn.ReLU(inplace=True),
                         nn.Linear(hidden, dout))


class DANN(nn.Module):
    def __init__(self, width: int = 64, hidden: int = 256):
        super().__init__()
        self.config = dict(width=width, hidden=hidden)
        self.features = FeatureExtractor(width)
        self.label_head = _head(self.features.out_dim, hidden, 10)
        self.domain_head = _head(self.features.out_dim, hidden, 2)
        self.grl = GradientReversal()

    def forward(self, x, lambd: float = 0.0):
        f = self.features(x)
        return self.label_head(f), self.domain_head(self.grl(f, lambd))

    def classify(self, x):
        return self.label_head(self.features(x))

    def classify_module(self) -> nn.Module:
        """features + label head as one module (logits), e.g. for the accuracy helpers."""
        return nn.Sequential(self.features, self.label_head).eval()
