#!/usr/bin/env python3
"""Copy a trained model to checkpoints/ for the grading scripts.

    export_checkpoint.py ddpm --model results/ddpm/model.pt --out checkpoints/ddpm.pt --sampler ddim --steps 25 --guidance 2
    export_checkpoint.py dann --model results/dann_svhn/dann/seed0/model.pt --out checkpoints/dann_svhn.pt
"""
import shutil

import _bootstrap  # noqa: F401

from dlcv_hw2.errors import cli_main, number, script_parser
from dlcv_hw2.io import atomic_path


@cli_main
def main(argv=None):
    ap = script_parser(__doc__)
    ap.add_argument("kind", choices=["ddpm", "dann"])
    ap.add_argument("--model", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--sampler", choices=["ddim", "ddpm"], default="ddim")
    ap.add_argument("--steps", type=number(int, low=1), default=25)
    ap.add_argument("--guidance", type=number(), default=2.0)
    args = ap.parse_args(argv)
    if args.kind == "ddpm":
        from dlcv_hw2.ddpm import export_for_grading

        export_for_grading(args.model, args.out, args.sampler, args.steps, args.guidance)
    else:
        from dlcv_hw2.dann import load_model

        load_model(args.model, "cpu")  # refuse anything that is not a project classifier
        with atomic_path(args.out) as tmp:
            shutil.copyfile(args.model, tmp)
    print(f"{args.model} -> {args.out}")


if __name__ == "__main__":
    main()
