"""Face images of 2021/2022 problem 1: the course's ``hw2_data/face`` folders of 64x64 RGB PNGs --
``train/`` with ``val/`` (2022) or ``test/`` (2021) -- or the demo faces in the same layout, validated and
decoded once into a uint8 tensor cache that training reads. (The cache's ``kind`` tag, "dlcv_hw2.faces",
is that of the files already written; it stays.)"""

import os

import torch

from ..core.cli import UserError
from ..core.files import load_torch, save_torch
from .images import list_image_folder, read_folder

FACE_SIZE = 64
FID_FOLDERS = ("val", "test")  # the split the generated faces are compared with: 2022 val/, 2021 test/


def face_split_dir(face_dir: str, split: str) -> str:
    """``train`` -> face_dir/train; ``val`` -> face_dir/val (2022), else face_dir/test (2021)."""
    if split == "train":
        names = ("train",)
    elif split == "val":
        names = FID_FOLDERS
    else:
        raise UserError(f"unknown face split {split!r} (train or val)")
    for name in names:
        if os.path.isdir(os.path.join(face_dir, name)):
            return os.path.join(face_dir, name)
    raise UserError(f"{face_dir} has no {' or '.join(n + '/' for n in names)} folder of face images")


def decode_faces(folder: str) -> tuple:
    """Every image of a folder as uint8 [N, 3, 64, 64] and the sorted names; a file of another size or
    not RGB stops with its name."""
    return read_folder(folder, FACE_SIZE, modes=("RGB",)), list_image_folder(folder)


def save_face_cache(images: torch.Tensor, names: list, path: str) -> None:
    save_torch({"kind": "dlcv_hw2.faces", "images": images, "names": list(names)}, path)


def load_face_cache(path: str) -> tuple:
    obj = load_torch(path, what="face cache")
    if not isinstance(obj, dict) or obj.get("kind") != "dlcv_hw2.faces":
        raise UserError(f"{path} is not a face cache (written by build_face_cache.py)")
    images = obj["images"]
    if images.dtype != torch.uint8 or tuple(images.shape[1:]) != (3, FACE_SIZE, FACE_SIZE):
        raise UserError(f"face cache {path} has images of shape {tuple(images.shape)}, expected [N, 3, 64, 64] uint8")
    return images, list(obj["names"])
