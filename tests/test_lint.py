"""Lint, run by the test command: ruff (pyflakes, pycodestyle, import order, a complexity limit of 10;
line length 120, see pyproject.toml), ruff's formatter, and snakefmt's check of the Snakefile and the
rules. All must be clean."""

import os
import subprocess
import sys

from conftest import REPO

BIN = os.path.dirname(sys.executable)


def test_ruff_is_clean():
    proc = subprocess.run(
        [os.path.join(BIN, "ruff"), "check", "--no-cache", "."], cwd=REPO, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_format_is_clean():
    proc = subprocess.run(
        [os.path.join(BIN, "ruff"), "format", "--check", "--no-cache", "."], cwd=REPO, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_snakefmt_check_is_clean():
    proc = subprocess.run(
        [os.path.join(BIN, "snakefmt"), "--check", "Snakefile", "workflow/rules"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
