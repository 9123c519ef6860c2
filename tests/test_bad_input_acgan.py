"""Bad input of 2021 problem 2 (the ACGAN) and the generative metrics: train_acgan.py, sample_acgan.py,
generative_metrics.py, compare_generators.py (the tables' shared pieces: tests/bad_input.py)."""

import json
import os
import shutil

import pandas as pd
import pytest
from bad_input import (
    TINY_ACGAN,
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
from conftest import assert_one_line_error, run_script


# ------------------------------------------------------------------------------ train_acgan.py
def _train_acgan(a, t, *extra, cache=None):
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
        *TINY_ACGAN,
        *map(str, extra),
    ], d / "model.pt"


def ta_no_arguments(a, t):
    return [], "arguments are required", t / "run" / "model.pt"


def ta_output_under_a_file(a, t):
    under_a_file(t, "x")
    d = t / "plainfile"
    argv, _ = _train_acgan(a, t)
    argv[3], argv[5], argv[7] = d / "model.pt", d / "state.pt", d / "loss.csv"
    return argv, "", d / "model.pt"


def ta_state_of_other_settings(a, t):
    argv, out = _train_acgan(a, t, "--loss", "bce")
    os.makedirs(t / "run")
    shutil.copy(a["acgan_state"], t / "run" / "state.pt")
    return argv, "was made with other settings", out


TRAIN_ACGAN = (
    table(ta_no_arguments)
    + option_cases(
        _train_acgan,
        ("epochs_zero", ["--epochs", "0"], "argument --epochs: 0 is not >= 1"),
        ("batch_size_one", ["--batch-size", "1"], "argument --batch-size: 1 is not >= 2"),
        ("lr_d_zero", ["--lr-d", "0"], "argument --lr-d: 0 is not > 0"),
        ("beta1_one", ["--beta1", "1"], "argument --beta1: 1 is not < 1"),
        ("unknown_loss", ["--loss", "wasserstein"], "argument --loss: invalid choice: 'wasserstein'"),
        ("ema_decay_one", ["--ema-decay", "1"], "argument --ema-decay: 1 is not < 1"),
        ("spectral_norm_yes", ["--spectral-norm", "yes"], "argument --spectral-norm: invalid int value: 'yes'"),
        ("bad_settings_json", ["--settings", "{epochs: 2}"], "--settings is not JSON"),
        ("unknown_setting_in_json", ["--settings", '{"layers": 4}'], "'layers' was unexpected"),
    )
    + input_cases(
        _train_acgan,
        ("missing_cache", "cache", lambda a, t: t / "none.pt", "does not exist"),
        (
            "truncated_cache",
            "cache",
            lambda a, t: truncated(a["mnistm_train"], t / "c" / "train.pt"),
            "unreadable or truncated",
        ),
        ("png_as_cache", "cache", lambda a, t: a["png"], "not a file written by torch.save"),
        ("model_as_cache", "cache", lambda a, t: a["acgan"], "is not a digit cache"),
    )
    + table(ta_output_under_a_file, ta_state_of_other_settings)
)


@pytest.mark.parametrize("case", TRAIN_ACGAN)
def test_train_acgan_refuses(case, art, tmp_path, capfd):
    argv, fragment, out = case(art, tmp_path)
    proc = run_script("train_acgan", *argv) if case is TRAIN_ACGAN[0].values[0] else call(capfd, "train_acgan", *argv)
    assert_one_line_error(proc, fragment)
    assert not os.path.exists(out)
    assert not os.path.exists(os.path.join(os.path.dirname(out), "loss.csv"))


def test_train_acgan_writes_to_odd_paths(art, tmp_path, capfd):
    d = tmp_path / WEIRD
    proc = call(
        capfd,
        "train_acgan",
        "--cache",
        art["mnistm_train"],
        "--model",
        d / "g ö.pt",
        "--state",
        d / "s t" / "state.pt",
        "--loss-csv",
        d / "loss ü.csv",
        *TINY_ACGAN,
    )
    assert proc.returncode == 0, proc.stderr
    assert os.path.getsize(d / "g ö.pt") > 0 and len(open(d / "loss ü.csv").read().splitlines()) == 2


# ------------------------------------------------------------------------------ sample_acgan.py
def _sample_acgan(a, t, *extra, model=None):
    out = t / "out" / "samples"
    return ["--model", model or a["acgan"], "--out", out, "--per-digit", "1", *map(str, extra)], out


def sa_no_arguments(a, t):
    return [], "arguments are required", t / "out" / "samples"


def sa_out_is_a_file(a, t):
    text_file(t / "out" / "samples")
    argv, _ = _sample_acgan(a, t)
    return argv, "exists and is not a folder", t / "out" / "samples" / "0_001.png"


def sa_out_under_a_file(a, t):
    out = under_a_file(t, "samples")
    argv, _ = _sample_acgan(a, t)
    argv[3] = out
    return argv, "cannot create folder", out


def sa_timing_is_a_folder(a, t):
    argv, out = _sample_acgan(a, t, "--timing", folder(t / "timing.json"))
    return argv, "is a folder", out


SAMPLE_ACGAN = (
    table(sa_no_arguments)
    + option_cases(
        _sample_acgan,
        ("per_digit_zero", ["--per-digit", "0"], "argument --per-digit: 0 is not >= 1"),
        ("per_digit_1000", ["--per-digit", "1000"], "argument --per-digit: 1000 is not <= 999"),
        ("batch_size_zero", ["--batch-size", "0"], "argument --batch-size: 0 is not >= 1"),
        ("negative_seed", ["--seed", "-1"], "argument --seed: -1 is not >= 0"),
        ("ddpm_option", ["--steps", "10"], "unrecognized arguments: --steps 10"),
    )
    + input_cases(
        _sample_acgan,
        ("missing_model", "model", lambda a, t: t / "none.pt", "does not exist"),
        (
            "truncated_model",
            "model",
            lambda a, t: truncated(a["acgan"], t / "m" / "acgan.pt"),
            "unreadable or truncated",
        ),
        ("ddpm_as_model", "model", lambda a, t: a["ddpm"], "is not an ACGAN checkpoint"),
        ("classifier_as_model", "model", lambda a, t: a["dann"], "is not an ACGAN checkpoint"),
        ("training_state_as_model", "model", lambda a, t: a["acgan_state"], "is not an ACGAN checkpoint"),
        ("model_is_a_folder", "model", lambda a, t: folder(t / "m"), "does not exist"),
    )
    + table(sa_out_is_a_file, sa_out_under_a_file, sa_timing_is_a_folder)
)


@pytest.mark.parametrize("case", SAMPLE_ACGAN)
def test_sample_acgan_refuses(case, art, tmp_path, capfd):
    check_refused(capfd, "sample_acgan", *case(art, tmp_path), real_process=case is SAMPLE_ACGAN[0].values[0])


def test_sample_acgan_writes_to_odd_paths(art, tmp_path, capfd):
    out = tmp_path / WEIRD / "sämples"
    proc = call(
        capfd,
        "sample_acgan",
        "--model",
        art["acgan"],
        "--out",
        out,
        "--per-digit",
        "2",
        "--timing",
        tmp_path / WEIRD / "tïme.json",
    )
    assert proc.returncode == 0, proc.stderr
    assert sorted(os.listdir(out)) == sorted(f"{d}_{j:03d}.png" for d in range(10) for j in (1, 2))
    assert json.load(open(tmp_path / WEIRD / "tïme.json"))["images"] == 20


# ------------------------------------------------------------------------------ generative_metrics.py
# (bad Inception weights files: tests/test_gen_metrics.py)
def _metrics(a, t, *extra, **over):
    args = {
        "--samples": a["samples"],
        "--reference": a["mnistm_val"],
        "--eval-classifier": a["dann"],
        "--out": t / "res" / "m.json",
    }
    args.update(over)
    return [x for k, v in args.items() for x in (k, v)] + list(map(str, extra)), args["--out"]


def gm_no_arguments(a, t):
    return [], "arguments are required", t / "res" / "m.json"


def gm_nothing_to_compute(a, t):
    argv, out = _metrics(a, t)
    i = argv.index("--eval-classifier")
    return argv[:i] + argv[i + 2 :], "nothing to compute", out


def _samples_with(a, t, name, make):
    f = t / "folder"
    shutil.copytree(a["samples"], f)
    make(f / name)
    return f


def gm_text_file_in_samples(a, t):
    argv, out = _metrics(a, t, **{"--samples": _samples_with(a, t, "notes.txt", text_file)})
    return argv, "is not an image file", out


def gm_wrong_size_sample(a, t):
    argv, out = _metrics(a, t, **{"--samples": _samples_with(a, t, "3_002.png", lambda p: png(p, 32))})
    return argv, "is 32x32, expected 28x28", out


def gm_truncated_sample(a, t):
    argv, out = _metrics(a, t, **{"--samples": _samples_with(a, t, "3_002.png", lambda p: truncated(a["png"], p))})
    return argv, "unreadable or truncated", out


def gm_reference_folder_of_other_size(a, t):
    ref = t / "ref"
    for k in range(3):
        png(ref / f"{k}.png", 32)
    argv, out = _metrics(a, t, **{"--reference": ref})
    return argv, "is 32x32, expected 28x28", out


GEN_METRICS = (
    table(gm_no_arguments, gm_nothing_to_compute)
    + option_cases(
        _metrics,
        ("reference_size_one", ["--reference-size", "1"], "argument --reference-size: 1 is not >= 2"),
        ("batch_size_zero", ["--batch-size", "0"], "argument --batch-size: 0 is not >= 1"),
        ("unknown_device", ["--device", "tpu"], "argument --device"),
    )
    + input_cases(
        _metrics,
        ("missing_samples", "--samples", lambda a, t: t / "nope", "does not exist"),
        ("empty_samples", "--samples", lambda a, t: folder(t / "empty"), "is empty"),
        ("missing_reference", "--reference", lambda a, t: t / "none.pt", "does not exist"),
        (
            "text_as_reference",
            "--reference",
            lambda a, t: text_file(t / "ref.txt"),
            "neither a folder nor a tensor cache",
        ),
        (
            "truncated_reference",
            "--reference",
            lambda a, t: truncated(a["mnistm_val"], t / "c" / "val.pt"),
            "unreadable or truncated",
        ),
        ("model_as_reference", "--reference", lambda a, t: a["acgan"], "is not a digit cache"),
        ("missing_classifier", "--eval-classifier", lambda a, t: t / "none.pt", "does not exist"),
        (
            "generator_as_classifier",
            "--eval-classifier",
            lambda a, t: a["acgan"],
            "is not a digit classifier written by this project",
        ),
        (
            "truncated_classifier",
            "--eval-classifier",
            lambda a, t: truncated(a["dann"], t / "c" / "c.pt"),
            "unreadable or truncated",
        ),
    )
    + table(gm_text_file_in_samples, gm_wrong_size_sample, gm_truncated_sample, gm_reference_folder_of_other_size)
    + output_cases(_metrics, "--out", "m.json")
)


@pytest.mark.parametrize("case", GEN_METRICS)
def test_generative_metrics_refuses(case, art, tmp_path, capfd):
    check_refused(capfd, "generative_metrics", *case(art, tmp_path), real_process=case is GEN_METRICS[0].values[0])


def test_generative_metrics_reads_odd_paths(art, tmp_path, capfd):
    samples = tmp_path / WEIRD / "sämples"
    shutil.copytree(art["samples"], samples)
    out = tmp_path / WEIRD / "mé trics.json"
    proc = call(
        capfd,
        "generative_metrics",
        "--samples",
        samples,
        "--reference",
        art["mnistm_val"],
        "--eval-classifier",
        art["dann"],
        "--out",
        out,
    )
    assert proc.returncode == 0, proc.stderr
    got = json.load(open(out))
    assert got["samples"] == 10 and got["reference"] == 20 and got["fid_digit"] > 0


# ------------------------------------------------------------------------------ compare_generators.py
@pytest.fixture(scope="module")
def generator_template(art, tmp_path_factory):
    """Two generator folders as the workflow leaves them (the tiny ACGAN's samples in both)."""
    root = tmp_path_factory.mktemp("gens")
    for name in ("ddpm", "acgan"):
        d = root / name
        for script, *argv in (
            ("sample_acgan", "--model", art["acgan"], "--out", d / "samples", "--timing", d / "sampling_time.json"),
            (
                "evaluate_digits",
                "--folder",
                d / "samples",
                "--classifier",
                art["dann"],
                "--kind",
                "project",
                "--out",
                d / "accuracy_eval_classifier.csv",
            ),
            (
                "generative_metrics",
                "--samples",
                d / "samples",
                "--reference",
                art["mnistm_val"],
                "--eval-classifier",
                art["dann"],
                "--per-class",
                "--out",
                d / "generative_metrics.json",
            ),
        ):
            proc = run_script(script, *argv)
            assert proc.returncode == 0, proc.stderr
        shutil.copy(art["acgan_model"] if name == "acgan" else art["ddpm_model"], d / "model.pt")
        (d / "loss.csv").write_text("epoch,step,loss,seconds\n1,2,0.5,1.5\n")
    real = ["--samples", art["mnistm_val"], "--reference", art["mnistm_val"], "--eval-classifier", art["dann"]]
    proc = run_script("generative_metrics", *real, "--per-class", "--out", root / "real.json")
    assert proc.returncode == 0, proc.stderr
    return root


@pytest.fixture
def generator_dirs(generator_template, tmp_path):
    """A fresh copy of the two folders for each case (cases break one file of them)."""
    shutil.copytree(generator_template, tmp_path / "gens")
    return {name: tmp_path / "gens" / name for name in ("ddpm", "acgan")} | {"real": tmp_path / "gens" / "real.json"}


def _compare(dirs, t, *extra, **over):
    res = t / "res"
    args = {
        "--out": res / "c.csv",
        "--times": res / "t.csv",
        "--md": res / "c.md",
        "--curves": res / "curves.png",
        "--grids": res / "grids.png",
        "--grid": res / "grid.png",
        "--real": dirs["real"],
    }
    args.update(over)
    gens = ["--generator", f"ddpm={dirs['ddpm']}", "--generator", f"acgan={dirs['acgan']}"]
    return gens + ["--judges", "eval_classifier"] + [x for k, v in args.items() for x in (k, v)] + list(extra), args[
        "--out"
    ]


def cg_no_arguments(d, t):
    return [], "arguments are required", t / "res" / "c.csv"


def cg_generator_without_folder(d, t):
    argv, out = _compare(d, t)
    argv[1] = "ddpm"
    return argv, "expected NAME=DIR", out


def cg_missing_accuracy(d, t):
    os.remove(d["acgan"] / "accuracy_eval_classifier.csv")
    argv, out = _compare(d, t)
    return argv, "accuracy_eval_classifier.csv is missing", out


def cg_judge_not_run(d, t):
    argv, out = _compare(d, t)
    argv[argv.index("eval_classifier")] = "official_classifier"
    return argv, "accuracy_official_classifier.csv is missing", out


def cg_metrics_not_json(d, t):
    text_file(d["ddpm"] / "generative_metrics.json", "{fid")
    argv, out = _compare(d, t)
    return argv, "cannot read", out


def cg_metrics_without_fid(d, t):
    text_file(d["ddpm"] / "generative_metrics.json", '{"samples": 10}')
    argv, out = _compare(d, t)
    return argv, "lacks fid_digit", out


def cg_real_without_each_digits_recall(d, t):
    text_file(d["real"], '{"fid_digit": 1.0, "is_digit": 2.0, "is_digit_std": 0.1, "kid_digit": 0.0}')
    argv, out = _compare(d, t)
    return argv, "lacks", out


def cg_accuracy_without_digits(d, t):
    text_file(d["ddpm"] / "accuracy_eval_classifier.csv", "digit,n,correct,accuracy\nall,10,5,50.0\n")
    argv, out = _compare(d, t)
    return argv, "does not list the digits 0-9", out


def cg_empty_loss(d, t):
    text_file(d["acgan"] / "loss.csv", "")
    argv, out = _compare(d, t)
    return argv, "cannot read", out


def cg_model_not_a_generator(d, t):
    shutil.copy(d["acgan"] / "loss.csv", d["acgan"] / "model.pt")
    argv, out = _compare(d, t)
    return argv, "unreadable or truncated", out


def cg_timing_without_seconds(d, t):
    text_file(d["acgan"] / "sampling_time.json", '{"images": 1000}')
    argv, out = _compare(d, t)
    return argv, "lacks seconds", out


def cg_unknown_judge(d, t):
    argv, out = _compare(d, t)
    argv[argv.index("eval_classifier")] = "human"
    return argv, "argument --judges: invalid choice: 'human'", out


COMPARE = table(
    cg_no_arguments,
    cg_generator_without_folder,
    cg_missing_accuracy,
    cg_judge_not_run,
    cg_metrics_not_json,
    cg_metrics_without_fid,
    cg_real_without_each_digits_recall,
    cg_accuracy_without_digits,
    cg_empty_loss,
    cg_model_not_a_generator,
    cg_timing_without_seconds,
    cg_unknown_judge,
) + output_cases(_compare, "--out", "c.csv")


@pytest.mark.parametrize("case", COMPARE)
def test_compare_generators_refuses(case, generator_dirs, tmp_path, capfd):
    check_refused(
        capfd, "compare_generators", *case(generator_dirs, tmp_path), real_process=case is COMPARE[0].values[0]
    )


def test_compare_generators_writes_every_output(generator_dirs, tmp_path, capfd):
    argv, out = _compare(generator_dirs, tmp_path / WEIRD)
    proc = call(capfd, "compare_generators", *argv)
    assert proc.returncode == 0, proc.stderr
    rows = open(out).read().splitlines()
    assert rows[0].startswith("generator,acc_eval_classifier,acc_eval_classifier_0,") and len(rows) == 4
    assert rows[1].startswith("ddpm,") and rows[2].startswith("acgan,") and rows[3].startswith("real_train,")
    table = pd.read_csv(out)
    real = json.loads(generator_dirs["real"].read_text())
    assert table["recall_digit"].iloc[-1] == pytest.approx(real["recall_digit"])
    assert pd.isna(table["acc_eval_classifier"].iloc[-1])  # the real row has no accuracy of its own
    md = open(tmp_path / WEIRD / "res" / "c.md").read()  # the report's tables (report/sections/generators.py)
    assert "| recall, digit features (k = 3; variety) |" in md and "| DDPM | ACGAN | real MNIST-M train |" in md
    assert "| DDPM, recall | ACGAN, recall | real train, recall |" in md and "recall per digit against" in md
    assert "not computed (no Inception weights)" in rows[1]
    assert "| accuracy, evaluation classifier (%) |" in md and "| training (s) | 1.5 | 1.5 |  |" in md
    for name in ("curves.png", "grids.png", "grid.png"):
        assert os.path.getsize(tmp_path / WEIRD / "res" / name) > 1000
