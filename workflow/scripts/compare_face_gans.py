#!/usr/bin/env python3
"""The face GANs of 2021/2022 problem 1 side by side: their first 32 faces, training curves and a table.

    compare_face_gans.py --method dcgan=results/face_gan/dcgan --method sagan=results/face_gan/sagan \
        --real results/faces/detection_val.json --train-metrics results/faces/generative_metrics_train.json \
        --lfw results/faces/detection_lfw.json --lfw-metrics results/faces/generative_metrics_lfw.json \
        --out summary.csv --md summary.md --first32 first32.png --curves training_curves.png

Each method folder holds what the workflow writes there: detection.json, generative_metrics.json,
loss.csv, sampling_time.json, model.pt and samples/ (0000.png ...). The table has one row per method:
the 2022 face-detection rate, FID, KID, precision and recall of its first `scored` faces against all the val
faces (in dlib's face embeddings; in Inception's features with IS when computed), training and sampling seconds,
epochs and parameters; and rows for real faces: the val faces' own detection rate, the FID of as many
train faces (the floor a generator's faces can reach) and the LFW sanity set's rate and FID.
"""

import csv
import io
import os

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from PIL import Image

from dlcv_hw2 import course
from dlcv_hw2.core.cli import UserError, cli_main, script_parser
from dlcv_hw2.core.files import atomic_write_text, check_outputs, read_json, read_table
from dlcv_hw2.data.images import face_image_name
from dlcv_hw2.methods.face_gan import FACE_GANS, REAL_FACES
from dlcv_hw2.methods.training import generator_parameters
from dlcv_hw2.metrics.generative import IMAGENET_KEYS, INCEPTION_KEYS
from dlcv_hw2.report.figures import save_figure
from dlcv_hw2.report.markdown import render_markdown
from dlcv_hw2.report.sections import face_gans

NAMES = {**{m: gan.name for m, gan in FACE_GANS.items()}, **REAL_FACES}  # the registry's names
DETECTION = course.DETECTION_YEAR  # the year that graded the face-detection rate: its baselines
DETECTION_KEYS = ["rate", "images", "no_face", "one_face", "more_faces"]
# the Inception keys hold "not computed (...)" when not computed
METRIC_KEYS = [
    "fid_face",
    "kid_face",
    "precision_face",
    "recall_face",
    *INCEPTION_KEYS[:4],
    "precision_inception",
    "recall_inception",
    *IMAGENET_KEYS,
]
COLUMNS = [
    "method",
    "face_detection_rate",
    "faces",
    "scored",
    *METRIC_KEYS,
    "epochs",
    "training_seconds",
    "sampling_seconds",
    "generator_parameters",
]


def metrics_of(path: str) -> dict:
    """The metrics of one set (generative_metrics.py's JSON), with the number of its images scored."""
    found = read_json(path, ["samples", *METRIC_KEYS])
    return {"scored": found["samples"], **{k: found[k] for k in METRIC_KEYS}}


def row_of(name: str, folder: str) -> dict:
    detection = read_json(os.path.join(folder, "detection.json"), DETECTION_KEYS)
    loss = read_table(os.path.join(folder, "loss.csv"), ["epoch", "d_loss", "g_loss", "seconds"])
    timing = read_json(os.path.join(folder, "sampling_time.json"), ["seconds", "images"])
    return {
        "method": name,
        "face_detection_rate": detection["rate"],
        "faces": detection["images"],
        **metrics_of(os.path.join(folder, "generative_metrics.json")),
        "epochs": int(loss["epoch"].iloc[-1]),
        "training_seconds": round(float(loss["seconds"].sum()), 1),
        "sampling_seconds": timing["seconds"],
        "generator_parameters": generator_parameters(os.path.join(folder, "model.pt")),
    }


def real_rows(real: dict, train_metrics: dict, lfw: dict, lfw_metrics: dict) -> list:
    """The real faces beside the GANs: val (the reference: its detection rate), the first 1000 train
    faces (their FID against val) and the 100 LFW faces (both)."""
    blank = dict.fromkeys(COLUMNS, "")
    return [
        {**blank, "method": "real_val", "face_detection_rate": real["rate"], "faces": real["images"]},
        {**blank, "method": "real_train", "faces": train_metrics["scored"], **train_metrics},
        {
            **blank,
            "method": "lfw",
            "face_detection_rate": lfw["lfw_faces"]["rate"],
            "faces": lfw["lfw_faces"]["images"],
            **lfw_metrics,
        },
    ]


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


def curves_figure(losses: dict, real_rate: float):
    """Top: each method's losses per epoch. Below (when a loss.csv has the columns of the learning
    curve, curve_faces and curve_recall_faces): the detection rate of the EMA generator's faces after
    each epoch, then their precision and recall every few epochs, against the training seconds so far,
    every method on one axis, with 2022's baselines and the real val faces' rate."""
    curved = {name: loss for name, loss in losses.items() if "detection_rate" in loss}
    recalled = {
        name: loss for name, loss in losses.items() if "recall_face" in loss and loss["recall_face"].notna().any()
    }
    rows = 1 + bool(curved) + bool(recalled)
    fig = plt.figure(figsize=(max(4.5 * len(losses), 9), 3.2 + 3.4 * (rows - 1)))
    grid = fig.add_gridspec(rows, len(losses))
    for i, (name, loss) in enumerate(losses.items()):
        ax = fig.add_subplot(grid[0, i])
        judge = "critic" if FACE_GANS[name].critic else "discriminator"
        ax.plot(loss["epoch"], loss["d_loss"], marker="o", label=judge)
        ax.plot(loss["epoch"], loss["g_loss"], marker="o", label="generator")
        ax.set_title(f"{NAMES.get(name, name)} training")
        ax.set_xlabel("epoch")
        ax.set_ylabel("loss")
        ax.grid(alpha=0.3)
        ax.legend()
    if curved:
        ax = fig.add_subplot(grid[1, :])
        for name, loss in curved.items():
            ax.plot(loss["seconds"].cumsum(), loss["detection_rate"], marker="o", label=NAMES.get(name, name))
        base = DETECTION.baseline("face_detection_rate")
        for level, style in ((base.simple, ":"), (base.strong, "--")):
            ax.axhline(
                float(level), color="grey", linestyle=style, linewidth=1, label=f"{DETECTION.name} baseline {level} %"
            )
        ax.axhline(real_rate, color="black", linewidth=1, label=f"real val faces ({real_rate:.1f} %)")
        ax.set_xlabel("training seconds (after each epoch)")
        ax.set_ylabel("faces detected (%)")
        ax.set_ylim(-2, 102)
        ax.set_title("detection rate of the EMA generator's faces during training (curve_faces per epoch)")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="lower right")
    if recalled:
        ax = fig.add_subplot(grid[rows - 1, :])
        for i, (name, loss) in enumerate(recalled.items()):
            at = loss["recall_face"].notna()
            seconds = loss["seconds"].cumsum()[at]
            colour = f"C{i}"
            ax.plot(seconds, loss["recall_face"][at], marker="o", color=colour, label=f"{NAMES.get(name, name)} recall")
            ax.plot(seconds, loss["precision_face"][at], marker="s", linestyle="--", color=colour, label="precision")
        ax.set_xlabel("training seconds (after the epoch)")
        ax.set_ylabel("precision / recall")
        ax.set_ylim(-0.02, 1.02)
        ax.set_title(
            "variety during training: precision and recall of curve_recall_faces faces in dlib's face "
            "embeddings against the val faces (k = 3)"
        )
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="upper left", ncol=2)
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
    ap.add_argument(
        "--method",
        action="append",
        required=True,
        metavar="NAME=DIR",
        help="a method's result folder (repeat; the table's rows follow this order)",
    )
    ap.add_argument("--real", required=True, help="detection JSON of the real val faces (face_detection.py)")
    ap.add_argument("--train-metrics", required=True, help="metrics JSON of the first 1000 train faces against val")
    ap.add_argument("--lfw", required=True, help="detection JSON of the LFW sanity set (face_detection.py --lfw)")
    ap.add_argument("--lfw-metrics", required=True, help="metrics JSON of the LFW faces against val")
    ap.add_argument("--out", required=True, help="output CSV (one row per method)")
    ap.add_argument("--md", required=True, help="output Markdown: the report's table and what it shows")
    ap.add_argument(
        "--year", choices=[y.name for y in course.face_gan_years()], help="whose baselines the table heads show"
    )
    ap.add_argument("--first32", required=True, help="output figure: each method's first 32 faces")
    ap.add_argument("--curves", required=True, help="output figure of the training curves (losses, detection rate)")
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
    rows += real_rows(
        read_json(args.real, DETECTION_KEYS),
        metrics_of(args.train_metrics),
        read_json(args.lfw, ["lfw_faces"]),
        metrics_of(args.lfw_metrics),
    )
    losses = {
        name: read_table(os.path.join(folder, "loss.csv"), ["epoch", "d_loss", "g_loss", "seconds"])
        for name, folder in pairs
    }
    first32 = first32_figure(dict(pairs))  # every input read before anything is written
    curves = curves_figure(losses, float(next(r for r in rows if r["method"] == "real_val")["face_detection_rate"]))
    table = pd.DataFrame(rows, columns=COLUMNS).to_csv(index=False, lineterminator="\n")
    cells = list(csv.DictReader(io.StringIO(table)))  # the rows as the report reads them back
    summary = render_markdown(face_gans.scores(cells, course.YEARS.get(args.year)))
    atomic_write_text(args.out, table)
    atomic_write_text(args.md, summary)
    save_figure(first32, args.first32)
    save_figure(curves, args.curves)
    print(summary)


if __name__ == "__main__":
    main()
