#!/usr/bin/env python3
"""Grade a hand-in the way the TAs will, for one assignment year; write the rows as Markdown.

    check_submission.py --year 2022 --repo results/handin/2022 --data-root results/hw2_data \
        --student-id r12345678 [--python .venv-course/bin/python] --out results/submission/check.md

REPO (the year's hand-in from `snakemake handin`, or any checkout of this project) is cloned at its main
branch into a temporary folder; there `bash hw2_download.sh` fetches what the manifest lists and every
grading script of the year runs from the clone's root on DATA_ROOT's test images, with --python (the
course's environment, envs/course_env.sh) or else this Python under the course's import guard. The rows
(dlcv_hw2/handin/submission.py): the clone, nothing needed left uncommitted, each checkpoint committed or
fetched and sha256-verified, each script's output and time, tracked file sizes, no dataset, the report.
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
    ap.add_argument("--repo", required=True, help="the git repository handed in (its main branch is cloned)")
    ap.add_argument("--data-root", required=True, help="a folder of the course's hw2_data layout (test images)")
    ap.add_argument("--python", default="", help="the course's Python (default: this one, under the import guard)")
    ap.add_argument("--out", required=True, help="the Markdown table to write")
    settings.add_top_level(ap, "student_id")
    args = ap.parse_args(argv)
    check_outputs(args.out)
    if not args.student_id:
        raise UserError("the check needs your student ID (--student-id), the report being hw2_<student_id>.pdf")
    if args.python and not os.access(args.python, os.X_OK):
        raise UserError(f"--python {args.python} is not an executable Python")
    python = os.path.abspath(args.python) if args.python else sys.executable
    interpreter = (
        f"the course's Python {args.python}"
        if args.python
        else f"this project's Python ({sys.version.split()[0]}) under the course's import guard (envs/course_guard)"
    )
    inputs = grading.inputs_for(os.path.abspath(args.data_root))
    where = os.path.dirname(os.path.abspath(args.out))
    with tempfile.TemporaryDirectory(prefix=".grading-", dir=where) as work:
        rows = submission.check(
            args.year, os.path.abspath(args.repo), inputs, args.student_id, python, not args.python, work
        )
    atomic_write_text(args.out, submission.render(args.year, args.repo, rows, interpreter))
    failed = [r.item for r in rows if r.result == "fail"]
    print(f"{len(rows)} checks, {len(failed)} failed{': ' + '; '.join(failed) if failed else ''} -> {args.out}")


if __name__ == "__main__":
    main()
