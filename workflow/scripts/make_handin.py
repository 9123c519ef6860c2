#!/usr/bin/env python3
"""Write a year's hand-in: the git repository to push to the course's classroom remote.

    make_handin.py --year 2022 --repo . --workdir . --student-id r12345678 --out results/handin/2022

REPO gives the code (the package, the workflow, envs/, config.yaml) and the year's grading scripts, placed
at the hand-in's root under the year's names; WORKDIR gives the year's checkpoints (checkpoints/, with the
student's checkpoints/manifest.tsv for those over 50 MB) and the report hw2_<student_id>.pdf. The result is
one commit on main with a fixed identity and date: the same inputs give the same commit
(dlcv_hw2/handin/repository.py). A missing checkpoint or report stops it with one line naming the workflow
command that makes it; nothing is left half-written at OUT.
"""

from dlcv_hw2 import course, settings
from dlcv_hw2.core.cli import cli_main, script_parser
from dlcv_hw2.handin import repository


@cli_main
def main(argv=None):
    ap = script_parser(__doc__)
    ap.add_argument("--year", choices=tuple(course.YEARS), required=True, help="the assignment year to hand in")
    ap.add_argument("--repo", required=True, help="this project's checkout: the code and grading scripts")
    ap.add_argument("--workdir", required=True, help="the run's folder: checkpoints/ and hw2_<student_id>.pdf")
    ap.add_argument("--out", required=True, help="the hand-in repository to write (replaced when complete)")
    settings.add_top_level(ap, "student_id")
    args = ap.parse_args(argv)
    commit = repository.build(args.year, args.repo, args.workdir, args.student_id, args.out)
    print(f"hand-in of {args.year} for {args.student_id}: {args.out} (main at {commit})")


if __name__ == "__main__":
    main()
