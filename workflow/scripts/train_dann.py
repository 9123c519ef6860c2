#!/usr/bin/env python3
"""Train a digit classifier: source-only, DANN or DSN (source labels + unlabelled target images) or target-only.

    train_dann.py --setting dann --source results/cache/mnistm/train.pt \
        --target-train results/cache/svhn/train.pt --target-val results/cache/svhn/val.pt \
        [--target-test results/cache/svhn/test.pt] \
        --model results/dann_svhn/dann/seed0/model.pt --metrics results/dann_svhn/dann/seed0/metrics.json \
        [--settings JSON] [--epochs 8 ...] [--seed 0]

The accuracy on --target-val (and on --target-test, a labelled test split as the 2021 layout has) is
measured once, after training; it never chooses a checkpoint. A test split given as training data is
refused.
Problem 1's evaluation classifier is a target-only run on MNIST-M. The training settings (a dann or
eval_classifier section) come from --settings and single options; what neither gives takes its
default from dlcv_hw2/config.schema.yaml (plain DANN).
"""

import json

from dlcv_hw2 import settings
from dlcv_hw2.core.cli import cli_main, script_parser
from dlcv_hw2.core.files import atomic_write_text, check_outputs
from dlcv_hw2.core.runtime import pick_device, seed_everything
from dlcv_hw2.data.digits import load_cache
from dlcv_hw2.methods.uda import UDA_METHODS, accuracy, save_model, train


def build_parser():
    ap = script_parser(__doc__)
    ap.add_argument("--setting", required=True, choices=list(UDA_METHODS))
    ap.add_argument("--source", help="cache of the labelled source train split (not for target_only)")
    ap.add_argument("--target-train", required=True, help="cache of the target train split")
    ap.add_argument("--target-val", required=True, help="cache of the labelled target val split (evaluation)")
    ap.add_argument(
        "--target-test", help="cache of a labelled target test split (evaluation; a layout of train/ and test/ has one)"
    )
    ap.add_argument("--model", required=True)
    ap.add_argument("--metrics", required=True, help="JSON with the target val accuracy and the history")
    settings.add_arguments(ap, "dann")
    settings.add_top_level(ap, "seed", "device")
    return ap


@cli_main
def main(argv=None):
    ap = build_parser()
    args = ap.parse_args(argv)
    if args.setting != "target_only" and not args.source:
        ap.error("--source is required for source_only, dann and dsn")
    cfg = settings.from_args(args, "dann")
    check_outputs(args.model, args.metrics)
    evaluate = {"val": load_cache(args.target_val)}  # read before training: a bad file stops at once
    if args.target_test:
        evaluate["test"] = load_cache(args.target_test)
    seed_everything(args.seed)
    device = pick_device(args.device)
    model, history = train(args.setting, args.source, args.target_train, cfg, args.seed, device)
    acc = {split: round(accuracy(model, data, device), 2) for split, data in evaluate.items()}
    save_model(model, args.model, {"setting": args.setting})
    record = {**cfg.as_dict(workflow=False), "seed": args.seed}  # the settings of this one run
    scores = {f"target_{split}_accuracy": a for split, a in acc.items()}
    atomic_write_text(
        args.metrics,
        json.dumps(
            {"setting": args.setting, "seed": args.seed, **scores, "config": record, "history": history}, indent=1
        )
        + "\n",
    )
    print(f"{args.setting}: target accuracy " + ", ".join(f"{s} {a:.2f}%" for s, a in acc.items()))


if __name__ == "__main__":
    main()
