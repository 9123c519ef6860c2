#!/usr/bin/env python3
"""Copy a trained model to checkpoints/ for the grading scripts.

    export_checkpoint.py ddpm --model results/ddpm/model.pt --out checkpoints/ddpm.pt [--settings JSON] [--steps 25 ...]
    export_checkpoint.py dann --model results/dann_svhn/dann/seed0/model.pt --out checkpoints/dann_svhn.pt
    export_checkpoint.py dann --model results/dann_usps_to_svhn/dsn/seed0/model.pt --out checkpoints/dsn_usps_to_svhn.pt
    export_checkpoint.py acgan --model results/acgan/model.pt --out checkpoints/acgan.pt
    export_checkpoint.py face_gan --model results/face_gan/sagan/model.pt --out checkpoints/face_gan.pt

``dann`` takes a DANN or a DSN model (both classify digits the same way). A DDPM checkpoint carries
the sampling settings hw2_1.sh uses (sampler, steps, guidance of the ddpm_sampling section; defaults
from dlcv_hw2/config.schema.yaml).
"""

import shutil

from dlcv_hw2 import settings
from dlcv_hw2.core.cli import cli_main, script_parser
from dlcv_hw2.core.files import atomic_path


def build_parser():
    ap = script_parser(__doc__)
    ap.add_argument("kind", choices=["ddpm", "dann", "acgan", "face_gan"])
    ap.add_argument("--model", required=True)
    ap.add_argument("--out", required=True)
    settings.add_arguments(ap, "ddpm_sampling")
    return ap


@cli_main
def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.kind == "ddpm":
        from dlcv_hw2.methods.ddpm import export_for_grading

        export_for_grading(args.model, args.out, settings.from_args(args, "ddpm_sampling"))
    else:
        if args.kind == "dann":
            from dlcv_hw2.methods.uda import load_model
        elif args.kind == "acgan":
            from dlcv_hw2.methods.acgan import load_model
        else:
            from dlcv_hw2.methods.face_gan import load_model

        load_model(args.model, "cpu")  # refuse anything that is not a checkpoint of this kind
        with atomic_path(args.out) as tmp:
            shutil.copyfile(args.model, tmp)
    print(f"{args.model} -> {args.out}")


if __name__ == "__main__":
    main()
