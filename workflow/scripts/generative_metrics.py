#!/usr/bin/env python3
"""FID, Inception Score and KID of a set of generated images against a reference set (torch-fidelity).

    generative_metrics.py --samples results/acgan/samples --reference results/cache/mnistm/val.pt \
        --eval-classifier results/eval_classifier/model.pt [--inception-weights FILE] --out metrics.json
    generative_metrics.py --samples results/face_gan/sagan/samples --reference results/cache/face/val.pt \
        --size 64 --face-embeddings --whole-reference --out metrics.json

Samples and reference are each a folder of images or a tensor cache (.pt, of digits or of faces); the
reference's first --reference-size images are used, or all of them with --whole-reference (the courses
computed the face FID against every val/test face). With --eval-classifier the digit metrics
(fid_digit, is_digit, kid_digit: the evaluation classifier's penultimate features and logits) are
computed; with --face-embeddings the face ones (fid_face, kid_face: dlib's 128-d face descriptors; the
reference's read from --reference-embeddings when given, see face_embeddings.py); with
--inception-weights (a local file, README "Generative metrics") the Inception ones (fid_inception,
is_inception, kid_inception); beside each FID the precision and recall in the same features
(precision_digit, recall_digit, ...; torch-fidelity's prc, k = 3); with --per-class (digits, with
--eval-classifier) the recall of each digit against that digit's reference images (recall_digit_0 ..
recall_digit_9; the samples' digits from their names D_NNN.png, or a cache's labels); with
--imagenet-inception-weights (torchvision's ImageNet Inception v3
file) 2021's Inception Score (is_imagenet). Without weights these read "not computed (...)": nothing is
downloaded or estimated, unless a weights option is "download" (then the library fetches its file).
"""

import json
import os
import time

import torch

from dlcv_hw2 import settings
from dlcv_hw2.core.cli import UserError, cli_main, number, script_parser
from dlcv_hw2.core.files import atomic_write_text, check_outputs, load_torch
from dlcv_hw2.core.runtime import pick_device
from dlcv_hw2.data.digits import load_cache
from dlcv_hw2.data.faces import load_face_cache
from dlcv_hw2.data.images import read_folder
from dlcv_hw2.metrics.digits import labelled_folder
from dlcv_hw2.metrics.generative import (
    digit_metrics,
    face_metrics,
    imagenet_inception_score,
    inception_metrics,
    load_face_embeddings,
    per_class_recall,
)


def build_parser():
    ap = script_parser(__doc__)
    ap.add_argument("--samples", required=True, help="folder (or tensor cache .pt) of generated images")
    ap.add_argument("--max-samples", type=number(int, low=2), help="only the first N samples (default: all)")
    ap.add_argument("--reference", required=True, help="tensor cache (.pt) or folder of reference images")
    ap.add_argument("--whole-reference", action="store_true", help="every reference image, not reference_size")
    ap.add_argument("--eval-classifier", help="the evaluation classifier (digits): adds the *_digit metrics")
    ap.add_argument(
        "--per-class", action="store_true", help="digits: adds the recall of each digit (needs --eval-classifier)"
    )
    ap.add_argument("--face-embeddings", action="store_true", help="faces: adds the *_face metrics (dlib embeddings)")
    ap.add_argument(
        "--reference-embeddings",
        help="the reference's face embeddings (face_embeddings.py), "
        "with --face-embeddings --whole-reference and a face cache as --reference",
    )
    ap.add_argument("--size", type=number(int, low=8), default=28, help="image side in pixels (every image)")
    ap.add_argument("--batch-size", type=number(int, low=1), default=100, help="images per forward pass")
    ap.add_argument("--out", required=True, help="output JSON")
    settings.add_arguments(ap, "generative_metrics")
    settings.add_top_level(ap, "inception_weights", "imagenet_inception_weights", "device")
    return ap


def images_of(option: str, path: str, size: int):
    """A folder of images (each size x size) or a digit or face tensor cache, as uint8 [N, 3, H, W]."""
    if os.path.isdir(path):
        return read_folder(path, size)
    if not os.path.exists(path):
        raise UserError(f"{option} {path} does not exist")
    if not path.endswith(".pt"):
        raise UserError(f"{option} {path} is neither a folder nor a tensor cache (.pt)")
    obj = load_torch(path, what="tensor cache")
    if isinstance(obj, dict) and obj.get("kind") == "dlcv_hw2.faces":
        return load_face_cache(path)[0]
    return load_cache(path).images


def digit_labels_of(option: str, path: str):
    """The digits of a generated-digit folder (from the names) or of a digit tensor cache."""
    if os.path.isdir(path):
        return torch.tensor([digit for _, digit in labelled_folder(path)])
    obj = load_torch(path, what="tensor cache")
    if isinstance(obj, dict) and obj.get("kind") == "dlcv_hw2.faces":
        raise UserError(f"{option} {path} holds faces: --per-class is for digits")
    return load_cache(path).labels


def reference_images(path: str, size: int, n):
    images = images_of("--reference", path, size)
    if n is not None and len(images) < n:
        print(f"note: the reference holds {len(images)} images, fewer than reference_size {n}")
    return images[:n]


def check_options(args) -> None:
    """Refuse, in one line, options that do not go together or ask for nothing."""
    if args.reference_embeddings and not args.face_embeddings:
        raise UserError("--reference-embeddings go with --face-embeddings")
    if args.reference_embeddings and not args.whole_reference:
        raise UserError("--reference-embeddings are those of the whole reference: add --whole-reference")
    if args.per_class and not args.eval_classifier:
        raise UserError("--per-class needs --eval-classifier (the features of the digits' recall)")
    if not (args.eval_classifier or args.face_embeddings or args.inception_weights or args.imagenet_inception_weights):
        raise UserError(
            "nothing to compute: give --eval-classifier, --face-embeddings, --inception-weights "
            "and/or --imagenet-inception-weights"
        )


@cli_main
def main(argv=None):
    args = build_parser().parse_args(argv)
    cfg = settings.from_args(args, "generative_metrics")
    check_outputs(args.out)
    check_options(args)
    device = pick_device(args.device)
    t0 = time.time()
    samples = images_of("--samples", args.samples, args.size)[: args.max_samples]
    ref = reference_images(args.reference, args.size, None if args.whole_reference else cfg.reference_size)
    if ref.shape[-2:] != samples.shape[-2:]:
        raise UserError(
            f"reference images are {ref.shape[-1]}x{ref.shape[-2]}, the samples {samples.shape[-1]}x{samples.shape[-2]}"
        )
    if args.per_class:  # read (and checked) before any work
        gen_labels = digit_labels_of("--samples", args.samples)[: len(samples)]
        ref_labels = digit_labels_of("--reference", args.reference)[: len(ref)]
    ref_emb = (
        load_face_embeddings(args.reference_embeddings, args.reference, len(ref)) if args.reference_embeddings else None
    )  # checked before any work
    out = {"samples": len(samples), "reference": len(ref)}
    out.update(inception_metrics(samples, ref, args.inception_weights, device, args.batch_size))
    out.update(imagenet_inception_score(samples, args.imagenet_inception_weights, device, args.batch_size))
    if args.eval_classifier:
        out.update(digit_metrics(samples, ref, args.eval_classifier, device, args.batch_size))
    if args.per_class:
        out.update(per_class_recall(samples, gen_labels, ref, ref_labels, args.eval_classifier, device))
    if args.face_embeddings:
        out.update(face_metrics(samples, ref, ref_emb, log=print))
    atomic_write_text(args.out, json.dumps(out, indent=1) + "\n")
    for key, value in out.items():
        print(f"{key}: {value}")
    print(f"{time.time() - t0:.1f} s -> {args.out}")


if __name__ == "__main__":
    main()
