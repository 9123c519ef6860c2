"""The demo digits' strokes, drawn offline from a random generator: digits written with a pen along
jittered skeletons, printed in the installed fonts or taken from scikit-learn's 8x8 handwritten digits,
bent by affine and elastic jitter and placed in a 28x28 frame like MNIST; and the natural-photo crops
MNIST-M blends them with. The domains (digits.py) are made of these."""

import os
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from scipy import ndimage

from ...core.cli import UserError

HIRES = 64  # strokes are drawn at this size and reduced with antialiasing
HW0, HW1 = 3.0, 4.2
# A pen digit's width as a share of its height (1 has its own), and its lean to the right (x shift per unit
# of height): MNIST's writers lean right and write wide enough that the course's classifier reads the
# pen digits best at these (issue 41, part 5; BENCHMARKS.md).
PEN_WIDTH = (0.66, 0.96)
PEN_SLANT = 0.1
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


def crop_to_ink(img: np.ndarray) -> np.ndarray:
    ys, xs = np.nonzero(img > 0.05)
    if len(ys) == 0:
        return img
    return img[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]


def place_like_mnist(stroke: np.ndarray) -> np.ndarray:
    """MNIST placement: the digit fits a 20x20 box (aspect kept), centred by centre of mass in 28x28."""
    ink = crop_to_ink(stroke)
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
