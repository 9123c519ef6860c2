#!/usr/bin/env python3
"""Write one demo digit domain (mnistm, svhn or usps) in the course's hw2_data layout (2023 or 2021).

    make_demo_data.py --domain mnistm --out results/hw2_data/digits/mnistm --train 6000 --val 1000 --test 1000

The folder appears complete or not at all (it is built beside the target and renamed into place).
"""

from tqdm import tqdm

from dlcv_hw2 import course, settings
from dlcv_hw2.core.cli import cli_main, number, script_parser
from dlcv_hw2.core.files import atomic_dir
from dlcv_hw2.data.demo.digits import MAKERS, write_domain


@cli_main
def main(argv=None):
    ap = script_parser(__doc__)
    ap.add_argument("--domain", required=True, choices=sorted(MAKERS))
    ap.add_argument("--out", required=True, help="domain folder to write (replaced if it exists)")
    ap.add_argument("--train", type=number(int, low=1), required=True)
    ap.add_argument("--val", type=number(int, low=1), required=True)
    ap.add_argument("--test", type=number(int, low=0), default=settings.default("split_sizes", "test"))
    ap.add_argument(
        "--layout",
        choices=course.LAYOUTS,
        default=settings.default("demo_data", "layout"),
        help="the course layout to write: " + "; ".join(f"{k}: {v}" for k, v in course.LAYOUT_TITLES.items()),
    )
    settings.add_top_level(ap, "seed", "workers")
    args = ap.parse_args(argv)
    sizes = {"train": args.train, "val": args.val, "test": args.test}
    if args.layout == course.SPLIT_FOLDERS:
        del sizes["val"]  # this layout has no val split (it is held out of train when cached)
    with atomic_dir(args.out) as tmp, tqdm(total=sum(sizes.values()), desc=args.domain, unit="img") as bar:
        write_domain(tmp, args.domain, sizes, args.seed, workers=args.workers, progress=bar.update, layout=args.layout)
    print(f"{args.domain}: {sum(sizes.values())} images -> {args.out}")


if __name__ == "__main__":
    main()
