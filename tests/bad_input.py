"""Shared pieces of the bad-input tables (tests/test_bad_input_*.py, issue 8): every user-facing workflow
script against a table of at least ten bad inputs. Each case asserts one ``error:`` line on stderr, a
non-zero exit, no traceback and no output left behind; each script also runs once on valid paths with
spaces and non-ASCII characters. Cases run the script's ``main`` in this process (the code path of the
command line without a second of interpreter start-up per case); the first case of every table also
runs as a real process.

The grading scripts have their own tables (tests/test_ddpm.py, test_faces.py, test_dann.py,
test_safety.py), and build_cache.py's data-validation cases are in tests/test_data_layer.py. The valid
inputs the tables break (``art``) are built once per session: conftest.py loads this module as a plugin.
"""

import os
import shutil

import pytest
from conftest import assert_one_line_error, load_script, run_script
from PIL import Image

TINY_DDPM = (
    "--base-channels 8 --channel-mults 1 2 --T 20 --batch-size 8 --warmup-steps 1 --lr 1e-2 --prediction x0".split()
)
TINY_DANN = ["--epochs", "1", "--width", "4", "--hidden", "8", "--batch-size", "20"]
TINY_ACGAN = ["--epochs", "1", "--batch-size", "20", "--z-dim", "8", "--g-channels", "4", "--d-channels", "4"]
WEIRD = "dir with spaces ÄÖ 数字"


class Result:
    def __init__(self, code, stdout, stderr):
        self.returncode, self.stdout, self.stderr = code, stdout, stderr


def call(capfd, script, *args):
    """``script.main(args)`` in this process: its exit code and what it wrote."""
    main = load_script(script).main
    capfd.readouterr()
    try:
        main([str(a) for a in args])
        code = 0
    except SystemExit as exc:
        code = exc.code
    out, err = capfd.readouterr()
    return Result(code, out, err)


def png(path, size=28, mode="RGB"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    Image.new(mode, (size, size), 90).save(path)
    return path


def truncated(src, dst):
    data = open(src, "rb").read()
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    open(dst, "wb").write(data[: len(data) // 2])
    return dst


def text_file(path, text="not what you think"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, "w").write(text)
    return path


def under_a_file(t, name):
    """An output path whose parent is a regular file."""
    return text_file(t / "plainfile") / name


@pytest.fixture(scope="session")
def art(tiny_digits, tmp_path_factory):
    """Valid inputs the tables break one at a time: caches, a DDPM model, state and grading checkpoint,
    a DANN model, a folder of D_NNN.png samples."""
    from dlcv_hw2.data.digits import decode_split, save_cache

    d = tmp_path_factory.mktemp("bad_input")
    a = {}
    for dom in ("mnistm", "usps"):
        for split in ("train", "val"):
            a[f"{dom}_{split}"] = d / f"{dom}_{split}.pt"
            save_cache(decode_split(str(tiny_digits / "digits" / dom), split), str(a[f"{dom}_{split}"]))
    a["mnistm_dir"] = tiny_digits / "digits" / "mnistm"
    a["ddpm_model"], a["ddpm_state"], a["ddpm"] = d / "ddpm_model.pt", d / "ddpm_state.pt", d / "ddpm.pt"
    proc = run_script(
        "train_ddpm",
        "--cache",
        a["mnistm_train"],
        "--model",
        a["ddpm_model"],
        "--state",
        a["ddpm_state"],
        "--loss-csv",
        d / "loss.csv",
        "--epochs",
        "1",
        *TINY_DDPM,
    )
    assert proc.returncode == 0, proc.stderr
    proc = run_script("export_checkpoint", "ddpm", "--model", a["ddpm_model"], "--out", a["ddpm"], "--steps", "2")
    assert proc.returncode == 0, proc.stderr
    a["dann"] = d / "dann.pt"
    proc = run_script(
        "train_dann",
        "--setting",
        "target_only",
        "--target-train",
        a["usps_train"],
        "--target-val",
        a["usps_val"],
        "--model",
        a["dann"],
        "--metrics",
        d / "dann.json",
        *TINY_DANN,
    )
    assert proc.returncode == 0, proc.stderr
    a["acgan_model"], a["acgan_state"], a["acgan"] = d / "acgan_model.pt", d / "acgan_state.pt", d / "acgan.pt"
    proc = run_script(
        "train_acgan",
        "--cache",
        a["mnistm_train"],
        "--model",
        a["acgan_model"],
        "--state",
        a["acgan_state"],
        "--loss-csv",
        d / "acgan_loss.csv",
        *TINY_ACGAN,
    )
    assert proc.returncode == 0, proc.stderr
    proc = run_script("export_checkpoint", "acgan", "--model", a["acgan_model"], "--out", a["acgan"])
    assert proc.returncode == 0, proc.stderr
    a["samples"] = d / "samples"
    a["samples"].mkdir()
    src = sorted((a["mnistm_dir"] / "data").iterdir())
    for k in range(10):
        shutil.copy(src[k], a["samples"] / f"{k}_001.png")
    a["png"] = src[0]
    return a


def check_refused(capfd, script, argv, fragment, out, real_process=False):
    proc = run_script(script, *argv) if real_process else call(capfd, script, *argv)
    assert_one_line_error(proc, fragment)
    assert not os.path.exists(out), f"{out} was written"
    parent = os.path.dirname(out)
    if os.path.isdir(parent):
        assert not [n for n in os.listdir(parent) if not n.startswith(".")], os.listdir(parent)
    return proc


def table(*cases):
    return [pytest.param(fn, id=fn.__name__) for fn in cases]


def input_cases(builder, *rows):
    """Cases that replace one input of a valid command line: rows of (id, builder keyword, the bad
    input as a function of the artefacts and the test folder, expected fragment)."""

    def case(keyword, make, fragment):
        def run(a, t):
            argv, out = builder(a, t, **{keyword: make(a, t)})
            return argv, fragment, out

        return run

    return [pytest.param(case(k, m, f), id=name) for name, k, m, f in rows]


def folder(path):
    path.mkdir(parents=True)
    return path


def output_cases(builder, flag, name):
    """The output file ``flag`` under a regular file, and as an existing folder."""

    def output_under_a_file(a, t):
        out = under_a_file(t, name)
        return builder(a, t, **{flag: out})[0], "cannot create folder", out

    def output_is_a_folder(a, t):
        out = folder(t / "res" / name)
        return builder(a, t, **{flag: out})[0], "is a folder", out / "x"

    return table(output_under_a_file, output_is_a_folder)


def option_cases(builder, *rows):
    """Cases that add options to a valid command line: rows of (id, options, expected fragment)."""

    def case(options, fragment):
        def make(a, t):
            argv, out = builder(a, t, *options)
            return argv, fragment, out

        return make

    return [pytest.param(case(options, fragment), id=name) for name, options, fragment in rows]
