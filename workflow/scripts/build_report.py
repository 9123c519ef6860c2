#!/usr/bin/env python3
"""Build the homework report (HTML and PDF) from the results of a workflow run.

    build_report.py --results results --preset-json '{...}' --scenarios svhn usps \
        --html report/hw2_report.html --pdf report/hw2_report.pdf

Every number comes from the results files; see dlcv_hw2/report.py for the sections.
"""
import json
import os
import re

from dlcv_hw2.cli import UserError, cli_main, script_parser
from dlcv_hw2.files import atomic_path, atomic_write_text, check_outputs


def training_device(results: str) -> str:
    """The device train_ddpm.py reported in its log ("... epochs 1..N on cpu"), if the log is there."""
    path = os.path.join(results, "logs", "train_ddpm.log")
    if not os.path.isfile(path):
        return "unknown (no results/logs/train_ddpm.log)"
    found = re.findall(r"epochs \d+\.\.\d+ on (\S+)", open(path, errors="replace").read())
    return found[-1] if found else "unknown (not in the log)"


@cli_main
def main(argv=None):
    ap = script_parser(__doc__)
    ap.add_argument("--results", required=True, help="the run's results folder")
    ap.add_argument("--preset-json", required=True, help="the preset used, as JSON (with its name under _name)")
    ap.add_argument("--scenarios", nargs="*", default=[], help="DANN scenarios of the run (svhn, usps)")
    ap.add_argument("--have-faces", type=int, choices=[0, 1], default=0, help="1: problem 2 used the face UNet")
    ap.add_argument("--html", required=True)
    ap.add_argument("--pdf", required=True)
    args = ap.parse_args(argv)
    try:
        preset = json.loads(args.preset_json)
    except json.JSONDecodeError as exc:
        raise UserError(f"--preset-json is not JSON ({exc})") from None
    check_outputs(args.html, args.pdf)

    from dlcv_hw2.report import build_document, render_html, render_pdf

    doc = build_document(args.results, preset, args.scenarios, bool(args.have_faces),
                         training_device(args.results))
    atomic_write_text(args.html, render_html(doc))
    with atomic_path(args.pdf, suffix=".pdf") as tmp:
        pages = render_pdf(doc, tmp)
    print(f"report: {args.html}, {args.pdf} ({pages} pages)")


if __name__ == "__main__":
    main()
