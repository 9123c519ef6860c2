#!/usr/bin/env python3
"""Decode one split of the face images once into a tensor cache that the face GANs read.

    build_face_cache.py --face-dir hw2_data/face --split train --out results/cache/face/train.pt

--split train reads face/train/; --split val reads face/val/ (2022) or face/test/ (2021), the
images FID is computed against. Every image must be a 64x64 RGB file; the first that is not stops
the run with its name. The cache holds uint8 images [N, 3, 64, 64] and their names.
"""

from dlcv_hw2.cli import cli_main, script_parser
from dlcv_hw2.face_data import decode_faces, face_split_dir, save_face_cache
from dlcv_hw2.files import check_outputs


@cli_main
def main(argv=None):
    ap = script_parser(__doc__)
    ap.add_argument("--face-dir", required=True, help="the course's hw2_data/face folder (or the demo's)")
    ap.add_argument("--split", required=True, choices=["train", "val"])
    ap.add_argument("--out", required=True, help="cache file (.pt) to write")
    args = ap.parse_args(argv)
    check_outputs(args.out)
    folder = face_split_dir(args.face_dir, args.split)
    images, names = decode_faces(folder)
    save_face_cache(images, names, args.out)
    print(f"{folder}: {len(names)} faces -> {args.out}")


if __name__ == "__main__":
    main()
