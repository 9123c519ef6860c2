"""Bad input of problem 1 (the DDPM) and the digit data: evaluate_digits.py, sample_ddpm.py, train_ddpm.py,
build_cache.py (the tables' shared pieces: tests/bad_input.py)."""

import os
import shutil

import pytest
from bad_input import (
    TINY_DDPM,
    WEIRD,
    call,
    check_refused,
    folder,
    input_cases,
    option_cases,
    output_cases,
    png,
    table,
    text_file,
    truncated,
    under_a_file,
)
from conftest import CLASSIFIER, assert_one_line_error, need_shared, run_script


# ------------------------------------------------------------------------------ evaluate_digits.py
def _eval(a, t, *extra, **over):
    args = {"--folder": a["samples"], "--classifier": a["dann"], "--kind": "project", "--out": t / "res" / "acc.csv"}
    args.update(over)
    return [x for k, v in args.items() for x in (k, v)] + list(extra), args["--out"]


def _eval_folder_with(a, t, name, make):
    f = t / "folder"
    shutil.copytree(a["samples"], f)
    make(f / name)
    return _eval(a, t, **{"--folder": f})


def no_arguments(a, t):
    return [], "arguments are required", t / "res" / "acc.csv"


def ev_not_a_png(a, t):
    argv, out = _eval_folder_with(a, t, "3_002.png", text_file)
    return argv, "unreadable or truncated", out


def ev_truncated_png(a, t):
    argv, out = _eval_folder_with(a, t, "3_002.png", lambda p: truncated(a["png"], p))
    return argv, "unreadable or truncated", out


def ev_wrong_size(a, t):
    argv, out = _eval_folder_with(a, t, "3_002.png", lambda p: png(p, 32))
    return argv, "is 32x32, expected 28x28", out


def ev_unlabelled_name(a, t):
    argv, out = _eval_folder_with(a, t, "x_002.png", png)
    return argv, "name does not start with a digit", out


def ev_text_file_in_folder(a, t):
    argv, out = _eval_folder_with(a, t, "notes.txt", text_file)
    return argv, "is not an image file", out


def ev_cache_is_a_png(a, t):
    out = t / "res" / "acc.csv"
    argv = ["--cache", a["png"], "--classifier", a["dann"], "--kind", "project", "--out", out]
    return argv, "unreadable or truncated", out


EVALUATE = (
    table(no_arguments)
    + option_cases(
        _eval,
        ("unknown_option", ["--bogus"], "unrecognized arguments: --bogus"),
        ("folder_and_cache", ["--cache", "x.pt"], "not allowed with argument"),
        ("batch_size_zero", ["--batch-size", "0"], "argument --batch-size: 0 is not >= 1"),
    )
    + input_cases(
        _eval,
        ("missing_classifier", "--classifier", lambda a, t: t / "none.pth", "does not exist"),
        (
            "truncated_classifier",
            "--classifier",
            lambda a, t: truncated(a["dann"], t / "c" / "c.pth"),
            "unreadable or truncated",
        ),
        (
            "ddpm_as_classifier",
            "--classifier",
            lambda a, t: a["ddpm"],
            "is not a digit classifier written by this project",
        ),
        ("project_model_as_official", "--kind", lambda a, t: "official", "does not fit"),
        ("missing_folder", "--folder", lambda a, t: t / "nope", "does not exist"),
        ("empty_folder", "--folder", lambda a, t: folder(t / "empty"), "is empty"),
    )
    + table(
        ev_not_a_png, ev_truncated_png, ev_wrong_size, ev_unlabelled_name, ev_text_file_in_folder, ev_cache_is_a_png
    )
    + output_cases(_eval, "--out", "acc.csv")
)


@pytest.mark.parametrize("case", EVALUATE)
def test_evaluate_digits_refuses(case, art, tmp_path, capfd):
    check_refused(capfd, "evaluate_digits", *case(art, tmp_path), real_process=case is EVALUATE[0].values[0])


def test_evaluate_digits_reads_odd_paths(art, tmp_path, capfd):
    need_shared(CLASSIFIER)
    folder, out = tmp_path / WEIRD / "samples", tmp_path / WEIRD / "out" / "acc ü.csv"
    shutil.copytree(art["samples"], folder)
    proc = call(capfd, "evaluate_digits", "--folder", folder, "--classifier", CLASSIFIER, "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert open(out).read().splitlines()[-1].startswith("all,10,")


# ------------------------------------------------------------------------------ sample_ddpm.py
def _sample(a, t, *extra, model=None):
    out = t / "out" / "samples"
    return ["--model", model or a["ddpm"], "--out", out, "--per-digit", "1", *map(str, extra)], out


def sd_no_arguments(a, t):
    return [], "arguments are required", t / "out" / "samples"


def sd_out_is_a_file(a, t):
    text_file(t / "out" / "samples")
    argv, _ = _sample(a, t)
    proc_out = t / "out" / "samples" / "0_001.png"
    return argv, "exists and is not a folder", proc_out


def sd_out_under_a_file(a, t):
    out = under_a_file(t, "samples")
    argv, _ = _sample(a, t)
    argv[3] = out
    return argv, "cannot create folder", out


SAMPLE = (
    table(sd_no_arguments)
    + option_cases(
        _sample,
        ("per_digit_zero", ["--per-digit", "0"], "argument --per-digit: 0 is not >= 1"),
        ("per_digit_1000", ["--per-digit", "1000"], "argument --per-digit: 1000 is not <= 999"),
        ("steps_zero", ["--steps", "0"], "argument --steps: 0 is not >= 1"),
        ("steps_above_T", ["--steps", "21"], "--steps must be between 1 and T=20"),
        ("guidance_nan", ["--guidance", "nan"], "argument --guidance: 'nan' is not a finite number"),
        ("unknown_sampler", ["--sampler", "euler"], "argument --sampler: invalid choice: 'euler'"),
        ("batch_size_zero", ["--batch-size", "0"], "argument --batch-size: 0 is not >= 1"),
    )
    + input_cases(
        _sample,
        ("missing_model", "model", lambda a, t: t / "none.pt", "does not exist"),
        ("truncated_model", "model", lambda a, t: truncated(a["ddpm"], t / "m" / "ddpm.pt"), "unreadable or truncated"),
        ("classifier_as_model", "model", lambda a, t: a["dann"], "is not a DDPM checkpoint"),
        ("training_state_as_model", "model", lambda a, t: a["ddpm_state"], "is not a DDPM checkpoint"),
        ("model_is_a_folder", "model", lambda a, t: folder(t / "m"), "does not exist"),
    )
    + table(sd_out_is_a_file, sd_out_under_a_file)
)


@pytest.mark.parametrize("case", SAMPLE)
def test_sample_ddpm_refuses(case, art, tmp_path, capfd):
    check_refused(capfd, "sample_ddpm", *case(art, tmp_path), real_process=case is SAMPLE[0].values[0])


def test_sample_ddpm_writes_to_odd_paths(art, tmp_path, capfd):
    out = tmp_path / WEIRD / "sämples"
    proc = call(capfd, "sample_ddpm", "--model", art["ddpm"], "--out", out, "--per-digit", "2", "--steps", "2")
    assert proc.returncode == 0, proc.stderr
    assert sorted(os.listdir(out)) == sorted(f"{d}_{j:03d}.png" for d in range(10) for j in (1, 2))


# ------------------------------------------------------------------------------ train_ddpm.py
def _train_ddpm(a, t, *extra, cache=None):
    d = t / "run"
    return [
        "--cache",
        cache or a["mnistm_train"],
        "--model",
        d / "model.pt",
        "--state",
        d / "state.pt",
        "--loss-csv",
        d / "loss.csv",
        "--epochs",
        "1",
        *TINY_DDPM,
        *map(str, extra),
    ], d / "model.pt"


def td_no_arguments(a, t):
    return [], "arguments are required", t / "run" / "model.pt"


def td_output_under_a_file(a, t):
    under_a_file(t, "x")
    d = t / "plainfile"
    argv, _ = _train_ddpm(a, t)
    argv[3], argv[5], argv[7] = d / "model.pt", d / "state.pt", d / "loss.csv"
    return argv, "", d / "model.pt"


def td_state_of_other_settings(a, t):
    argv, out = _train_ddpm(a, t, "--base-channels", "16")
    os.makedirs(t / "run")
    shutil.copy(a["ddpm_state"], t / "run" / "state.pt")
    return argv, "was made with other settings", out


TRAIN_DDPM = (
    table(td_no_arguments)
    + option_cases(
        _train_ddpm,
        ("epochs_zero", ["--epochs", "0"], "argument --epochs: 0 is not >= 1"),
        ("T_one", ["--T", "1"], "argument --T: 1 is not >= 2"),
        ("label_dropout_one", ["--label-dropout", "1"], "argument --label-dropout: 1 is not < 1"),
        (
            "betas_reversed",
            ["--beta-start", "0.02", "--beta-end", "0.0001"],
            "invalid setting ddpm.beta_start (0.02) must be below ddpm.beta_end (0.0001)",
        ),
        ("lr_text", ["--lr", "fast"], "argument --lr: 'fast' is not a number"),
        ("channel_mult_zero", ["--channel-mults", "1", "0"], "argument --channel-mults: 0 is not >= 1"),
    )
    + input_cases(
        _train_ddpm,
        ("missing_cache", "cache", lambda a, t: t / "none.pt", "does not exist"),
        (
            "truncated_cache",
            "cache",
            lambda a, t: truncated(a["mnistm_train"], t / "c" / "train.pt"),
            "unreadable or truncated",
        ),
        ("png_as_cache", "cache", lambda a, t: a["png"], "not a file written by torch.save"),
        ("model_as_cache", "cache", lambda a, t: a["ddpm"], "is not a digit cache"),
    )
    + table(td_output_under_a_file, td_state_of_other_settings)
)


@pytest.mark.parametrize("case", TRAIN_DDPM)
def test_train_ddpm_refuses(case, art, tmp_path, capfd):
    argv, fragment, out = case(art, tmp_path)
    proc = run_script("train_ddpm", *argv) if case is TRAIN_DDPM[0].values[0] else call(capfd, "train_ddpm", *argv)
    assert_one_line_error(proc, fragment)
    assert not os.path.exists(out)
    loss_csv = os.path.join(os.path.dirname(out), "loss.csv")
    assert not os.path.exists(loss_csv)


def test_train_ddpm_writes_to_odd_paths(art, tmp_path, capfd):
    d = tmp_path / WEIRD
    cache = d / "cäche.pt"
    os.makedirs(d)
    shutil.copy(art["mnistm_train"], cache)
    proc = call(
        capfd,
        "train_ddpm",
        "--cache",
        cache,
        "--model",
        d / "m ö.pt",
        "--state",
        d / "s t" / "state.pt",
        "--loss-csv",
        d / "loss ü.csv",
        "--epochs",
        "1",
        *TINY_DDPM,
    )
    assert proc.returncode == 0, proc.stderr
    assert os.path.getsize(d / "m ö.pt") > 0 and len(open(d / "loss ü.csv").read().splitlines()) == 2


# ------------------------------------------------------------------------------ build_cache.py
# (the eight ways a domain folder can be broken are in tests/test_data_layer.py)
def _cache(a, t, **over):
    args = {"--domain-dir": a["mnistm_dir"], "--split": "val", "--out": t / "res" / "val.pt"}
    args.update(over)
    return [x for k, v in args.items() for x in (k, v)], args["--out"]


def bc_no_arguments(a, t):
    return [], "arguments are required", t / "res" / "val.pt"


def bc_unknown_split(a, t):
    argv, out = _cache(a, t, **{"--split": "tst"})
    return argv, "invalid choice: 'tst'", out


def bc_domain_dir_is_a_file(a, t):
    argv, out = _cache(a, t, **{"--domain-dir": a["png"]})
    return argv, "does not exist", out


BUILD_CACHE = table(bc_no_arguments, bc_unknown_split, bc_domain_dir_is_a_file) + output_cases(
    _cache, "--out", "val.pt"
)


@pytest.mark.parametrize("case", BUILD_CACHE)
def test_build_cache_refuses(case, art, tmp_path, capfd):
    check_refused(capfd, "build_cache", *case(art, tmp_path), real_process=case is BUILD_CACHE[0].values[0])


def test_build_cache_reads_odd_paths(art, tmp_path, capfd):
    domain = tmp_path / WEIRD / "mnistm"
    shutil.copytree(art["mnistm_dir"], domain)
    proc = call(capfd, "build_cache", "--domain-dir", domain, "--split", "val", "--out", tmp_path / WEIRD / "vål.pt")
    assert proc.returncode == 0, proc.stderr
    assert os.path.getsize(tmp_path / WEIRD / "vål.pt") > 0
