#!/usr/bin/env python3
"""Check a hand-in the way the TAs will run it, for one assignment year; write the rows as Markdown.

    check_submission.py --year 2023 --repo . --data-root results/hw2_data --student-id r12345678 \
        --out results/submission/check.md

Every grading script of the year runs as the TAs run it (bash, from another folder) on the checkpoints in
REPO/checkpoints, under the course's import guard, timed against the course's limit; then the tracked
files (under 50 MB, no dataset folder), the checkpoints (tracked, or in the manifest with this file's
sha256) and the report hw2_<student_id>.pdf are checked (dlcv_hw2/handin/submission.py). A checkpoint that the
scripts need and that is missing stops it with one line: train it first (snakemake all).
"""

import os
import sys
import tempfile

from dlcv_hw2 import course, settings
from dlcv_hw2.core.cli import UserError, cli_main, script_parser
from dlcv_hw2.core.files import atomic_write_text, check_outputs
from dlcv_hw2.handin import grading, submission


@cli_main
def main(argv=None):
    ap = script_parser(__doc__)
    ap.add_argument("--year", choices=tuple(course.YEARS), required=True, help="the assignment year to check")
    ap.add_argument("--repo", required=True, help="the repository (its checkpoints/, hw2_<student_id>.pdf, git)")
    ap.add_argument("--data-root", required=True, help="a folder of the course's hw2_data layout (test images)")
    ap.add_argument("--out", required=True, help="the Markdown table to write")
    settings.add_top_level(ap, "student_id")
    args = ap.parse_args(argv)
    check_outputs(args.out)
    checkpoints = os.path.join(os.path.abspath(args.repo), "checkpoints")
    missing = [c for c in course.year(args.year).checkpoints() if not os.path.isfile(os.path.join(args.repo, c))]
    if missing:
        raise UserError(
            f"{os.path.join(args.repo, missing[0])} is missing (the {args.year} grading scripts load "
            f"it); train it first: snakemake all --config assignment={args.year}"
        )
    inputs = grading.inputs_for(os.path.abspath(args.data_root))
    files = submission.tracked_files(args.repo)
    with tempfile.TemporaryDirectory(prefix=".grading-", dir=os.path.dirname(os.path.abspath(args.out))) as out_dir:
        rows = submission.script_checks(args.year, inputs, checkpoints, out_dir, python=sys.executable)
    rows += submission.checkpoint_checks(args.year, args.repo, files)
    rows += submission.file_checks(args.repo, files)
    rows.append(submission.report_check(args.repo, args.student_id))
    atomic_write_text(args.out, submission.render(args.year, rows))
    failed = [r.item for r in rows if r.result == "fail"]
    print(f"{len(rows)} checks, {len(failed)} failed{': ' + '; '.join(failed) if failed else ''} -> {args.out}")


if __name__ == "__main__":
    main()
