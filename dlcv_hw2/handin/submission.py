"""`snakemake submission`: a year's hand-in graded as the TAs grade it, from a clone of its main branch.

The repository (the year's hand-in that `snakemake handin` writes, or any checkout of this project) is
cloned at its ``main`` branch into a temporary folder. There ``bash hw2_download.sh`` runs, then every
grading script of the year from the clone's root, with the course's Python when one is given (else this
project's under the course's import guard). Each check is a row (item, result, measured, limit); result is
"pass", "fail" or "skipped" (with the reason as the figure). The rows cover: the clone; nothing the scripts
need left untracked, uncommitted or unpushed; each checkpoint committed or fetched from its manifest URL
(sha256-verified; a web page in place of the file is a fail naming the fix); every script's output, timed
against the course's limit; tracked files under GitHub's 50 MB and no dataset folder; the report
hw2_<student_id>.pdf tracked, a PDF with pages, naming its references.
"""

import filecmp
import os
import subprocess
from dataclasses import dataclass

from .. import course
from ..core.cli import UserError
from . import grading

GITHUB_FILE_LIMIT = 50 * 2**20  # GitHub warns at 50 MiB and refuses 100 MiB; the course asks for 50 MB
DATA_FOLDERS = ("hw2_data",)  # the course's data; a submission must not hold it
REFERENCES = "References"  # the heading of the report's last chapter (report/sections/appendix.py)


@dataclass(frozen=True)
class Check:
    item: str
    result: str  # pass | fail | skipped
    measured: str
    limit: str = ""


def _git(repo: str, *args: str):
    return subprocess.run(["git", "-C", repo, *args], capture_output=True, text=True)


def tracked_files(repo: str) -> list:
    """The files git tracks in ``repo``."""
    proc = subprocess.run(["git", "-C", repo, "ls-files", "-z"], capture_output=True)
    return [p for p in proc.stdout.decode("utf-8", "replace").split("\0") if p]


def is_git_repository(repo: str) -> bool:
    return os.path.isdir(repo) and _git(repo, "rev-parse", "--git-dir").returncode == 0


def clone_main(repo: str, dest: str) -> Check:
    """``git clone --branch main`` of ``repo`` into ``dest``, as the TAs fetch a hand-in."""
    proc = subprocess.run(
        ["git", "clone", "--quiet", "--branch", "main", "--single-branch", repo, dest], capture_output=True, text=True
    )
    if proc.returncode != 0:
        return Check("git clone of the main branch", "fail", _last_line(proc.stderr))
    head = _git(dest, "rev-parse", "--short=12", "HEAD").stdout.strip()
    return Check("git clone of the main branch", "pass", f"main at {head}")


def layout(year: str, clone: str) -> dict:
    """{script name: path in the clone} of the year's grading scripts and its download script (under
    "download"): a hand-in has them at its root (course.Year.handin_scripts), this project where the
    course entry says."""
    entry = course.year(year)
    here = os.path.isfile(os.path.join(clone, entry.download))
    paths = {s.name: s.path if here else s.handin_path for s in entry.grading}
    paths["download"] = entry.download if here else entry.download.rsplit("/", 1)[-1]
    return paths


def needed_files(year: str, student_id: str, scripts: dict) -> list:
    """What the TAs' run needs from the repository: the scripts, the checkpoints and the report."""
    return [*dict.fromkeys(scripts.values()), *course.year(year).checkpoints(), course.hand_in_report(student_id)]


def committed_check(repo: str, clone: str, needed: list, manifest: dict) -> Check:
    """Nothing the TAs need is only in the working tree: each needed file here is on main with the same
    bytes (a hosted checkpoint aside), no tracked file has uncommitted changes, main is pushed."""
    problems, named = [], set()
    for rel in needed:
        here, there = os.path.join(repo, rel), os.path.join(clone, rel)
        if not os.path.isfile(here) or (rel in manifest and not os.path.isfile(there)):
            continue
        if not os.path.isfile(there):
            problems.append(f"{rel} is not committed on main")
        elif not filecmp.cmp(here, there, shallow=False):
            problems.append(f"{rel} differs from main (uncommitted)")
        else:
            continue
        named.add(rel)
    changed = [line[3:] for line in _git(repo, "status", "--porcelain", "--untracked-files=no").stdout.splitlines()]
    changed = [c for c in changed if c not in named]
    if changed:
        problems.append(f"{len(changed)} tracked file(s) with uncommitted changes (e.g. {changed[0]})")
    upstream = _git(repo, "rev-parse", "--abbrev-ref", "main@{upstream}")
    if upstream.returncode == 0:
        ahead = _git(repo, "rev-list", "--count", "main@{upstream}..main").stdout.strip()
        if ahead not in ("", "0"):
            problems.append(f"{ahead} commit(s) of main not pushed to {upstream.stdout.strip()}")
    return Check(
        "nothing the TAs need is left out of main",
        "fail" if problems else "pass",
        "; ".join(problems) if problems else "every script, checkpoint and the report as committed",
    )


def download(clone: str, script: str, python: str, guard: bool, timeout: float = 3600):
    """``bash hw2_download.sh`` from the clone's root: (exit code, its stdout and stderr)."""
    env = grading.script_env(python, guard=guard)
    proc = subprocess.run(["bash", script], cwd=clone, env=env, capture_output=True, text=True, timeout=timeout)
    return proc.returncode, proc.stdout + proc.stderr


def checkpoint_checks(year: str, clone: str, files: list, manifest: dict, fetched: tuple) -> list:
    """Each checkpoint the year's scripts load: committed on main, or fetched by hw2_download.sh from its
    manifest URL (sha256-verified). ``fetched`` is the download's (exit code, output)."""
    from ..core.files import sha256_of

    code, output = fetched
    error = next((line for line in output.splitlines() if line.startswith("error: ")), _last_line(output))
    rows = []
    for ckpt in course.year(year).checkpoints():
        item, path = f"{ckpt} reaches the TAs", os.path.join(clone, ckpt)
        if ckpt in files:
            rows.append(Check(item, "pass", "committed on main"))
        elif ckpt not in manifest:
            rows.append(Check(item, "fail", "neither committed nor in checkpoints/manifest.tsv"))
        elif os.path.isfile(path) and sha256_of(path) == manifest[ckpt][1]:
            rows.append(Check(item, "pass", f"fetched from {manifest[ckpt][0]}, sha256 verified"))
        else:
            rows.append(Check(item, "fail", f"hw2_download.sh exit {code}: {error}"))
    return rows


def script_checks(year: str, clone: str, scripts: dict, inputs: dict, out_dir: str, python: str, guard: bool) -> list:
    """Every grading script of ``year`` run from the clone's root (``scripts``: its path there by name) on
    the clone's checkpoints, each output checked and timed."""
    rows = []
    for script in course.year(year).grading:
        item = f"bash {scripts[script.name]} runs ({script.name})"
        limit = f"{script.limit_s // 60} min (the course's RTX 2080 Ti)"
        missing = grading.missing_inputs(script, inputs)
        if missing:
            rows.append(Check(item, "skipped", f"no input {missing[0]}", limit))
            continue
        run = grading.run(script, inputs, out_dir, python=python, guard=guard, repo=clone, path=scripts[script.name])
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
        rows.append(Check(item, "fail" if problem or too_slow else "pass", measured, limit))
    return rows


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "(no message)"


def file_checks(clone: str, files: list) -> list:
    """Tracked files under GitHub's limit; no dataset folder among them."""
    sizes = {f: os.path.getsize(os.path.join(clone, f)) for f in files if os.path.isfile(os.path.join(clone, f))}
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


def report_check(clone: str, files: list, student_id: str) -> Check:
    """hw2_<student_id>.pdf committed on main, a PDF with pages whose text has its references chapter."""
    name = course.hand_in_report(student_id)
    item = f"the report {name}"
    if name not in files:
        return Check(item, "fail", f"{name} is not committed on main (git add {name}, commit, push)")
    import pypdf

    try:
        reader = pypdf.PdfReader(os.path.join(clone, name))
        pages = len(reader.pages)
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except (pypdf.errors.PdfReadError, ValueError, OSError) as exc:
        return Check(item, "fail", f"not a readable PDF ({exc})")
    if pages == 0:
        return Check(item, "fail", "a PDF with no page")
    if REFERENCES not in text:
        return Check(item, "fail", f"{pages} pages, but no {REFERENCES} chapter")
    return Check(item, "pass", f"committed; {pages} pages; names its references")


def check(year: str, repo: str, inputs: dict, student_id: str, python: str, guard: bool, work: str) -> list:
    """Every row for the hand-in at ``repo``, graded in a clone under ``work``."""
    if not is_git_repository(repo):
        raise UserError(f"{repo} is not a git repository (build the hand-in: snakemake handin)")
    clone = os.path.join(work, "clone")
    cloned = clone_main(repo, clone)
    if cloned.result == "fail":
        return [cloned]
    files = tracked_files(clone)
    scripts = layout(year, clone)
    download_script = scripts.pop("download")
    try:
        manifest = grading.read_manifest(os.path.join(clone, "checkpoints", "manifest.tsv"))
    except UserError as exc:
        manifest, fetched = {}, (2, f"error: {exc}")
    else:
        fetched = download(clone, download_script, python, guard)
    rows = [cloned, committed_check(repo, clone, needed_files(year, student_id, scripts), manifest)]
    rows += checkpoint_checks(year, clone, files, manifest, fetched)
    out_dir = os.path.join(work, "out")
    os.makedirs(out_dir)
    rows += script_checks(year, clone, scripts, inputs, out_dir, python, guard)
    rows += file_checks(clone, files)
    rows.append(report_check(clone, files, student_id))
    return rows


def render(year: str, repo: str, rows: list, interpreter: str) -> str:
    failed = sum(r.result == "fail" for r in rows)
    lines = [
        f"# Hand-in check, {year}",
        "",
        f"{len(rows)} checks: {sum(r.result == 'pass' for r in rows)} passed, {failed} failed, "
        f"{sum(r.result == 'skipped' for r in rows)} skipped. {repo} was cloned at its main branch; there "
        f"`bash hw2_download.sh` and every grading script ran from the clone's root as the TAs run them, "
        f"with {interpreter}, timed on this machine.",
        "",
        "| check | result | measured | limit |",
        "|---|---|---|---|",
    ]
    lines += [f"| {r.item} | {r.result} | {r.measured.replace('|', '/')} | {r.limit} |" for r in rows]
    return "\n".join(lines) + "\n"
