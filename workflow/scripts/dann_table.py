#!/usr/bin/env python3
"""Problem 3 table: target accuracy (mean +- sd over seeds), a row per method (source-only, DANN, DSN,
target-only), a column per scenario (MNIST-M -> SVHN, SVHN -> MNIST-M ...), as CSV and Markdown.

    dann_table.py --run svhn dann results/dann_svhn/dann/seed0/metrics.json --run ... \
        --out results/dann/accuracy_table.csv --md results/dann/accuracy_table.md

A scenario whose runs were measured on a labelled target test split (the 2021 layout) reports test
accuracy, else val accuracy; the CSV's ``split`` column says which. Columns follow the order of the
files given.
"""

import json

import pandas as pd

from dlcv_hw2.core.cli import UserError, cli_main, script_parser
from dlcv_hw2.core.files import atomic_path, atomic_write_text
from dlcv_hw2.data import scenarios
from dlcv_hw2.methods.uda import UDA_METHODS


def cell(r) -> str:
    """One table cell: mean ± sd over seeds (the mean alone for one seed, a dash for none)."""
    if r.empty:
        return "–"
    if r["n_seeds"].iloc[0] > 1:
        return f"{r['mean'].iloc[0]:.2f} ± {r['sd'].iloc[0]:.2f} %"
    return f"{r['mean'].iloc[0]:.2f} %"


def read_run(scenario: str, setting: str, path: str) -> dict:
    """One run's row: its scenario and method (as the rule names them) and its metrics file's figures."""
    if scenario not in scenarios.ALL or setting not in UDA_METHODS:
        raise UserError(
            f"--run {scenario} {setting}: not a scenario and a method "
            f"(scenarios {', '.join(scenarios.ALL)}; methods {', '.join(UDA_METHODS)})"
        )
    try:
        with open(path, encoding="utf-8") as f:
            m = json.load(f)
        split = "test" if "target_test_accuracy" in m else "val"
        return {
            "scenario": scenario,
            "setting": setting,
            "seed": int(m["seed"]),
            "split": split,
            "accuracy": float(m[f"target_{split}_accuracy"]),
        }
    except FileNotFoundError:
        raise UserError(f"{path} does not exist") from None
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError, ValueError) as exc:
        raise UserError(f"{path} is not a metrics file of train_dann.py ({exc.__class__.__name__}: {exc})") from None


@cli_main
def main(argv=None):
    ap = script_parser(__doc__)
    ap.add_argument(
        "--run",
        nargs=3,
        action="append",
        required=True,
        metavar=("SCENARIO", "METHOD", "METRICS"),
        help="one training run: its scenario, its method and the metrics.json train_dann.py wrote (repeat)",
    )
    ap.add_argument("--out", required=True, help="CSV to write")
    ap.add_argument("--md", required=True, help="Markdown copy to write")
    args = ap.parse_args(argv)
    df = pd.DataFrame([read_run(*run) for run in args.run])
    for scenario, g in df.groupby("scenario", sort=False):
        if g["split"].nunique() > 1:
            raise UserError(f"the runs of {scenario} were measured on different splits (val and test)")
    rows = []
    for (scenario, setting), g in df.groupby(["scenario", "setting"], sort=False):
        acc = g["accuracy"].to_numpy()
        rows.append(
            {
                "scenario": scenario,
                "setting": setting,
                "split": g["split"].iloc[0],
                "n_seeds": len(acc),
                "mean": round(float(acc.mean()), 2),
                "sd": round(float(acc.std(ddof=1)) if len(acc) > 1 else 0.0, 2),
                "runs": " ".join(f"{a:.2f}" for a in acc),
            }
        )
    table = pd.DataFrame(rows)
    with atomic_path(args.out) as tmp:
        table.to_csv(tmp, index=False, lineterminator="\n")
    names = list(dict.fromkeys(table["scenario"]))
    methods = [m for m in UDA_METHODS if m in set(table["setting"])]
    md = [
        "| | " + " | ".join(scenarios.title(s).replace("->", "→") for s in names) + " |",
        "|---" * (len(names) + 1) + "|",
    ]
    for setting in methods:
        cells = [cell(table[(table["scenario"] == s) & (table["setting"] == setting)]) for s in names]
        md.append(f"| {UDA_METHODS[setting].title} | " + " | ".join(cells) + " |")
    splits = {s: table[table["scenario"] == s]["split"].iloc[0] for s in names}
    if len(set(splits.values())) == 1:
        where = "validation" if next(iter(splits.values())) == "val" else "test"
        md.append(f"\nTarget-domain {where} accuracy; mean ± sd over seeds {sorted(set(df['seed']))}.")
    else:
        per = "; ".join(f"{scenarios.title(s)}: {'validation' if v == 'val' else 'test'}" for s, v in splits.items())
        md.append(f"\nTarget-domain accuracy ({per}); mean ± sd over seeds {sorted(set(df['seed']))}.")
    atomic_write_text(args.md, "\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main()
