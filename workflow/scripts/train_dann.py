#!/usr/bin/env python3
"""Train a digit classifier: source-only, DANN (source labels + unlabelled target images) or target-only.

    train_dann.py --setting dann --source results/cache/mnistm/train.pt \
        --target-train results/cache/svhn/train.pt --target-val results/cache/svhn/val.pt \
        --model results/dann_svhn/dann/seed0/model.pt --metrics results/dann_svhn/dann/seed0/metrics.json

The accuracy on --target-val is measured once, after training; it never chooses a checkpoint.
Problem 1's evaluation classifier is a target-only run on MNIST-M.
"""
import json

import _bootstrap  # noqa: F401

from dlcv_hw2.dann import SETTINGS, accuracy, save_model, train
from dlcv_hw2.data import load_cache
from dlcv_hw2.errors import cli_main, number, script_parser
from dlcv_hw2.io import atomic_write_text, check_outputs, pick_device, seed_everything
from dlcv_hw2.models.dann import INPUTS


@cli_main
def main(argv=None):
    ap = script_parser(__doc__)
    ap.add_argument("--setting", required=True, choices=SETTINGS)
    ap.add_argument("--source", help="cache of the labelled source train split (not for target_only)")
    ap.add_argument("--target-train", required=True, help="cache of the target train split")
    ap.add_argument("--target-val", required=True, help="cache of the labelled target val split (evaluation)")
    ap.add_argument("--model", required=True)
    ap.add_argument("--metrics", required=True, help="JSON with the target val accuracy and the history")
    ap.add_argument("--epochs", type=number(int, low=1), default=10)
    ap.add_argument("--batch-size", type=number(int, low=1), default=128)
    ap.add_argument("--lr", type=number(low=0, low_open=True), default=2e-3)
    ap.add_argument("--weight-decay", type=number(low=0), default=5e-4)
    ap.add_argument("--width", type=number(int, low=1), default=32)
    ap.add_argument("--hidden", type=number(int, low=1), default=256)
    ap.add_argument("--grl-gamma", type=number(low=0), default=10.0)
    ap.add_argument("--domain-weight", type=number(low=0), default=1.0)
    ap.add_argument("--input", choices=INPUTS, default="rgb", help="what the convolutions see (see models/dann.py)")
    ap.add_argument("--shift", type=number(low=0), default=2.0, help="augmentation: max translation in pixels")
    ap.add_argument("--zoom", type=number(low=0, low_open=True), nargs=2, default=(1.0, 1.0), metavar=("LO", "HI"),
                    help="augmentation: scale range (> 1 enlarges)")
    ap.add_argument("--rotate", type=number(low=0), default=0.0, help="augmentation: max rotation in degrees")
    ap.add_argument("--bn-per-domain", type=int, choices=[0, 1], default=0,
                    help="DANN: batch norm over the source and the target batch separately (1) or jointly (0)")
    ap.add_argument("--target-entropy", type=number(low=0), default=0.0,
                    help="DANN: weight of the entropy of target predictions (0: plain DANN)")
    ap.add_argument("--seed", type=number(int, low=0), default=0)
    ap.add_argument("--device", default="auto")
    args = ap.parse_args(argv)
    if args.setting != "target_only" and not args.source:
        ap.error("--source is required for source_only and dann")
    if args.zoom[0] > args.zoom[1]:
        ap.error(f"argument --zoom: LO ({args.zoom[0]}) is above HI ({args.zoom[1]})")
    check_outputs(args.model, args.metrics)
    seed_everything(args.seed)
    device = pick_device(args.device)
    cfg = {k: getattr(args, k) for k in ("epochs", "batch_size", "lr", "weight_decay", "width", "hidden",
                                         "grl_gamma", "domain_weight", "input", "shift", "zoom", "rotate",
                                         "bn_per_domain", "target_entropy", "seed")}
    cfg["zoom"] = list(cfg["zoom"])
    cfg["bn_per_domain"] = bool(cfg["bn_per_domain"])
    model, history = train(args.setting, args.source, args.target_train, cfg, device)
    acc = accuracy(model, load_cache(args.target_val), device)
    save_model(model, args.model, {"setting": args.setting})
    atomic_write_text(args.metrics, json.dumps({"setting": args.setting, "seed": args.seed,
                                                "target_val_accuracy": round(acc, 2), "config": cfg,
                                                "history": history}, indent=1) + "\n")
    print(f"{args.setting}: target val accuracy {acc:.2f}%")


if __name__ == "__main__":
    main()
