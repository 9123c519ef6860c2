"""The course's ``hw2_data/digits/<domain>`` layouts: validation, decoding and the tensor cache.

* 2022/2023 layout: ``data/*.png`` and ``train.csv`` / ``val.csv`` / ``test.csv``.
* 2021 layout: ``train/*.png`` and ``test/*.png`` with ``train.csv`` / ``test.csv``, no val split; the
  validation the course allowed is a part of train (never test): :func:`split_rows` holds out a seeded
  share of ``train.csv`` as the val split, and train is the rest.

Every CSV has the header ``image_name,label``. Every image is 28x28; grayscale (USPS) is expanded to 3
channels on decoding.
"""

import csv
import os
from dataclasses import dataclass

import numpy as np
import torch

from .. import course
from ..core.cli import UserError
from ..core.files import load_torch, save_torch
from .images import IMAGE_SIZE, decode_image

CSV_HEADER = ["image_name", "label"]


def read_split_csv(domain_dir: str, split: str) -> list[tuple[str, int]]:
    """Rows ``(image_name, label)`` of ``<domain_dir>/<split>.csv``, validated."""
    if not os.path.isdir(domain_dir):
        raise UserError(f"domain folder {domain_dir} does not exist")
    path = os.path.join(domain_dir, f"{split}.csv")
    if not os.path.isfile(path):
        raise UserError(f"{path} is missing")
    rows = []
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None or [h.strip() for h in header] != CSV_HEADER:
            raise UserError(f"{path}: header must be 'image_name,label', found {','.join(header or [])!r}")
        for lineno, row in enumerate(reader, start=2):
            if not row:
                continue
            if len(row) != 2:
                raise UserError(f"{path} line {lineno}: expected 2 fields, found {len(row)}")
            name, label = row[0].strip(), row[1].strip()
            if not label.isdigit() or not 0 <= int(label) <= 9:
                raise UserError(f"{path} line {lineno}: label {label!r} is not a digit 0-9")
            rows.append((name, int(label)))
    if not rows:
        raise UserError(f"{path} lists no images")
    return rows


LAYOUTS = course.LAYOUTS


def layout_of(domain_dir: str) -> str:
    """Which course layout a domain folder has: "2023" (``data/``; also 2022's) or "2021" (``train/``, ``test/``)."""
    if not os.path.isdir(domain_dir):
        raise UserError(f"domain folder {domain_dir} does not exist")
    if os.path.isdir(os.path.join(domain_dir, "data")):
        return course.DATA_FOLDER
    if os.path.isdir(os.path.join(domain_dir, "train")):
        return course.SPLIT_FOLDERS
    raise UserError(f"{domain_dir} has neither data/ nor train/ (the two layouts of the course's digits)")


def holdout_indices(n: int, share: float, seed: int) -> torch.Tensor:
    """The sorted positions of ``train.csv`` (n rows) that a 2021-layout domain holds out as val: a seeded
    draw of round(share * n) rows, at least one, never all."""
    k = min(max(1, round(share * n)), n - 1)
    perm = torch.randperm(n, generator=torch.Generator().manual_seed(seed))
    return perm[:k].sort().values


def split_rows(domain_dir: str, split: str, holdout: float = 0.1, seed: int = 0) -> list[tuple[str, str, int]]:
    """Rows ``(image_name, image_path, label)`` of one split of a domain, in either layout. In the 2021
    layout "val" is the held-out share ``holdout`` of train.csv (drawn with ``seed``) and "train" the rest."""
    layout = layout_of(domain_dir)
    if layout == course.DATA_FOLDER:
        rows = read_split_csv(domain_dir, split)
        return [(name, os.path.join(domain_dir, "data", name), label) for name, label in rows]
    if split not in ("train", "val", "test"):
        raise UserError(
            f"{domain_dir} (train/ and test/, no val/) has the splits train, val (held out of train) and test, "
            f"not {split!r}"
        )
    folder = "test" if split == "test" else "train"
    rows = read_split_csv(domain_dir, folder)
    rows = [(name, os.path.join(domain_dir, folder, name), label) for name, label in rows]
    if split == "test":
        return rows
    if len(rows) < 2:
        raise UserError(f"{domain_dir}/train.csv lists {len(rows)} image(s); a val split needs at least 2")
    held = set(holdout_indices(len(rows), holdout, seed).tolist())
    return [r for i, r in enumerate(rows) if (i in held) == (split == "val")]


@dataclass
class DigitSplit:
    images: torch.Tensor  # uint8 [N, 3, 28, 28]
    labels: torch.Tensor  # int64 [N]
    names: list
    split: str = None  # train / val / test, as the cache was built (None: not recorded)

    def __len__(self):
        return len(self.names)


def decode_split(domain_dir: str, split: str, holdout: float = 0.1, seed: int = 0) -> DigitSplit:
    """Decode every image a split lists (either layout; see :func:`split_rows`); any bad file stops with its name."""
    rows = split_rows(domain_dir, split, holdout, seed)
    images = np.empty((len(rows), IMAGE_SIZE, IMAGE_SIZE, 3), dtype=np.uint8)
    for i, (_, path, _) in enumerate(rows):
        images[i] = decode_image(path)
    tensor = torch.from_numpy(images).permute(0, 3, 1, 2).contiguous()
    labels = torch.tensor([label for _, _, label in rows], dtype=torch.int64)
    return DigitSplit(tensor, labels, [name for name, _, _ in rows], split)


def save_cache(split: DigitSplit, path: str) -> None:
    save_torch({"images": split.images, "labels": split.labels, "names": split.names, "split": split.split}, path)


def load_cache(path: str) -> DigitSplit:
    obj = load_torch(path, what="tensor cache")
    if not isinstance(obj, dict) or not {"images", "labels", "names"} <= set(obj):
        raise UserError(f"tensor cache {path} is not a digit cache (keys images, labels, names)")
    images, labels = obj["images"], obj["labels"]
    if images.dtype != torch.uint8 or images.ndim != 4 or images.shape[1] != 3 or len(labels) != len(images):
        raise UserError(f"tensor cache {path} has images of shape {tuple(images.shape)}, expected [N, 3, 28, 28] uint8")
    return DigitSplit(images, labels, list(obj["names"]), obj.get("split"))


# --- generated digits: the graded folder of D_NNN.png images ---------------------------------------------------
