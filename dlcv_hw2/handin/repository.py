"""`snakemake handin`: a year's hand-in as the git repository the TAs clone, built from its course entry.

The repository holds the year's grading scripts and download script at its root under the year's names
(course.Year.handin_scripts), the code they run and the training code (course.HANDIN_CODE), the year's
checkpoints (committed when under course.HANDIN_FILE_LIMIT_MB, otherwise as lines of
checkpoints/manifest.tsv taken from the student's own manifest), the report hw2_<student_id>.pdf, a README
for the grader and a .gitignore; no data and no results. It has one commit on ``main`` whose author,
committer and date are fixed, so the same inputs give the same tree and the same commit id. It is built in a
temporary folder beside its place and renamed there only when complete.
"""

import os
import shutil
import subprocess

from .. import course
from ..core.cli import UserError
from ..core.files import atomic_dir, sha256_of
from . import grading

# The commit's fixed identity and date: a rebuild gives the same commit id (the course records the push).
COMMIT_DATE = "2000-01-01T00:00:00+00:00"
IGNORED = (".venv/", ".venv-course/", "results/", ".snakemake/", "__pycache__/", "*.pyc", "/hw2_data/")
PLACEHOLDERS = {"{noise}": "NOISE_DIR", "{unet}": "UNET_PT"}  # hw2_2.sh's inputs, as the grader README names them


def needed_files(year: str, workdir: str, student_id: str) -> dict:
    """{path in the hand-in: path here} of the year's checkpoints (in ``workdir``) and report, each
    checked to be there: a missing one is a UserError naming the workflow command that makes it."""
    if not student_id:
        raise UserError(
            f"the hand-in needs your student ID: snakemake handin --config assignment={year} student_id=YOUR_ID"
        )
    report = course.hand_in_report(student_id)
    files = {c: os.path.join(workdir, c) for c in course.year(year).checkpoints()}
    files[report] = os.path.join(workdir, report)
    missing = [name for name, path in files.items() if not os.path.isfile(path)]
    if missing:
        raise UserError(
            f"{os.path.join(workdir, missing[0])} is missing ({len(missing)} of the {len(files)} checkpoints and "
            f"report of the {year} hand-in are); make them first: snakemake all --config assignment={year} "
            f"student_id={student_id}"
        )
    return files


def code_files(repo: str) -> dict:
    """{path: path here} of course.HANDIN_CODE in ``repo``, sorted; a part that is not there is a UserError."""
    files = {}
    for part, suffixes in course.HANDIN_CODE:
        path = os.path.join(repo, part)
        if os.path.isfile(path):
            files[part] = path
            continue
        if not os.path.isdir(path):
            raise UserError(f"{path} is missing: {repo} is not a checkout of this project")
        for folder, dirs, names in os.walk(path):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith(".") and ".egg-info" not in d)
            for name in sorted(names):
                if name.endswith(suffixes or (name,)) and not name.startswith("."):
                    full = os.path.join(folder, name)
                    files[os.path.relpath(full, repo).replace(os.sep, "/")] = full
    return files


def split_checkpoints(checkpoints: dict, manifest: dict, limit_mb: float) -> tuple:
    """(committed {path: file}, hosted {path: (url, sha256)}): a checkpoint under ``limit_mb`` MB is
    committed; a larger one goes in as its line of the student's manifest, which must hold this file's
    sha256 (a UserError otherwise, naming what to do)."""
    committed, hosted = {}, {}
    for name, path in checkpoints.items():
        size_mb = os.path.getsize(path) / 1e6
        if size_mb < limit_mb:
            committed[name] = path
            continue
        where = f"{name} is {size_mb:.1f} MB, over GitHub's {limit_mb:g} MB"
        if name not in manifest:
            raise UserError(f"{where}: host it and add its line 'path<TAB>url<TAB>sha256' to checkpoints/manifest.tsv")
        if manifest[name][1] != sha256_of(path):
            raise UserError(f"{where}, and the sha256 that checkpoints/manifest.tsv gives is not this file's")
        hosted[name] = manifest[name]
    return committed, hosted


def usage(script: course.GradingScript) -> str:
    """How the grader README writes a script's command: ``bash hw2_3.sh TEST_IMAGE_DIR OUT_CSV``."""
    words = []
    for arg in script.args:
        if arg == "{out}":
            words.append("OUT_CSV" if script.writes == "csv" else "OUT_DIR")
        elif arg.startswith("{test:"):
            words.append("TEST_IMAGE_DIR")
        else:
            words.append(PLACEHOLDERS.get(arg, arg))
    return " ".join(["bash", script.handin_path, *words])


def readme(year: str, student_id: str, committed: dict, hosted: dict) -> str:
    """The grader's README: the TAs' steps, what each script writes, where the checkpoints come from."""
    entry = course.year(year)
    commands = list(dict.fromkeys(usage(s) for s in entry.grading))
    lines = [
        f"# DLCV Fall {year} HW2: {student_id}",
        "",
        "Grading, from this folder with the course's `python3` (Python 3.10, torch 2.0.1; CPU or GPU):",
        "",
        "    bash hw2_download.sh",
        *(f"    {c}" for c in commands),
        "",
        "| script | writes | loads | the course's limit |",
        "|---|---|---|---|",
    ]
    writes = {
        "digits": "1000 digits 0_001.png .. 9_100.png (28x28)",
        "faces": "1000 faces 0000.png .. 0999.png (64x64)",
        "ddim": "one NN.png per noise NN.pt",
        "csv": "image_name,label for every image of the folder",
    }
    for s in entry.grading:
        loads = ", ".join(s.checkpoints) or "the given UNet"
        lines.append(f"| `{s.name}` | {writes[s.writes]} | {loads} | {s.limit_s // 60} min |")
    where = []
    if committed:
        where.append(f"committed under checkpoints/ ({', '.join(os.path.basename(c) for c in committed)})")
    if hosted:
        where.append(
            "downloaded by hw2_download.sh from the URLs of checkpoints/manifest.tsv, sha256-verified "
            f"({', '.join(os.path.basename(c) for c in hosted)})"
        )
    lines += [
        "",
        f"Checkpoints: {'; '.join(where)}. hw2_download.sh keeps the committed ones and never trains.",
        "",
        f"The report: {course.hand_in_report(student_id)}.",
        "",
        "The training code that made every checkpoint and the report is the Snakemake workflow of this",
        "repository (dlcv_hw2/, workflow/, Snakefile, config.yaml):",
        "",
        "    bash envs/setup.sh",
        f"    .venv/bin/snakemake all --cores 4 --resources gpu=1 --config assignment={year} data_root=PATH/hw2_data",
        "",
        "Without data_root it builds its own demo data in the course's layout and trains on them.",
    ]
    return "\n".join(lines) + "\n"


def git(folder: str, *args: str, student_id: str = "") -> str:
    """Run git in ``folder`` with no user or system configuration and the hand-in's fixed identity."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": folder,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": student_id,
        "GIT_AUTHOR_EMAIL": f"{student_id}@ntu.edu.tw",
        "GIT_AUTHOR_DATE": COMMIT_DATE,
        "GIT_COMMITTER_NAME": student_id,
        "GIT_COMMITTER_EMAIL": f"{student_id}@ntu.edu.tw",
        "GIT_COMMITTER_DATE": COMMIT_DATE,
        "LC_ALL": "C",
    }
    proc = subprocess.run(["git", *args], cwd=folder, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise UserError(f"git {args[0]} failed in {folder}: {proc.stderr.strip().splitlines()[-1:]}")
    return proc.stdout


def _copy(src: str, dest: str) -> None:
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    shutil.copyfile(src, dest)
    os.chmod(dest, 0o755 if os.stat(src).st_mode & 0o111 else 0o644)  # git keeps only the executable bit


def _write(dest: str, text: str) -> None:
    with open(dest, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def build(year: str, repo: str, workdir: str, student_id: str, out: str, limit_mb: float = None) -> str:
    """Write the hand-in of ``year`` at ``out`` from the code of ``repo`` and the checkpoints and report
    in ``workdir``; return its commit id. Everything is checked before anything is written."""
    if shutil.which("git") is None:
        raise UserError("git is not installed; the hand-in is a git repository")
    needed = needed_files(year, workdir, student_id)
    report = course.hand_in_report(student_id)
    checkpoints = {k: v for k, v in needed.items() if k != report}
    manifest = grading.read_manifest(os.path.join(workdir, "checkpoints", "manifest.tsv"))
    committed, hosted = split_checkpoints(
        checkpoints, manifest, course.HANDIN_FILE_LIMIT_MB if limit_mb is None else limit_mb
    )
    files = code_files(repo)
    files.update({name: os.path.join(repo, path) for name, path in course.year(year).handin_scripts().items()})
    files.update(committed)
    files[report] = needed[report]
    with atomic_dir(out) as tmp:
        for name, src in sorted(files.items()):
            _copy(src, os.path.join(tmp, name))
        os.makedirs(os.path.join(tmp, "checkpoints"), exist_ok=True)
        _write(
            os.path.join(tmp, "checkpoints", "manifest.tsv"),
            "path\turl\tsha256\n" + "".join(f"{c}\t{url}\t{sha}\n" for c, (url, sha) in sorted(hosted.items())),
        )
        _write(os.path.join(tmp, "README.md"), readme(year, student_id, committed, hosted))
        _write(os.path.join(tmp, ".gitignore"), "\n".join(IGNORED) + "\n")
        git(tmp, "init", "-q", "-b", "main")
        git(tmp, "add", "-A")
        git(tmp, "commit", "-q", "-m", f"DLCV Fall {year} HW2 hand-in of {student_id}", student_id=student_id)
        commit = git(tmp, "rev-parse", "HEAD").strip()
    return commit
