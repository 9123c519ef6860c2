"""The grading scripts of each HW2 year as the TAs run them: their arguments, the checkpoints each loads,
the course's time limit and what each must write; running one and checking what it wrote.

One table serves hw2_download.sh (which checkpoints a year needs), the import-guard test, the
course-environment benchmark and ``snakemake submission``. This module runs on the TAs' machine too
(through fetch_checkpoints.py), so it uses the standard library only, and Pillow for the output checks.
"""

import csv
import os
import re
import subprocess
import time
import urllib.parse
from dataclasses import dataclass

from .. import course
from ..core.cli import UserError
from ..course import GradingScript

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # the repository
GUARD = os.path.join(REPO, "envs", "course_guard")  # the import guard (envs/course_guard/sitecustomize.py)


SHA256 = re.compile(r"[0-9a-fA-F]{64}")


def read_manifest(path, required=False):
    """{path: (url, sha256)} from a manifest; every line is checked before anything is downloaded."""
    if not os.path.isfile(path):
        if required:
            raise UserError(f"manifest {path} does not exist")
        return {}
    entries = {}
    try:
        with open(path, newline="", encoding="utf-8") as f:
            rows = [
                (n, r) for n, r in enumerate(csv.reader(f, delimiter="\t"), start=1) if r and not r[0].startswith("#")
            ]
    except UnicodeDecodeError:
        raise UserError(f"manifest {path} is not UTF-8 text") from None
    if rows and rows[0][1] == ["path", "url", "sha256"]:
        rows = rows[1:]
    for lineno, row in rows:
        if len(row) != 3 or not SHA256.fullmatch(row[2]):
            raise UserError(f"{path}: line {lineno} must be 'path<TAB>url<TAB>sha256' (64 hex digits)")
        if row[0] not in course.ALL_CHECKPOINTS:
            raise UserError(
                f"{path}: line {lineno}: {row[0]!r} is not a checkpoint the grading scripts use "
                f"({', '.join(course.ALL_CHECKPOINTS)})"
            )
        if urllib.parse.urlsplit(row[1]).scheme not in ("http", "https", "file"):
            raise UserError(f"{path}: line {lineno}: {row[1]!r} is not an http(s) or file URL")
        entries[row[0]] = (row[1], row[2].lower())
    return entries


def inputs_for(data_root: str, face_dir: str = None) -> dict:
    """The placeholders' paths in a folder of the course's hw2_data layout: each domain's test folder
    (``digits/D/test``, 2021's layout, else the 2022/2023 ``digits/D/data``, whose path names the
    domain as the graders' test folders do) and hw2_2.sh's ``face/noise`` and ``face/UNet.pt`` (from
    ``face_dir`` when given)."""
    face = face_dir or os.path.join(data_root, "face")
    inputs = {"noise": os.path.join(face, "noise"), "unet": os.path.join(face, "UNet.pt")}
    for domain in ("mnistm", "svhn", "usps"):
        folder = os.path.join(data_root, "digits", domain)
        test = os.path.join(folder, "test")
        inputs[f"test:{domain}"] = test if os.path.isdir(test) else os.path.join(folder, "data")
    return inputs


def missing_inputs(script: GradingScript, inputs: dict) -> list:
    """The inputs of ``script`` that are not there (e.g. no face UNet.pt with the demo data)."""
    return [
        inputs[a[1:-1]]
        for a in script.args
        if a.startswith("{") and a != "{out}" and not os.path.exists(inputs[a[1:-1]])
    ]


def script_env(python: str = None, checkpoints: str = None, guard: bool = False, env: dict = None) -> dict:
    """The environment a grading or download script runs in: this one, ``env`` on top, ``python`` as its
    interpreter (HW2_PYTHON), ``checkpoints`` as its folder (HW2_CHECKPOINTS) and, with ``guard``, the
    course's import guard first on PYTHONPATH."""
    environ = {**os.environ, **(env or {})}
    if python:
        environ["HW2_PYTHON"] = python
    if checkpoints:
        environ["HW2_CHECKPOINTS"] = checkpoints
    if guard:
        environ["PYTHONPATH"] = GUARD + (os.pathsep + environ["PYTHONPATH"] if environ.get("PYTHONPATH") else "")
    return environ


@dataclass(frozen=True)
class Run:
    script: GradingScript
    returncode: int
    seconds: float
    output: str  # the path it was asked to write
    stderr: str


def run(
    script: GradingScript,
    inputs: dict,
    out_dir: str,
    checkpoints: str = None,
    python: str = None,
    guard: bool = False,
    env: dict = None,
    timeout: float = None,
    repo: str = REPO,
    path: str = None,
) -> Run:
    """Run one grading script of ``repo`` as the TAs do (``bash path args`` from another folder) on the
    checkpoints in ``checkpoints`` (default: the repository's checkpoints/), with ``python`` as its
    interpreter (HW2_PYTHON; default: the repository's .venv, else python3) and, with ``guard``, under
    the course's import guard. ``inputs`` fills the placeholders: ``noise``, ``unet`` and ``test:DOMAIN``
    paths. ``path`` places the script elsewhere in ``repo`` (a hand-in has it at its root: handin_path).
    Returns the exit code, the wall time and stderr."""
    output = os.path.join(out_dir, script.output)
    values = {"out": output, **inputs}
    argv = [values[a[1:-1]] if a.startswith("{") else a for a in script.args]
    environ = script_env(python, checkpoints, guard, env)
    start = time.perf_counter()
    proc = subprocess.run(
        ["bash", os.path.join(repo, path or script.path), *argv],
        cwd=out_dir,
        env=environ,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return Run(script, proc.returncode, time.perf_counter() - start, output, proc.stderr)


def check_output(run_: Run, inputs: dict) -> str:
    """What is wrong with what a grading script wrote, in one phrase; "" when it is what the course
    asks for (names, count, image size and mode; a CSV row for every test image)."""
    script, out = run_.script, run_.output
    if script.writes == "csv":
        return _check_csv(out, inputs[next(a for a in script.args if a.startswith("{test:"))[1:-1]])
    if not os.path.isdir(out):
        return f"no folder {os.path.basename(out)} written"
    if script.writes == "digits":
        expected, size = [f"{d}_{j:03d}.png" for d in range(10) for j in range(1, 101)], 28
    elif script.writes == "faces":
        expected, size = [f"{i:04d}.png" for i in range(1000)], 64
    else:
        expected = sorted(n[:-3] + ".png" for n in os.listdir(inputs["noise"]) if n.endswith(".pt"))
        size = None
    return _check_images(out, expected, size)


def _check_csv(out: str, test: str) -> str:
    images = sorted(n for n in os.listdir(test) if not n.startswith("."))
    if not os.path.isfile(out):
        return f"no {os.path.basename(out)} written"
    with open(out, newline="") as f:
        rows = list(csv.reader(f))
    if not rows or rows[0] != ["image_name", "label"]:
        return "the header is not image_name,label"
    if sorted(r[0] for r in rows[1:]) != images or not all(r[1] in "0123456789" and r[1] for r in rows[1:]):
        return f"{len(rows) - 1} rows for {len(images)} images, or a label outside 0-9"
    return ""


def _check_images(out: str, expected: list, size: int = None) -> str:
    """The folder holds exactly ``expected``, each RGB (and ``size`` x ``size`` when given)."""
    from PIL import Image

    names = sorted(os.listdir(out))
    if names != expected:
        return f"{len(names)} files, not the {len(expected)} expected ({expected[0]} .. {expected[-1]})"
    for name in names:
        with Image.open(os.path.join(out, name)) as img:
            if img.mode != "RGB" or (size and img.size != (size, size)):
                wanted = f"RGB {size}x{size}" if size else "RGB"
                return f"{name} is {img.mode} {img.size[0]}x{img.size[1]}, not {wanted}"
    return ""
