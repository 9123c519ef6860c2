#!/usr/bin/env python3
"""Build a report (HTML and PDF) from the results of a workflow run.

    build_report.py --results results --preset-json '{...}' --scenarios svhn usps \
        --runtime-jobs train_ddpm sample_ddpm ... --html report/hw2_report.html --pdf report/hw2_report.pdf
    build_report.py --document face_gans --results results --preset-json '{...}' \
        --html report/face_gans.html --pdf report/face_gans.pdf

    build_report.py --document 2021 --results results --preset-json '{...}' \
        --scenarios usps svhn_to_mnistm usps_to_svhn --face-gan-graded dcgan \
        --html report/hw2_report_2021.html --pdf report/hw2_report_2021.pdf

--document names one of the registry of dlcv_hw2/report/documents.py: a year's homework report (the
default: the default year's), or face_gans, the report of the face GANs (the face_gans target). Every
number comes from the results files.
"""

import json

from dlcv_hw2 import course, settings
from dlcv_hw2.core.cli import UserError, cli_main, script_parser
from dlcv_hw2.core.files import atomic_path, atomic_write_text, check_outputs


@cli_main
def main(argv=None):
    ap = script_parser(__doc__)
    ap.add_argument(
        "--document", choices=(*course.YEARS, "face_gans"), default=course.DEFAULT, help="a year's report, or face_gans"
    )
    ap.add_argument("--results", required=True, help="the run's results folder")
    ap.add_argument("--preset-json", required=True, help="the preset used, as JSON (with its name under _name)")
    ap.add_argument("--scenarios", nargs="*", default=[], help="DANN scenarios of the run (svhn, usps)")
    ap.add_argument("--have-faces", type=int, choices=[0, 1], default=0, help="1: problem 2 used the face UNet")
    ap.add_argument(
        "--runtime-jobs",
        nargs="*",
        default=[],
        metavar="NAME",
        help="the jobs the runtime chapter lists: their benchmark records under RESULTS/benchmarks/, without .tsv "
        "(the report rule passes every job its inputs came from)",
    )
    settings.add_top_level(ap, "face_gan_graded")  # the graded GAN, whose FID and IS a report question asks for
    ap.add_argument("--html", required=True)
    ap.add_argument("--pdf", required=True)
    args = ap.parse_args(argv)
    try:
        preset = json.loads(args.preset_json)
    except json.JSONDecodeError as exc:
        raise UserError(f"--preset-json is not JSON ({exc})") from None
    check_outputs(args.html, args.pdf)

    from dlcv_hw2.report.documents import Run, build
    from dlcv_hw2.report.html import render_html
    from dlcv_hw2.report.pdf import render_pdf

    run = Run(
        args.results,
        preset,
        args.scenarios,
        args.runtime_jobs,
        have_faces=bool(args.have_faces),
        graded=args.face_gan_graded,
    )
    doc = build(args.document, run)
    atomic_write_text(args.html, render_html(doc))
    with atomic_path(args.pdf, suffix=".pdf") as tmp:
        pages = render_pdf(doc, tmp)
    print(f"report: {args.html}, {args.pdf} ({pages} pages)")


if __name__ == "__main__":
    main()
