#!/usr/bin/env python3
"""Generate 100 (or --per-digit) images of each digit 0-9 with the trained DDPM: 0_001.png .. 9_100.png.

    sample_ddpm.py --model checkpoints/ddpm.pt --out OUT_DIR [--sampler ddim --steps 50 --guidance 2]

The sampler, steps and guidance are the checkpoint's (export_checkpoint.py stores them) unless given;
a checkpoint without them uses the ddpm_sampling defaults of dlcv_hw2/config.schema.yaml.

Fixed seed: the same model, seed and settings give identical bytes. Files are written to a hidden
temporary folder inside OUT_DIR and moved into place only when every image is done. The official
classifier reads every file of the folder, so other files in OUT_DIR are reported.
"""

import json
import time

import torch

from dlcv_hw2 import settings
from dlcv_hw2.core.cli import UserError, cli_main, number, script_parser
from dlcv_hw2.core.files import atomic_write_text, check_outputs, ensure_dir_writable
from dlcv_hw2.core.runtime import pick_device
from dlcv_hw2.data.images import to_uint8, write_digit_folder
from dlcv_hw2.methods.ddpm import initial_noise, load_model, sample


def peak_gpu_gib(device):
    return round(torch.cuda.max_memory_allocated(device) / 2**30, 2) if device.type == "cuda" else None


def build_parser():
    ap = script_parser(__doc__)
    ap.add_argument("--model", required=True, help="DDPM checkpoint written by train_ddpm.py or export_checkpoint.py")
    ap.add_argument("--out", required=True, help="output folder (created if missing)")
    ap.add_argument(
        "--per-digit",
        type=number(int, low=1, high=999),
        default=100,
        help="images per digit (names are D_NNN.png; 100 for grading)",
    )
    ap.add_argument("--batch-size", type=number(int, low=1), default=500, help="images per forward pass")
    ap.add_argument("--timing", help="optional JSON file: seconds spent sampling and the settings")
    settings.add_arguments(ap, "ddpm_sampling")
    settings.add_top_level(ap, "seed", "device")
    return ap


@cli_main
def main(argv=None):
    args = build_parser().parse_args(argv)
    check_outputs(args.timing)
    device = pick_device(args.device)
    ckpt = load_model(args.model, device)
    model, schedule = ckpt.eps, ckpt.schedule
    # the checkpoint's grading settings, then whatever the command line gives (not validated again)
    sampling = settings.from_checkpoint("ddpm_sampling", ckpt.sampling, args)
    args.sampler, args.steps, args.guidance = sampling.sampler, sampling.steps, sampling.guidance
    if args.sampler == "ddim" and not 1 <= args.steps <= schedule.T:
        raise UserError(f"--steps must be between 1 and T={schedule.T}")
    ensure_dir_writable(args.out)  # before the sampling, not after it
    labels, x_T, gen = initial_noise(args.per_digit, args.seed)
    t0 = time.time()
    images = to_uint8(
        sample(
            model,
            schedule,
            labels,
            x_T,
            sampler=args.sampler,
            steps=args.steps,
            guidance=args.guidance,
            generator=gen,
            device=device,
            batch_size=args.batch_size,
        )
    )
    seconds = time.time() - t0
    write_digit_folder(images, args.per_digit, args.out)
    if args.timing:
        atomic_write_text(
            args.timing,
            json.dumps(
                {
                    "seconds": round(seconds, 3),
                    "sampler": args.sampler,
                    "steps": args.steps if args.sampler == "ddim" else schedule.T,
                    "guidance": args.guidance,
                    "images": len(images),
                    "device": str(device),
                    "peak_gpu_gib": peak_gpu_gib(device),
                }
            )
            + "\n",
        )
    print(
        f"{len(images)} images ({args.sampler}, {args.steps if args.sampler == 'ddim' else schedule.T} steps, "
        f"w={args.guidance}) in {seconds:.1f} s -> {args.out}"
    )


if __name__ == "__main__":
    main()
