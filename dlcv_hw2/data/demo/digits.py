"""Demo digit domains written offline from a seed, in the course's ``hw2_data/digits`` layout.

* ``mnistm``: digits written with a pen along jittered skeletons (leaning right, bent by affine and
  elastic jitter, with varied stroke width) placed in a 20x20 box and centred by centre of mass like
  MNIST, then blended with a natural-photo crop the way MNIST-M was made: ``out = |photo - digit|`` per
  channel. The course's classifier reads them about as well as real MNIST-M (BENCHMARKS.md).
* ``svhn``: the "Syn Numbers" recipe of the DANN paper: printed digits in many fonts, colours and
  sizes, with parts of neighbouring digits at the sides, photo or flat backgrounds, blur and noise.
* ``usps``: grayscale strokes whose bounding box fills a 16x16 frame, upscaled to 28x28, 1 channel. Its
  strokes mix two more sources into the pen skeletons: digits in matplotlib's fonts and scikit-learn's
  real 8x8 handwritten digits, both redrawn with a pen.

Every image has its own random generator seeded by ``(seed, domain, index)``, so the output does
not depend on how the work is split between processes.
"""

import csv
import os

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from ... import course
from ...core.cli import UserError
from .strokes import crop_to_ink, digit_stroke, photo_crop, place_like_mnist, usable_fonts

DOMAIN_CODES = {"mnistm": 1, "svhn": 2, "usps": 3}
MNISTM_MIX = (1.0, 0.0, 0.0)  # pen skeletons only: the course's classifier reads the fonts and the 8x8 digits badly


# ----------------------------------------------------------------------------------------- domains
def blend_like_mnistm(digit: np.ndarray, photo: np.ndarray) -> np.ndarray:
    """MNIST-M's recipe: a white-on-black digit in [0, 1] and a photo crop [H, W, 3] in 0-255 give
    ``|photo - digit|`` per channel, uint8 [H, W, 3]."""
    return np.abs(photo - digit[:, :, None] * 255.0).round().clip(0, 255).astype(np.uint8)


def make_mnistm(label: int, rng: np.random.Generator) -> Image.Image:
    return Image.fromarray(
        blend_like_mnistm(place_like_mnist(digit_stroke(label, rng, mix=MNISTM_MIX)), photo_crop(rng, 28)), "RGB"
    )


def _contrasting_colours(rng: np.random.Generator):
    while True:
        fg, bg = rng.uniform(0, 255, 3), rng.uniform(0, 255, 3)
        if abs(fg.mean() - bg.mean()) > 70:
            return fg, bg


def make_svhn(label: int, rng: np.random.Generator) -> Image.Image:
    size = 64
    fonts = usable_fonts()
    font = ImageFont.truetype(fonts[rng.integers(len(fonts))], int(rng.uniform(34, 52)))
    text = f"{rng.integers(10)}{label}{rng.integers(10)}"
    mask = Image.new("L", (size * 3, size), 0)
    draw = ImageDraw.Draw(mask)
    left, top, right, bottom = draw.textbbox((0, 0), str(label), font=font)
    w_centre = right - left
    spacing = rng.uniform(-0.05, 0.25) * w_centre
    w_side = draw.textbbox((0, 0), text[0], font=font)[2]
    x0 = size * 1.5 - w_centre / 2 - w_side - spacing
    draw.text((x0, 0), text[0], fill=255, font=font)
    draw.text((x0 + w_side + spacing, 0), text[1], fill=255, font=font)
    draw.text((x0 + w_side + spacing + w_centre + spacing, 0), text[2], fill=255, font=font)
    arr = np.asarray(mask, np.float32) / 255.0
    ys = np.nonzero(arr.sum(1) > 0)[0]
    cy = (ys.min() + ys.max()) / 2 if len(ys) else size / 2
    # a square window around the centre digit, jittered; the digit spans about 60-85 % of its height
    h_digit = (ys.max() - ys.min() + 1) if len(ys) else size / 2
    side = h_digit / rng.uniform(0.6, 0.85)
    cx = size * 1.5 + rng.uniform(-0.06, 0.06) * side
    cy += rng.uniform(-0.06, 0.06) * side
    box = (cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2)
    rot = rng.uniform(-8, 8)
    window = Image.fromarray((arr * 255).astype(np.uint8)).rotate(rot, center=(cx, cy), resample=Image.BILINEAR)
    window = window.crop(tuple(int(round(v)) for v in box)).resize((size, size), Image.BILINEAR)
    window = np.asarray(window, np.float32) / 255
    fg, bg = _contrasting_colours(rng)
    if rng.random() < 0.5:
        photo = photo_crop(rng, size)
        bg_img = 0.5 * photo + 0.5 * bg
    else:
        bg_img = np.broadcast_to(bg, (size, size, 3)) + rng.normal(0, 4, (size, size, 1))
    img = bg_img * (1 - window[:, :, None]) + fg * window[:, :, None]
    pil = Image.fromarray(img.clip(0, 255).astype(np.uint8), "RGB")
    pil = pil.filter(ImageFilter.GaussianBlur(rng.uniform(0.0, 1.6)))
    small = np.asarray(pil.resize((28, 28), Image.LANCZOS), np.float32)
    small = small + rng.normal(0, rng.uniform(0, 8), small.shape)
    return Image.fromarray(small.round().clip(0, 255).astype(np.uint8), "RGB")


def make_usps(label: int, rng: np.random.Generator) -> Image.Image:
    ink = crop_to_ink(digit_stroke(label, rng))
    h, w = ink.shape
    # USPS scales each digit to fill the 16x16 frame; thin digits (1) keep part of their aspect
    nw = 16 if w / h > 0.45 else max(4, round(16 * w / h * 1.4))
    frame = np.zeros((16, 16), np.float32)
    small = np.asarray(Image.fromarray((ink * 255).astype(np.uint8)).resize((nw, 16), Image.LANCZOS), np.float32)
    ox = (16 - nw) // 2
    frame[:, ox : ox + nw] = small
    big = Image.fromarray(frame.clip(0, 255).astype(np.uint8), "L").resize((28, 28), Image.BILINEAR)
    return big


MAKERS = {"mnistm": make_mnistm, "svhn": make_svhn, "usps": make_usps}


def make_image(domain: str, index: int, seed: int):
    """Image ``index`` of a domain: (PIL image, label), a pure function of (domain, index, seed)."""
    rng = np.random.default_rng([seed, DOMAIN_CODES[domain], index])
    label = int(rng.integers(10))
    return MAKERS[domain](label, rng), label


def _make_chunk(args):
    domain, seed, start, stop, data_dir = args
    labels = []
    for i in range(start, stop):
        img, label = make_image(domain, i, seed)
        img.save(os.path.join(data_dir, f"{i:05d}.png"), optimize=False)
        labels.append(label)
    return labels


def _make_chunks(jobs: list, workers: int, progress=None) -> list:
    """The labels of every chunk of images made, in order; ``workers`` processes side by side."""
    results = []
    if workers > 1:
        import multiprocessing as mp

        with mp.get_context("fork").Pool(workers) as pool:
            for r in pool.imap(_make_chunk, jobs):
                results.append(r)
                if progress:
                    progress(len(r))
        return results
    for job in jobs:
        results.append(_make_chunk(job))
        if progress:
            progress(len(results[-1]))
    return results


def _write_splits(out_dir: str, data_dir: str, splits: tuple, sizes: dict, labels: list, layout: str) -> None:
    """Each split's CSV; in the 2021 layout its images move from data/ to a folder of the split's name."""
    start = 0
    for split in splits:
        n = sizes.get(split, 0)
        if layout == course.SPLIT_FOLDERS:  # each split's images in a folder of its own name
            os.makedirs(os.path.join(out_dir, split), exist_ok=True)
            for i in range(start, start + n):
                os.replace(os.path.join(data_dir, f"{i:05d}.png"), os.path.join(out_dir, split, f"{i:05d}.png"))
        with open(os.path.join(out_dir, f"{split}.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["image_name", "label"])
            for i in range(start, start + n):
                w.writerow([f"{i:05d}.png", labels[i]])
        start += n
    if layout == course.SPLIT_FOLDERS:
        os.rmdir(data_dir)


def write_domain(
    out_dir: str, domain: str, sizes: dict, seed: int, workers: int = 1, progress=None, layout: str = course.DATA_FOLDER
) -> None:
    """Write a domain in the course's layout: "2023" (also 2022's) ``out_dir/data/*.png`` with
    ``train.csv``, ``val.csv``, ``test.csv`` (sizes per split); "2021" ``out_dir/train/*.png`` and
    ``out_dir/test/*.png`` with ``train.csv`` and ``test.csv`` (no val split: its size is not used)."""
    if domain not in MAKERS:
        raise UserError(f"unknown demo domain {domain!r} (choose from {', '.join(MAKERS)})")
    if layout not in course.LAYOUTS:
        raise UserError(f"unknown layout {layout!r} ({' or '.join(course.LAYOUTS)})")
    splits = ("train", "val", "test") if layout == course.DATA_FOLDER else ("train", "test")
    if layout == course.SPLIT_FOLDERS and sizes.get("test", 0) < 1:
        raise UserError(f"the layout {layout} ({course.LAYOUT_TITLES[layout]}) needs at least one test image")
    total = sum(sizes.get(split, 0) for split in splits)
    data_dir = os.path.join(out_dir, "data")
    os.makedirs(data_dir, exist_ok=True)
    chunk = 500
    jobs = [(domain, seed, s, min(s + chunk, total), data_dir) for s in range(0, total, chunk)]
    labels = [lab for r in _make_chunks(jobs, workers, progress) for lab in r]
    _write_splits(out_dir, data_dir, splits, sizes, labels, layout)
