"""What every section needs: reading a run's results files (CSV, benchmark records) and formatting
their numbers for a table, and the note on a run without the official classifier."""

import csv
import json
import os

from ...core.cli import UserError
from ..blocks import Paragraph

JUDGES = {"official_classifier": "official classifier", "eval_classifier": "evaluation classifier"}


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def fmt(value, digits=1):
    return f"{float(value):.{digits}f}"


def cell(value, digits):
    """A number with thousands separators and ``digits`` decimals; text (e.g. "not computed") as it is."""
    try:
        return f"{float(value):,.{digits}f}"
    except ValueError:
        return value


def is_number(value) -> bool:
    """Whether a table cell holds a number (not "", "not computed (...)" or None)."""
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def require(root, *names):
    missing = [n for n in names if not os.path.isfile(os.path.join(root, n))]
    if missing:
        raise UserError(f"results file {os.path.join(root, missing[0])} is missing (run the workflow first)")


def config_rows(section: dict):
    return [[k, json.dumps(v) if isinstance(v, (list, dict, bool)) else str(v)] for k, v in section.items()]


def last_benchmark(path):
    """The last record of a Snakemake benchmark TSV (None when absent or empty)."""
    if not os.path.isfile(path):
        return None
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return rows[-1] if rows else None


def bench_seconds(root, rel):
    r = last_benchmark(os.path.join(root, "benchmarks", rel))
    return float(r["s"]) if r else None


def official_note(preset: dict, judges: list) -> list:
    """Where the run had no official classifier: why its evaluations are missing, and that the course's
    baselines (set by that classifier) do not apply to the evaluation classifier's figures."""
    if "official_classifier" in judges:
        return []
    path = preset.get("_official_classifier", "Classifier.pth")
    return [
        Paragraph(
            f"The official evaluations were skipped: the course's digit classifier was not found at {path} "
            "(setting official_classifier; the course template puts Classifier.pth at the repository "
            "root). The accuracies here are the evaluation classifier's; the course's baselines refer "
            "to the official classifier and are not compared with them."
        )
    ]
