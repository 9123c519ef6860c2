"""Each year's hand-in (`snakemake handin`): built from the tiny run, cloned at main, downloaded and graded as
the TAs grade it (`snakemake submission`); its faults named as fail rows; its bad input refused in one line."""

import functools
import hashlib
import http.server
import os
import shutil
import subprocess
import sys
import threading

import pytest
from conftest import REPO, assert_one_line_error, run_script, snakemake

from dlcv_hw2 import course
from dlcv_hw2.handin import grading, repository

ID = "r12345678"


def rows_of(check_md):
    """{check: (result, measured)} of a check.md table."""
    rows = [
        line[2:-2].split(" | ")
        for line in open(check_md).read().splitlines()
        if line.startswith("| ") and not line.startswith("| check |")
    ]
    return {r[0]: (r[1], r[2]) for r in rows}


def git(repo, *args):
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


def copy_run(all_years_run, dest):
    """What a hand-in reads from a run, in a folder of its own: the checkpoints, the reports, the test images."""
    for part in ("checkpoints", "report"):
        shutil.copytree(all_years_run / part, dest / part)
    (dest / "results").mkdir()
    shutil.copytree(all_years_run / "results" / "hw2_data", dest / "results" / "hw2_data")
    return dest


@pytest.mark.parametrize("year", tuple(course.YEARS))
def test_each_years_handin_is_built_cloned_downloaded_and_graded(year, all_years_run, tmp_path):
    """`snakemake handin submission` on a copy of the tiny run: nothing trains again, every row passes (2023's
    hw2_2.sh skipped without the course's UNet.pt), and the hand-in holds what the year's entry says."""
    work = tmp_path / "run"
    shutil.copytree(all_years_run, work, symlinks=True)
    proc = snakemake(work, "handin", "submission", "--cores", "2", config=[f"assignment={year}", f"student_id={ID}"])
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "rule train_" not in proc.stdout + proc.stderr
    rows = rows_of(work / "results" / "submission" / "check.md")
    entry = course.year(year)
    skipped = {f"bash {s.handin_path} runs ({s.name})" for s in entry.grading if s.writes == "ddim"}
    assert {k for k, (r, _) in rows.items() if r == "skipped"} == skipped
    assert [(k, v) for k, v in rows.items() if k not in skipped and v[0] != "pass"] == []
    assert len(rows) == 2 + len(entry.checkpoints()) + len(entry.grading) + 3, rows
    assert rows[f"the report hw2_{ID}.pdf"][1].startswith("committed; ")

    handin = work / "results" / "handin" / year
    files = git(handin, "ls-files").split()
    roots = {f for f in files if "/" not in f}
    assert roots == {*entry.handin_scripts(), f"hw2_{ID}.pdf", "README.md", ".gitignore"} | {
        "Snakefile",
        "config.yaml",
        "pyproject.toml",
    }
    assert {f for f in files if f.startswith("checkpoints/")} == {*entry.checkpoints(), "checkpoints/manifest.tsv"}
    assert not [f for f in files if f.split("/")[0] in ("results", "hw2_data", "past_years", "tests", ".venv")]
    assert [f for f in files if f.endswith(".pt")] == sorted(entry.checkpoints())
    assert git(handin, "rev-list", "--count", "main").strip() == "1"
    for ckpt in entry.checkpoints():  # the trained models, as they are
        assert (handin / ckpt).read_bytes() == (work / ckpt).read_bytes()
    assert (handin / f"hw2_{ID}.pdf").read_bytes() == (work / f"hw2_{ID}.pdf").read_bytes()
    assert "bash hw2_download.sh" in (handin / "README.md").read_text()

    # a rebuild gives the same commit
    again = tmp_path / "again"
    proc = run_script(
        "make_handin", "--year", year, "--repo", REPO, "--workdir", work, "--student-id", ID, "--out", again
    )
    assert proc.returncode == 0, proc.stderr
    assert git(again, "rev-parse", "HEAD") == git(handin, "rev-parse", "HEAD")


def test_a_tas_run_of_the_2022_handin_draws_the_projects_faces(all_years_run, tmp_path):
    """git clone, bash hw2_download.sh, bash hw2_1.sh out from the clone: the same 1000 faces as the project's
    own past_years/2022/hw2_1.sh on the same checkpoint."""
    work = copy_run(all_years_run, tmp_path / "run")
    shutil.copy(work / "report" / "hw2_report_2022.pdf", work / f"hw2_{ID}.pdf")
    handin = tmp_path / "handin"
    proc = run_script(
        "make_handin", "--year", "2022", "--repo", REPO, "--workdir", work, "--student-id", ID, "--out", handin
    )
    assert proc.returncode == 0, proc.stderr
    clone = tmp_path / "x"
    subprocess.run(["git", "clone", "-q", str(handin), str(clone)], check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HW2_")}
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env["PATH"]  # the TAs' python3: torch and all
    for cmd in (["bash", "hw2_download.sh"], ["bash", "hw2_1.sh", "out"]):
        proc = subprocess.run(cmd, cwd=clone, env=env, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr
    ours = tmp_path / "ours"
    env["HW2_CHECKPOINTS"] = str(work / "checkpoints")
    proc = subprocess.run(["bash", os.path.join(REPO, "past_years", "2022", "hw2_1.sh"), str(ours)], env=env)
    assert proc.returncode == 0
    names = sorted(os.listdir(ours))
    assert names == sorted(os.listdir(clone / "out")) and len(names) == 1000
    assert all((clone / "out" / n).read_bytes() == (ours / n).read_bytes() for n in names)


class Files(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def hosting(tmp_path):
    """A local web server on 127.0.0.1 serving a folder: (its URL, the folder)."""
    folder = tmp_path / "hosted"
    folder.mkdir()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Files, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", folder
    httpd.shutdown()


def check(handin, data_root, out, year="2023"):
    proc = run_script(
        "check_submission", "--year", year, "--repo", handin, "--data-root", data_root, "--student-id", ID, "--out", out
    )
    assert proc.returncode == 0, proc.stderr
    return rows_of(out)


def test_hosted_checkpoints_are_fetched_for_real_and_a_web_page_is_a_fail_naming_the_fix(
    all_years_run, hosting, tmp_path
):
    """Every 2023 checkpoint over the (lowered) size limit goes in as its manifest line; the check's clone
    fetches them from the local server, sha256-verified; a link that answers with a page fails, naming the fix."""
    url, folder = hosting
    work = copy_run(all_years_run, tmp_path / "run")
    shutil.copy(work / "report" / "hw2_report.pdf", work / f"hw2_{ID}.pdf")
    wanted = course.year("2023").checkpoints()
    lines = []
    for ckpt in wanted:
        name = os.path.basename(ckpt)
        shutil.copy(work / ckpt, folder / name)
        lines.append(f"{ckpt}\t{url}/{name}\t{hashlib.sha256((work / ckpt).read_bytes()).hexdigest()}\n")
    (work / "checkpoints" / "manifest.tsv").write_text("path\turl\tsha256\n" + "".join(lines))
    handin = tmp_path / "handin"
    repository.build("2023", REPO, str(work), ID, str(handin), limit_mb=0)
    assert [f for f in git(handin, "ls-files").split() if f.endswith(".pt")] == []
    assert grading.read_manifest(str(handin / "checkpoints" / "manifest.tsv")).keys() == set(wanted)
    data = work / "results" / "hw2_data"

    rows = check(handin, data, tmp_path / "check.md")
    for ckpt in wanted:
        assert rows[f"{ckpt} reaches the TAs"] == (
            "pass",
            f"fetched from {url}/{os.path.basename(ckpt)}, sha256 verified",
        )
    assert rows["bash hw2_3.sh runs (hw2_3.sh usps)"][0] == "pass"

    (folder / "dann_usps.pt").write_text("<!DOCTYPE html>\n<html><body>Sign in to continue</body></html>\n")
    rows = check(handin, data, tmp_path / "check2.md")
    result, measured = rows["checkpoints/dann_usps.pt reaches the TAs"]
    assert result == "fail" and "answers with a web page" in measured and "Anyone with the link" in measured, measured
    assert rows["bash hw2_3.sh runs (hw2_3.sh usps)"][0] == "fail"


def test_an_untracked_report_and_an_uncommitted_checkpoint_are_fail_rows(all_years_run, tmp_path):
    work = copy_run(all_years_run, tmp_path / "run")
    shutil.copy(work / "report" / "hw2_report.pdf", work / f"hw2_{ID}.pdf")
    handin = tmp_path / "handin"
    repository.build("2023", REPO, str(work), ID, str(handin))
    git(handin, "rm", "-q", "--cached", f"hw2_{ID}.pdf")
    git(handin, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "report out of the index")
    shutil.copy(
        work / "checkpoints" / "dann_svhn.pt", handin / "checkpoints" / "dann_usps.pt"
    )  # retrained, not committed
    rows = check(handin, work / "results" / "hw2_data", tmp_path / "check.md")
    result, measured = rows["nothing the TAs need is left out of main"]
    assert result == "fail"
    assert f"hw2_{ID}.pdf is not committed on main" in measured
    assert "checkpoints/dann_usps.pt differs from main (uncommitted)" in measured
    assert rows[f"the report hw2_{ID}.pdf"] == (
        "fail",
        f"hw2_{ID}.pdf is not committed on main (git add hw2_{ID}.pdf, commit, push)",
    )
    assert rows["checkpoints/dann_usps.pt reaches the TAs"] == ("pass", "committed on main")  # the committed one


# ------------------------------------------------------------------------------------------------- bad input
def test_handin_without_a_student_id_is_one_line_before_anything_runs(tmp_path):
    proc = snakemake(tmp_path, "handin", "--cores", "1", config=["assignment=2022"])
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert (
        "error: the hand-in needs your student ID: snakemake handin --config assignment=2022 student_id=YOUR_ID" in out
    )
    assert not (tmp_path / "results").exists()


@pytest.mark.parametrize(
    "args, fragment",
    [
        (("--student-id", ""), "the hand-in needs your student ID: snakemake handin --config assignment=2021"),
        (
            ("--student-id", ID),
            "checkpoints/face_gan.pt is missing (7 of the 9 checkpoints and report of the 2021 hand-in are); make "
            f"them first: snakemake all --config assignment=2021 student_id={ID}",
        ),
        (("--student-id", "r1/2"), "argument --student-id: 'r1/2' does not match"),
    ],
)
def test_make_handin_refuses_in_one_line_and_writes_nothing(args, fragment, tmp_path):
    (tmp_path / "checkpoints").mkdir()
    (tmp_path / "checkpoints" / "acgan.pt").write_bytes(b"x")
    (tmp_path / f"hw2_{ID}.pdf").write_bytes(b"%PDF")
    out = tmp_path / "results" / "handin" / "2021"
    proc = run_script("make_handin", "--year", "2021", "--repo", REPO, "--workdir", tmp_path, "--out", out, *args)
    assert_one_line_error(proc, fragment)
    assert not out.exists()
    assert not out.parent.exists() or os.listdir(out.parent) == []
