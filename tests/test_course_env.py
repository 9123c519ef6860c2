"""The grading path in the course's environment (issue 31): every grading script of the three years runs
on the tiny run's checkpoints under the course's import guard (envs/course_guard), which refuses any
module that the project's own files import from outside the course's package list
(envs/course_packages.tsv) and the standard library; the guard itself is shown to fail; the code is
checked for Python 3.10, the course's version.

The same scripts in a real venv with the course's pins (envs/course_env.sh) are compared with this
environment by the test marked ``course_env``: deselected by default (building that venv downloads about
2.5 GB and takes minutes), run it with ``pytest -m course_env tests/test_course_env.py``.
"""

import builtins
import hashlib
import os
import subprocess
import sys

import pytest
from conftest import REPO, assert_one_line_error, run_script

from dlcv_hw2 import course
from dlcv_hw2.handin import grading

GUARD_LINE = "import guard: "


def problems_of(run, inputs):
    """What went wrong with one grading run under the guard, naming the script; "" when nothing did."""
    refused = [line for line in run.stderr.splitlines() if line.startswith(GUARD_LINE)]
    if refused:
        return f"{run.script.path}: {refused[0]}"
    if run.returncode != 0:
        return f"{run.script.path} exited {run.returncode}: {run.stderr.strip()[-500:]}"
    problem = grading.check_output(run, inputs)
    return f"{run.script.path}: {problem}" if problem else ""


# ------------------------------------------------------------------------------------- the guard itself
def fake_repository(root, code):
    """A repository of one grading script, hw2_1.sh, that runs sample.py (``code``) as the real ones run
    theirs; sample.py writes the 1000 digits only when its imports worked."""
    root.mkdir()
    (root / "hw2_1.sh").write_text('exec "${HW2_PYTHON:-python3}" "$(dirname "$0")/sample.py" "$@"\n')
    writer = (
        "import os, sys\nfrom PIL import Image\nos.makedirs(sys.argv[1])\nfor d in range(10):\n"
        "    for j in range(1, 101):\n"
        "        Image.new('RGB', (28, 28)).save(os.path.join(sys.argv[1], f'{d}_{j:03d}.png'))\n"
    )
    (root / "sample.py").write_text(code + "\n" + writer)
    return root


@pytest.mark.parametrize(
    "code, module",
    [
        ("import jsonschema", "jsonschema"),
        ("from jsonschema import validate", "jsonschema"),
        ("import torch\nimport typing_extensions", "typing_extensions"),  # already imported by torch: still refused
        ("import importlib\nimportlib.import_module('snakemake')", "snakemake"),
        ("import torch, numpy, PIL.Image, yaml, json, glob\nfrom dlcv_hw2.core import cli", None),
    ],
)
def test_the_guard_names_a_module_outside_the_course_list_and_the_file_importing_it(code, module, tmp_path):
    repo = fake_repository(tmp_path / "repo", code)
    script = course.GradingScript("hw2_1.sh", "hw2_1.sh", ("{out}",), 900, "digits")
    env = {"COURSE_GUARD_ROOTS": str(repo), "COURSE_GUARD_LOG": str(tmp_path / "guard.log")}
    unguarded = grading.run(script, {}, str(tmp_path), python=sys.executable, repo=str(repo), env=env)
    assert problems_of(unguarded, {}) == ""  # this environment has every module: only the guard tells
    (tmp_path / unguarded.output).rename(tmp_path / "unguarded")
    guarded = grading.run(script, {}, str(tmp_path), python=sys.executable, repo=str(repo), env=env, guard=True)
    problem = problems_of(guarded, {})
    if module is None:
        assert problem == "" and not (tmp_path / "guard.log").exists()
        return
    assert problem.startswith(
        f"hw2_1.sh: {GUARD_LINE}{repo / 'sample.py'} imports {module!r}, which is neither in the course's package list"
    ), problem
    assert guarded.returncode != 0 and not os.path.exists(guarded.output)
    assert (tmp_path / "guard.log").read_text() == f"{repo / 'sample.py'}\t{module}\n"


def test_the_guard_leaves_the_allowed_packages_imports_to_them(tmp_path):
    """torch imports sympy, jinja2, filelock ... for itself: not the project's imports, not refused."""
    repo = fake_repository(tmp_path / "repo", "import torch\nimport torchvision\nimport sklearn.manifold")
    script = course.GradingScript("hw2_1.sh", "hw2_1.sh", ("{out}",), 900, "digits")
    run = grading.run(
        script,
        {},
        str(tmp_path),
        python=sys.executable,
        repo=str(repo),
        guard=True,
        env={"COURSE_GUARD_ROOTS": str(repo)},
    )
    assert problems_of(run, {}) == ""


def test_the_course_list_is_the_assignments():
    import importlib.util

    # loaded under another name than sitecustomize, the guard is not installed in this process
    spec = importlib.util.spec_from_file_location("course_guard", os.path.join(grading.GUARD, "sitecustomize.py"))
    guard = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(guard)
    assert builtins.__import__ is not guard.guarded_import
    assert guard.course_modules() == {
        "numpy",
        "torch",
        "torchvision",
        "sklearn",
        "timm",
        "transformers",
        "matplotlib",
        "PIL",
        "imageio",
        "scipy",
        "skimage",
        "pandas",
        "tqdm",
        "gdown",
        "yaml",
    }
    rows = [
        line.split("\t") for line in open(os.path.join(REPO, "envs", "course_packages.tsv")) if not line.startswith("#")
    ]
    versions = {r[0]: r[1] for r in rows[1:]}
    assert versions["torch"] == "2.0.1" and versions["torchvision"] == "0.15.2" and versions["numpy"] == "1.23.1"


def test_the_code_needs_no_python_newer_than_the_courses_3_10():
    vermin = os.path.join(os.path.dirname(sys.executable), "vermin")
    proc = subprocess.run(
        [
            vermin,
            "--target=3.10-",
            "--violations",
            "--no-tips",
            "dlcv_hw2",
            "workflow/scripts",
            "envs/course_guard",
            "benchmarks",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# ----------------------------------------------------------------- every grading script under the guard
@pytest.fixture(scope="module")
def inputs(all_years_run, small_face_unet):
    return grading.inputs_for(str(all_years_run / "results" / "hw2_data"), str(small_face_unet))


@pytest.mark.parametrize("year", tuple(course.YEARS))
def test_every_grading_script_of_the_year_runs_under_the_course_import_guard(year, all_years_run, inputs, tmp_path):
    log = tmp_path / "guard.log"
    problems = []
    for script in course.year(year).grading:
        run = grading.run(
            script,
            inputs,
            str(tmp_path),
            checkpoints=str(all_years_run / "checkpoints"),
            guard=True,
            env={"COURSE_GUARD_LOG": str(log)},
            timeout=600,
        )
        problems.append(problems_of(run, inputs))
    assert [p for p in problems if p] == []
    assert not log.exists()


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("year", tuple(course.YEARS))
def test_the_years_download_script_fetches_its_checkpoints_under_the_guard(year, all_years_run, tmp_path):
    """A fresh clone whose manifest lists every checkpoint of the year (file:// URLs to the tiny run's)."""
    (tmp_path / "checkpoints").mkdir()
    wanted = course.year(year).checkpoints()
    lines = [f"{c}\t{(all_years_run / c).as_uri()}\t{sha256(all_years_run / c)}" for c in wanted]
    (tmp_path / "checkpoints" / "manifest.tsv").write_text("path\turl\tsha256\n" + "\n".join(lines) + "\n")
    env = {**os.environ, "PYTHONPATH": grading.GUARD, "COURSE_GUARD_LOG": str(tmp_path / "guard.log")}
    proc = subprocess.run(
        ["bash", os.path.join(REPO, course.year(year).download), "--root", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd="/",
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0 and GUARD_LINE not in proc.stderr, proc.stderr
    assert proc.stdout.count("installed (sha256 verified)") == len(wanted)
    for c in wanted:
        assert (tmp_path / c).read_bytes() == (all_years_run / c).read_bytes()
    assert not (tmp_path / "guard.log").exists()


# ------------------------------------------------------------------- the real course environment (marked)
COURSE_PYTHON = os.path.join(REPO, ".venv-course", "bin", "python")


@pytest.mark.course_env
def test_every_grading_script_answers_alike_in_the_course_pinned_venv(all_years_run, small_face_unet, tmp_path):
    """benchmarks/bench_course_env.py on the tiny run: every script of the three years in .venv-course
    (torch 2.0.1, numpy 1.23, Pillow 9.4 ... on Python 3.10) against this environment."""
    import json

    if not os.path.isfile(COURSE_PYTHON):
        pytest.fail(f"{COURSE_PYTHON} is missing: build it with `bash envs/course_env.sh`")
    out = tmp_path / "rows.json"
    proc = subprocess.run(
        [
            sys.executable,
            os.path.join(REPO, "benchmarks", "bench_course_env.py"),
            "--workdir",
            str(all_years_run),
            "--face-dir",
            str(small_face_unet),
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    rows = json.loads(out.read_text())
    assert [r for r in rows if not r["passed"]] == [], proc.stdout
    scripts = sum(len(course.year(y).grading) for y in tuple(course.YEARS))
    assert len(rows) == scripts + 1 + len(tuple(course.YEARS)) and proc.returncode == 0, proc.stdout


@pytest.mark.parametrize(
    "args, fragment",
    [
        ((), "the check needs your student ID (--student-id)"),
        (("--student-id", "r1"), "is not a git repository (build the hand-in: snakemake handin)"),
        (("--student-id", "r1 2"), "argument --student-id: 'r1 2' does not match"),
        (("--year", "2020"), "argument --year: invalid choice: '2020'"),
        (("--student-id", "r1", "--python", "/nowhere/python"), "--python /nowhere/python is not an executable Python"),
    ],
)
def test_the_submission_check_refuses_what_it_cannot_check_in_one_line(args, fragment, tmp_path):
    (tmp_path / "checkpoints").mkdir()
    proc = run_script(
        "check_submission",
        "--year",
        "2023",
        "--repo",
        tmp_path,
        "--data-root",
        tmp_path,
        "--out",
        tmp_path / "check.md",
        *args,
    )
    assert_one_line_error(proc, fragment)
    assert not (tmp_path / "check.md").exists()
