"""Demo faces: 64x64 RGB portraits drawn offline from a seed, in the course's ``hw2_data/face`` layout,
for the face GANs of 2021/2022 problem 1 when no CelebA images are given.

Each face is painted at 4x the size from soft-edged shapes in float RGB, then reduced with
antialiasing: a head with a jaw, ears and a neck on shoulders; eye sockets, eyes with iris and lids,
brows, a shaded nose with nostrils, lips; hair behind and over the head in one of several cuts and
colours; sometimes glasses, a beard or an open smile. What varies, each from the image's own random
generator: face shape and size, skin tone, the colours of eyes, hair, lips and clothes, the position
of every feature, head turn (the features shift sideways, the far cheek narrows) and tilt, the light's
side and strength, and the background (a blurred photo crop or a two-colour gradient).

Realism is measured with the 2022 metric itself: dlib's HOG face detector finds exactly one face in
at least 90 % of them (BENCHMARKS.md "Demo faces"), as in 89 of 100 real LFW faces.

Every image has its own random generator seeded by ``(seed, FACE_CODE, index)``, so the output does not
depend on how the work is split between processes.
"""

import os

import numpy as np
from PIL import Image, ImageFilter

from ... import course
from ...core.cli import UserError
from ...core.files import atomic_dir
from .digits import photo_crop

FACE_SIZE = 64  # the course's CelebA crops
SCALE = 4  # painted at FACE_SIZE * SCALE, then reduced
FACE_CODE = 11  # the generator stream of faces (the digit domains use 1..3)

SKIN = np.array(
    [  # light to dark skin tones, RGB 0..1
        [0.96, 0.82, 0.72],
        [0.92, 0.75, 0.62],
        [0.86, 0.67, 0.52],
        [0.78, 0.58, 0.43],
        [0.68, 0.48, 0.34],
        [0.58, 0.40, 0.28],
        [0.50, 0.34, 0.24],
        [0.44, 0.30, 0.21],
    ]
)
HAIR = np.array(
    [  # black, dark brown, brown, auburn, blonde, light blonde, grey, red
        [0.06, 0.05, 0.05],
        [0.18, 0.11, 0.07],
        [0.36, 0.23, 0.13],
        [0.50, 0.24, 0.12],
        [0.72, 0.56, 0.32],
        [0.86, 0.76, 0.52],
        [0.62, 0.60, 0.58],
        [0.62, 0.28, 0.12],
    ]
)
IRIS = np.array([[0.25, 0.15, 0.08], [0.10, 0.07, 0.05], [0.30, 0.42, 0.55], [0.30, 0.45, 0.30], [0.45, 0.35, 0.20]])


class _Canvas:
    """Float RGB painting with soft-edged shapes in unit coordinates (x right, y down, 0..1)."""

    def __init__(self, size: int, background: np.ndarray, margin: float):
        """``size`` pixels span -margin .. 1 + margin, so the picture can be turned and cropped to 0..1."""
        self.size = size
        self.img = background.astype(np.float32)
        c = (np.arange(size, dtype=np.float32) + 0.5) / size * (1 + 2 * margin) - margin
        self.x, self.y = np.meshgrid(c, c)
        self.edge = 1.5 * (1 + 2 * margin) / size  # width of the soft edge

    def ellipse_mask(self, cx, cy, rx, ry, angle=0.0, soft=1.0) -> np.ndarray:
        """1 inside the ellipse, 0 outside, with a soft edge ``soft`` times the base width; computed
        only in the ellipse's bounding box."""
        out = np.zeros_like(self.x)
        box = self._box(cx, cy, max(rx, ry))
        if box is None:
            return out
        x, y = self.x[box], self.y[box]
        ca, sa = np.cos(angle), np.sin(angle)
        dx, dy = x - cx, y - cy
        u = (ca * dx + sa * dy) / rx
        v = (-sa * dx + ca * dy) / ry
        out[box] = np.clip((1.0 - np.sqrt(u * u + v * v)) * min(rx, ry) / (self.edge * soft), 0.0, 1.0)
        return out

    def _box(self, cx, cy, r):
        """The pixel slices of the square of half-side ``r`` around (cx, cy), or None when off the canvas."""
        axis = self.x[0]
        lo, hi = np.searchsorted(axis, [cx - r, cx + r]), np.searchsorted(axis, [cy - r, cy + r])
        if lo[0] >= lo[1] or hi[0] >= hi[1]:
            return None
        return slice(hi[0], hi[1]), slice(lo[0], lo[1])

    @staticmethod
    def _support(mask: np.ndarray):
        rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
        if len(rows) == 0:
            return None
        return slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1)

    def paint(self, mask: np.ndarray, colour, alpha: float = 1.0) -> None:
        box = self._support(mask)
        if box is not None:
            m = (mask[box] * alpha)[..., None]
            self.img[box] = self.img[box] * (1 - m) + np.asarray(colour, dtype=np.float32) * m

    def shade(self, mask: np.ndarray, factor) -> None:
        """Multiply the colours under ``mask`` by ``factor`` (below 1 darkens, above brightens)."""
        box = self._support(mask)
        if box is not None:
            self.img[box] = self.img[box] * (1 + (np.asarray(factor, dtype=np.float32) - 1) * mask[box][..., None])


def _background(rng: np.random.Generator, size: int) -> np.ndarray:
    if rng.random() < 0.5:
        crop = photo_crop(rng, size) / 255.0
        blurred = Image.fromarray((crop * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(size / 40))
        return np.asarray(blurred, dtype=np.float32) / 255.0 * rng.uniform(0.6, 1.1)
    a, b = rng.uniform(0.05, 0.95, 3), rng.uniform(0.05, 0.95, 3)
    t = np.linspace(0, 1, size, dtype=np.float32)[:, None, None]
    col = a * (1 - t) + b * t
    return np.broadcast_to(col, (size, size, 3)).copy()


def _mix(a, b, t):
    return np.asarray(a) * (1 - t) + np.asarray(b) * t


def _behind_the_face(cv, rng, head: tuple, yaw: float, colours: tuple, long_hair: bool) -> None:
    """Clothes, neck, long hair and ears: what the face is painted over (``head``: cx, cy, rx, ry;
    ``colours``: skin, its shadow, hair)."""
    cx, cy, rx, ry = head
    skin, skin_dark, hair = colours
    clothes = rng.uniform(0.05, 0.9, 3)
    cv.paint(cv.ellipse_mask(0.5, 1.12, rng.uniform(0.42, 0.55), 0.30), clothes)
    cv.paint(cv.ellipse_mask(cx, cy + ry * 0.95, rx * 0.55, ry * 0.6), skin_dark * 1.05)  # neck
    if long_hair:
        cv.paint(cv.ellipse_mask(cx, cy + ry * 0.25, rx * rng.uniform(1.25, 1.45), ry * rng.uniform(1.1, 1.35)), hair)
    for side in (-1, 1):  # ears
        ex = cx + side * rx * (0.98 - 0.12 * side * yaw)
        cv.paint(cv.ellipse_mask(ex, cy - ry * 0.05, rx * 0.13, ry * 0.2), skin * 0.9)


def draw_face(rng: np.random.Generator) -> Image.Image:
    """One 64x64 RGB demo face, a pure function of the generator's state."""
    big = FACE_SIZE * SCALE
    pad = big // 8  # painted beyond the frame, so that turning the picture leaves no empty corners
    cv = _Canvas(big + 2 * pad, _background(rng, big + 2 * pad), pad / big)

    # ------------------------------------------------------------------ the head's shape and pose
    skin = SKIN[rng.integers(len(SKIN))] * rng.uniform(0.92, 1.06, 3)
    skin_dark = skin * 0.72
    hair = HAIR[rng.integers(len(HAIR))] * rng.uniform(0.85, 1.15)
    cx, cy = 0.5 + rng.normal(0, 0.02), 0.55 + rng.normal(0, 0.02)
    rx, ry = rng.uniform(0.26, 0.31), rng.uniform(0.35, 0.40)
    yaw = rng.uniform(-0.5, 0.5)  # head turn: features shift sideways by yaw * rx * 0.35
    fx = cx + yaw * rx * 0.35  # the vertical axis of the features
    jaw = rng.uniform(0.15, 0.45)  # how much the face narrows towards the chin
    light = rng.uniform(-0.5, 0.5)  # the light's side (-1 left .. 1 right)
    long_hair = rng.random() < 0.45
    bald = rng.random() < 0.06

    _behind_the_face(cv, rng, (cx, cy, rx, ry), yaw, (skin, skin_dark, hair), long_hair and not bald)

    # ------------------------------------------------------------------ the face: an egg with a jaw
    dy = (cv.y - cy) / ry
    narrowing = 1 - jaw * np.clip(dy, 0, None) ** 2
    turn = 1 + 0.12 * yaw * np.sign(cv.x - cx)  # the far cheek narrows
    u = (cv.x - cx) / (rx * narrowing * turn)
    d = np.sqrt(u * u + dy * dy)
    face = np.clip((1 - d) * min(rx, ry) / cv.edge, 0, 1)
    # rounded shading: darker towards the rim and on the side away from the light
    rim = np.clip(d, 0, 1) ** 3
    side = np.clip((cv.x - cx) / rx, -1, 1) * light
    tone = skin * (1.0 - 0.5 * rim)[..., None] * (1.0 + 0.18 * side)[..., None]
    m = face[..., None]
    cv.img = cv.img * (1 - m) + tone * m
    # highlights where the light catches the forehead, the cheekbones and the bridge of the nose
    shine = rng.uniform(0.06, 0.16)
    lit = cv.ellipse_mask(fx + light * rx * 0.25, cy - ry * 0.55, rx * 0.45, ry * 0.18, soft=12)
    for sgn in (-1, 1):
        lit = (
            lit
            + cv.ellipse_mask(fx + sgn * rx * 0.5, cy + ry * 0.08, rx * 0.22, ry * 0.12, soft=12)
            * (1 + 0.8 * sgn * light)
            * 0.7
        )
    cv.img = cv.img + (shine * np.clip(lit, 0, 1.5) * face)[..., None]

    # ------------------------------------------------------------------ eyes, brows, nose, mouth
    eye_y = cy - ry * rng.uniform(0.12, 0.22)
    eye_dx = rx * rng.uniform(0.38, 0.46)
    eye_rx, eye_ry = rx * rng.uniform(0.17, 0.22), ry * rng.uniform(0.06, 0.085)
    iris = IRIS[rng.integers(len(IRIS))]
    brow_up = ry * rng.uniform(0.13, 0.2)
    brow_tilt = rng.uniform(-0.15, 0.2)
    brow_colour = _mix(hair, [0.05, 0.04, 0.03], 0.7)
    for sgn in (-1, 1):
        ex = fx + sgn * eye_dx * (1 - 0.15 * sgn * yaw)
        cv.shade(cv.ellipse_mask(ex, eye_y - eye_ry * 0.3, eye_rx * 1.6, eye_ry * 3.2, soft=10), 0.65)  # socket
        cv.paint(cv.ellipse_mask(ex, eye_y, eye_rx, eye_ry), [0.93, 0.91, 0.88])
        ix = ex + yaw * eye_rx * 0.3
        cv.paint(
            cv.ellipse_mask(ix, eye_y, eye_ry * 1.05, eye_ry * 1.05) * cv.ellipse_mask(ex, eye_y, eye_rx, eye_ry), iris
        )
        cv.paint(cv.ellipse_mask(ix, eye_y, eye_ry * 0.45, eye_ry * 0.45), [0.02, 0.02, 0.02])
        lid = cv.ellipse_mask(ex, eye_y - eye_ry * 0.15, eye_rx * 1.08, eye_ry * 1.1) - cv.ellipse_mask(
            ex, eye_y + eye_ry * 0.1, eye_rx * 1.0, eye_ry * 1.0
        )
        cv.paint(np.clip(lid, 0, 1) * (cv.y < eye_y), [0.08, 0.05, 0.04], 0.9)
        cv.paint(
            cv.ellipse_mask(ex + sgn * eye_rx * 0.1, eye_y - brow_up, eye_rx * 1.25, ry * 0.04, angle=-sgn * brow_tilt),
            brow_colour,
            0.9,
        )

    nose_y = cy + ry * rng.uniform(0.12, 0.22)
    nose_w = rx * rng.uniform(0.13, 0.2)
    nx = fx + yaw * rx * 0.12
    away = 1 if light < 0 else -1  # the nose's shadow falls away from the light
    cv.shade(
        cv.ellipse_mask(
            nx + away * nose_w * 0.45, (eye_y + nose_y) / 2, nose_w * 0.35, (nose_y - eye_y) * 0.55, soft=8
        ),
        0.85,
    )
    cv.shade(cv.ellipse_mask(nx, nose_y + ry * 0.03, nose_w * 1.2, ry * 0.05, soft=6), 0.8)  # under the nose
    for sgn in (-1, 1):
        cv.paint(cv.ellipse_mask(nx + sgn * nose_w * 0.5, nose_y, nose_w * 0.28, ry * 0.025), skin * 0.35, 0.85)
    cv.shade(cv.ellipse_mask(nx - away * nose_w * 0.1, nose_y - ry * 0.04, nose_w * 0.35, ry * 0.05, soft=4), 1.12)

    mouth_y = cy + ry * rng.uniform(0.42, 0.52)
    mouth_w = rx * rng.uniform(0.3, 0.45)
    lips = _mix(skin, rng.choice([[0.62, 0.22, 0.24], [0.55, 0.28, 0.26], [0.75, 0.3, 0.35]]), rng.uniform(0.4, 0.8))
    mx = fx + yaw * rx * 0.08
    if rng.random() < 0.3:  # an open smile
        cv.paint(cv.ellipse_mask(mx, mouth_y, mouth_w, ry * 0.08), lips)
        cv.paint(cv.ellipse_mask(mx, mouth_y + ry * 0.005, mouth_w * 0.85, ry * 0.05), [0.15, 0.05, 0.05])
        cv.paint(cv.ellipse_mask(mx, mouth_y - ry * 0.015, mouth_w * 0.75, ry * 0.03), [0.9, 0.88, 0.82])
    else:
        cv.paint(cv.ellipse_mask(mx, mouth_y, mouth_w, ry * rng.uniform(0.04, 0.07)), lips)
        cv.paint(cv.ellipse_mask(mx, mouth_y, mouth_w * 0.95, ry * 0.012), [0.2, 0.08, 0.08], 0.9)
    cv.shade(cv.ellipse_mask(mx, mouth_y + ry * 0.16, mouth_w * 0.7, ry * 0.05, soft=6), 0.88)  # under the lip

    if rng.random() < 0.15:  # a beard
        beard = face * np.clip((cv.y - (mouth_y - ry * 0.12)) / (ry * 0.08), 0, 1)
        beard *= 1 - cv.ellipse_mask(mx, mouth_y, mouth_w * 1.05, ry * 0.08)
        cv.paint(beard, hair * 0.8, rng.uniform(0.25, 0.5))

    # ------------------------------------------------------------------ hair over the head
    if not bald:
        line = cy - ry * rng.uniform(0.5, 0.72) + ry * 0.25 * ((cv.x - cx) / rx) ** 2
        part = rng.uniform(-0.6, 0.6)
        line += ry * 0.12 * np.exp(-(((cv.x - cx - part * rx) / (rx * 0.25)) ** 2)) * (rng.random() < 0.5)
        head = cv.ellipse_mask(cx, cy - ry * 0.12, rx * rng.uniform(1.05, 1.15), ry * rng.uniform(0.95, 1.05))
        top = head * np.clip((line - cv.y) / (ry * 0.04), 0, 1)
        sides = cv.ellipse_mask(cx, cy - ry * 0.1, rx * 1.08, ry * 0.85) * (np.abs(cv.x - cx) > rx * 0.92)
        mask = np.clip(top + sides * (cv.y < eye_y), 0, 1)
        cv.paint(mask, hair)
        cv.shade(mask * cv.ellipse_mask(cx - light * rx * 0.4, cy - ry * 0.8, rx * 0.4, ry * 0.15, soft=10), 1.25)

    if rng.random() < 0.15:  # glasses
        frame = rng.choice([[0.05, 0.05, 0.05], [0.45, 0.3, 0.15], [0.7, 0.7, 0.72]])
        for sgn in (-1, 1):
            ex = fx + sgn * eye_dx * (1 - 0.15 * sgn * yaw)
            ring = cv.ellipse_mask(ex, eye_y, eye_rx * 1.5, eye_ry * 3.4) - cv.ellipse_mask(
                ex, eye_y, eye_rx * 1.38, eye_ry * 3.0
            )
            cv.paint(np.clip(ring, 0, 1), frame)
        cv.paint(cv.ellipse_mask(fx, eye_y - eye_ry, eye_dx - eye_rx * 1.4, ry * 0.012), frame)

    # ------------------------------------------------------------------ light, tilt, reduce, noise
    cv.img *= (1 + 0.25 * light * (cv.x - 0.5))[..., None]
    # exposure, as a camera meters on the face: its mean brightness lands in 0.4 .. 0.65
    luminance = float((cv.img.mean(axis=2) * face).sum() / face.sum())
    cv.img *= rng.uniform(0.4, 0.65) / max(luminance, 0.05)
    img = Image.fromarray((np.clip(cv.img, 0, 1) * 255).round().astype(np.uint8))
    img = img.rotate(rng.normal(0, 5), resample=Image.BICUBIC, center=(pad + big * cx, pad + big * cy))
    img = img.crop((pad, pad, pad + big, pad + big)).resize((FACE_SIZE, FACE_SIZE), Image.LANCZOS)
    arr = np.asarray(img, dtype=np.float32) + rng.normal(0, rng.uniform(1, 4), (FACE_SIZE, FACE_SIZE, 3))
    return Image.fromarray(np.clip(arr, 0, 255).round().astype(np.uint8))


def make_face(index: int, seed: int) -> Image.Image:
    """Demo face ``index``, a pure function of (index, seed)."""
    return draw_face(np.random.default_rng([seed, FACE_CODE, index]))


def _faces_chunk(args):
    seed, start, stop, folder = args
    for i in range(start, stop):
        make_face(i, seed).save(os.path.join(folder, f"{i:05d}.png"), optimize=False)
    return stop - start


def write_faces(
    face_dir: str,
    sizes: dict,
    seed: int,
    layout: str = course.DATA_FOLDER,
    workers: int = 1,
    progress=None,
    chunk: int = 250,
) -> None:
    """Write ``sizes["train"]`` then ``sizes["val"]`` demo faces into the course's layout, numbered on
    from one split to the next as CelebA's were: layout "2023" writes 2022's ``face_dir/train`` and
    ``face_dir/val``, "2021" ``face_dir/train`` and ``face_dir/test`` (the images FID is computed
    against). Each folder appears complete or not at all; ``face_dir`` itself is not replaced (with
    the course's data it also holds 2023's noise/, GT/ and UNet.pt). ``workers`` processes draw
    ``chunk`` faces at a time; the bytes do not depend on either."""
    if layout not in course.FACE_FOLDERS:
        raise UserError(f"unknown face layout {layout!r} ({' or '.join(course.FACE_FOLDERS)})")
    if sizes.get("train", 0) < 1 or sizes.get("val", 0) < 1:
        raise UserError(f"demo faces need at least one train and one val image, got {sizes}")
    start = 0
    for split, folder_name in zip(("train", "val"), course.FACE_FOLDERS[layout]):
        n = sizes[split]
        with atomic_dir(os.path.join(face_dir, folder_name)) as tmp:
            jobs = [(seed, s, min(s + chunk, start + n), tmp) for s in range(start, start + n, chunk)]
            if workers > 1:
                import multiprocessing as mp

                with mp.get_context("fork").Pool(workers) as pool:
                    for done in pool.imap(_faces_chunk, jobs):
                        if progress:
                            progress(done)
            else:
                for job in jobs:
                    done = _faces_chunk(job)
                    if progress:
                        progress(done)
        start += n
