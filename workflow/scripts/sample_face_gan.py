#!/usr/bin/env python3
"""Generate 1000 (or --count) 64x64 faces with a trained face GAN: 0000.png .. 0999.png, the output of
2021/2022 problem 1.

    sample_face_gan.py --model checkpoints/dcgan.pt --out OUT_DIR [--timing sampling_time.json]

Fixed seed: the same model and seed give identical bytes. Files are written to a hidden temporary
folder inside OUT_DIR and moved into place only when every image is done.
"""

import json
import time

from dlcv_hw2 import settings
from dlcv_hw2.core.cli import cli_main, number, script_parser
from dlcv_hw2.core.files import atomic_write_text, check_outputs, ensure_dir_writable
from dlcv_hw2.core.runtime import pick_device
from dlcv_hw2.data.images import to_uint8, write_face_folder
from dlcv_hw2.methods.face_gan import initial_noise, load_model, sample


def build_parser():
    ap = script_parser(__doc__)
    ap.add_argument("--model", required=True, help="face GAN checkpoint written by train_face_gan.py")
    ap.add_argument("--out", required=True, help="output folder (created if missing)")
    ap.add_argument("--count", type=number(int, low=1, high=9999), default=1000, help="faces to generate")
    ap.add_argument("--batch-size", type=number(int, low=1), default=250, help="faces per forward pass")
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
    z = initial_noise(args.count, ckpt.z_dim, args.seed)
    t0 = time.time()
    images = to_uint8(sample(ckpt, z, device, batch_size=args.batch_size))
    seconds = time.time() - t0
    write_face_folder(images, args.out)
    if args.timing:
        atomic_write_text(
            args.timing, json.dumps({"seconds": round(seconds, 3), "images": len(images), "device": str(device)}) + "\n"
        )
    print(f"{len(images)} {ckpt.method} faces in {seconds:.2f} s -> {args.out}")


if __name__ == "__main__":
    main()
