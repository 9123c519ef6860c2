"""Face images of 2021/2022 problem 1 and the 2022 face metric.

* The course's ``hw2_data/face`` folders of 64x64 RGB PNGs -- ``train/`` with ``val/`` (2022) or
  ``test/`` (2021) -- or the demo faces in the same layout: validated and decoded once into a uint8
  tensor cache that training reads.
* The face-detection rate of 2022: the share of images in which dlib's HOG frontal-face detector,
  with one upsampling (what the course's ``face_recognition.face_locations`` ran), finds exactly one
  face. Its real-face sanity set is the 100 LFW faces and 100 non-faces scikit-image ships (25x25,
  resized to 64x64 bilinearly): 89 faces found, no non-face.
"""
import os

import numpy as np
import torch

from .cli import UserError
from .data import list_image_folder
from .files import load_torch, save_torch
from .gen_metrics import read_folder

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


# ------------------------------------------------------------------------ the face-detection rate
def _detector():
    try:
        import dlib
    except ImportError:
        raise UserError("the face-detection rate needs dlib (pip install dlib-bin, in envs/requirements.txt)") from None
    return dlib.get_frontal_face_detector()


def faces_found(images_uint8: torch.Tensor, upsample: int = 1) -> np.ndarray:
    """How many faces dlib's HOG detector finds in each uint8 [N, 3, H, W] image."""
    detect = _detector()
    hwc = images_uint8.permute(0, 2, 3, 1).contiguous().numpy()
    return np.array([len(detect(img, upsample)) for img in hwc], dtype=np.int64)


def detection_rate(counts: np.ndarray) -> float:
    """The 2022 metric in %: the share of images with exactly one face found."""
    return 100.0 * float(np.mean(np.asarray(counts) == 1)) if len(counts) else float("nan")


def lfw_sanity_set() -> tuple:
    """scikit-image's 100 LFW faces and 100 non-faces (shipped, no download) as uint8 [100, 3, 64, 64]
    each: 25x25 grey crops resized bilinearly to the course's 64x64 and made RGB."""
    from PIL import Image
    from skimage.data import lfw_subset

    grey = (lfw_subset() * 255).round().astype(np.uint8)
    big = np.stack([np.asarray(Image.fromarray(g).resize((FACE_SIZE, FACE_SIZE), Image.BILINEAR)) for g in grey])
    rgb = torch.from_numpy(big)[:, None].expand(-1, 3, -1, -1).contiguous()
    return rgb[:100], rgb[100:]
