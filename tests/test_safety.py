"""Checkpoints are data, never code: every torch.load is weights_only, and a checkpoint whose
unpickling would run a command is refused by every entry point without the command running."""

import os
import re
import subprocess

import pytest
import torch
from conftest import REPO, assert_one_line_error, run_script


class _RunsCommand:
    """Unpickling this calls os.system(command): what a malicious checkpoint would do."""

    def __init__(self, command):
        self.command = command

    def __reduce__(self):
        return (os.system, (self.command,))


@pytest.fixture
def evil(tmp_path):
    marker = tmp_path / "code_ran"
    folder = tmp_path / "ckpt"
    folder.mkdir()
    payload = {"kind": "dlcv_hw2.ddpm", "config": {}, "ema": _RunsCommand(f"touch {marker}")}
    for name in ("ddpm.pt", "dann_usps.pt", "model.pt"):
        torch.save(payload, folder / name)
    return folder, marker


def _images(folder, n=3, name="{i}_{i:03d}.png"):
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        Image.new("RGB", (28, 28), (i * 40, 0, 0)).save(folder / name.format(i=i))
    return folder


def test_hw2_1_refuses_a_code_running_checkpoint(evil, tmp_path):
    folder, marker = evil
    env = dict(os.environ, HW2_DDPM_CHECKPOINT=str(folder / "ddpm.pt"))
    proc = subprocess.run(
        ["bash", os.path.join(REPO, "hw2_1.sh"), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert_one_line_error(proc, "was refused")
    assert not marker.exists()
    assert not (tmp_path / "out").exists() or not os.listdir(tmp_path / "out")


def test_hw2_3_refuses_a_code_running_checkpoint(evil, tmp_path):
    folder, marker = evil
    images = _images(tmp_path / "usps" / "test")
    env = dict(os.environ, HW2_CHECKPOINTS=str(folder))
    proc = subprocess.run(
        ["bash", os.path.join(REPO, "hw2_3.sh"), str(images), str(tmp_path / "pred.csv")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert_one_line_error(proc, "was refused")
    assert not marker.exists() and not (tmp_path / "pred.csv").exists()


def test_evaluation_and_sampling_scripts_refuse_it(evil, tmp_path):
    folder, marker = evil
    images = _images(tmp_path / "samples")
    proc = run_script(
        "evaluate_digits",
        "--folder",
        images,
        "--classifier",
        folder / "model.pt",
        "--kind",
        "project",
        "--out",
        tmp_path / "acc.csv",
    )
    assert_one_line_error(proc, "was refused")
    proc = run_script("sample_ddpm", "--model", folder / "ddpm.pt", "--out", tmp_path / "s", "--per-digit", "1")
    assert_one_line_error(proc, "was refused")
    assert not marker.exists()
    assert not (tmp_path / "acc.csv").exists()


def test_every_torch_load_in_the_code_is_weights_only():
    calls = []
    for root in ("dlcv_hw2", "workflow/scripts", "benchmarks"):
        for dirpath, _, files in os.walk(os.path.join(REPO, root)):
            for f in files:
                if f.endswith(".py"):
                    text = open(os.path.join(dirpath, f), encoding="utf-8").read()
                    calls += [(f, m.group(0)) for m in re.finditer(r"torch\.load\([^)]*\)", text)]
    assert calls, "no torch.load found: the scan is broken"
    unsafe = [c for c in calls if "weights_only=True" not in c[1]]
    assert not unsafe, unsafe
