#!/usr/bin/env python3
"""The 2022 face metric: the share of images in which dlib's HOG detector finds exactly one face.

    face_detection.py --images results/cache/face/val.pt --out results/faces/detection_val.json
    face_detection.py --images OUT_DIR_OF_A_GAN --out detection.json
    face_detection.py --lfw --out lfw.json      # the real-face sanity set scikit-image ships

--images is a face cache (.pt) or a folder of 64x64 RGB images. The detector runs with one upsampling,
as the course's face_recognition.face_locations did. The JSON holds the rate (%), the number of images
and how many had no face, one face and more than one.
"""

import json
import time

from dlcv_hw2.core.cli import UserError, cli_main, script_parser
from dlcv_hw2.core.files import atomic_write_text, check_outputs
from dlcv_hw2.data.faces import FACE_SIZE, load_face_cache
from dlcv_hw2.data.images import read_folder
from dlcv_hw2.metrics.face_detection import detection_rate, faces_found, lfw_sanity_set


def summary(counts) -> dict:
    return {
        "rate": round(detection_rate(counts), 2),
        "images": int(len(counts)),
        "no_face": int((counts == 0).sum()),
        "one_face": int((counts == 1).sum()),
        "more_faces": int((counts > 1).sum()),
    }


@cli_main
def main(argv=None):
    ap = script_parser(__doc__)
    what = ap.add_mutually_exclusive_group(required=True)
    what.add_argument("--images", help="a face cache (.pt) or a folder of 64x64 RGB images")
    what.add_argument("--lfw", action="store_true", help="score scikit-image's 100 LFW faces and 100 non-faces")
    ap.add_argument("--out", required=True, help="output JSON")
    args = ap.parse_args(argv)
    check_outputs(args.out)
    t0 = time.time()
    if args.lfw:
        faces, non_faces = lfw_sanity_set()
        out = {"lfw_faces": summary(faces_found(faces)), "lfw_non_faces": summary(faces_found(non_faces))}
    else:
        if args.images.endswith(".pt"):
            images, _ = load_face_cache(args.images)
        elif args.images.endswith((".png", ".jpg", ".jpeg")):
            raise UserError(f"--images {args.images} is one image; give a folder of images or a face cache (.pt)")
        else:
            images = read_folder(args.images, FACE_SIZE, modes=("RGB",))
        out = summary(faces_found(images))
    out["seconds"] = round(time.time() - t0, 1)
    atomic_write_text(args.out, json.dumps(out, indent=1) + "\n")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
