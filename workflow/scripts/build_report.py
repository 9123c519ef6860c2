#!/usr/bin/env python3
"""Build the homework report (HTML and PDF) from the results of a workflow run.

    build_report.py --results results --preset-json '{...}' --scenarios svhn usps \
        --html report/hw2_report.html --pdf report/hw2_report.pdf
    build_report.py --document face_gans --results results --preset-json '{...}' \
        --html report/face_gans.html --pdf report/face_gans.pdf

    build_report.py --document hw2_2021 --results results --preset-json '{...}' \
        --scenarios usps svhn_to_mnistm usps_to_svhn --face-gan-graded dcgan \
        --html report/hw2_report_2021.html --pdf report/hw2_report_2021.pdf

--document homework (the default) is the 2023 homework report; hw2_2022 and hw2_2021 those of the
earlier years (dlcv_hw2/report_years.py); face_gans the report of the face GANs (2021/2022 problem 1,
the face_gans target). Every number comes from the results files; see dlcv_hw2/report.py for the
sections.
"""
import json
import os
import re

from dlcv_hw2 import settings
from dlcv_hw2.cli import UserError, cli_main, script_parser
from dlcv_hw2.files import atomic_path, atomic_write_text, check_outputs


def training_device(results: str, log: str = "train_ddpm") -> str:
    """The device a training reported in its log ("... epochs 1..N on cpu"): train_ddpm.log, or the
    first log of a folder (train_face_gan/), if there."""
    path = os.path.join(results, "logs", log)
    if os.path.isdir(path):
        logs = sorted(f for f in os.listdir(path) if f.endswith(".log"))
        path = os.path.join(path, logs[0]) if logs else path + ".log"
    elif not path.endswith(".log"):
        path += ".log"
    if not os.path.isfile(path):
        return f"unknown (no {path})"
    found = re.findall(r"epochs \d+\.\.\d+ on (\S+)", open(path, errors="replace").read())
    return found[-1] if found else "unknown (not in the log)"


@cli_main
def main(argv=None):
    ap = script_parser(__doc__)
    ap.add_argument("--document", choices=["homework", "hw2_2022", "hw2_2021", "face_gans"], default="homework",
                    help="which report")
    ap.add_argument("--results", required=True, help="the run's results folder")
    ap.add_argument("--preset-json", required=True, help="the preset used, as JSON (with its name under _name)")
    ap.add_argument("--scenarios", nargs="*", default=[], help="DANN scenarios of the run (svhn, usps)")
    ap.add_argument("--have-faces", type=int, choices=[0, 1], default=0, help="1: problem 2 used the face UNet")
    settings.add_top_level(ap, "face_gan_graded")  # hw2_2021: the graded GAN, whose FID and IS answer question 3
    ap.add_argument("--html", required=True)
    ap.add_argument("--pdf", required=True)
    args = ap.parse_args(argv)
    try:
        preset = json.loads(args.preset_json)
    except json.JSONDecodeError as exc:
        raise UserError(f"--preset-json is not JSON ({exc})") from None
    check_outputs(args.html, args.pdf)

    from dlcv_hw2.report import build_document, face_gan_document, render_html, render_pdf
    from dlcv_hw2.report_years import document_2021, document_2022

    if args.document == "face_gans":
        doc = face_gan_document(args.results, preset, training_device(args.results, "train_face_gan"))
    elif args.document == "hw2_2022":
        doc = document_2022(args.results, preset, args.scenarios, training_device(args.results))
    elif args.document == "hw2_2021":
        doc = document_2021(args.results, preset, args.scenarios, args.face_gan_graded,
                            training_device(args.results, "train_face_gan"))
    else:
        doc = build_document(args.results, preset, args.scenarios, bool(args.have_faces),
                             training_device(args.results))
    atomic_write_text(args.html, render_html(doc))
    with atomic_path(args.pdf, suffix=".pdf") as tmp:
        pages = render_pdf(doc, tmp)
    print(f"report: {args.html}, {args.pdf} ({pages} pages)")


if __name__ == "__main__":
    main()
