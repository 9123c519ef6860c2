#!/usr/bin/env python3
"""MSE (0-255 scale) between generated face images and the ground truth, per image and mean.

evaluate_mse.py --out-dir OUT_DIR --gt-dir hw2_data/face/GT [--csv mse.csv]
"""

from dlcv_hw2.core.cli import cli_main, script_parser
from dlcv_hw2.core.files import atomic_write_text, check_outputs
from dlcv_hw2.methods.ddim_faces import mse_table


@cli_main
def main(argv=None):
    ap = script_parser(__doc__)
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--gt-dir", required=True)
    ap.add_argument("--csv")
    args = ap.parse_args(argv)
    check_outputs(args.csv)
    rows = mse_table(args.out_dir, args.gt_dir)
    mean = sum(m for _, m in rows) / len(rows)
    lines = ["image,mse"] + [f"{n},{m:.6f}" for n, m in rows] + [f"mean,{mean:.6f}"]
    if args.csv:
        atomic_write_text(args.csv, "\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
