#!/usr/bin/env python3
"""Train one face GAN of 2021/2022 problem 1 (a method of FACE_GANS: dcgan, wgan_gp, sagan ...) on the 64x64 face cache
(generator with an EMA copy; the method's loss and networks, dlcv_hw2/methods/face_gan.py).

    train_face_gan.py dcgan --cache results/cache/face/train.pt --model results/face_gan/dcgan/model.pt \
        --state results/face_gan_state/dcgan/state.pt --loss-csv results/face_gan/dcgan/loss.csv [--epochs 10 ...]

A checkpoint (--state) is written after every epoch; started again after a crash, the run continues
after the last completed epoch. The final file (--model) holds the EMA generator and its settings.
After every epoch, curve_faces faces of the EMA generator are scored by the face detector (the
detection_rate column of the loss CSV); given the val faces' embeddings (--val-embeddings, of
--val-cache), the first curve_recall_faces of them also get their precision and recall in dlib's face
embeddings every curve_recall_every epochs (the precision_face and recall_face columns).
The settings (the config section named after the method) come from --settings and single options;
what neither gives takes its default from dlcv_hw2/config.schema.yaml.
"""

import sys

from dlcv_hw2 import settings
from dlcv_hw2.core.cli import UserError, cli_main, script_parser
from dlcv_hw2.core.files import check_outputs
from dlcv_hw2.core.runtime import pick_device, write_run_info
from dlcv_hw2.data.faces import load_face_cache
from dlcv_hw2.methods.face_gan import FACE_GANS, train
from dlcv_hw2.metrics.face_detection import detection_curve
from dlcv_hw2.metrics.generative import load_face_embeddings


def build_parser(method: str = None):
    ap = script_parser(__doc__)
    ap.add_argument("method", choices=list(FACE_GANS), help="the GAN to train (its settings section has the same name)")
    ap.add_argument("--cache", required=True, help="face cache of the training faces (build_face_cache.py)")
    ap.add_argument("--model", required=True, help="output: EMA generator file")
    ap.add_argument("--state", required=True, help="per-epoch training state (kept for resuming)")
    ap.add_argument("--loss-csv", required=True, help="output: losses per epoch")
    ap.add_argument("--run-info", help="output: JSON of where the training ran (device, torch threads)")
    ap.add_argument("--val-cache", help="face cache of the val faces (with --val-embeddings: the curve's recall)")
    ap.add_argument("--val-embeddings", help="their face embeddings (face_embeddings.py), the curve's reference")
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
    if bool(args.val_cache) != bool(args.val_embeddings):
        raise UserError("--val-cache and --val-embeddings go together (the curve's recall needs both)")
    reference = None
    if args.val_embeddings and cfg.curve_recall_faces:
        _, val_labels = load_face_cache(args.val_cache)
        reference = load_face_embeddings(args.val_embeddings, args.val_cache, len(val_labels))
    device = pick_device(args.device)
    curve = None
    if cfg.curve_faces or reference is not None:
        curve = detection_curve(
            cfg.curve_faces,
            cfg.z_dim,
            args.seed,
            device,
            recall_faces=cfg.curve_recall_faces,
            recall_every=cfg.curve_recall_every,
            last_epoch=cfg.epochs,
            val_embeddings=reference,
        )
    train(args.method, cfg, args.seed, args.cache, args.state, args.model, args.loss_csv, device, on_epoch=curve)
    if args.run_info:
        write_run_info(args.run_info, device)


if __name__ == "__main__":
    main()
