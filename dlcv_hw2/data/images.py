"""Image files and pixels: decoding and listing image folders, the model's [-1, 1] input and back to uint8,
and the graded folders of generated images (digits D_NNN.png, faces NNNN.png), written atomically."""

import os
import sys

import numpy as np
import torch
from PIL import Image, UnidentifiedImageError

from ..core.cli import UserError
from ..core.files import ensure_dir_writable, files_into

IMAGE_SIZE = 28  # the digits' size, every domain's


def decode_image(path: str, size: int = IMAGE_SIZE, modes: tuple = None) -> np.ndarray:
    """One image as uint8 [size, size, 3]; grayscale and palette images become RGB, unless ``modes``
    names the only PIL modes accepted."""
    if not os.path.isfile(path):
        raise UserError(f"image {path} is missing")
    try:
        with Image.open(path) as img:
            img.load()
            if img.size != (size, size):
                raise UserError(f"image {path} is {img.size[0]}x{img.size[1]}, expected {size}x{size}")
            if modes and img.mode not in modes:
                raise UserError(f"image {path} is of mode {img.mode}, expected {' or '.join(modes)}")
            rgb = img.convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise UserError(f"image {path} is unreadable or truncated ({exc})") from None
    return np.array(rgb, dtype=np.uint8)


def to_model_input(images_uint8: torch.Tensor) -> torch.Tensor:
    """uint8 [N,3,H,W] in 0..255 -> float in [-1, 1] (the course classifier's mean 0.5 / std 0.5)."""
    return images_uint8.float().div(127.5).sub(1.0)


@torch.no_grad()
def map_batches(fn, images_uint8: torch.Tensor, device, batch_size: int = 500) -> torch.Tensor:
    """``fn`` (a network's forward, say) on uint8 images in batches of ``batch_size``, each turned into
    model input on ``device``; the results concatenated on the CPU."""
    out = [
        fn(to_model_input(images_uint8[s : s + batch_size]).to(device)).cpu()
        for s in range(0, len(images_uint8), batch_size)
    ]
    return torch.cat(out) if out else torch.empty(0, dtype=torch.int64)


def list_image_folder(folder: str, exts=(".png", ".jpg", ".jpeg"), skip_others: bool = False) -> list[str]:
    """Sorted image file names of a folder; refuses a missing or empty folder, and one holding another
    file (with ``skip_others``: skips the other files and folders with one warning line)."""
    if not os.path.isdir(folder):
        raise UserError(f"folder {folder} does not exist")
    names = sorted(n for n in os.listdir(folder) if not n.startswith("."))
    if not names:
        raise UserError(f"folder {folder} is empty")
    bad = [n for n in names if not n.lower().endswith(exts) or os.path.isdir(os.path.join(folder, n))]
    if bad and not skip_others:
        raise UserError(f"{os.path.join(folder, bad[0])} is not an image file (expected .png)")
    if bad:
        others = set(bad)
        names = [n for n in names if n not in others]
        if not names:
            raise UserError(f"folder {folder} holds no image file (only e.g. {bad[0]})")
        print(f"warning: skipped {len(bad)} entries of {folder} that are not images (e.g. {bad[0]})", file=sys.stderr)
    return names


def digit_image_name(digit: int, j: int) -> str:
    """The name of the j-th (0-based) generated image of ``digit``: 0_001.png .. 9_100.png."""
    return f"{digit}_{j + 1:03d}.png"


def write_digit_folder(images_uint8: torch.Tensor, per_digit: int, out_dir: str) -> None:
    """Write ``10 * per_digit`` uint8 [N,3,28,28] images, digit-major, as D_NNN.png into ``out_dir``:
    all into a hidden temporary folder first, moved into place only when every image is written. The
    course's classifier reads every file of the folder, so other files already there are reported."""
    ensure_dir_writable(out_dir)
    ours = {digit_image_name(d, j) for d in range(10) for j in range(per_digit)}
    others = sorted(n for n in os.listdir(out_dir) if n not in ours and not n.startswith(".tmp-"))
    if others:
        print(
            f"warning: {out_dir} also holds {len(others)} other file(s) (e.g. {others[0]}); "
            "the digit classifier reads every file of the folder",
            file=sys.stderr,
        )
    with files_into(out_dir) as tmp:
        for k, img in enumerate(images_uint8):
            d, j = divmod(k, per_digit)
            Image.fromarray(img.permute(1, 2, 0).numpy(), "RGB").save(os.path.join(tmp, digit_image_name(d, j)))


def read_folder(folder: str, size: int, modes: tuple = None) -> torch.Tensor:
    """Every image of a folder (sorted by name) as uint8 [N, 3, size, size]; ``modes``: the only PIL
    image modes accepted (any is made RGB when None)."""
    names = list_image_folder(folder)
    out = torch.empty((len(names), 3, size, size), dtype=torch.uint8)
    for i, name in enumerate(names):
        out[i] = torch.from_numpy(decode_image(os.path.join(folder, name), size, modes)).permute(2, 0, 1)
    return out


def face_image_name(i: int) -> str:
    """The name of the i-th (0-based) generated face: 0000.png .. 0999.png."""
    return f"{i:04d}.png"


def write_face_folder(images_uint8: torch.Tensor, out_dir: str) -> None:
    """Write uint8 [N, 3, 64, 64] faces as 0000.png ... into ``out_dir``: all into a hidden temporary
    folder first, moved into place only when every image is written."""
    ensure_dir_writable(out_dir)
    with files_into(out_dir) as tmp:
        for i, img in enumerate(images_uint8):
            Image.fromarray(img.permute(1, 2, 0).numpy(), "RGB").save(os.path.join(tmp, face_image_name(i)))


def to_uint8(images: torch.Tensor) -> torch.Tensor:
    """[-1, 1] -> uint8 0..255 (the inverse of the training normalisation)."""
    return ((images.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8)
