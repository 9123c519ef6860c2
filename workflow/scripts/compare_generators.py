#!/usr/bin/env python3
"""The DDPM (problem 1) and the ACGAN (2021 problem 2) side by side, on the same digits and judges.

    compare_generators.py --generator ddpm=results/ddpm --generator acgan=results/acgan \
        --real results/data/generative_metrics_train.json \
        --judges eval_classifier official_classifier --out comparison.csv --times times.csv --md comparison.md \
        --curves training_curves.png --grids grids.png --grid results/acgan/figures/grid.png

Each generator folder holds what the workflow writes there: accuracy_<judge>.csv, generative_metrics.json,
loss.csv, sampling_time.json, model.pt and samples/. Outputs: one CSV row per generator (accuracy by
each judge, overall and per digit; FID / KID / IS, precision and recall, overall and per digit;
parameters) and a last row of real MNIST-M train digits scored alike (--real: the ceiling of precision
and recall), the measured seconds in a CSV of their
own (--times: they differ from run to run), the Markdown table of both (metrics as rows), a figure of
both training curves, the 10x10 grids side by side (--grids) and the grid of the last generator alone
(--grid, the ACGAN's; the DDPM's is drawn by ddpm_figures.py).
"""

import csv
import io
import os

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from dlcv_hw2.core.cli import UserError, cli_main, script_parser
from dlcv_hw2.core.files import atomic_write_text, read_json, read_table
from dlcv_hw2.methods.generators import DIGIT_GENERATORS
from dlcv_hw2.methods.training import generator_parameters
from dlcv_hw2.metrics.generative import DIGIT_KEYS, INCEPTION_KEYS, NO_INCEPTION, NO_PRC, PER_CLASS_RECALL
from dlcv_hw2.report.blocks import Paragraph
from dlcv_hw2.report.figures import digit_grid, digit_tiles, save_figure
from dlcv_hw2.report.markdown import render_markdown
from dlcv_hw2.report.sections import generators
from dlcv_hw2.report.sections.common import JUDGES

NAMES = {g: gen.name for g, gen in DIGIT_GENERATORS.items()}  # the registry's names
REAL = generators.REAL_DIGITS  # the row of real train digits
NAMES[REAL] = "real MNIST-M train"
METRIC_KEYS = DIGIT_KEYS + PER_CLASS_RECALL + INCEPTION_KEYS


def metrics_of(path: str) -> dict:
    """A generative_metrics.json's digit metrics (per digit too), the Inception ones when computed."""
    metrics = read_json(path, DIGIT_KEYS + PER_CLASS_RECALL)
    out = {k: metrics.get(k, NO_INCEPTION) for k in METRIC_KEYS}
    per_class = [out[k] for k in PER_CLASS_RECALL]
    numbers = [v for v in per_class if not isinstance(v, str)]
    out["recall_digit_lowest"] = min(numbers) if len(numbers) == len(per_class) else NO_PRC
    return out


def row_of(name: str, folder: str, judges) -> tuple:
    row = {"generator": name}
    for judge in judges:
        path = os.path.join(folder, f"accuracy_{judge}.csv")
        table = read_table(path, ["digit", "accuracy"], dtype={"digit": str})
        acc = dict(zip(table["digit"], table["accuracy"]))
        if not {"all", *map(str, range(10))} <= set(acc):
            raise UserError(f"{path} does not list the digits 0-9 and 'all'")
        row[f"acc_{judge}"] = acc["all"]
        row.update({f"acc_{judge}_{d}": acc[str(d)] for d in range(10)})
    row.update(metrics_of(os.path.join(folder, "generative_metrics.json")))
    row["parameters"] = generator_parameters(os.path.join(folder, "model.pt"))
    loss = read_table(os.path.join(folder, "loss.csv"), ["epoch", "seconds"])
    timing = read_json(os.path.join(folder, "sampling_time.json"), ["seconds", "images"])
    times = [
        {
            "generator": name,
            "phase": "training",
            "seconds": round(float(loss["seconds"].sum()), 1),
            "epochs": int(loss["epoch"].iloc[-1]),
        },
        {"generator": name, "phase": f"sampling {timing['images']} images", "seconds": timing["seconds"], "epochs": ""},
    ]
    return row, times, loss


def curves_figure(losses: dict):
    fig, axes = plt.subplots(1, len(losses), figsize=(5 * len(losses), 3.2), squeeze=False)
    for ax, (name, loss) in zip(axes[0], losses.items()):
        if "loss" in loss:
            ax.plot(loss["epoch"], loss["loss"], marker="o", label="denoising MSE")
        for col, label in (("d_loss", "discriminator"), ("g_loss", "generator")):
            if col in loss:
                ax.plot(loss["epoch"], loss[col], marker="o", label=label)
        ax.set_title(f"{NAMES.get(name, name)} training")
        ax.set_xlabel("epoch")
        ax.set_ylabel("loss")
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    return fig


def grids_figure(folders: dict):
    """The 10x10 grids of every generator side by side (row d: d_001.png .. d_010.png)."""
    fig, axes = plt.subplots(1, len(folders), figsize=(4 * len(folders), 4.3), squeeze=False)
    for ax, (name, folder) in zip(axes[0], folders.items()):
        tiles = digit_tiles(os.path.join(folder, "samples"))
        mosaic = tiles.reshape(10, 10, 28, 28, 3).transpose(0, 2, 1, 3, 4).reshape(280, 280, 3)
        ax.imshow(mosaic, interpolation="nearest")
        ax.set_xticks([])
        ax.set_yticks(np.arange(10) * 28 + 14, [str(d) for d in range(10)])
        ax.set_title(NAMES.get(name, name))
    fig.tight_layout()
    return fig


def build_parser():
    ap = script_parser(__doc__)
    ap.add_argument(
        "--generator",
        action="append",
        required=True,
        metavar="NAME=DIR",
        help="a generator's result folder (repeat; the table's columns follow this order)",
    )
    ap.add_argument("--real", required=True, help="generative_metrics.json of real train digits (the ceiling row)")
    ap.add_argument("--judges", nargs="+", choices=list(JUDGES), required=True)
    ap.add_argument("--out", required=True, help="output CSV (one row per generator)")
    ap.add_argument("--times", required=True, help="output CSV of the measured seconds")
    ap.add_argument("--md", required=True, help="output Markdown: the report's tables and what they show")
    ap.add_argument("--curves", required=True, help="output figure of the training curves")
    ap.add_argument("--grid", required=True, help="output 10x10 grid of the last generator's samples")
    ap.add_argument("--grids", required=True, help="output: every generator's 10x10 grid side by side")
    return ap


@cli_main
def main(argv=None):
    args = build_parser().parse_args(argv)
    pairs = []
    for text in args.generator:
        name, eq, folder = text.partition("=")
        if not eq or not name or not os.path.isdir(folder):
            raise UserError(f"--generator {text!r}: expected NAME=DIR with an existing folder")
        pairs.append((name, folder))
    rows, times, losses = [], [], {}
    for name, folder in pairs:
        row, t, loss = row_of(name, folder, args.judges)
        rows.append(row)
        times += t
        losses[name] = loss
    rows.append({"generator": REAL, **metrics_of(args.real)})
    device = read_json(os.path.join(pairs[0][1], "sampling_time.json"), ["seconds"]).get("device", "?")
    table = pd.DataFrame(rows, columns=list(rows[0])).to_csv(index=False, lineterminator="\n")
    timing = pd.DataFrame(times).to_csv(index=False, lineterminator="\n")
    every, seconds = (list(csv.DictReader(io.StringIO(t))) for t in (table, timing))  # as the report reads them
    blocks = generators.scores(every, seconds) + [
        Paragraph(f"Times measured on {device}."),
        generators.per_digit(every),
    ]
    atomic_write_text(args.out, table)
    atomic_write_text(args.times, timing)
    atomic_write_text(args.md, render_markdown(blocks))
    save_figure(curves_figure(losses), args.curves)
    save_figure(grids_figure(dict(pairs)), args.grids)
    name, folder = pairs[-1]
    save_figure(
        digit_grid(
            os.path.join(folder, "samples"),
            f"{NAMES.get(name, name)}: 10 samples per digit (rows: digit, columns: noise)",
        ),
        args.grid,
    )
    print(open(args.md, encoding="utf-8").read())


if __name__ == "__main__":
    main()
