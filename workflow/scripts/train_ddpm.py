#!/usr/bin/env python3
"""Train the class-conditional digit DDPM (Algorithm 1, classifier-free label dropout, EMA).

    train_ddpm.py --cache results/cache/mnistm/train.pt --model results/ddpm/model.pt \
        --state results/ddpm_state/state.pt --loss-csv results/ddpm/loss.csv [--epochs 30 ...]

A checkpoint (--state) is written after every epoch; started again after a crash, the run continues
after the last completed epoch. The final file (--model) holds the EMA weights and the model config.
"""

import _bootstrap  # noqa: F401

from dlcv_hw2.ddpm import train
from dlcv_hw2.errors import UserError, cli_main, number, script_parser
from dlcv_hw2.io import check_outputs, pick_device


def parse(argv=None):
    ap = script_parser(__doc__)
    ap.add_argument("--cache", required=True, help="tensor cache of the training split")
    ap.add_argument("--model", required=True, help="output: EMA model file")
    ap.add_argument("--state", required=True, help="per-epoch training state (kept for resuming)")
    ap.add_argument("--loss-csv", required=True, help="output: loss per epoch")
    ap.add_argument("--epochs", type=number(int, low=1), default=30)
    ap.add_argument("--batch-size", type=number(int, low=1), default=128)
    ap.add_argument("--lr", type=number(low=0, low_open=True), default=2e-3)
    ap.add_argument("--weight-decay", type=number(low=0), default=0.0)
    ap.add_argument("--warmup-steps", type=number(int, low=0), default=100)
    ap.add_argument("--label-dropout", type=number(low=0, high=1, high_open=True), default=0.1)
    ap.add_argument("--ema-decay", type=number(low=0, high=1, high_open=True), default=0.995)
    ap.add_argument("--T", type=number(int, low=2), default=1000, help="diffusion steps")
    ap.add_argument("--beta-start", type=number(low=0, high=1, low_open=True, high_open=True), default=1e-4)
    ap.add_argument("--beta-end", type=number(low=0, high=1, low_open=True, high_open=True), default=0.02)
    ap.add_argument("--base-channels", type=number(int, low=1), default=32)
    ap.add_argument("--channel-mults", type=number(int, low=1), nargs="+", default=[1, 2])
    ap.add_argument("--num-res-blocks", type=number(int, low=1), default=1)
    ap.add_argument("--attention", type=int, choices=[0, 1], default=1)
    ap.add_argument("--dropout", type=number(low=0, high=1, high_open=True), default=0.0)
    ap.add_argument("--patch", type=int, choices=[1, 2, 4], default=2)
    ap.add_argument("--scale-shift", type=int, choices=[0, 1], default=0,
                    help="1: timestep and label scale and shift the group norm (adaptive group norm)")
    ap.add_argument("--prediction", choices=["eps", "x0"], default="eps", help="what the network predicts")
    ap.add_argument("--seed", type=number(int, low=0), default=2023)
    ap.add_argument("--device", default="auto")
    return ap.parse_args(argv)


@cli_main
def main(argv=None):
    args = parse(argv)
    if args.beta_start >= args.beta_end:
        raise UserError(f"--beta-start ({args.beta_start}) must be below --beta-end ({args.beta_end})")
    check_outputs(args.model, args.state, args.loss_csv)
    cfg = {k: getattr(args, k) for k in ("epochs", "batch_size", "lr", "weight_decay", "warmup_steps",
                                         "label_dropout", "ema_decay", "T", "beta_start", "beta_end",
                                         "base_channels", "num_res_blocks", "dropout", "patch", "seed", "prediction")}
    cfg["channel_mults"] = list(args.channel_mults)
    cfg["attention"] = bool(args.attention)
    cfg["scale_shift"] = bool(args.scale_shift)
    train(cfg, args.cache, args.state, args.model, args.loss_csv, pick_device(args.device))


if __name__ == "__main__":
    main()
