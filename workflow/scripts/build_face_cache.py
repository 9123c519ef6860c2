#!/usr/bin/env python3
"""Decode one split of the face images once into a tensor cache that the face GANs read.

    build_face_cache.py --face-dir hw2_data/face --split train --out results/cache/face/train.pt
    build_face_cache.py --lfw --out results/cache/face/lfw.pt

--split train reads face/train/; --split val reads face/val/ (2022) or face/test/ (2021), the
images FID is computed against. Every image must be a 64x64 RGB file; the first that is not stops
the run with its name. The cache holds uint8 images [N, 3, 64, 64] and their names. --lfw caches
instead the real-face sanity set: the 100 LFW faces scikit-image ships, resized to 64x64.
"""

from dlcv_hw2.core.cli import UserError, cli_main, script_parser
from dlcv_hw2.core.files import check_outputs
from dlcv_hw2.data.faces import decode_faces, face_split_dir, save_face_cache
from dlcv_hw2.metrics.face_detection import lfw_sanity_set


@cli_main
def main(argv=None):
    ap = script_parser(__doc__)
    ap.add_argument("--face-dir", help="the course's hw2_data/face folder (or the demo's)")
    ap.add_argument("--split", choices=["train", "val"])
    ap.add_argument("--lfw", action="store_true", help="cache scikit-image's 100 LFW faces instead")
    ap.add_argument("--out", required=True, help="cache file (.pt) to write")
    args = ap.parse_args(argv)
    if args.lfw == bool(args.face_dir or args.split) or (not args.lfw and not (args.face_dir and args.split)):
        raise UserError("give --face-dir and --split, or --lfw alone")
    check_outputs(args.out)
    if args.lfw:
        faces, _ = lfw_sanity_set()
        save_face_cache(faces, [f"lfw_{i:03d}.png" for i in range(len(faces))], args.out)
        print(f"{len(faces)} LFW faces -> {args.out}")
        return
    folder = face_split_dir(args.face_dir, args.split)
    images, names = decode_faces(folder)
    save_face_cache(images, names, args.out)
    print(f"{folder}: {len(names)} faces -> {args.out}")


if __name__ == "__main__":
    main()
