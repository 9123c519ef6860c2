#!/usr/bin/env python3
"""Train the class-conditional digit DDPM (Algorithm 1, classifier-free label dropout, EMA).

    train_ddpm.py --cache results/cache/mnistm/train.pt --model results/ddpm/model.pt \
        --state results/ddpm_state/state.pt --loss-csv results/ddpm/loss.csv [--settings JSON] [--epochs 30 ...]

A checkpoint (--state) is written after every epoch; started again after a crash, the run continues
after the last completed epoch. The final file (--model) holds the EMA weights and the model's
settings. The settings (the ddpm section of the config) come from --settings and single options;
what neither gives takes its default from dlcv_hw2/config.schema.yaml.
"""

from dlcv_hw2 import settings
from dlcv_hw2.core.cli import cli_main, script_parser
from dlcv_hw2.core.files import check_outputs
from dlcv_hw2.core.runtime import pick_device, write_run_info
from dlcv_hw2.methods.ddpm import train


def build_parser():
    ap = script_parser(__doc__)
    ap.add_argument("--cache", required=True, help="tensor cache of the training split")
    ap.add_argument("--model", required=True, help="output: EMA model file")
    ap.add_argument("--state", required=True, help="per-epoch training state (kept for resuming)")
    ap.add_argument("--loss-csv", required=True, help="output: loss per epoch")
    ap.add_argument("--run-info", help="output: JSON of where the training ran (device, torch threads)")
    settings.add_arguments(ap, "ddpm")
    settings.add_top_level(ap, "seed", "device")
    return ap


@cli_main
def main(argv=None):
    args = build_parser().parse_args(argv)
    cfg = settings.from_args(args, "ddpm")
    check_outputs(args.model, args.state, args.loss_csv, args.run_info)
    device = pick_device(args.device)
    train(cfg, args.seed, args.cache, args.state, args.model, args.loss_csv, device)
    if args.run_info:
        write_run_info(args.run_info, device)


if __name__ == "__main__":
    main()
