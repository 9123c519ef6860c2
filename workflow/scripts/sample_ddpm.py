#!/usr/bin/env python3
"""Generate 100 (or --per-digit) images of each digit 0-9 with the trained DDPM: 0_001.png .. 9_100.png.

    sample_ddpm.py --model results/ddpm/model.pt --out OUT_DIR [--sampler ddim --steps 50 --guidance 2]

Fixed seed: the same model, seed and settings give identical bytes. Files are written to a hidden
temporary folder inside OUT_DIR and moved into place only when every image is done. The official
classifier reads every file of the folder, so other files in OUT_DIR are reported.
"""
import json
import os
import sys
import time

import _bootstrap  # noqa: F401
import torch
from PIL import Image

from dlcv_hw2.ddpm import initial_noise, load_model, sample, to_uint8
from dlcv_hw2.errors import UserError, cli_main, number, script_parser
from dlcv_hw2.io import atomic_write_text, check_outputs, ensure_dir_writable, files_into, pick_device


def image_name(digit: int, j: int) -> str:
    return f"{digit}_{j + 1:03d}.png"


@cli_main
def main(argv=None):
    ap = script_parser(__doc__)
    ap.add_argument("--model", required=True, help="DDPM checkpoint written by train_ddpm.py")
    ap.add_argument("--out", required=True, help="output folder (created if missing)")
    ap.add_argument("--per-digit", type=number(int, low=1), default=100)
    ap.add_argument("--sampler", choices=["ddpm", "ddim"], help="default: the checkpoint's setting, else ddim")
    ap.add_argument("--steps", type=number(int, low=1), help="DDIM steps (ignored by ddpm, which uses all T); default: the checkpoint's, else 50")
    ap.add_argument("--guidance", type=number(), help="classifier-free guidance weight w; default: the checkpoint's, else 2")
    ap.add_argument("--seed", type=number(int, low=0), default=2023)
    ap.add_argument("--batch-size", type=number(int, low=1), default=500)
    ap.add_argument("--device", default="auto")
    ap.add_argument("--timing", help="optional JSON file: seconds spent sampling and the settings")
    args = ap.parse_args(argv)
    if not 1 <= args.per_digit <= 999:
        raise UserError("--per-digit must be between 1 and 999 (names are D_NNN.png)")
    check_outputs(args.timing)
    device = pick_device(args.device)
    model, schedule, defaults = load_model(args.model, device, with_sampling=True)
    args.sampler = args.sampler or defaults.get("sampler", "ddim")
    args.steps = args.steps if args.steps is not None else defaults.get("steps", 50)
    args.guidance = args.guidance if args.guidance is not None else defaults.get("guidance", 2.0)
    if args.sampler == "ddim" and not 1 <= args.steps <= schedule.T:
        raise UserError(f"--steps must be between 1 and T={schedule.T}")
    ensure_dir_writable(args.out)
    ours = {image_name(d, j) for d in range(10) for j in range(args.per_digit)}
    others = sorted(n for n in os.listdir(args.out) if n not in ours and not n.startswith(".tmp-"))
    if others:
        print(f"warning: {args.out} also holds {len(others)} other file(s) (e.g. {others[0]}); "
              "the digit classifier reads every file of the folder", file=sys.stderr)

    labels, x_T, gen = initial_noise(args.per_digit, args.seed)
    t0 = time.time()
    images = to_uint8(sample(model, schedule, labels, x_T, args.sampler, args.steps, args.guidance, gen, device,
                             args.batch_size))
    seconds = time.time() - t0
    with files_into(args.out) as tmp:
        for k, img in enumerate(images):
            d, j = divmod(k, args.per_digit)
            Image.fromarray(img.permute(1, 2, 0).numpy(), "RGB").save(os.path.join(tmp, image_name(d, j)))
    if args.timing:
        atomic_write_text(args.timing, json.dumps({"seconds": round(seconds, 3), "sampler": args.sampler,
                                                   "steps": args.steps if args.sampler == "ddim" else schedule.T,
                                                   "guidance": args.guidance, "images": len(images),
                                                   "device": str(device),
                                                   "peak_gpu_gib": round(torch.cuda.max_memory_allocated(device) / 2**30, 2)
                                                   if device.type == "cuda" else None}) + "\n")
    print(f"{len(images)} images ({args.sampler}, {args.steps if args.sampler == 'ddim' else schedule.T} steps, "
          f"w={args.guidance}) in {seconds:.1f} s -> {args.out}")


if __name__ == "__main__":
    main()
