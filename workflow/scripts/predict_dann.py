#!/usr/bin/env python3
"""Predict the digit of every image in a folder with a DANN (or DSN) model; write CSV ``image_name,label``.

    predict_dann.py --folder hw2_data/digits/usps/test --out pred.csv [--model M | --checkpoints DIR] [--domain usps]
        [--scenario-set 2023|2021] [--method dann|dsn]

With --checkpoints the model is DIR/<method>_<scenario>.pt, the scenario being the one of the set
(2023: MNIST-M -> SVHN / USPS; 2021: MNIST-M -> USPS, SVHN -> MNIST-M, USPS -> SVHN) whose target is
the domain: --domain, or the folder's (dlcv_hw2/data/scenarios.py: target_of_folder): a path component
that is or contains a target of the set (``.../svhn_test``), else its images' channels (one: USPS,
three: SVHN); one line on stderr says which. Files of the folder that are not images are skipped with
a warning. Images are read in batches (any size is resized to 28x28 with a warning; grayscale becomes 3
channels). The CSV is written atomically.
"""

import csv
import os
import sys

import numpy as np
import torch
from PIL import Image, UnidentifiedImageError

from dlcv_hw2 import course, settings
from dlcv_hw2.core.cli import UserError, cli_main, number, script_parser
from dlcv_hw2.core.files import atomic_path
from dlcv_hw2.core.runtime import pick_device
from dlcv_hw2.data import scenarios
from dlcv_hw2.data.images import IMAGE_SIZE, list_image_folder, to_model_input
from dlcv_hw2.methods.uda import load_model


def read_batch(folder, names, resized):
    arrs = []
    for n in names:
        path = os.path.join(folder, n)
        try:
            with Image.open(path) as img:
                img.load()
                if img.size != (IMAGE_SIZE, IMAGE_SIZE):
                    resized.append(n)
                    img = img.resize((IMAGE_SIZE, IMAGE_SIZE), Image.BILINEAR)
                arrs.append(np.array(img.convert("RGB"), dtype=np.uint8))
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise UserError(f"image {path} is unreadable or truncated ({exc})") from None
    return torch.from_numpy(np.stack(arrs)).permute(0, 3, 1, 2)


@cli_main
def main(argv=None):
    ap = script_parser(__doc__)
    ap.add_argument("--folder", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--model", help="a DANN or DSN checkpoint (overrides --checkpoints)")
    ap.add_argument("--checkpoints", help="folder holding <method>_<scenario>.pt (dann_svhn.pt, dann_usps.pt ...)")
    ap.add_argument("--domain", choices=scenarios.DOMAINS, help="target domain (default: from the folder path)")
    ap.add_argument(
        "--scenario-set",
        choices=sorted(scenarios.SETS),
        default=course.DEFAULT,
        help=f"whose scenarios the checkpoints are (default: {course.DEFAULT})",
    )
    ap.add_argument("--method", choices=["dann", "dsn"], default="dann", help="which model of the scenario")
    ap.add_argument("--download", help="the script to name when a checkpoint is missing (default: the set's)")
    ap.add_argument("--batch-size", type=number(int, low=1), default=500)
    settings.add_top_level(ap, "device")
    args = ap.parse_args(argv)
    names = list_image_folder(args.folder, skip_others=True)
    if args.model:
        model_path = args.model
    else:
        if not args.checkpoints:
            raise UserError("give --model or --checkpoints")
        domain = args.domain
        if not domain:
            domain, why = scenarios.target_of_folder(
                args.folder, os.path.join(args.folder, names[0]), args.scenario_set
            )
            print(f"target domain: {domain} ({why})", file=sys.stderr)
        scenario = scenarios.for_target(args.scenario_set, domain)
        model_path = os.path.join(args.checkpoints, f"{args.method}_{scenario}.pt")
        if not os.path.isfile(model_path):
            script = args.download or course.year(args.scenario_set).download
            raise UserError(f"checkpoint {model_path} is missing; run 'bash {script}' first")
    device = pick_device(args.device)
    model = load_model(model_path, device)
    with atomic_path(args.out, suffix=".csv") as tmp:  # validates the output folder before the work
        preds, resized = [], []
        with torch.no_grad():
            for s in range(0, len(names), args.batch_size):
                x = to_model_input(read_batch(args.folder, names[s : s + args.batch_size], resized)).to(device)
                preds += model.classify(x).argmax(1).cpu().tolist()
        with open(tmp, "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["image_name", "label"])
            w.writerows(zip(names, preds))
    if resized:
        print(f"warning: {len(resized)} image(s) were not 28x28 and were resized (e.g. {resized[0]})", file=sys.stderr)
    print(f"{len(names)} predictions -> {args.out}")


if __name__ == "__main__":
    main()
