#!/usr/bin/env python3
"""Generate 100 (or --per-digit) images of each digit 0-9 with the trained ACGAN: 0_001.png .. 9_100.png
(28x28 RGB), the output of 2021 problem 2 (past_years/2021/hw2_p2.sh).

    sample_acgan.py --model checkpoints/acgan.pt --out OUT_DIR [--timing sampling_time.json]

Fixed seed: the same model and seed give identical bytes; the j-th image of every digit shares its
noise. Files are written to a hidden temporary folder inside OUT_DIR and moved into place only when
every image is done.
"""

import json
import time

from dlcv_hw2 import settings
from dlcv_hw2.core.cli import cli_main, number, script_parser
from dlcv_hw2.core.files import atomic_write_text, check_outputs, ensure_dir_writable
from dlcv_hw2.core.runtime import pick_device
from dlcv_hw2.data.images import to_uint8, write_digit_folder
from dlcv_hw2.methods.acgan import initial_noise, load_model, sample


def build_parser():
    ap = script_parser(__doc__)
    ap.add_argument("--model", required=True, help="ACGAN checkpoint written by train_acgan.py")
    ap.add_argument("--out", required=True, help="output folder (created if missing)")
    ap.add_argument(
        "--per-digit",
        type=number(int, low=1, high=999),
        default=100,
        help="images per digit (names are D_NNN.png; 100 for grading)",
    )
    ap.add_argument("--batch-size", type=number(int, low=1), default=500, help="images per forward pass")
    ap.add_argument("--timing", help="optional JSON file: seconds spent sampling")
    settings.add_top_level(ap, "seed", "device")
    return ap


@cli_main
def main(argv=None):
    args = build_parser().parse_args(argv)
    check_outputs(args.timing)
    device = pick_device(args.device)
    ckpt = load_model(args.model, device)
    ensure_dir_writable(args.out)
    labels, z = initial_noise(args.per_digit, ckpt.z_dim, args.seed)
    t0 = time.time()
    images = to_uint8(sample(ckpt, labels, z, device, batch_size=args.batch_size))
    seconds = time.time() - t0
    write_digit_folder(images, args.per_digit, args.out)
    if args.timing:
        atomic_write_text(
            args.timing, json.dumps({"seconds": round(seconds, 3), "images": len(images), "device": str(device)}) + "\n"
        )
    print(f"{len(images)} images in {seconds:.2f} s -> {args.out}")


if __name__ == "__main__":
    main()
