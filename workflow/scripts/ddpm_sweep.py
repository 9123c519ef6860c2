#!/usr/bin/env python3
"""Accuracy of the DDPM's samples against guidance weight and against sampling steps.

    ddpm_sweep.py --model results/ddpm/model.pt --eval-classifier results/eval_classifier/model.pt \
        [--official Classifier.pth] --out results/ddpm/sweep.csv --per-digit 20 \
        --guidance 0 1 2 3 5 --steps 10 25 50 --steps-guidance 2 --base-steps 25 [--full-ddpm]

Rows: sweep (guidance | steps), sampler, steps, guidance, images, seconds, acc_eval, acc_official.
"""
import time

import _bootstrap  # noqa: F401
import pandas as pd

from dlcv_hw2.classifier import load_official_classifier, predict_uint8
from dlcv_hw2.dann import load_model as load_classifier
from dlcv_hw2.ddpm import initial_noise, load_model, sample, to_uint8
from dlcv_hw2.errors import cli_main, number, script_parser
from dlcv_hw2.io import atomic_path, pick_device


@cli_main
def main(argv=None):
    ap = script_parser(__doc__)
    ap.add_argument("--model", required=True)
    ap.add_argument("--eval-classifier", required=True)
    ap.add_argument("--official")
    ap.add_argument("--out", required=True)
    ap.add_argument("--per-digit", type=number(int, low=1), default=20)
    ap.add_argument("--guidance", type=number(), nargs="+", default=[0, 1, 2, 3, 5])
    ap.add_argument("--base-steps", type=number(int, low=1), default=25, help="DDIM steps of the guidance sweep")
    ap.add_argument("--steps", type=number(int, low=1), nargs="+", default=[10, 25, 50])
    ap.add_argument("--steps-guidance", type=number(), default=2.0, help="guidance of the steps sweep")
    ap.add_argument("--full-ddpm", action="store_true", help="add DDPM over all T steps to the steps sweep")
    ap.add_argument("--seed", type=number(int, low=0), default=2023)
    ap.add_argument("--device", default="auto")
    args = ap.parse_args(argv)
    device = pick_device(args.device)
    model, schedule = load_model(args.model, device)
    judge = load_classifier(args.eval_classifier, device).classify_module()
    official = load_official_classifier(args.official, device) if args.official else None
    points = [("guidance", "ddim", args.base_steps, w) for w in args.guidance]
    points += [("steps", "ddim", s, args.steps_guidance) for s in args.steps]
    if args.full_ddpm:
        points.append(("steps", "ddpm", schedule.T, args.steps_guidance))
    rows = []
    for sweep, sampler, steps, w in points:
        labels, x_T, gen = initial_noise(args.per_digit, args.seed)
        t0 = time.time()
        imgs = to_uint8(sample(model, schedule, labels, x_T, sampler, steps, w, gen, device, progress=False))
        seconds = time.time() - t0
        row = {"sweep": sweep, "sampler": sampler, "steps": steps, "guidance": w, "images": len(imgs),
               "seconds": round(seconds, 2),
               "acc_eval": round(100 * (predict_uint8(judge, imgs, device) == labels).float().mean().item(), 2)}
        if official is not None:
            row["acc_official"] = round(100 * (predict_uint8(official, imgs, device) == labels).float().mean().item(), 2)
        rows.append(row)
        print(row, flush=True)
    with atomic_path(args.out) as tmp:
        pd.DataFrame(rows).to_csv(tmp, index=False, lineterminator="\n")


if __name__ == "__main__":
    main()
