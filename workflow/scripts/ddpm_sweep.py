#!/usr/bin/env python3
"""Accuracy of the DDPM's samples against guidance weight and against sampling steps.

    ddpm_sweep.py --model results/ddpm/model.pt --eval-classifier results/eval_classifier/model.pt \
        --reference results/cache/mnistm/val.pt [--official-classifier Classifier.pth] \
        --out results/ddpm/sweep.csv [--settings JSON]

The sweep comes from the ddpm_sampling settings: guidance_sweep at the graded step count, steps_sweep
(and, with sweep_full_ddpm, DDPM over all T steps) at the graded guidance, sweep_per_digit images per
digit each. Rows: sweep (guidance | steps), sampler, steps, guidance, images, seconds,
acc_eval_classifier, acc_official_classifier, and precision_digit / recall_digit: the point's images
against as many of the first images of --reference (MNIST-M val) in the evaluation classifier's
features (torch-fidelity's prc, k = 3), so that guidance's price in variety stands beside its gain in
accuracy.
"""

import time

import pandas as pd

from dlcv_hw2 import settings
from dlcv_hw2.core.cli import cli_main, script_parser
from dlcv_hw2.core.files import atomic_path
from dlcv_hw2.core.runtime import pick_device
from dlcv_hw2.data.digits import load_cache
from dlcv_hw2.data.images import to_uint8
from dlcv_hw2.methods.ddpm import initial_noise, load_model, sample
from dlcv_hw2.methods.uda import load_model as load_classifier
from dlcv_hw2.metrics.digits import load_official_classifier, predict_uint8
from dlcv_hw2.metrics.generative import digit_features, precision_recall


def build_parser():
    ap = script_parser(__doc__)
    ap.add_argument("--model", required=True)
    ap.add_argument("--eval-classifier", required=True)
    ap.add_argument("--reference", required=True, help="tensor cache of the real digits (MNIST-M val)")
    ap.add_argument("--official-classifier")
    ap.add_argument("--out", required=True)
    settings.add_arguments(ap, "ddpm_sampling")
    settings.add_top_level(ap, "seed", "device")
    return ap


@cli_main
def main(argv=None):
    args = build_parser().parse_args(argv)
    cfg = settings.from_args(args, "ddpm_sampling")
    device = pick_device(args.device)
    ckpt = load_model(args.model, device)
    reference = digit_features(load_cache(args.reference).images[: 10 * cfg.sweep_per_digit], args.eval_classifier)
    judges = {"eval_classifier": load_classifier(args.eval_classifier, device).classify_module()}
    if args.official_classifier:
        judges["official_classifier"] = load_official_classifier(args.official_classifier, device)
    points = [("guidance", "ddim", cfg.steps, w) for w in cfg.guidance_sweep]
    points += [("steps", "ddim", s, cfg.guidance) for s in cfg.steps_sweep]
    if cfg.sweep_full_ddpm:
        points.append(("steps", "ddpm", ckpt.schedule.T, cfg.guidance))
    rows = []
    for sweep, sampler, steps, w in points:
        labels, x_T, gen = initial_noise(cfg.sweep_per_digit, args.seed)
        t0 = time.time()
        imgs = to_uint8(
            sample(
                ckpt.eps,
                ckpt.schedule,
                labels,
                x_T,
                sampler=sampler,
                steps=steps,
                guidance=w,
                generator=gen,
                device=device,
                progress=False,
            )
        )
        seconds = time.time() - t0
        row = {
            "sweep": sweep,
            "sampler": sampler,
            "steps": steps,
            "guidance": w,
            "images": len(imgs),
            "seconds": round(seconds, 2),
        }
        for name, judge in judges.items():
            row[f"acc_{name}"] = round(100 * (predict_uint8(judge, imgs, device) == labels).float().mean().item(), 2)
        prc = precision_recall(digit_features(imgs, args.eval_classifier), reference[: len(imgs)])
        row.update({f"{k}_digit": round(v, 4) if isinstance(v, float) else v for k, v in prc.items()})
        rows.append(row)
        print(row, flush=True)
    with atomic_path(args.out) as tmp:
        pd.DataFrame(rows).to_csv(tmp, index=False, lineterminator="\n")


if __name__ == "__main__":
    main()
