#!/usr/bin/env python3
"""Decode one split of a hw2 digit domain once into a tensor cache that training reads.

    build_cache.py --domain-dir hw2_data/digits/mnistm --split train --out results/cache/mnistm/train.pt

Either course layout: 2022/2023 (data/, train/val/test.csv) or 2021 (train/, test/, train.csv,
test.csv), where --split val is the share --val-holdout of train.csv drawn with --seed and --split
train the rest (never test). The cache holds uint8 images [N, 3, 28, 28] (grayscale expanded to 3
channels), int64 labels, the image names and the split's name. Every file is validated; the first
bad one stops the run with its name.
"""

from dlcv_hw2 import settings
from dlcv_hw2.core.cli import cli_main, script_parser
from dlcv_hw2.data.digits import decode_split, save_cache


@cli_main
def main(argv=None):
    ap = script_parser(__doc__)
    ap.add_argument("--domain-dir", required=True, help="a domain folder of either course layout")
    ap.add_argument("--split", required=True, choices=["train", "val", "test"])
    ap.add_argument("--out", required=True, help="cache file (.pt) to write")
    settings.add_top_level(ap, "val_holdout", "seed")
    args = ap.parse_args(argv)
    split = decode_split(args.domain_dir, args.split, args.val_holdout, args.seed)
    save_cache(split, args.out)
    counts = split.labels.bincount(minlength=10).tolist()
    print(f"{args.domain_dir} {args.split}: {len(split)} images, per digit {counts} -> {args.out}")


if __name__ == "__main__":
    main()
