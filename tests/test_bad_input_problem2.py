"""Bad input of problem 2 (DDIM): evaluate_mse.py (the tables' shared pieces: tests/bad_input.py)."""

import os
import shutil

import pytest
from bad_input import (
    WEIRD,
    call,
    check_refused,
    folder,
    input_cases,
    output_cases,
    png,
    table,
    text_file,
    truncated,
)
from PIL import Image


# ------------------------------------------------------------------------------ evaluate_mse.py
@pytest.fixture
def faces(tmp_path):
    """Two matching folders of 00.png .. 02.png (generated and ground truth)."""
    out, gt = tmp_path / "faces_out", tmp_path / "faces_gt"
    out.mkdir()
    gt.mkdir()
    for k in range(3):
        Image.new("RGB", (32, 32), (10 * k, 20, 30)).save(out / f"{k:02d}.png")
        Image.new("RGB", (32, 32), (10 * k + 3, 20, 30)).save(gt / f"{k:02d}.png")
    return out, gt


def _mse(f, t, **over):
    args = {"--out-dir": f[0], "--gt-dir": f[1], "--csv": t / "res" / "mse.csv"}
    args.update(over)
    return [x for k, v in args.items() for x in (k, v)], args["--csv"]


def ms_no_arguments(f, t):
    return [], "arguments are required", t / "res" / "mse.csv"


def ms_unknown_option(f, t):
    argv, out = _mse(f, t)
    return argv + ["--eta", "0"], "unrecognized arguments: --eta 0", out


def ms_gt_lacks_image(f, t):
    os.remove(f[1] / "01.png")
    argv, out = _mse(f, t)
    return argv, "lacks 1 image(s), e.g. 01.png", out


def ms_corrupt_png(f, t):
    text_file(f[0] / "02.png")
    argv, out = _mse(f, t)
    return argv, "02.png", out


def ms_truncated_gt(f, t):
    truncated(f[1] / "00.png", f[1] / "00.png")
    argv, out = _mse(f, t)
    return argv, "00.png", out


def ms_size_mismatch(f, t):
    png(f[1] / "01.png", 64)
    argv, out = _mse(f, t)
    return argv, "is 32x32, ground truth is 64x64", out


def ms_non_image_file(f, t):
    text_file(f[0] / "notes.txt")
    argv, out = _mse(f, t)
    return argv, "is not an image file", out


EVALUATE_MSE = (
    table(ms_no_arguments, ms_unknown_option)
    + input_cases(
        _mse,
        ("missing_out_dir", "--out-dir", lambda f, t: t / "nope", "does not exist"),
        ("missing_gt_dir", "--gt-dir", lambda f, t: t / "nope", "ground-truth folder"),
        ("empty_out_dir", "--out-dir", lambda f, t: folder(t / "empty"), "is empty"),
    )
    + table(ms_gt_lacks_image, ms_corrupt_png, ms_truncated_gt, ms_size_mismatch, ms_non_image_file)
    + output_cases(_mse, "--csv", "mse.csv")
)


@pytest.mark.parametrize("case", EVALUATE_MSE)
def test_evaluate_mse_refuses(case, faces, tmp_path, capfd):
    check_refused(capfd, "evaluate_mse", *case(faces, tmp_path), real_process=case is EVALUATE_MSE[0].values[0])


def test_evaluate_mse_reads_odd_paths(faces, tmp_path, capfd):
    out_dir, gt_dir = tmp_path / WEIRD / "öut", tmp_path / WEIRD / "g t"
    shutil.copytree(faces[0], out_dir)
    shutil.copytree(faces[1], gt_dir)
    proc = call(capfd, "evaluate_mse", "--out-dir", out_dir, "--gt-dir", gt_dir, "--csv", tmp_path / WEIRD / "ü.csv")
    assert proc.returncode == 0, proc.stderr
    assert open(tmp_path / WEIRD / "ü.csv").read().splitlines()[-1] == "mean,3.000000"  # 3^2 on one of 3 channels
