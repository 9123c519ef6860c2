#!/usr/bin/env python3
"""dlib's 128-d face descriptors of every face of a face cache, computed once for the face FID.

    face_embeddings.py --faces results/cache/face/val.pt --out results/cache/face/val_embeddings.pt

The reference of the face FID (every val/test face) is embedded once here instead of in each metrics
job (dlib's ResNet takes about 0.09 s a face on a CPU core); generative_metrics.py reads the file with
--reference-embeddings and refuses it when it was computed from another cache.
"""

import time

from dlcv_hw2.core.cli import cli_main, script_parser
from dlcv_hw2.core.files import check_outputs
from dlcv_hw2.data.faces import load_face_cache
from dlcv_hw2.metrics.extractors import face_model_files
from dlcv_hw2.metrics.generative import face_embeddings, save_face_embeddings


@cli_main
def main(argv=None):
    ap = script_parser(__doc__)
    ap.add_argument("--faces", required=True, help="a face cache (.pt, build_face_cache.py)")
    ap.add_argument("--out", required=True, help="output file (.pt)")
    args = ap.parse_args(argv)
    check_outputs(args.out)
    images, _ = load_face_cache(args.faces)
    face_model_files()
    t0 = time.time()
    emb = face_embeddings(images, log=print)
    save_face_embeddings(emb, args.faces, args.out)
    print(f"{len(emb)} faces embedded in {time.time() - t0:.1f} s -> {args.out}")


if __name__ == "__main__":
    main()
