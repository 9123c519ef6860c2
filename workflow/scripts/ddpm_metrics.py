#!/usr/bin/env python3
"""Problem 1 metrics table: accuracy of the 1000 samples per digit and overall, read by the
pipeline's evaluation classifier and (when given) by the course's classifier, plus the evaluation
classifier's own accuracy on real MNIST-M val.

    ddpm_metrics.py --eval-acc E.csv [--official-acc O.csv] --eval-classifier-metrics M.json --out T.csv
"""
import json

import _bootstrap  # noqa: F401
import pandas as pd

from dlcv_hw2.errors import cli_main, script_parser
from dlcv_hw2.io import atomic_path, atomic_write_text


@cli_main
def main(argv=None):
    ap = script_parser(__doc__)
    ap.add_argument("--eval-acc", required=True)
    ap.add_argument("--official-acc")
    ap.add_argument("--eval-classifier-metrics", required=True)
    ap.add_argument("--out", required=True, help="CSV; a Markdown copy is written beside it (.md)")
    args = ap.parse_args(argv)
    table = pd.read_csv(args.eval_acc, dtype={"digit": str})[["digit", "accuracy"]].rename(
        columns={"accuracy": "evaluation_classifier"})
    if args.official_acc:
        off = pd.read_csv(args.official_acc, dtype={"digit": str})[["digit", "accuracy"]]
        table = table.merge(off.rename(columns={"accuracy": "official_classifier"}), on="digit")
    val = json.load(open(args.eval_classifier_metrics))["target_val_accuracy"]
    with atomic_path(args.out) as tmp:
        table.to_csv(tmp, index=False, lineterminator="\n")
    md = ["| digit | " + " | ".join(c.replace("_", " ") for c in table.columns[1:]) + " |",
          "|---" * len(table.columns) + "|"]
    md += ["| " + " | ".join(f"{v:.1f}" if isinstance(v, float) else str(v) for v in row) + " |"
           for row in table.itertuples(index=False)]
    md.append(f"\nEvaluation classifier accuracy on MNIST-M val: {val:.2f} %")
    atomic_write_text(args.out.rsplit(".", 1)[0] + ".md", "\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main()
