#!/usr/bin/env python3
"""DDIM face images from the course's face UNet: one NN.png per NN.pt noise file (problem 2).

    ddim_faces.py --noise-dir hw2_data/face/noise --out OUT_DIR --unet hw2_data/face/UNet.pt

Defaults follow the course's ground truth: 50 uniform steps (1, 21, ..., 981), eta = 0, x0 clamped
to [-1, 1], all noises in batches, each image min-max normalised before it is saved. Images are
written to a hidden temporary folder in OUT_DIR and moved into place once all are done.
"""

import os
import time

import torch
from PIL import Image

from dlcv_hw2 import settings
from dlcv_hw2.core.cli import cli_main, number, script_parser
from dlcv_hw2.core.files import ensure_dir_writable, files_into
from dlcv_hw2.core.runtime import pick_device
from dlcv_hw2.methods.ddim_faces import DDIM_STEPS, T, load_face_unet, load_noises, to_png_uint8
from dlcv_hw2.methods.diffusion import Schedule, ddim_sample


@cli_main
def main(argv=None):
    ap = script_parser(__doc__)
    ap.add_argument("--noise-dir", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--unet", required=True, help="UNet.pt state dict")
    ap.add_argument(
        "--steps", type=number(int, low=1, high=T), default=DDIM_STEPS, help="DDIM steps (the assignment's: 50)"
    )
    ap.add_argument("--eta", type=number(low=0), default=0.0)
    ap.add_argument("--no-clip", action="store_true", help="do not clamp the predicted x0 to [-1, 1]")
    ap.add_argument(
        "--base-channels",
        type=number(int, low=1),
        help="UNet width (default: read from the checkpoint; 128 for the course's)",
    )
    ap.add_argument("--batch-size", type=number(int, low=1), default=10)
    settings.add_top_level(ap, "seed", "device")  # the seed draws the noise of eta > 0
    args = ap.parse_args(argv)
    names, noises = load_noises(args.noise_dir)
    ensure_dir_writable(args.out)
    device = pick_device(args.device)
    model = load_face_unet(args.unet, device, args.base_channels)
    schedule = Schedule.linear(1000)
    gen = torch.Generator().manual_seed(args.seed)
    t0 = time.time()
    outs = []
    with torch.no_grad():
        for s in range(0, len(noises), args.batch_size):
            x = noises[s : s + args.batch_size].to(device)
            outs.append(
                ddim_sample(
                    model, x, schedule, steps=args.steps, eta=args.eta, clip_x0=not args.no_clip, generator=gen
                ).cpu()
            )
    images = torch.cat(outs)
    with files_into(args.out) as tmp:
        for name, img in zip(names, images):
            Image.fromarray(to_png_uint8(img), "RGB").save(os.path.join(tmp, f"{name}.png"))
    print(
        f"{len(names)} images, {args.steps} DDIM steps, eta={args.eta}, in {time.time() - t0:.1f} s "
        f"on {device} -> {args.out}"
    )


if __name__ == "__main__":
    main()
