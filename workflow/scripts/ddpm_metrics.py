#!/usr/bin/env python3
"""Problem 1 metrics table: accuracy of the 1000 samples per digit and overall, read by the
pipeline's evaluation classifier and (when given) by the course's classifier, plus the evaluation
classifier's own accuracy on real MNIST-M val.

    ddpm_metrics.py --eval-classifier-acc E.csv [--official-classifier-acc O.csv] \
        --eval-classifier-metrics M.json --out T.csv --md T.md
"""

import json

import pandas as pd

from dlcv_hw2.core.cli import cli_main, script_parser
from dlcv_hw2.core.files import atomic_path, atomic_write_text, check_outputs


@cli_main
def main(argv=None):
    ap = script_parser(__doc__)
    ap.add_argument("--eval-classifier-acc", required=True, help="evaluate_digits.py's CSV for the eval classifier")
    ap.add_argument("--official-classifier-acc", help="evaluate_digits.py's CSV for the official classifier")
    ap.add_argument("--eval-classifier-metrics", required=True, help="train_dann.py's metrics of the eval classifier")
    ap.add_argument("--out", required=True, help="CSV to write")
    ap.add_argument("--md", required=True, help="Markdown copy to write")
    args = ap.parse_args(argv)
    check_outputs(args.out, args.md)
    accuracy = {"eval_classifier": args.eval_classifier_acc, "official_classifier": args.official_classifier_acc}
    table = None
    for judge, path in accuracy.items():
        if path:
            part = pd.read_csv(path, dtype={"digit": str})[["digit", "accuracy"]].rename(columns={"accuracy": judge})
            table = part if table is None else table.merge(part, on="digit")
    val = json.load(open(args.eval_classifier_metrics))["target_val_accuracy"]
    with atomic_path(args.out) as tmp:
        table.to_csv(tmp, index=False, lineterminator="\n")
    md = [
        "| digit | " + " | ".join(c.replace("_", " ") for c in table.columns[1:]) + " |",
        "|---" * len(table.columns) + "|",
    ]
    md += [
        "| " + " | ".join(f"{v:.1f}" if isinstance(v, float) else str(v) for v in row) + " |"
        for row in table.itertuples(index=False)
    ]
    md.append(f"\nEvaluation classifier accuracy on MNIST-M val: {val:.2f} %")
    atomic_write_text(args.md, "\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main()
