#!/usr/bin/env python3
"""Train the ACGAN of 2021 problem 2 on MNIST-M train (generator with an EMA copy, discriminator with
a real/fake and an auxiliary class head).

    train_acgan.py --cache results/cache/mnistm/train.pt --model results/acgan/model.pt \
        --state results/acgan_state/state.pt --loss-csv results/acgan/loss.csv [--settings JSON] [--epochs 30 ...]

A checkpoint (--state) is written after every epoch; started again after a crash, the run continues
after the last completed epoch. The final file (--model) holds the EMA generator and its settings.
The settings (the acgan section of the config) come from --settings and single options; what neither
gives takes its default from dlcv_hw2/config.schema.yaml.
"""

from dlcv_hw2 import settings
from dlcv_hw2.core.cli import cli_main, script_parser
from dlcv_hw2.core.files import check_outputs
from dlcv_hw2.core.runtime import pick_device, write_run_info
from dlcv_hw2.methods.acgan import train


def build_parser():
    ap = script_parser(__doc__)
    ap.add_argument("--cache", required=True, help="tensor cache of the training split")
    ap.add_argument("--model", required=True, help="output: EMA generator file")
    ap.add_argument("--state", required=True, help="per-epoch training state (kept for resuming)")
    ap.add_argument("--loss-csv", required=True, help="output: losses per epoch")
    ap.add_argument("--run-info", help="output: JSON of where the training ran (device, torch threads)")
    settings.add_arguments(ap, "acgan")
    settings.add_top_level(ap, "seed", "device")
    return ap


@cli_main
def main(argv=None):
    args = build_parser().parse_args(argv)
    cfg = settings.from_args(args, "acgan")
    check_outputs(args.model, args.state, args.loss_csv, args.run_info)
    device = pick_device(args.device)
    train(cfg, args.seed, args.cache, args.state, args.model, args.loss_csv, device)
    if args.run_info:
        write_run_info(args.run_info, device)


if __name__ == "__main__":
    main()
