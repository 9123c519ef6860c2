"""DANN for digits (Ganin et al. 2016): CNN feature extractor, label predictor, domain classifier and
the gradient-reversal layer between features and domain classifier. Input: 28x28 images with 3
channels (grayscale expanded), normalised to [-1, 1].

``input="gray"`` makes the first layer of the model a fixed normalisation: luma, then each image
standardised to zero mean and unit variance. Colour and global brightness, which tell MNIST-M from
USPS and SVHN but say nothing about the digit, never reach the learned layers (BENCHMARKS.md has the
numbers against ``input="rgb"``)."""

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


INPUTS = ("rgb", "gray")


class InputNorm(nn.Module):
    """[-1, 1] RGB -> the tensor the convolutions see (3 channels for "rgb", 1 for "gray")."""

    def __init__(self, mode: str):
        super().__init__()
        if mode not in INPUTS:
            raise ValueError(f"input must be one of {INPUTS}, not {mode!r}")
        self.mode = mode
        self.register_buffer("luma", torch.tensor([0.299, 0.587, 0.114]).view(1, 3, 1, 1), persistent=False)
        self.channels = 3 if mode == "rgb" else 1

    def forward(self, x):
        if self.mode == "rgb":
            return x
        g = (x * self.luma).sum(1, keepdim=True)
        mean = g.mean((2, 3), keepdim=True)
        std = g.std((2, 3), keepdim=True)
        return (g - mean) / (std + 0.05)


def _block(cin, cout):
    return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]


class FeatureExtractor(nn.Module):
    """28x28x3 -> a feature vector of 4*width*3*3 values (the "output of the CNN layers" for t-SNE)."""

    def __init__(self, width: int = 64, input: str = "rgb"):
        super().__init__()
        w = width
        self.norm = InputNorm(input)
        self.net = nn.Sequential(
            *_block(self.norm.channels, w),
            *_block(w, w),
            nn.MaxPool2d(2),  # 14x14
            *_block(w, 2 * w),
            *_block(2 * w, 2 * w),
            nn.MaxPool2d(2),  # 7x7
            *_block(2 * w, 4 * w),
            nn.MaxPool2d(2, ceil_mode=True),  # 4x4
            nn.Flatten(),
        )
        self.out_dim = 4 * w * 4 * 4

    def forward(self, x):
        return self.net(self.norm(x))


def _head(din, hidden, dout, dropout=0.3):
    return nn.Sequential(
        nn.Dropout(dropout),
        nn.Linear(din, hidden),
        nn.BatchNorm1d(hidden),
        nn.ReLU(inplace=True),
        nn.Linear(hidden, dout),
    )


class DANN(nn.Module):
    def __init__(self, width: int = 64, hidden: int = 256, input: str = "rgb"):
        super().__init__()
        self.config = dict(width=width, hidden=hidden, input=input)
        self.features = FeatureExtractor(width, input)
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
