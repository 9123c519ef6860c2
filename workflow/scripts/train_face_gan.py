#!/usr/bin/env python3
"""Train one face GAN of 2021/2022 problem 1 (a method of FACE_GANS: dcgan, wgan_gp, sagan ...) on the 64x64 face cache
(generator with an EMA copy; the method's loss and networks, dlcv_hw2/methods/face_gan.py).

    train_face_gan.py dcgan --cache results/cache/face/train.pt --model results/face_gan/dcgan/model.pt \
        --state results/face_gan_state/dcgan/state.pt --loss-csv results/face_gan/dcgan/loss.csv [--epochs 10 ...]

A checkpoint (--state) is written after every epoch; started again after a crash, the run continues
after the last completed epoch. The final file (--model) holds the EMA generator and its settings.
After every epoch, curve_faces faces of the EMA generator are scored by the face detector (the
detection_rate column of the loss CSV).
The settings (the config section named after the method) come from --settings and single options;
what neither gives takes its default from dlcv_hw2/config.schema.yaml.
"""

import sys

from dlcv_hw2 import settings
from dlcv_hw2.core.cli import cli_main, script_parser
from dlcv_hw2.core.files import check_outputs
from dlcv_hw2.core.runtime import pick_device, write_run_info
from dlcv_hw2.methods.face_gan import FACE_GANS, train
from dlcv_hw2.metrics.face_detection import detection_curve


def build_parser(method: str = None):
    ap = script_parser(__doc__)
    ap.add_argument("method", choices=list(FACE_GANS), help="the GAN to train (its settings section has the same name)")
    ap.add_argument("--cache", required=True, help="face cache of the training faces (build_face_cache.py)")
    ap.add_argument("--model", required=True, help="output: EMA generator file")
    ap.add_argument("--state", required=True, help="per-epoch training state (kept for resuming)")
    ap.add_argument("--loss-csv", required=True, help="output: losses per epoch")
    ap.add_argument("--run-info", help="output: JSON of where the training ran (device, torch threads)")
    if method in FACE_GANS:  # the options of the method's settings (each method has its own)
        settings.add_arguments(ap, method)
    settings.add_top_level(ap, "seed", "device")
    return ap


@cli_main
def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    method = next((a for a in argv if a in FACE_GANS), None)  # the positional, read before the options
    args = build_parser(method).parse_args(argv)
    cfg = settings.from_args(args, args.method)
    check_outputs(args.model, args.state, args.loss_csv, args.run_info)
    device = pick_device(args.device)
    curve = detection_curve(cfg.curve_faces, cfg.z_dim, args.seed, device) if cfg.curve_faces else None
    train(args.method, cfg, args.seed, args.cache, args.state, args.model, args.loss_csv, device, on_epoch=curve)
    if args.run_info:
        write_run_info(args.run_info, device)


if __name__ == "__main__":
    main()
