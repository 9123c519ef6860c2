#!/usr/bin/env python3
"""How the course's classifier reads the demo MNIST-M, and why it misreads it (issue 41, part 5).

    python benchmarks/bench_demo_mnistm.py --official-classifier Classifier.pth [--real mnistm28.npz] \\
        [--count 2000] [--seed 0]

Prints Markdown tables of the official classifier's accuracy (%), overall and per digit:

* the demo MNIST-M as the workflow writes it (``make_image``, images 0 .. count-1 of ``--seed``), and
  the first ``count`` images of a real MNIST-M array (``--real``: an .npz with x [N, 28, 28, 3] uint8
  and y [N]) when given, each with three image statistics: mean, the per-image standard deviation and
  the colourfulness (the standard deviation over the three channels, per pixel);
* the demo digits by stroke source (pen skeletons, font glyphs, scikit-learn's handwritten digits: each
  alone, ``digit_stroke``'s ``mix``), on the demo's photo backgrounds and on black (no photo: the
  strokes alone, as MNIST);
* the pen digits by the brightness of their background crop (32 levels a bin);
* each pen skeleton (``SKELETONS``: a digit's variants) alone on the photos, ``--per-skeleton`` images a
  variant, with the digit it is most often misread as.

Everything is drawn from its own seeded generator: two runs print the same tables.
"""

import argparse
import os

import numpy as np
import torch

SOURCES = {"pen": (1, 0, 0), "font": (0, 1, 0), "handwritten": (0, 0, 1)}


def per_digit(pred: np.ndarray, labels: np.ndarray) -> list:
    return [f"{(pred[labels == d] == d).mean() * 100:.1f}" if (labels == d).any() else "-" for d in range(10)]


def stats(x: np.ndarray) -> list:
    xf = x.astype(np.float32)
    return [f"{xf.mean():.1f}", f"{xf.reshape(len(x), -1).std(1).mean():.1f}", f"{xf.std(3).mean():.1f}"]


def table(head: list, rows: list) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return "\n".join(lines + ["| " + " | ".join(map(str, r)) + " |" for r in rows])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--official-classifier", required=True, help="the course's Classifier.pth")
    ap.add_argument("--real", help="real MNIST-M as .npz (x [N,28,28,3] uint8, y [N]) to read beside the demo's")
    ap.add_argument("--count", type=int, default=2000, help="images of each kind")
    ap.add_argument("--seed", type=int, default=0, help="the demo data's seed (the workflow's: 0)")
    ap.add_argument("--per-skeleton", type=int, default=200, help="images of each pen skeleton (0: no table)")
    args = ap.parse_args()
    if not os.path.isfile(args.official_classifier):
        raise SystemExit(f"error: official classifier {args.official_classifier} does not exist")
    torch.set_num_threads(1)
    from dlcv_hw2.data.demo import digits as demo
    from dlcv_hw2.metrics.digits import load_official_classifier, predict_uint8

    classifier = load_official_classifier(args.official_classifier)

    def read(images: np.ndarray) -> np.ndarray:
        return predict_uint8(classifier, torch.from_numpy(images).permute(0, 3, 1, 2).contiguous()).numpy()

    digits = [str(d) for d in range(10)]
    made = [demo.make_image("mnistm", i, args.seed) for i in range(args.count)]
    x = np.stack([np.asarray(img) for img, _ in made])
    y = np.array([label for _, label in made])
    rows = [["demo MNIST-M (the workflow's)", f"{(read(x) == y).mean() * 100:.1f}", *per_digit(read(x), y), *stats(x)]]
    if args.real:
        real = np.load(args.real)
        rx, ry = real["x"][: args.count], real["y"][: args.count].astype(np.int64)
        rows.append(["real MNIST-M", f"{(read(rx) == ry).mean() * 100:.1f}", *per_digit(read(rx), ry), *stats(rx)])
    print(table(["images", "official %", *digits, "mean", "image sd", "colourfulness"], rows))

    by_source, by_brightness = [], {}
    for name, mix in SOURCES.items():
        on_photo, on_black, labels, brightness = [], [], [], []
        for i in range(args.count):
            rng = np.random.default_rng([args.seed, 41, i])  # the bench's own stream, not the data's
            label = int(rng.integers(10))
            digit = demo.place_like_mnist(demo.digit_stroke(label, rng, mix=mix))
            crop = demo.photo_crop(rng, 28)
            on_photo.append(demo.blend_like_mnistm(digit, crop))
            on_black.append(demo.blend_like_mnistm(digit, np.zeros_like(crop)))  # on black: the digit alone
            labels.append(label)
            brightness.append(crop.mean())
        labels = np.array(labels)
        photo_pred, black_pred = read(np.stack(on_photo)), read(np.stack(on_black))
        by_source.append([name, "photo", f"{(photo_pred == labels).mean() * 100:.1f}", *per_digit(photo_pred, labels)])
        by_source.append([name, "black", f"{(black_pred == labels).mean() * 100:.1f}", *per_digit(black_pred, labels)])
        if name == "pen":
            level = (np.array(brightness) // 32).astype(int)
            for b in sorted(set(level)):
                ok = photo_pred[level == b] == labels[level == b]
                by_brightness[b] = [f"{32 * b}-{32 * b + 31}", int(ok.size), f"{ok.mean() * 100:.1f}"]
    print()
    print(table(["stroke source", "background", "official %", *digits], by_source))
    print()
    print(table(["pen digits' background brightness", "images", "official %"], list(by_brightness.values())))
    if args.per_skeleton:
        print()
        print(table(["digit", "skeleton", "official %", "misread most as"], skeleton_rows(demo, read, args)))


def skeleton_rows(demo, read, args) -> list:
    """Each skeleton variant drawn alone (the others of its digit set aside for the draw) on the photos."""
    from dlcv_hw2.data.demo.strokes import SKELETONS

    rows = []
    for digit, variants in SKELETONS.items():
        for v, strokes in enumerate(variants):
            SKELETONS[digit] = [strokes]
            try:
                images = []
                for i in range(args.per_skeleton):
                    rng = np.random.default_rng([args.seed, 42, digit, i])
                    stroke = demo.place_like_mnist(demo.digit_stroke(digit, rng, mix=SOURCES["pen"]))
                    images.append(demo.blend_like_mnistm(stroke, demo.photo_crop(rng, 28)))
            finally:
                SKELETONS[digit] = variants
            pred = read(np.stack(images))
            wrong = np.bincount(pred[pred != digit], minlength=10)
            rows.append([digit, v, f"{(pred == digit).mean() * 100:.1f}", int(wrong.argmax()) if wrong.any() else "-"])
    return rows


if __name__ == "__main__":
    main()
