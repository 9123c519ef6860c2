"""Bad input of problem 3 (domain adaptation): train_dann.py (the tables' shared pieces: tests/bad_input.py)."""

import json
import os

import pytest
from bad_input import (
    TINY_DANN,
    WEIRD,
    call,
    input_cases,
    option_cases,
    table,
    truncated,
    under_a_file,
)
from conftest import assert_one_line_error, run_script


# ------------------------------------------------------------------------------ train_dann.py
def _train_dann(a, t, *extra, setting="dann", source=None, target_train=None, target_val=None):
    d = t / "run"
    argv = [
        "--setting",
        setting,
        "--target-train",
        target_train or a["usps_train"],
        "--target-val",
        target_val or a["usps_val"],
        "--model",
        d / "model.pt",
        "--metrics",
        d / "metrics.json",
        *TINY_DANN,
        *map(str, extra),
    ]
    if source is not False:
        argv += ["--source", source or a["mnistm_train"]]
    return argv, d / "model.pt"


def tn_no_arguments(a, t):
    return [], "arguments are required", t / "run" / "model.pt"


def tn_unknown_setting(a, t):
    argv, out = _train_dann(a, t, setting="both")
    return argv, "argument --setting: invalid choice: 'both'", out


def tn_dann_without_source(a, t):
    argv, out = _train_dann(a, t, source=False)
    return argv, "--source is required for source_only, dann and dsn", out


def tn_metrics_under_a_file(a, t):
    argv, out = _train_dann(a, t, "--epochs", "1")
    metrics = under_a_file(t, "metrics.json")
    argv[argv.index("--metrics") + 1] = metrics
    return argv, "", out


TRAIN_DANN = (
    table(tn_no_arguments, tn_unknown_setting, tn_dann_without_source, tn_metrics_under_a_file)
    + option_cases(
        _train_dann,
        ("epochs_zero", ["--epochs", "0"], "argument --epochs: 0 is not >= 1"),
        ("width_zero", ["--width", "0"], "argument --width: 0 is not >= 4"),
        ("zoom_reversed", ["--zoom", "1.4", "1.0"], "invalid setting dann.zoom: lo (1.4) is above hi (1.0)"),
        ("negative_lr", ["--lr", "-1"], "argument --lr: -1 is not > 0"),
        ("unknown_input", ["--input", "hsv"], "argument --input: invalid choice: 'hsv'"),
        ("bn_per_domain_two", ["--bn-per-domain", "2"], "argument --bn-per-domain: invalid choice: 2"),
        ("negative_target_entropy", ["--target-entropy", "-0.5"], "argument --target-entropy: -0.5 is not >= 0"),
        ("dsn_private_width_two", ["--dsn-private-width", "2"], "argument --dsn-private-width: 2 is not >= 4"),
        ("negative_dsn_difference", ["--dsn-difference", "-1"], "argument --dsn-difference: -1 is not >= 0"),
        ("missing_target_test", ["--target-test", "/nonexistent/test.pt"], "does not exist"),
    )
    + input_cases(
        _train_dann,
        ("missing_source", "source", lambda a, t: t / "none.pt", "does not exist"),
        ("test_split_as_target_train", "target_train", lambda a, t: split_cache(a, t), "is a test split"),
        ("test_split_as_source", "source", lambda a, t: split_cache(a, t), "is a test split"),
        (
            "truncated_target",
            "target_train",
            lambda a, t: truncated(a["usps_train"], t / "c" / "t.pt"),
            "unreadable or truncated",
        ),
        ("png_as_target_val", "target_val", lambda a, t: a["png"], "not a file written by torch.save"),
    )
)


def split_cache(a, t):
    """A cache of a test split (which no run may train on)."""
    from dlcv_hw2.data.digits import decode_split, save_cache

    (t / "c").mkdir(exist_ok=True)
    save_cache(decode_split(str(a["mnistm_dir"]), "test"), str(t / "c" / "test.pt"))
    return t / "c" / "test.pt"


@pytest.mark.parametrize("case", TRAIN_DANN)
def test_train_dann_refuses(case, art, tmp_path, capfd):
    argv, fragment, out = case(art, tmp_path)
    proc = run_script("train_dann", *argv) if case is TRAIN_DANN[0].values[0] else call(capfd, "train_dann", *argv)
    assert_one_line_error(proc, fragment)
    assert not os.path.exists(out) and not os.path.exists(t_metrics(argv))


def t_metrics(argv):
    return argv[argv.index("--metrics") + 1] if "--metrics" in argv else "/nonexistent"


def test_train_dann_writes_to_odd_paths(art, tmp_path, capfd):
    d = tmp_path / WEIRD
    proc = call(
        capfd,
        "train_dann",
        "--setting",
        "target_only",
        "--target-train",
        art["usps_train"],
        "--target-val",
        art["usps_val"],
        "--model",
        d / "mödel.pt",
        "--metrics",
        d / "m e.json",
        *TINY_DANN,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.load(open(d / "m e.json"))["setting"] == "target_only" and os.path.getsize(d / "mödel.pt") > 0
