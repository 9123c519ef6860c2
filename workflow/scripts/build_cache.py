#!/usr/bin/env python3
"""Decode one split of a hw2 digit domain once into a tensor cache that training reads.

    build_cache.py --domain-dir hw2_data/digits/mnistm --split train --out results/cache/mnistm/train.pt

The cache holds uint8 images [N, 3, 28, 28] (grayscale expanded to 3 channels), int64 labels and
the image names. Every file is validated; the first bad one stops the run with its name.
"""


from dlcv_hw2.cli import cli_main, script_parser
from dlcv_hw2.data import decode_split, save_cache


@cli_main
def main(argv=None):
    ap = script_parser(__doc__)
    ap.add_argument("--domain-dir", required=True, help="folder with data/ and <split>.csv")
    ap.add_argument("--split", required=True, help="train, val or test")
    ap.add_argument("--out", required=True, help="cache file (.pt) to write")
    args = ap.parse_args(argv)
    split = decode_split(args.domain_dir, args.split)
    save_cache(split, args.out)
    counts = split.labels.bincount(minlength=10).tolist()
    print(f"{args.domain_dir} {args.split}: {len(split)} images, per digit {counts} -> {args.out}")


if __name__ == "__main__":
    main()
