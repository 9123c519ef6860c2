#!/usr/bin/env python3
"""Problem 3 table: target val accuracy (mean +- sd over seeds), rows source-only / DANN / target-only,
columns MNIST-M -> SVHN and MNIST-M -> USPS, as CSV and Markdown.

    dann_table.py --metrics results/dann_*/*/seed*/metrics.json --out results/dann/accuracy_table.csv \
        --md results/dann/accuracy_table.md
"""
import json
import os

import pandas as pd

from dlcv_hw2.cli import UserError, cli_main, script_parser
from dlcv_hw2.files import atomic_path, atomic_write_text

ROWS = {"source_only": "Trained on source", "dann": "Adaptation (DANN)", "target_only": "Trained on target"}
COLS = {"svhn": "MNIST-M → SVHN", "usps": "MNIST-M → USPS"}


def cell(r) -> str:
    """One table cell: mean ± sd over seeds (the mean alone for one seed, a dash for none)."""
    if r.empty:
        return "–"
    if r["n_seeds"].iloc[0] > 1:
        return f"{r['mean'].iloc[0]:.2f} ± {r['sd'].iloc[0]:.2f} %"
    return f"{r['mean'].iloc[0]:.2f} %"


@cli_main
def main(argv=None):
    ap = script_parser(__doc__)
    ap.add_argument("--metrics", nargs="+", required=True,
                    help="metrics.json files under results/dann_<scenario>/<setting>/")
    ap.add_argument("--out", required=True, help="CSV to write")
    ap.add_argument("--md", required=True, help="Markdown copy to write")
    args = ap.parse_args(argv)
    runs = []
    for path in args.metrics:
        parts = os.path.normpath(path).split(os.sep)
        scenario, setting = parts[-4].removeprefix("dann_"), parts[-3]
        if scenario not in COLS or setting not in ROWS:
            raise UserError(f"{path} is not under results/dann_<svhn|usps>/<setting>/seed<N>/")
        m = json.load(open(path))
        runs.append({"scenario": scenario, "setting": setting, "seed": m["seed"], "accuracy": m["target_val_accuracy"]})
    df = pd.DataFrame(runs)
    rows = []
    for (scenario, setting), g in df.groupby(["scenario", "setting"], sort=False):
        acc = g["accuracy"].to_numpy()
        rows.append({"scenario": scenario, "setting": setting, "n_seeds": len(acc), "mean": round(float(acc.mean()), 2),
                     "sd": round(float(acc.std(ddof=1)) if len(acc) > 1 else 0.0, 2),
                     "runs": " ".join(f"{a:.2f}" for a in acc)})
    table = pd.DataFrame(rows)
    with atomic_path(args.out) as tmp:
        table.to_csv(tmp, index=False, lineterminator="\n")
    scenarios = [s for s in COLS if s in set(table["scenario"])]
    md = ["| | " + " | ".join(COLS[s] for s in scenarios) + " |", "|---" * (len(scenarios) + 1) + "|"]
    for setting, name in ROWS.items():
        cells = []
        for s in scenarios:
            r = table[(table["scenario"] == s) & (table["setting"] == setting)]
            cells.append(cell(r))
        md.append(f"| {name} | " + " | ".join(cells) + " |")
    md.append(f"\nTarget-domain validation accuracy; mean ± sd over seeds {sorted(set(df['seed']))}.")
    atomic_write_text(args.md, "\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main()
