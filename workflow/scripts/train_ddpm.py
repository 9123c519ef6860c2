#!/usr/bin/env python3
"""Train the class-conditional digit DDPM (Algorithm 1, classifier-free label dropout, EMA).

    train_ddpm.py --cache results/cache/mnistm/train.pt --model results/ddpm/model.pt \
        --state results/ddpm_state/state.pt --loss-csv results/ddpm/loss.csv [--epochs 30 ...]

A checkpoint (--state) is written after every epoch; started again after a crash, the run continues
after the last completed epoch. The final file (--model) holds the EMA weights and the model config.
"""
import argparse

import _bootstrap  # noqa: F401

from dlcv_hw2.ddpm import train
from dlcv_hw2.errors import UserError, cli_main
from dlcv_hw2.io import pick_device


def parse(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", required=True, help="tensor cache of the training split")
    ap.add_argument("--model", required=True, help="output: EMA model file")
    ap.add_argument("--state", required=True, help="per-epoch training state (kept for resuming)")
    ap.add_argument("--loss-csv", required=True, help="output: loss per epoch")
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--weight-decay", type=float, default=0.0)
    ap.add_argument("--warmup-steps", type=int, default=100)
    ap.add_argument("--label-dropout", type=float, default=0.1)
    ap.add_argument("--ema-decay", type=float, default=0.995)
    ap.add_argument("--T", type=int, default=1000, help="diffusion steps")
    ap.add_argument("--beta-start", type=float, default=1e-4)
    ap.add_argument("--beta-end", type=float, default=0.02)
    ap.add_argument("--base-channels", type=int, default=32)
    ap.add_argument("--channel-mults", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--num-res-blocks", type=int, default=1)
    ap.add_argument("--attention", type=int, choices=[0, 1], default=1)
    ap.add_argument("--dropout", type=float, default=0.0)
    ap.add_argument("--patch", type=int, choices=[1, 2], default=2)
    ap.add_argument("--prediction", choices=["eps", "x0"], default="eps", help="what the network predicts")
    ap.add_argument("--seed", type=int, default=2023)
    ap.add_argument("--device", default="auto")
    return ap.parse_args(argv)


@cli_main
def main(argv=None):
    args = parse(argv)
    if args.epochs < 1 or args.batch_size < 1 or args.T < 2:
        raise UserError("--epochs and --batch-size must be at least 1 and --T at least 2")
    cfg = {k: getattr(args, k) for k in ("epochs", "batch_size", "lr", "weight_decay", "warmup_steps",
                                         "label_dropout", "ema_decay", "T", "beta_start", "beta_end",
                                         "base_channels", "num_res_blocks", "dropout", "patch", "seed", "prediction")}
    cfg["channel_mults"] = list(args.channel_mults)
    cfg["attention"] = bool(args.attention)
    train(cfg, args.cache, args.state, args.model, args.loss_csv, pick_device(args.device))


if __name__ == "__main__":
    main()
