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
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from scipy import ndimage

from ... import course
from ...core.cli import UserError

DOMAIN_CODES = {"mnistm": 1, "svhn": 2, "usps": 3}
HIRES = 64  # strokes are drawn at this size and reduced with antialiasing
HW0, HW1 = 3.0, 4.2
# A pen digit's width as a share of its height (1 has its own), and its lean to the right (x shift per unit
# of height): MNIST's writers lean right and write wide enough that the course's classifier reads the
# pen digits best at these (issue 41, part 5; BENCHMARKS.md).
PEN_WIDTH = (0.66, 0.96)
PEN_SLANT = 0.1
MNISTM_MIX = (1.0, 0.0, 0.0)  # pen skeletons only: the course's classifier reads the fonts and the 8x8 digits badly
SATURATION = (0.2, 0.6)
SCALE = (0.0, 0.1)
# Fonts that carry digits but draw them as old-style figures or symbols: excluded by name on top of
# the automatic check in usable_fonts().
DENIED_FONTS = {"cmmi10.ttf", "cmex10.ttf", "cmsy10.ttf", "LastResortHE-Regular.ttf"}


# ----------------------------------------------------------------------------------------- sources
def _font_dir() -> str:
    import matplotlib

    return os.path.join(os.path.dirname(matplotlib.__file__), "mpl-data", "fonts", "ttf")


def _render_glyph(font_path: str, char: str, size: int = 48) -> np.ndarray:
    font = ImageFont.truetype(font_path, size)
    img = Image.new("L", (size * 2, size * 2), 0)
    ImageDraw.Draw(img).text((size // 2, size // 4), char, fill=255, font=font)
    return np.asarray(img, dtype=np.float32) / 255.0


@lru_cache(maxsize=1)
def usable_fonts() -> tuple:
    """Fonts that draw ten distinct, non-empty digits and are not symbol fonts (sorted paths)."""
    folder = _font_dir()
    keep = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".ttf") or name in DENIED_FONTS or "Siz" in name or "NonUni" in name:
            continue
        path = os.path.join(folder, name)
        try:
            glyphs = [_render_glyph(path, str(d)) for d in range(10)]
        except OSError:
            continue
        if any(g.sum() < 20 for g in glyphs):
            continue
        flat = [g.round(1).tobytes() for g in glyphs]
        if len(set(flat)) < 10:  # a font that draws one box for every digit
            continue
        keep.append(path)
    if not keep:
        raise UserError(f"no usable digit font found in {folder}")
    return tuple(keep)


@lru_cache(maxsize=1)
def handwritten_digits() -> tuple:
    """scikit-learn's 1,797 real handwritten 8x8 digits, as (images in [0,1], labels)."""
    from sklearn.datasets import load_digits

    d = load_digits()
    return (d.images / 16.0).astype(np.float32), d.target.astype(np.int64)


@lru_cache(maxsize=1)
def photos() -> tuple:
    """Natural photos that ship with scikit-learn and matplotlib (no download), as float RGB arrays."""
    import matplotlib
    import sklearn

    paths = [
        os.path.join(os.path.dirname(sklearn.__file__), "datasets", "images", "china.jpg"),
        os.path.join(os.path.dirname(sklearn.__file__), "datasets", "images", "flower.jpg"),
        os.path.join(os.path.dirname(matplotlib.__file__), "mpl-data", "sample_data", "grace_hopper.jpg"),
    ]
    out = []
    for p in paths:
        with Image.open(p) as img:
            out.append(np.asarray(img.convert("RGB"), dtype=np.float32))
    return tuple(out)


def photo_crop(rng: np.random.Generator, size: int) -> np.ndarray:
    """A random crop of a random photo at a random scale, flipped and channel-shuffled: float [size,size,3]."""
    pics = photos()
    pic = pics[rng.integers(len(pics))]
    scale = rng.uniform(*SCALE)
    side = max(size, int(min(pic.shape[:2]) * scale))
    y = rng.integers(0, pic.shape[0] - side + 1)
    x = rng.integers(0, pic.shape[1] - side + 1)
    crop = Image.fromarray(pic[y : y + side, x : x + side].astype(np.uint8)).resize((size, size), Image.BILINEAR)
    arr = np.asarray(crop, dtype=np.float32)
    if rng.random() < 0.5:
        arr = arr[:, ::-1]
    if rng.random() < 0.5:
        arr = arr[::-1]
    rng.random()  # a draw that once chose a channel permutation (never taken); kept so the data stays the same
    grey = arr.mean(axis=2, keepdims=True)
    return (grey + rng.uniform(*SATURATION) * (arr - grey)).copy()


# ----------------------------------------------------------------------------------------- strokes
def _elastic(img: np.ndarray, rng: np.random.Generator, alpha: float, sigma: float) -> np.ndarray:
    h, w = img.shape
    dx = ndimage.gaussian_filter(rng.uniform(-1, 1, (h, w)), sigma) * alpha
    dy = ndimage.gaussian_filter(rng.uniform(-1, 1, (h, w)), sigma) * alpha
    yy, xx = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
    return ndimage.map_coordinates(img, [yy + dy, xx + dx], order=1, mode="constant")


def _affine(img: np.ndarray, rng: np.random.Generator, max_rot: float, max_shear: float) -> np.ndarray:
    h, w = img.shape
    rot = np.deg2rad(rng.uniform(-max_rot, max_rot))
    shear = rng.uniform(-max_shear, max_shear)
    sx, sy = rng.uniform(0.85, 1.15), rng.uniform(0.85, 1.15)
    m = np.array([[np.cos(rot), -np.sin(rot)], [np.sin(rot), np.cos(rot)]]) @ np.array([[sy, 0], [shear, sx]])
    inv = np.linalg.inv(m)
    centre = np.array([h / 2, w / 2])
    return ndimage.affine_transform(img, inv, offset=centre - inv @ centre, order=1, mode="constant")


def _handwritten_blob(label: int, rng: np.random.Generator) -> np.ndarray:
    images, labels = handwritten_digits()
    idx = rng.choice(np.flatnonzero(labels == label))
    small = Image.fromarray((images[idx] * 255).astype(np.uint8))
    big = np.asarray(small.resize((HIRES // 2, HIRES // 2), Image.BICUBIC), dtype=np.float32) / 255.0
    return np.pad(big, HIRES // 4)


def _font_glyph(label: int, rng: np.random.Generator) -> np.ndarray:
    fonts = usable_fonts()
    glyph = _render_glyph(fonts[rng.integers(len(fonts))], str(label), size=40)
    ys, xs = np.nonzero(glyph > 0.1)
    glyph = glyph[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    canvas = np.zeros((HIRES, HIRES), np.float32)
    h, w = glyph.shape
    oy, ox = (HIRES - h) // 2, (HIRES - w) // 2
    canvas[oy : oy + h, ox : ox + w] = glyph
    return canvas


# Pen skeletons of the ten digits in a unit box (x right, y down). Each variant is a list of strokes;
# a stroke is a smooth curve through its points, so sharp corners start a new stroke.
SKELETONS = {
    0: [
        [
            [
                (0.5, 0.0),
                (0.85, 0.2),
                (0.9, 0.55),
                (0.75, 0.9),
                (0.45, 1.0),
                (0.15, 0.8),
                (0.1, 0.4),
                (0.25, 0.08),
                (0.5, 0.0),
                (0.6, 0.05),
            ]
        ]
    ],
    1: [[[(0.5, 0.0), (0.5, 1.0)]], [[(0.25, 0.22), (0.55, 0.0)], [(0.55, 0.0), (0.5, 1.0)]]],
    2: [
        [
            [(0.12, 0.25), (0.35, 0.03), (0.68, 0.03), (0.85, 0.25), (0.72, 0.52), (0.12, 1.0)],
            [(0.12, 1.0), (0.92, 0.98)],
        ],
        [[(0.1, 0.2), (0.45, 0.0), (0.85, 0.2), (0.6, 0.6), (0.15, 0.95), (0.45, 0.85), (0.92, 1.0)]],
    ],
    3: [
        [
            [
                (0.12, 0.12),
                (0.5, 0.0),
                (0.82, 0.15),
                (0.78, 0.38),
                (0.42, 0.5),
                (0.85, 0.63),
                (0.85, 0.88),
                (0.5, 1.0),
                (0.1, 0.88),
            ]
        ]
    ],
    4: [
        [[(0.15, 0.0), (0.1, 0.6), (0.95, 0.6)], [(0.7, 0.05), (0.7, 1.0)]],
        [[(0.55, 0.0), (0.05, 0.65)], [(0.05, 0.65), (0.95, 0.65)], [(0.7, 0.3), (0.7, 1.0)]],
    ],
    5: [
        [
            [(0.85, 0.0), (0.25, 0.02)],
            [(0.25, 0.02), (0.18, 0.45)],
            [(0.18, 0.45), (0.55, 0.36), (0.86, 0.6), (0.8, 0.88), (0.48, 1.0), (0.12, 0.88)],
        ]
    ],
    6: [
        [
            [
                (0.75, 0.0),
                (0.5, 0.2),
                (0.3, 0.5),
                (0.22, 0.8),
                (0.45, 1.0),
                (0.75, 0.9),
                (0.78, 0.65),
                (0.5, 0.55),
                (0.25, 0.72),
            ]
        ],
        [
            [
                (0.65, 0.0),
                (0.35, 0.3),
                (0.2, 0.65),
                (0.3, 0.95),
                (0.6, 1.0),
                (0.8, 0.78),
                (0.62, 0.55),
                (0.35, 0.6),
                (0.22, 0.75),
            ]
        ],
    ],
    7: [
        [[(0.08, 0.0), (0.92, 0.0)], [(0.92, 0.0), (0.38, 1.0)]],
        [[(0.08, 0.0), (0.92, 0.0)], [(0.92, 0.0), (0.38, 1.0)], [(0.35, 0.52), (0.82, 0.5)]],
    ],
    8: [
        [
            [
                (0.52, 0.47),
                (0.8, 0.28),
                (0.72, 0.05),
                (0.48, 0.0),
                (0.22, 0.08),
                (0.22, 0.3),
                (0.52, 0.47),
                (0.85, 0.7),
                (0.75, 0.95),
                (0.48, 1.0),
                (0.18, 0.92),
                (0.18, 0.7),
                (0.52, 0.47),
            ]
        ]
    ],
    9: [
        [
            [
                (0.82, 0.28),
                (0.6, 0.47),
                (0.28, 0.45),
                (0.15, 0.22),
                (0.38, 0.0),
                (0.7, 0.03),
                (0.82, 0.28),
                (0.78, 0.65),
                (0.62, 1.0),
            ]
        ],
        [
            [(0.82, 0.25), (0.55, 0.45), (0.22, 0.4), (0.2, 0.12), (0.5, 0.0), (0.82, 0.12), (0.82, 0.3)],
            [(0.82, 0.2), (0.8, 1.0)],
        ],
    ],
}


def _catmull_rom(points: np.ndarray, per_segment: int = 10) -> np.ndarray:
    """A smooth curve through ``points`` (Catmull-Rom spline with repeated end points)."""
    if len(points) < 3:
        return points
    p = np.vstack([points[:1], points, points[-1:]])
    t = np.linspace(0, 1, per_segment, endpoint=False)[:, None]
    out = []
    for i in range(1, len(p) - 2):
        p0, p1, p2, p3 = p[i - 1], p[i], p[i + 1], p[i + 2]
        out.append(
            0.5
            * ((2 * p1) + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t**2 + (-p0 + 3 * p1 - 3 * p2 + p3) * t**3)
        )
    out.append(points[-1:])
    return np.vstack(out)


def _pen_digit(label: int, rng: np.random.Generator) -> np.ndarray:
    """A digit drawn with a pen along a jittered skeleton, at HIRES x HIRES."""
    variants = SKELETONS[label]
    strokes = variants[rng.integers(len(variants))]
    height = HIRES * 0.55
    width = height * (rng.uniform(0.25, 0.45) if label == 1 else rng.uniform(*PEN_WIDTH))
    origin = np.array([(HIRES - width) / 2, (HIRES - height) / 2])
    img = Image.new("L", (HIRES, HIRES), 0)
    draw = ImageDraw.Draw(img)
    pen = int(round(rng.uniform(HW0, HW1) * 2))
    shared = {}  # points shared by two strokes (corners) move together
    for stroke in strokes:
        pts = []
        for x, y in stroke:
            if (x, y) not in shared:
                shared[(x, y)] = np.array([x + PEN_SLANT * (0.5 - y), y]) + rng.normal(0, 0.045, 2)
            pts.append(shared[(x, y)])
        curve = _catmull_rom(np.array(pts) * [width, height] + origin)
        xy = [tuple(c) for c in curve]
        draw.line(xy, fill=255, width=pen, joint="curve")
        for cx, cy in (xy[0], xy[-1]):
            r = pen / 2
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=255)
    return np.asarray(img.filter(ImageFilter.GaussianBlur(0.8)), np.float32) / 255.0


def _pen(shape: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Redraw a shape as a pen trace: its skeleton, widened to a random, even stroke width."""
    from skimage.morphology import skeletonize

    skeleton = skeletonize(shape > rng.uniform(0.35, 0.5))
    if not skeleton.any():
        return shape
    dist = ndimage.distance_transform_edt(~skeleton)
    half_width = rng.uniform(HW0, HW1)
    return np.clip(half_width - dist + 0.5, 0.0, 1.0).astype(np.float32)


def digit_stroke(label: int, rng: np.random.Generator, mix=(0.8, 0.15, 0.05), elastic=(5.0, 25.0)) -> np.ndarray:
    """A white-on-black digit at HIRES x HIRES, jittered: float in [0, 1].

    ``mix`` gives the shares of the three sources: pen skeletons, font glyphs and scikit-learn's
    handwritten digits. Handwritten shapes are redrawn with a pen; font glyphs half of the time."""
    source = rng.choice(3, p=np.asarray(mix) / np.sum(mix))
    if source == 0:
        img = _pen_digit(label, rng)
    elif source == 1:
        img = _font_glyph(label, rng)
    else:
        img = _handwritten_blob(label, rng)
    img = _affine(img, rng, max_rot=12.0, max_shear=0.25)
    img = _elastic(img, rng, alpha=rng.uniform(*elastic), sigma=6.0)
    if source == 2 or (source == 1 and rng.random() < 0.5):
        img = _pen(img, rng)
    return np.clip(img, 0.0, 1.0)


def _crop_to_ink(img: np.ndarray) -> np.ndarray:
    ys, xs = np.nonzero(img > 0.05)
    if len(ys) == 0:
        return img
    return img[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]


def place_like_mnist(stroke: np.ndarray) -> np.ndarray:
    """MNIST placement: the digit fits a 20x20 box (aspect kept), centred by centre of mass in 28x28."""
    ink = _crop_to_ink(stroke)
    h, w = ink.shape
    s = 20.0 / max(h, w)
    nh, nw = max(1, round(h * s)), max(1, round(w * s))
    small = np.asarray(Image.fromarray((ink * 255).astype(np.uint8)).resize((nw, nh), Image.LANCZOS), np.float32) / 255
    out = np.zeros((28, 28), np.float32)
    cy, cx = ndimage.center_of_mass(small) if small.sum() > 0 else (nh / 2, nw / 2)
    oy = int(np.clip(round(14 - cy), 0, 28 - nh))
    ox = int(np.clip(round(14 - cx), 0, 28 - nw))
    out[oy : oy + nh, ox : ox + nw] = small
    return out


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
    ink = _crop_to_ink(digit_stroke(label, rng))
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
