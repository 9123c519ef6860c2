"""Problem 2 helpers: loading the face UNet checkpoint and the noise files, writing face PNGs, MSE."""

import os
import re

import numpy as np
import torch
from PIL import Image

from ..core.cli import UserError
from ..core.files import load_torch, state_mismatch
from ..data.images import list_image_folder
from ..models.face_unet import FaceUNet

NOISE_NAME = re.compile(r"^(\d+)\.pt$")
# The assignment's DDIM for the face UNet: 50 uniform steps (1, 21, ..., 981) over the T = 1000 linear
# schedule, eta = 0 for the graded images.
DDIM_STEPS = 50
T = 1000


def load_face_unet(path: str, device, base_channels: int = None) -> FaceUNet:
    """The face UNet with the checkpoint's weights; its width is read from ``down1.weight``
    (128 for the course's) unless ``base_channels`` is given."""
    state = load_torch(path, what="UNet checkpoint")
    if isinstance(state, dict) and "state_dict" in state and isinstance(state["state_dict"], dict):
        state = state["state_dict"]
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise UserError(f"UNet checkpoint {path} is not a state dict of tensors")
    if base_channels is None:
        w = state.get("down1.weight")
        base_channels = int(w.shape[0]) if isinstance(w, torch.Tensor) and w.ndim == 4 and w.shape[0] % 32 == 0 else 128
    model = FaceUNet(base_channels)
    problem = state_mismatch(model.state_dict(), state)
    if problem:
        raise UserError(f"UNet checkpoint {path} does not fit the face UNet (base width {base_channels}): {problem}")
    model.load_state_dict(state, strict=True)
    return model.to(device).eval()


def load_noises(folder: str) -> tuple:
    """Sorted ``NN.pt`` noise files of a folder: (stems, tensor [N, 3, H, W])."""
    if not os.path.isdir(folder):
        raise UserError(f"noise folder {folder} does not exist")
    names = sorted((n for n in os.listdir(folder) if NOISE_NAME.match(n)), key=lambda n: (int(n[:-3]), n))
    if not names:
        raise UserError(f"noise folder {folder} holds no NN.pt files")
    tensors = []
    for n in names:
        path = os.path.join(folder, n)
        t = load_torch(path, what="noise file")
        if not isinstance(t, torch.Tensor):
            raise UserError(f"noise file {path} does not hold a tensor")
        if t.ndim == 3:
            t = t[None]
        if t.ndim != 4 or t.shape[0] != 1 or t.shape[1] != 3 or t.shape[2] != t.shape[3]:
            raise UserError(f"noise file {path} has shape {tuple(t.shape)}, expected [1, 3, H, H]")
        if tensors and t.shape != tensors[0].shape:
            raise UserError(
                f"noise file {path} has shape {tuple(t.shape)}, unlike {tuple(tensors[0].shape)} of the others"
            )
        if not torch.isfinite(t).all():
            raise UserError(f"noise file {path} holds NaN or infinite values")
        tensors.append(t.float())
    return [n[:-3] for n in names], torch.cat(tensors)


def to_png_uint8(x: torch.Tensor) -> np.ndarray:
    """One image [3, H, W] -> uint8 [H, W, 3]: min-max over all its pixels and channels together,
    then round(v * 255) (the course's ground-truth convention)."""
    x = x.double()
    lo, hi = x.min(), x.max()
    v = (x - lo) / (hi - lo) if hi > lo else torch.zeros_like(x)
    return (v * 255).round().clamp(0, 255).to(torch.uint8).permute(1, 2, 0).numpy()


def read_rgb(path: str) -> np.ndarray:
    try:
        with Image.open(path) as img:
            return np.asarray(img.convert("RGB"), dtype=np.float64)
    except (OSError, SyntaxError, ValueError) as exc:
        raise UserError(f"image {path} is unreadable or truncated ({exc})") from None


def mse_table(out_dir: str, gt_dir: str) -> list:
    """[(name, mse on the 0-255 scale)] for every image of ``out_dir`` against ``gt_dir``."""
    names = list_image_folder(out_dir, exts=(".png",))
    if not os.path.isdir(gt_dir):
        raise UserError(f"ground-truth folder {gt_dir} does not exist")
    missing = [n for n in names if not os.path.isfile(os.path.join(gt_dir, n))]
    if missing:
        raise UserError(f"ground-truth folder {gt_dir} lacks {len(missing)} image(s), e.g. {missing[0]}")
    rows = []
    for n in names:
        a, b = read_rgb(os.path.join(out_dir, n)), read_rgb(os.path.join(gt_dir, n))
        if a.shape != b.shape:
            raise UserError(
                f"{os.path.join(out_dir, n)} is {a.shape[1]}x{a.shape[0]}, ground truth is {b.shape[1]}x{b.shape[0]}"
            )
        rows.append((n, float(((a - b) ** 2).mean())))
    return rows


def write_standin(folder: str, seed: int = 1, size: int = 32, count: int = 3, out_scale: float = 0.3) -> None:
    """A small stand-in for the course's ``face/`` inputs of hw2_2.sh, for tests and benchmarks (the real
    UNet.pt comes with the course data): ``UNet.pt``, a base-32 face UNet with the reference fill of
    ``seed``, and ``noise/00.pt ..``, ``count`` noises of ``size`` x ``size``. The output convolution is
    scaled by ``out_scale``: a random UNet is chaotic under 50 DDIM steps (1 against 2 torch threads
    already end at an image MSE of 1 to 4 on the 0-255 scale), while at 0.3 the steps contract as a
    trained denoiser's do and the images keep their full range (BENCHMARKS.md, "The course's environment")."""
    from ..models.face_unet import fill_reference_weights

    model = FaceUNet(32)
    fill_reference_weights(model, seed=seed)
    with torch.no_grad():
        model.out[2].weight.mul_(out_scale)
    os.makedirs(os.path.join(folder, "noise"), exist_ok=True)
    torch.save(model.state_dict(), os.path.join(folder, "UNet.pt"))
    gen = torch.Generator().manual_seed(0)
    for i in range(count):
        torch.save(torch.randn(1, 3, size, size, generator=gen), os.path.join(folder, "noise", f"{i:02d}.pt"))
