"""`snakemake submission`: what the TAs will do with a hand-in, checked here for one assignment year.

Each check is a row (item, result, measured, limit); result is "pass", "fail" or "skipped" (with the
reason as the figure). The rows cover: every grading script of the year run under the course's import
guard on the trained checkpoints, timed against the course's limit; every tracked file under GitHub's
50 MB; every checkpoint a script loads either tracked or listed in the manifest with the sha256 of the
file here; the report hw2_<student_id>.pdf at the repository root; no dataset folder tracked.
"""

import os
import subprocess
from dataclasses import dataclass

from .. import course
from ..core.cli import UserError
from . import grading

GITHUB_FILE_LIMIT = 50 * 2**20  # GitHub warns at 50 MiB and refuses 100 MiB; the course asks for 50 MB
DATA_FOLDERS = ("hw2_data",)  # the course's data; a submission must not hold it


@dataclass(frozen=True)
class Check:
    item: str
    result: str  # pass | fail | skipped
    measured: str
    limit: str = ""


def tracked_files(repo: str):
    """The files git tracks in ``repo`` (None where it is not a git checkout)."""
    proc = subprocess.run(["git", "-C", repo, "ls-files", "-z"], capture_output=True)
    if proc.returncode != 0:
        return None
    return [p for p in proc.stdout.decode("utf-8", "replace").split("\0") if p]


def script_checks(year: str, inputs: dict, checkpoints: str, out_dir: str, python: str = None) -> list:
    """Every grading script of ``year`` run under the import guard, each output checked and timed."""
    rows = []
    for script in course.year(year).grading:
        limit = f"{script.limit_s // 60} min (the course's RTX 2080 Ti)"
        missing = grading.missing_inputs(script, inputs)
        if missing:
            rows.append(Check(f"bash {script.path} runs ({script.name})", "skipped", f"no input {missing[0]}", limit))
            continue
        run = grading.run(script, inputs, out_dir, checkpoints=checkpoints, python=python, guard=True)
        refused = [line for line in run.stderr.splitlines() if line.startswith("import guard: ")]
        problem = (
            refused[0]
            if refused
            else f"exit {run.returncode}: {_last_line(run.stderr)}"
            if run.returncode
            else grading.check_output(run, inputs)
        )
        too_slow = run.seconds > script.limit_s
        measured = (
            f"{run.seconds:.1f} s"
            + (f"; {problem}" if problem else "")
            + ("; over the limit" if too_slow and not problem else "")
        )
        rows.append(
            Check(
                f"bash {script.path} runs ({script.name})", "fail" if problem or too_slow else "pass", measured, limit
            )
        )
    return rows


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "(no message)"


def file_checks(repo: str, files) -> list:
    """Tracked files under GitHub's limit; no dataset folder among them."""
    if files is None:
        return [
            Check("tracked files under 50 MB", "skipped", f"{repo} is not a git checkout"),
            Check("no dataset folder tracked", "skipped", f"{repo} is not a git checkout"),
        ]
    sizes = {f: os.path.getsize(os.path.join(repo, f)) for f in files if os.path.isfile(os.path.join(repo, f))}
    big = sorted((s, f) for f, s in sizes.items() if s >= GITHUB_FILE_LIMIT)
    largest = max(sizes.items(), key=lambda kv: kv[1], default=("-", 0))
    data = [f for f in files if set(f.split("/")[:-1]) & set(DATA_FOLDERS)]
    return [
        Check(
            "tracked files under 50 MB",
            "fail" if big else "pass",
            f"{len(big)} of {len(files)} at or over it (e.g. {big[-1][1]}, {big[-1][0] / 2**20:.1f} MiB)"
            if big
            else f"{len(files)} files; the largest {largest[0]}, {largest[1] / 2**20:.2f} MiB",
            "50 MiB",
        ),
        Check(
            "no dataset folder tracked",
            "fail" if data else "pass",
            f"{len(data)} tracked file(s) under hw2_data/ (e.g. {data[0]})" if data else "none under hw2_data/",
        ),
    ]


def checkpoint_checks(year: str, repo: str, files) -> list:
    """Each checkpoint the year's scripts load: tracked, or in the manifest with this file's sha256."""
    from ..core.files import sha256_of

    manifest_path = os.path.join(repo, "checkpoints", "manifest.tsv")
    try:
        manifest = grading.read_manifest(manifest_path)
    except UserError as exc:
        return [Check(f"{c} reaches the TAs", "fail", str(exc)) for c in course.year(year).checkpoints()]
    rows = []
    for ckpt in course.year(year).checkpoints():
        path = os.path.join(repo, ckpt)
        if files is not None and ckpt in files:
            rows.append(Check(f"{ckpt} reaches the TAs", "pass", "tracked by git"))
        elif ckpt not in manifest:
            rows.append(Check(f"{ckpt} reaches the TAs", "fail", "neither tracked nor in checkpoints/manifest.tsv"))
        elif not os.path.isfile(path):
            rows.append(Check(f"{ckpt} reaches the TAs", "fail", "in the manifest, but not here to compare"))
        else:
            same = sha256_of(path) == manifest[ckpt][1]
            rows.append(
                Check(
                    f"{ckpt} reaches the TAs",
                    "pass" if same else "fail",
                    f"manifest: {manifest[ckpt][0]}" + ("" if same else "; its sha256 differs from this file's"),
                )
            )
    return rows


def report_check(repo: str, student_id: str) -> Check:
    if not student_id:
        return Check("the report hw2_<student_id>.pdf", "fail", "the setting student_id is empty")
    name = f"hw2_{student_id}.pdf"
    there = os.path.isfile(os.path.join(repo, name))
    return Check(
        f"the report {name}",
        "pass" if there else "fail",
        "at the repository root" if there else f"no {name} at the repository root",
    )


def render(year: str, rows: list) -> str:
    failed = sum(r.result == "fail" for r in rows)
    lines = [
        f"# Hand-in check, {year}",
        "",
        f"{len(rows)} checks: {sum(r.result == 'pass' for r in rows)} passed, {failed} failed, "
        f"{sum(r.result == 'skipped' for r in rows)} skipped. The grading scripts ran as the TAs run them "
        "(bash, from another folder) under the course's import guard (envs/course_guard: only the packages "
        "of envs/course_packages.tsv and the standard library), timed on this machine.",
        "",
        "| check | result | measured | limit |",
        "|---|---|---|---|",
    ]
    lines += [f"| {r.item} | {r.result} | {r.measured.replace('|', '/')} | {r.limit} |" for r in rows]
    return "\n".join(lines) + "\n"
