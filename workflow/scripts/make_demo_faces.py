#!/usr/bin/env python3
"""Write the demo faces (64x64 RGB portraits drawn from a seed) in the course's hw2_data/face layout.

    make_demo_faces.py --face-dir results/hw2_data/face --train 4000 --val 1000 [--layout 2021]

Layout 2023 (the default) writes 2022's face/train/ and face/val/; 2021 writes face/train/ and
face/test/. Images are numbered on from train to the second folder, as CelebA's were. Each folder
appears complete or not at all; other content of --face-dir stays.
"""

from tqdm import tqdm

from dlcv_hw2 import course, settings
from dlcv_hw2.core.cli import cli_main, number, script_parser
from dlcv_hw2.data.demo.faces import write_faces


@cli_main
def main(argv=None):
    ap = script_parser(__doc__)
    ap.add_argument("--face-dir", required=True, help="the face folder to write train/ and val/ (or test/) into")
    ap.add_argument("--train", type=number(int, low=1), required=True)
    ap.add_argument(
        "--val",
        type=number(int, low=1),
        required=True,
        help="faces of the FID split (val/ or test/, as the layout names it)",
    )
    ap.add_argument("--layout", choices=sorted(course.FACE_FOLDERS), default=settings.default("demo_data", "layout"))
    settings.add_top_level(ap, "seed", "workers")
    args = ap.parse_args(argv)
    sizes = {"train": args.train, "val": args.val}
    with tqdm(total=args.train + args.val, desc="faces", unit="img") as bar:
        write_faces(args.face_dir, sizes, args.seed, layout=args.layout, workers=args.workers, progress=bar.update)
    print(f"{args.train} + {args.val} demo faces -> {args.face_dir}/{{{','.join(course.FACE_FOLDERS[args.layout])}}}")


if __name__ == "__main__":
    main()
