#!/usr/bin/env python3
"""The face GANs of 2021/2022 problem 1 side by side: their first 32 faces, training curves and a table.

    compare_face_gans.py --method dcgan=results/face_gan/dcgan --method sagan=results/face_gan/sagan \
        --real results/faces/detection_val.json --out summary.csv --md summary.md \
        --first32 first32.png --curves training_curves.png

Each method folder holds what the workflow writes there: detection.json, loss.csv, sampling_time.json,
model.pt and samples/ (0000.png ...). The table has one row per method (and one for the real faces the
GANs learn from): the 2022 face-detection rate, training and sampling seconds, epochs and parameters.
"""
import os

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from PIL import Image

from dlcv_hw2.cli import UserError, cli_main, script_parser
from dlcv_hw2.face_gan import face_image_name
from dlcv_hw2.files import atomic_path, atomic_write_text, check_outputs, read_json, read_table
from dlcv_hw2.training import parameters
from dlcv_hw2.viz import save_figure

NAMES = {"dcgan": "DCGAN", "wgan_gp": "WGAN-GP", "sagan": "SAGAN"}
DETECTION_KEYS = ["rate", "images", "no_face", "one_face", "more_faces"]


def row_of(name: str, folder: str) -> dict:
    detection = read_json(os.path.join(folder, "detection.json"), DETECTION_KEYS)
    loss = read_table(os.path.join(folder, "loss.csv"), ["epoch", "d_loss", "g_loss", "seconds"])
    timing = read_json(os.path.join(folder, "sampling_time.json"), ["seconds", "images"])
    return {"method": name, "face_detection_rate": detection["rate"], "faces": detection["images"],
            "epochs": int(loss["epoch"].iloc[-1]), "training_seconds": round(float(loss["seconds"].sum()), 1),
            "sampling_seconds": timing["seconds"], "generator_parameters": parameters(os.path.join(folder, "model.pt"))}


def first_faces(samples: str, n: int = 32) -> np.ndarray:
    """The first ``n`` faces of a folder (0000.png ...) as one 4-row mosaic."""
    tiles = []
    for i in range(n):
        path = os.path.join(samples, face_image_name(i))
        if not os.path.isfile(path):
            raise UserError(f"{path} is missing (the folder holds fewer than {n} faces)")
        with Image.open(path) as img:
            tiles.append(np.asarray(img.convert("RGB")))
    rows = 4
    h, w, _ = tiles[0].shape
    return np.stack(tiles).reshape(rows, n // rows, h, w, 3).transpose(0, 2, 1, 3, 4).reshape(rows * h, -1, 3)


def markdown(rows, real) -> str:
    lines = ["| | face-detection rate (%) | training (s) | epochs | sampling 1000 faces (s) | generator parameters |",
             "|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {NAMES.get(r['method'], r['method'])} | {r['face_detection_rate']:.1f} | "
                     f"{r['training_seconds']:.1f} | {r['epochs']} | {r['sampling_seconds']:.2f} | "
                     f"{r['generator_parameters']:,} |")
    lines.append(f"| the real faces (val) | {real['rate']:.1f} | | | | |")
    lines += ["", "Face-detection rate: the share of the faces in which dlib's HOG detector (one upsampling, as "
              "2022's face_recognition.face_locations) finds exactly one face; 2022's baselines 85 / 90 %."]
    return "\n".join(lines) + "\n"


def curves_figure(losses: dict):
    fig, axes = plt.subplots(1, len(losses), figsize=(4.5 * len(losses), 3.2), squeeze=False)
    for ax, (name, loss) in zip(axes[0], losses.items()):
        ax.plot(loss["epoch"], loss["d_loss"], marker="o", label="discriminator" if name != "wgan_gp" else "critic")
        ax.plot(loss["epoch"], loss["g_loss"], marker="o", label="generator")
        ax.set_title(f"{NAMES.get(name, name)} training")
        ax.set_xlabel("epoch")
        ax.set_ylabel("loss")
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    return fig


def first32_figure(folders: dict):
    fig, axes = plt.subplots(len(folders), 1, figsize=(8, 4.3 * len(folders)), squeeze=False)
    for ax, (name, folder) in zip(axes[:, 0], folders.items()):
        ax.imshow(first_faces(os.path.join(folder, "samples")), interpolation="nearest")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(f"{NAMES.get(name, name)}: faces 0000-0031")
    fig.tight_layout()
    return fig


def build_parser():
    ap = script_parser(__doc__)
    ap.add_argument("--method", action="append", required=True, metavar="NAME=DIR",
                    help="a method's result folder (repeat; the table's rows follow this order)")
    ap.add_argument("--real", required=True, help="detection JSON of the real faces (face_detection.py)")
    ap.add_argument("--out", required=True, help="output CSV (one row per method)")
    ap.add_argument("--md", required=True, help="output Markdown table")
    ap.add_argument("--first32", required=True, help="output figure: each method's first 32 faces")
    ap.add_argument("--curves", required=True, help="output figure of the training curves")
    return ap


@cli_main
def main(argv=None):
    args = build_parser().parse_args(argv)
    check_outputs(args.out, args.md, args.first32, args.curves)
    pairs = []
    for spec in args.method:
        name, sep, folder = spec.partition("=")
        if not sep or not name or not folder:
            raise UserError(f"--method {spec!r} is not NAME=DIR")
        if not os.path.isdir(folder):
            raise UserError(f"--method {name}: folder {folder} does not exist")
        pairs.append((name, folder))
    rows = [row_of(name, folder) for name, folder in pairs]
    real = read_json(args.real, DETECTION_KEYS)
    losses = {name: read_table(os.path.join(folder, "loss.csv"), ["epoch", "d_loss", "g_loss"])
              for name, folder in pairs}
    first32 = first32_figure(dict(pairs))  # every input read before anything is written
    curves = curves_figure(losses)
    with atomic_path(args.out, suffix=".csv") as tmp:
        pd.DataFrame(rows).to_csv(tmp, index=False, lineterminator="\n")
    atomic_write_text(args.md, markdown(rows, real))
    save_figure(first32, args.first32)
    save_figure(curves, args.curves)
    print(markdown(rows, real))


if __name__ == "__main__":
    main()
