#!/usr/bin/env python3
"""FID, Inception Score and KID of a folder of generated images against a reference set (torch-fidelity).

    generative_metrics.py --samples results/acgan/samples --reference results/cache/mnistm/val.pt \
        --eval-classifier results/eval_classifier/model.pt [--inception-weights FILE] --out metrics.json

The reference is a tensor cache (its first --reference-size images) or a folder of images. With
--eval-classifier the digit metrics (fid_digit, is_digit, kid_digit: the evaluation classifier's
penultimate features and logits) are computed; with --inception-weights (a local file, README
"Generative metrics") the Inception ones (fid_inception, is_inception, kid_inception). Without weights
the Inception metrics read "not computed (no Inception weights)": nothing is downloaded or estimated.
"""
import json
import os
import time

from dlcv_hw2 import settings
from dlcv_hw2.cli import UserError, cli_main, number, script_parser
from dlcv_hw2.data import load_cache
from dlcv_hw2.files import atomic_write_text, check_outputs
from dlcv_hw2.gen_metrics import digit_metrics, inception_metrics, read_folder
from dlcv_hw2.runtime import pick_device


def build_parser():
    ap = script_parser(__doc__)
    ap.add_argument("--samples", required=True, help="folder of generated images")
    ap.add_argument("--reference", required=True, help="tensor cache (.pt) or folder of reference images")
    ap.add_argument("--eval-classifier", help="the evaluation classifier (digits): adds the *_digit metrics")
    ap.add_argument("--size", type=number(int, low=8), default=28, help="image side in pixels (every image)")
    ap.add_argument("--batch-size", type=number(int, low=1), default=100, help="images per forward pass")
    ap.add_argument("--out", required=True, help="output JSON")
    settings.add_arguments(ap, "generative_metrics")
    settings.add_top_level(ap, "inception_weights", "device")
    return ap


def reference_images(path: str, size: int, n: int):
    if os.path.isdir(path):
        images = read_folder(path, size)
    elif path.endswith(".pt"):
        images = load_cache(path).images
    else:
        raise UserError(f"--reference {path} is neither a folder nor a tensor cache (.pt)")
    if len(images) < n:
        print(f"note: the reference holds {len(images)} images, fewer than reference_size {n}")
    return images[:n]


@cli_main
def main(argv=None):
    args = build_parser().parse_args(argv)
    cfg = settings.from_args(args, "generative_metrics")
    check_outputs(args.out)
    if not args.eval_classifier and not args.inception_weights:
        raise UserError("nothing to compute: give --eval-classifier and/or --inception-weights")
    device = pick_device(args.device)
    t0 = time.time()
    samples = read_folder(args.samples, args.size)
    ref = reference_images(args.reference, args.size, cfg.reference_size)
    if ref.shape[-2:] != samples.shape[-2:]:
        raise UserError(f"reference images are {ref.shape[-1]}x{ref.shape[-2]}, the samples {args.size}x{args.size}")
    out = {"samples": len(samples), "reference": len(ref)}
    out.update(inception_metrics(samples, ref, args.inception_weights, device, args.batch_size))
    if args.eval_classifier:
        out.update(digit_metrics(samples, ref, args.eval_classifier, device, args.batch_size))
    atomic_write_text(args.out, json.dumps(out, indent=1) + "\n")
    for key, value in out.items():
        print(f"{key}: {value}")
    print(f"{time.time() - t0:.1f} s -> {args.out}")


if __name__ == "__main__":
    main()
