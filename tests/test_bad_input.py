"""Bad input, systematically (issue 8): every user-facing workflow script against a table of at least
ten bad inputs. Each case asserts one ``error:`` line on stderr, a non-zero exit, no traceback and no
output left behind; each script also runs once on valid paths with spaces and non-ASCII characters.

The grading scripts have their own tables (tests/test_ddpm.py, test_faces.py, test_dann.py,
test_safety.py), and build_cache.py's data-validation cases are in tests/test_data_layer.py. Cases
run the script's ``main`` in this process (the code path of the command line without a second of
interpreter start-up per case); the first case of every table also runs as a real process.
"""
import json
import os
import shutil

import pandas as pd
import pytest
from conftest import CLASSIFIER, assert_one_line_error, load_script, need_shared, run_script
from PIL import Image

TINY_DDPM = ["--base-channels", "8", "--channel-mults", "1", "2", "--T", "20", "--batch-size", "8",
             "--warmup-steps", "1", "--lr", "1e-2", "--prediction", "x0"]
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


@pytest.fixture(scope="module")
def art(tiny_digits, tmp_path_factory):
    """Valid inputs the tables break one at a time: caches, a DDPM model, state and grading checkpoint,
    a DANN model, a folder of D_NNN.png samples."""
    from dlcv_hw2.data import decode_split, save_cache

    d = tmp_path_factory.mktemp("bad_input")
    a = {}
    for dom in ("mnistm", "usps"):
        for split in ("train", "val"):
            a[f"{dom}_{split}"] = d / f"{dom}_{split}.pt"
            save_cache(decode_split(str(tiny_digits / "digits" / dom), split), str(a[f"{dom}_{split}"]))
    a["mnistm_dir"] = tiny_digits / "digits" / "mnistm"
    a["ddpm_model"], a["ddpm_state"], a["ddpm"] = d / "ddpm_model.pt", d / "ddpm_state.pt", d / "ddpm.pt"
    proc = run_script("train_ddpm", "--cache", a["mnistm_train"], "--model", a["ddpm_model"],
                      "--state", a["ddpm_state"],
                      "--loss-csv", d / "loss.csv", "--epochs", "1", *TINY_DDPM)
    assert proc.returncode == 0, proc.stderr
    proc = run_script("export_checkpoint", "ddpm", "--model", a["ddpm_model"], "--out", a["ddpm"], "--steps", "2")
    assert proc.returncode == 0, proc.stderr
    a["dann"] = d / "dann.pt"
    proc = run_script("train_dann", "--setting", "target_only", "--target-train", a["usps_train"],
                      "--target-val", a["usps_val"], "--model", a["dann"], "--metrics", d / "dann.json", *TINY_DANN)
    assert proc.returncode == 0, proc.stderr
    a["acgan_model"], a["acgan_state"], a["acgan"] = d / "acgan_model.pt", d / "acgan_state.pt", d / "acgan.pt"
    proc = run_script("train_acgan", "--cache", a["mnistm_train"], "--model", a["acgan_model"],
                      "--state", a["acgan_state"], "--loss-csv", d / "acgan_loss.csv", *TINY_ACGAN)
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


EVALUATE = table(no_arguments) + option_cases(
    _eval,
    ("unknown_option", ["--bogus"], "unrecognized arguments: --bogus"),
    ("folder_and_cache", ["--cache", "x.pt"], "not allowed with argument"),
    ("batch_size_zero", ["--batch-size", "0"], "argument --batch-size: 0 is not >= 1"),
) + input_cases(
    _eval,
    ("missing_classifier", "--classifier", lambda a, t: t / "none.pth", "does not exist"),
    ("truncated_classifier", "--classifier", lambda a, t: truncated(a["dann"], t / "c" / "c.pth"),
     "unreadable or truncated"),
    ("ddpm_as_classifier", "--classifier", lambda a, t: a["ddpm"], "is not a digit classifier written by this project"),
    ("project_model_as_official", "--kind", lambda a, t: "official", "does not fit"),
    ("missing_folder", "--folder", lambda a, t: t / "nope", "does not exist"),
    ("empty_folder", "--folder", lambda a, t: folder(t / "empty"), "is empty"),
) + table(ev_not_a_png, ev_truncated_png, ev_wrong_size, ev_unlabelled_name,
          ev_text_file_in_folder, ev_cache_is_a_png) + output_cases(_eval, "--out", "acc.csv")


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


SAMPLE = table(sd_no_arguments) + option_cases(
    _sample,
    ("per_digit_zero", ["--per-digit", "0"], "argument --per-digit: 0 is not >= 1"),
    ("per_digit_1000", ["--per-digit", "1000"], "argument --per-digit: 1000 is not <= 999"),
    ("steps_zero", ["--steps", "0"], "argument --steps: 0 is not >= 1"),
    ("steps_above_T", ["--steps", "21"], "--steps must be between 1 and T=20"),
    ("guidance_nan", ["--guidance", "nan"], "argument --guidance: 'nan' is not a finite number"),
    ("unknown_sampler", ["--sampler", "euler"], "argument --sampler: invalid choice: 'euler'"),
    ("batch_size_zero", ["--batch-size", "0"], "argument --batch-size: 0 is not >= 1"),
) + input_cases(
    _sample,
    ("missing_model", "model", lambda a, t: t / "none.pt", "does not exist"),
    ("truncated_model", "model", lambda a, t: truncated(a["ddpm"], t / "m" / "ddpm.pt"), "unreadable or truncated"),
    ("classifier_as_model", "model", lambda a, t: a["dann"], "is not a DDPM checkpoint"),
    ("training_state_as_model", "model", lambda a, t: a["ddpm_state"], "is not a DDPM checkpoint"),
    ("model_is_a_folder", "model", lambda a, t: folder(t / "m"), "does not exist"),
) + table(sd_out_is_a_file, sd_out_under_a_file)


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
    return ["--cache", cache or a["mnistm_train"], "--model", d / "model.pt", "--state", d / "state.pt",
            "--loss-csv", d / "loss.csv", "--epochs", "1", *TINY_DDPM, *map(str, extra)], d / "model.pt"


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


TRAIN_DDPM = table(td_no_arguments) + option_cases(
    _train_ddpm,
    ("epochs_zero", ["--epochs", "0"], "argument --epochs: 0 is not >= 1"),
    ("T_one", ["--T", "1"], "argument --T: 1 is not >= 2"),
    ("label_dropout_one", ["--label-dropout", "1"], "argument --label-dropout: 1 is not < 1"),
    ("betas_reversed", ["--beta-start", "0.02", "--beta-end", "0.0001"],
     "invalid setting ddpm.beta_start (0.02) must be below ddpm.beta_end (0.0001)"),
    ("lr_text", ["--lr", "fast"], "argument --lr: 'fast' is not a number"),
    ("channel_mult_zero", ["--channel-mults", "1", "0"], "argument --channel-mults: 0 is not >= 1"),
) + input_cases(
    _train_ddpm,
    ("missing_cache", "cache", lambda a, t: t / "none.pt", "does not exist"),
    ("truncated_cache", "cache", lambda a, t: truncated(a["mnistm_train"], t / "c" / "train.pt"),
     "unreadable or truncated"),
    ("png_as_cache", "cache", lambda a, t: a["png"], "not a file written by torch.save"),
    ("model_as_cache", "cache", lambda a, t: a["ddpm"], "is not a digit cache"),
) + table(td_output_under_a_file, td_state_of_other_settings)


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
    proc = call(capfd, "train_ddpm", "--cache", cache, "--model", d / "m ö.pt", "--state", d / "s t" / "state.pt",
                "--loss-csv", d / "loss ü.csv", "--epochs", "1", *TINY_DDPM)
    assert proc.returncode == 0, proc.stderr
    assert os.path.getsize(d / "m ö.pt") > 0 and len(open(d / "loss ü.csv").read().splitlines()) == 2


# ------------------------------------------------------------------------------ train_dann.py
def _train_dann(a, t, *extra, setting="dann", source=None, target_train=None, target_val=None):
    d = t / "run"
    argv = ["--setting", setting, "--target-train", target_train or a["usps_train"],
            "--target-val", target_val or a["usps_val"], "--model", d / "model.pt", "--metrics", d / "metrics.json",
            *TINY_DANN, *map(str, extra)]
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


TRAIN_DANN = table(tn_no_arguments, tn_unknown_setting, tn_dann_without_source, tn_metrics_under_a_file) + option_cases(
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
) + input_cases(
    _train_dann,
    ("missing_source", "source", lambda a, t: t / "none.pt", "does not exist"),
    ("test_split_as_target_train", "target_train", lambda a, t: split_cache(a, t), "is a test split"),
    ("test_split_as_source", "source", lambda a, t: split_cache(a, t), "is a test split"),
    ("truncated_target", "target_train", lambda a, t: truncated(a["usps_train"], t / "c" / "t.pt"),
     "unreadable or truncated"),
    ("png_as_target_val", "target_val", lambda a, t: a["png"], "not a file written by torch.save"),
)


def split_cache(a, t):
    """A cache of a test split (which no run may train on)."""
    from dlcv_hw2.data import decode_split, save_cache

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
    proc = call(capfd, "train_dann", "--setting", "target_only", "--target-train", art["usps_train"],
                "--target-val", art["usps_val"], "--model", d / "mödel.pt", "--metrics", d / "m e.json", *TINY_DANN)
    assert proc.returncode == 0, proc.stderr
    assert json.load(open(d / "m e.json"))["setting"] == "target_only" and os.path.getsize(d / "mödel.pt") > 0


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


EVALUATE_MSE = table(ms_no_arguments, ms_unknown_option) + input_cases(
    _mse,
    ("missing_out_dir", "--out-dir", lambda f, t: t / "nope", "does not exist"),
    ("missing_gt_dir", "--gt-dir", lambda f, t: t / "nope", "ground-truth folder"),
    ("empty_out_dir", "--out-dir", lambda f, t: folder(t / "empty"), "is empty"),
) + table(ms_gt_lacks_image, ms_corrupt_png, ms_truncated_gt, ms_size_mismatch, ms_non_image_file) + output_cases(
    _mse, "--csv", "mse.csv")


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
    _cache, "--out", "val.pt")


@pytest.mark.parametrize("case", BUILD_CACHE)
def test_build_cache_refuses(case, art, tmp_path, capfd):
    check_refused(capfd, "build_cache", *case(art, tmp_path), real_process=case is BUILD_CACHE[0].values[0])


def test_build_cache_reads_odd_paths(art, tmp_path, capfd):
    domain = tmp_path / WEIRD / "mnistm"
    shutil.copytree(art["mnistm_dir"], domain)
    proc = call(capfd, "build_cache", "--domain-dir", domain, "--split", "val", "--out", tmp_path / WEIRD / "vål.pt")
    assert proc.returncode == 0, proc.stderr
    assert os.path.getsize(tmp_path / WEIRD / "vål.pt") > 0


# ------------------------------------------------------------------------------ train_acgan.py
def _train_acgan(a, t, *extra, cache=None):
    d = t / "run"
    return ["--cache", cache or a["mnistm_train"], "--model", d / "model.pt", "--state", d / "state.pt",
            "--loss-csv", d / "loss.csv", *TINY_ACGAN, *map(str, extra)], d / "model.pt"


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


TRAIN_ACGAN = table(ta_no_arguments) + option_cases(
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
) + input_cases(
    _train_acgan,
    ("missing_cache", "cache", lambda a, t: t / "none.pt", "does not exist"),
    ("truncated_cache", "cache", lambda a, t: truncated(a["mnistm_train"], t / "c" / "train.pt"),
     "unreadable or truncated"),
    ("png_as_cache", "cache", lambda a, t: a["png"], "not a file written by torch.save"),
    ("model_as_cache", "cache", lambda a, t: a["acgan"], "is not a digit cache"),
) + table(ta_output_under_a_file, ta_state_of_other_settings)


@pytest.mark.parametrize("case", TRAIN_ACGAN)
def test_train_acgan_refuses(case, art, tmp_path, capfd):
    argv, fragment, out = case(art, tmp_path)
    proc = run_script("train_acgan", *argv) if case is TRAIN_ACGAN[0].values[0] else call(capfd, "train_acgan", *argv)
    assert_one_line_error(proc, fragment)
    assert not os.path.exists(out)
    assert not os.path.exists(os.path.join(os.path.dirname(out), "loss.csv"))


def test_train_acgan_writes_to_odd_paths(art, tmp_path, capfd):
    d = tmp_path / WEIRD
    proc = call(capfd, "train_acgan", "--cache", art["mnistm_train"], "--model", d / "g ö.pt",
                "--state", d / "s t" / "state.pt", "--loss-csv", d / "loss ü.csv", *TINY_ACGAN)
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


SAMPLE_ACGAN = table(sa_no_arguments) + option_cases(
    _sample_acgan,
    ("per_digit_zero", ["--per-digit", "0"], "argument --per-digit: 0 is not >= 1"),
    ("per_digit_1000", ["--per-digit", "1000"], "argument --per-digit: 1000 is not <= 999"),
    ("batch_size_zero", ["--batch-size", "0"], "argument --batch-size: 0 is not >= 1"),
    ("negative_seed", ["--seed", "-1"], "argument --seed: -1 is not >= 0"),
    ("ddpm_option", ["--steps", "10"], "unrecognized arguments: --steps 10"),
) + input_cases(
    _sample_acgan,
    ("missing_model", "model", lambda a, t: t / "none.pt", "does not exist"),
    ("truncated_model", "model", lambda a, t: truncated(a["acgan"], t / "m" / "acgan.pt"), "unreadable or truncated"),
    ("ddpm_as_model", "model", lambda a, t: a["ddpm"], "is not an ACGAN checkpoint"),
    ("classifier_as_model", "model", lambda a, t: a["dann"], "is not an ACGAN checkpoint"),
    ("training_state_as_model", "model", lambda a, t: a["acgan_state"], "is not an ACGAN checkpoint"),
    ("model_is_a_folder", "model", lambda a, t: folder(t / "m"), "does not exist"),
) + table(sa_out_is_a_file, sa_out_under_a_file, sa_timing_is_a_folder)


@pytest.mark.parametrize("case", SAMPLE_ACGAN)
def test_sample_acgan_refuses(case, art, tmp_path, capfd):
    check_refused(capfd, "sample_acgan", *case(art, tmp_path), real_process=case is SAMPLE_ACGAN[0].values[0])


def test_sample_acgan_writes_to_odd_paths(art, tmp_path, capfd):
    out = tmp_path / WEIRD / "sämples"
    proc = call(capfd, "sample_acgan", "--model", art["acgan"], "--out", out, "--per-digit", "2",
                "--timing", tmp_path / WEIRD / "tïme.json")
    assert proc.returncode == 0, proc.stderr
    assert sorted(os.listdir(out)) == sorted(f"{d}_{j:03d}.png" for d in range(10) for j in (1, 2))
    assert json.load(open(tmp_path / WEIRD / "tïme.json"))["images"] == 20


# ------------------------------------------------------------------------------ generative_metrics.py
# (bad Inception weights files: tests/test_gen_metrics.py)
def _metrics(a, t, *extra, **over):
    args = {"--samples": a["samples"], "--reference": a["mnistm_val"], "--eval-classifier": a["dann"],
            "--out": t / "res" / "m.json"}
    args.update(over)
    return [x for k, v in args.items() for x in (k, v)] + list(map(str, extra)), args["--out"]


def gm_no_arguments(a, t):
    return [], "arguments are required", t / "res" / "m.json"


def gm_nothing_to_compute(a, t):
    argv, out = _metrics(a, t)
    i = argv.index("--eval-classifier")
    return argv[:i] + argv[i + 2:], "nothing to compute", out


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


GEN_METRICS = table(gm_no_arguments, gm_nothing_to_compute) + option_cases(
    _metrics,
    ("reference_size_one", ["--reference-size", "1"], "argument --reference-size: 1 is not >= 2"),
    ("batch_size_zero", ["--batch-size", "0"], "argument --batch-size: 0 is not >= 1"),
    ("unknown_device", ["--device", "tpu"], "argument --device"),
) + input_cases(
    _metrics,
    ("missing_samples", "--samples", lambda a, t: t / "nope", "does not exist"),
    ("empty_samples", "--samples", lambda a, t: folder(t / "empty"), "is empty"),
    ("missing_reference", "--reference", lambda a, t: t / "none.pt", "does not exist"),
    ("text_as_reference", "--reference", lambda a, t: text_file(t / "ref.txt"), "neither a folder nor a tensor cache"),
    ("truncated_reference", "--reference", lambda a, t: truncated(a["mnistm_val"], t / "c" / "val.pt"),
     "unreadable or truncated"),
    ("model_as_reference", "--reference", lambda a, t: a["acgan"], "is not a digit cache"),
    ("missing_classifier", "--eval-classifier", lambda a, t: t / "none.pt", "does not exist"),
    ("generator_as_classifier", "--eval-classifier", lambda a, t: a["acgan"],
     "is not a digit classifier written by this project"),
    ("truncated_classifier", "--eval-classifier", lambda a, t: truncated(a["dann"], t / "c" / "c.pt"),
     "unreadable or truncated"),
) + table(gm_text_file_in_samples, gm_wrong_size_sample, gm_truncated_sample,
          gm_reference_folder_of_other_size) + output_cases(_metrics, "--out", "m.json")


@pytest.mark.parametrize("case", GEN_METRICS)
def test_generative_metrics_refuses(case, art, tmp_path, capfd):
    check_refused(capfd, "generative_metrics", *case(art, tmp_path),
                  real_process=case is GEN_METRICS[0].values[0])


def test_generative_metrics_reads_odd_paths(art, tmp_path, capfd):
    samples = tmp_path / WEIRD / "sämples"
    shutil.copytree(art["samples"], samples)
    out = tmp_path / WEIRD / "mé trics.json"
    proc = call(capfd, "generative_metrics", "--samples", samples, "--reference", art["mnistm_val"],
                "--eval-classifier", art["dann"], "--out", out)
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
                ("evaluate_digits", "--folder", d / "samples", "--classifier", art["dann"], "--kind", "project",
                 "--out", d / "accuracy_eval_classifier.csv"),
                ("generative_metrics", "--samples", d / "samples", "--reference", art["mnistm_val"],
                 "--eval-classifier", art["dann"], "--out", d / "generative_metrics.json")):
            proc = run_script(script, *argv)
            assert proc.returncode == 0, proc.stderr
        shutil.copy(art["acgan_model"] if name == "acgan" else art["ddpm_model"], d / "model.pt")
        (d / "loss.csv").write_text("epoch,step,loss,seconds\n1,2,0.5,1.5\n")
    return root


@pytest.fixture
def generator_dirs(generator_template, tmp_path):
    """A fresh copy of the two folders for each case (cases break one file of them)."""
    shutil.copytree(generator_template, tmp_path / "gens")
    return {name: tmp_path / "gens" / name for name in ("ddpm", "acgan")}


def _compare(dirs, t, *extra, **over):
    res = t / "res"
    args = {"--out": res / "c.csv", "--times": res / "t.csv", "--md": res / "c.md", "--curves": res / "curves.png",
            "--grids": res / "grids.png", "--grid": res / "grid.png"}
    args.update(over)
    gens = ["--generator", f"ddpm={dirs['ddpm']}", "--generator", f"acgan={dirs['acgan']}"]
    return gens + ["--judges", "eval_classifier"] + [x for k, v in args.items() for x in (k, v)] + list(extra), \
        args["--out"]


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


COMPARE = table(cg_no_arguments, cg_generator_without_folder, cg_missing_accuracy, cg_judge_not_run,
                cg_metrics_not_json, cg_metrics_without_fid, cg_accuracy_without_digits, cg_empty_loss,
                cg_model_not_a_generator, cg_timing_without_seconds, cg_unknown_judge) + output_cases(
    _compare, "--out", "c.csv")


@pytest.mark.parametrize("case", COMPARE)
def test_compare_generators_refuses(case, generator_dirs, tmp_path, capfd):
    check_refused(capfd, "compare_generators", *case(generator_dirs, tmp_path),
                  real_process=case is COMPARE[0].values[0])


def test_compare_generators_writes_every_output(generator_dirs, tmp_path, capfd):
    argv, out = _compare(generator_dirs, tmp_path / WEIRD)
    proc = call(capfd, "compare_generators", *argv)
    assert proc.returncode == 0, proc.stderr
    rows = open(out).read().splitlines()
    assert rows[0].startswith("generator,acc_eval_classifier,acc_eval_classifier_0,") and len(rows) == 3
    assert rows[1].startswith("ddpm,") and rows[2].startswith("acgan,")
    assert "not computed (no Inception weights)" in rows[1]
    md = open(tmp_path / WEIRD / "res" / "c.md").read()
    assert "| accuracy, evaluation classifier (%) |" in md and "| training time (s) | 1.5 | 1.5 |" in md
    for name in ("curves.png", "grids.png", "grid.png"):
        assert os.path.getsize(tmp_path / WEIRD / "res" / name) > 1000


# ------------------------------------------------------------------------------ the face scripts
@pytest.fixture(scope="module")
def face_art(tmp_path_factory):
    """A demo face folder (3 train, 3 val faces) and its val cache."""
    from dlcv_hw2.demo_faces import write_faces
    from dlcv_hw2.face_data import decode_faces, save_face_cache

    d = tmp_path_factory.mktemp("faces")
    f = {"dir": d / "face", "cache": d / "val.pt"}
    write_faces(str(f["dir"]), {"train": 3, "val": 3}, seed=0)
    save_face_cache(*decode_faces(str(f["dir"] / "val")), str(f["cache"]))
    f["png"] = f["dir"] / "val" / "00003.png"
    return f


def _face_dir_with(f, t, name, make, split="train"):
    """A copy of the demo face folder with one more file ``name`` in ``split``/, made by ``make(path)``."""
    d = t / "face_copy"
    shutil.copytree(f["dir"], d)
    make(d / split / name)
    return d


def _face_cache(f, t, *extra, **over):
    args = {"--face-dir": f["dir"], "--split": "train", "--out": t / "res" / "train.pt"}
    args.update(over)
    return [x for k, v in args.items() for x in (k, v)] + list(map(str, extra)), args["--out"]


def fc_no_arguments(f, t):
    return [], "arguments are required", t / "res" / "train.pt"


def fc_val_folder_missing(f, t):
    d = t / "only_train"
    shutil.copytree(f["dir"] / "train", d / "train")
    argv, out = _face_cache(f, t, **{"--face-dir": d, "--split": "val"})
    return argv, "has no val/ or test/ folder", out


def _bad_face_file(name, make, fragment):
    def case(f, t):
        argv, out = _face_cache(f, t, **{"--face-dir": _face_dir_with(f, t, name, make)})
        return argv, fragment, out

    case.__name__ = name
    return case


def fc_split_without_face_dir(f, t):
    argv, out = _face_cache(f, t)
    return argv[2:], "give --face-dir and --split, or --lfw alone", out


FACE_CACHE = table(fc_no_arguments, fc_val_folder_missing, fc_split_without_face_dir) + option_cases(
    _face_cache,
    ("lfw_and_a_face_dir", ["--lfw"], "give --face-dir and --split, or --lfw alone"),
    ("unknown_split", ["--split", "test"], "invalid choice: 'test'"),
    ("unknown_option", ["--size", "32"], "unrecognized arguments: --size"),
) + input_cases(
    _face_cache,
    ("missing_face_dir", "--face-dir", lambda f, t: t / "nope", "has no train/ folder"),
    ("face_dir_is_a_file", "--face-dir", lambda f, t: f["png"], "has no train/ folder"),
    ("train_folder_empty", "--face-dir", lambda f, t: folder(t / "empty" / "train").parent, "is empty"),
) + [
    pytest.param(_bad_face_file(*row), id=row[0]) for row in (
        ("small_image.png", lambda p: png(p, 32), "is 32x32, expected 64x64"),
        ("grey_image.png", lambda p: png(p, 64, "L"), "is of mode L, expected RGB"),
        ("rgba_image.png", lambda p: png(p, 64, "RGBA"), "is of mode RGBA, expected RGB"),
        ("truncated.png", lambda p: truncated(str(p.parent / "00000.png"), p), "unreadable or truncated"),
        ("notes.txt", text_file, "is not an image file"),
    )
] + output_cases(_face_cache, "--out", "train.pt")


@pytest.mark.parametrize("case", FACE_CACHE)
def test_build_face_cache_refuses(case, face_art, tmp_path, capfd):
    check_refused(capfd, "build_face_cache", *case(face_art, tmp_path), real_process=case is FACE_CACHE[0].values[0])


def _detect(f, t, *extra, **over):
    args = {"--images": f["cache"], "--out": t / "res" / "det.json"}
    args.update(over)
    return [x for k, v in args.items() for x in (k, v)] + list(map(str, extra)), args["--out"]


def fd_no_arguments(f, t):
    return [], "arguments are required", t / "res" / "det.json"


FACE_DETECTION = table(fd_no_arguments) + option_cases(
    _detect,
    ("images_and_lfw", ["--lfw"], "not allowed with argument"),
) + input_cases(
    _detect,
    ("missing_folder", "--images", lambda f, t: t / "nope", "does not exist"),
    ("one_png", "--images", lambda f, t: f["png"], "is one image"),
    ("empty_folder", "--images", lambda f, t: folder(t / "empty"), "is empty"),
    ("missing_cache", "--images", lambda f, t: t / "none.pt", "does not exist"),
    ("truncated_cache", "--images", lambda f, t: truncated(f["cache"], t / "c" / "val.pt"), "unreadable or truncated"),
    ("text_as_cache", "--images", lambda f, t: text_file(t / "c" / "val.pt"), "unreadable or truncated"),
    ("small_images", "--images", lambda f, t: _face_dir_with(f, t, "x.png", lambda p: png(p, 28)) / "train",
     "is 28x28, expected 64x64"),
    ("grey_images", "--images", lambda f, t: _face_dir_with(f, t, "x.png", lambda p: png(p, 64, "L")) / "train",
     "is of mode L, expected RGB"),
) + output_cases(_detect, "--out", "det.json")


@pytest.mark.parametrize("case", FACE_DETECTION)
def test_face_detection_refuses(case, face_art, tmp_path, capfd):
    check_refused(capfd, "face_detection", *case(face_art, tmp_path), real_process=case is FACE_DETECTION[0].values[0])


def test_face_detection_refuses_a_digit_cache(face_art, art, tmp_path, capfd):
    argv, out = _detect(face_art, tmp_path, **{"--images": art["mnistm_val"]})
    check_refused(capfd, "face_detection", argv, "is not a face cache", out)


def _demo_faces(f, t, *extra, **over):
    args = {"--face-dir": t / "out" / "face", "--train": 2, "--val": 2}
    args.update(over)
    return [x for k, v in args.items() for x in (k, v)] + list(map(str, extra)), args["--face-dir"] / "train"


def df_no_arguments(f, t):
    return [], "arguments are required", t / "out" / "face" / "train"


def df_val_missing(f, t):
    argv, out = _demo_faces(f, t)
    return argv[:4], "--val", out


def df_face_dir_under_a_file(f, t):
    d = under_a_file(t, "face")
    return _demo_faces(f, t, **{"--face-dir": d})[0], "cannot create folder", d / "train"


DEMO_FACES = table(df_no_arguments, df_val_missing, df_face_dir_under_a_file) + option_cases(
    _demo_faces,
    ("train_zero", ["--train", "0"], "argument --train: 0 is not >= 1"),
    ("val_zero", ["--val", "0"], "argument --val: 0 is not >= 1"),
    ("train_not_a_number", ["--train", "many"], "argument --train"),
    ("layout_2022", ["--layout", "2022"], "invalid choice: '2022'"),
    ("workers_zero", ["--workers", "0"], "argument --workers"),
    ("seed_negative", ["--seed", "-1"], "argument --seed"),
    ("unknown_option", ["--size", "32"], "unrecognized arguments: --size"),
)


@pytest.mark.parametrize("case", DEMO_FACES)
def test_make_demo_faces_refuses(case, face_art, tmp_path, capfd):
    check_refused(capfd, "make_demo_faces", *case(face_art, tmp_path), real_process=case is DEMO_FACES[0].values[0])


# ------------------------------------------------------------------------------ face_embeddings.py, face metrics
@pytest.fixture(scope="module")
def face_emb_art(face_art):
    """face_art with the embeddings of its val cache."""
    f = dict(face_art)
    f["emb"] = f["dir"].parent / "val_emb.pt"
    proc = run_script("face_embeddings", "--faces", f["cache"], "--out", f["emb"])
    assert proc.returncode == 0, proc.stderr
    return f


def _embed(f, t, *extra, **over):
    args = {"--faces": f["cache"], "--out": t / "res" / "emb.pt"}
    args.update(over)
    return [x for k, v in args.items() for x in (k, v)] + list(map(str, extra)), args["--out"]


def fe_no_arguments(f, t):
    return [], "arguments are required", t / "res" / "emb.pt"


FACE_EMBEDDINGS = table(fe_no_arguments) + input_cases(
    _embed,
    ("missing_faces", "--faces", lambda f, t: t / "none.pt", "does not exist"),
    ("digit_cache_as_faces", "--faces", lambda f, t: f["digits"], "is not a face cache"),
    ("truncated_faces", "--faces", lambda f, t: truncated(f["cache"], t / "c" / "val.pt"), "unreadable or truncated"),
    ("a_folder_as_faces", "--faces", lambda f, t: f["dir"] / "val", "face cache"),
) + output_cases(_embed, "--out", "emb.pt")


@pytest.mark.parametrize("case", FACE_EMBEDDINGS)
def test_face_embeddings_refuses(case, face_emb_art, art, tmp_path, capfd):
    check_refused(capfd, "face_embeddings", *case(dict(face_emb_art, digits=art["mnistm_val"]), tmp_path),
                  real_process=case is FACE_EMBEDDINGS[0].values[0])


def _face_metrics(f, t, *extra, **over):
    args = {"--samples": f["dir"] / "train", "--reference": f["cache"], "--reference-embeddings": f["emb"],
            "--out": t / "res" / "m.json"}
    args.update(over)
    return ([x for k, v in args.items() for x in (k, v)] + ["--size", "64", "--face-embeddings", "--whole-reference"]
            + list(map(str, extra)), args["--out"])


def fm_without_whole_reference(f, t):
    argv, out = _face_metrics(f, t)
    return [a for a in argv if a != "--whole-reference"], "add --whole-reference", out


def fm_without_face_embeddings(f, t):
    argv, out = _face_metrics(f, t)
    return [a for a in argv if a != "--face-embeddings"], "go with --face-embeddings", out


def fm_digits_as_samples(f, t):
    argv, out = _face_metrics(f, t, **{"--samples": f["digits"]})
    return argv, "reference images are 64x64, the samples 28x28", out


def fm_embeddings_of_another_cache(f, t):
    from dlcv_hw2.face_data import load_face_cache, save_face_cache

    images, names = load_face_cache(str(f["cache"]))
    other = t / "c" / "other.pt"
    os.makedirs(other.parent)
    save_face_cache(images.flip(0), names, str(other))  # the same faces in another order
    argv, out = _face_metrics(f, t, **{"--reference": other})
    return argv, "were not computed from", out


FACE_METRICS = table(fm_without_whole_reference, fm_without_face_embeddings, fm_digits_as_samples,
                     fm_embeddings_of_another_cache) + input_cases(
    _face_metrics,
    ("missing_embeddings", "--reference-embeddings", lambda f, t: t / "none.pt", "does not exist"),
    ("face_cache_as_embeddings", "--reference-embeddings", lambda f, t: f["cache"], "is not a face-embeddings file"),
    ("truncated_embeddings", "--reference-embeddings", lambda f, t: truncated(f["emb"], t / "c" / "e.pt"),
     "unreadable or truncated"),
    ("wrong_size_faces", "--samples", lambda f, t: _face_dir_with(f, t, "0009.png", lambda p: png(p, 32)) / "train",
     "is 32x32, expected 64x64"),
)


@pytest.mark.parametrize("case", FACE_METRICS)
def test_generative_metrics_of_faces_refuses(case, face_emb_art, art, tmp_path, capfd):
    check_refused(capfd, "generative_metrics", *case(dict(face_emb_art, digits=art["mnistm_val"]), tmp_path))


# ------------------------------------------------------------------------------ train_face_gan.py, sample_face_gan.py
TINY_FACE_GAN = ["--epochs", "1", "--batch-size", "2", "--z-dim", "4", "--g-channels", "4", "--d-channels", "4"]


@pytest.fixture(scope="module")
def face_gan_art(face_art):
    """face_art with the train cache, and a tiny DCGAN's model, training state and loss CSV."""
    from dlcv_hw2.face_data import decode_faces, save_face_cache

    f = dict(face_art)
    d = f["dir"].parent
    f["train"] = d / "train.pt"
    save_face_cache(*decode_faces(str(f["dir"] / "train")), str(f["train"]))
    f["model"], f["state"] = d / "gan" / "model.pt", d / "gan" / "state.pt"
    proc = run_script("train_face_gan", "dcgan", "--cache", f["train"], "--model", f["model"], "--state", f["state"],
                      "--loss-csv", d / "gan" / "loss.csv", *TINY_FACE_GAN)
    assert proc.returncode == 0, proc.stderr
    return f


def _train_face_gan(f, t, *extra, cache=None, method="dcgan"):
    d = t / "run"
    return [method, "--cache", cache or f["train"], "--model", d / "model.pt", "--state", d / "state.pt",
            "--loss-csv", d / "loss.csv", *TINY_FACE_GAN, *map(str, extra)], d / "model.pt"


def tf_no_arguments(f, t):
    return [], "arguments are required", t / "run" / "model.pt"


def tf_unknown_method(f, t):
    return _train_face_gan(f, t, method="stylegan")[0], "invalid choice: 'stylegan'", t / "run" / "model.pt"


def tf_other_methods_setting(f, t):
    return _train_face_gan(f, t, "--n-critic", "3")[0], "unrecognized arguments: --n-critic 3", t / "run" / "model.pt"


def tf_state_of_other_settings(f, t):
    argv, out = _train_face_gan(f, t, "--beta1", "0.9")
    os.makedirs(t / "run")
    shutil.copy(f["state"], t / "run" / "state.pt")
    return argv, "was made with other settings", out


def tf_output_under_a_file(f, t):
    under_a_file(t, "x")
    d = t / "plainfile"
    argv, _ = _train_face_gan(f, t)
    argv[4], argv[6], argv[8] = d / "model.pt", d / "state.pt", d / "loss.csv"
    return argv, "", d / "model.pt"


TRAIN_FACE_GAN = table(tf_no_arguments, tf_unknown_method, tf_other_methods_setting) + option_cases(
    _train_face_gan,
    ("epochs_zero", ["--epochs", "0"], "argument --epochs: 0 is not >= 1"),
    ("batch_size_one", ["--batch-size", "1"], "argument --batch-size: 1 is not >= 2"),
    ("lr_g_zero", ["--lr-g", "0"], "argument --lr-g: 0 is not > 0"),
    ("beta2_one", ["--beta2", "1"], "argument --beta2: 1 is not < 1"),
    ("ema_decay_one", ["--ema-decay", "1"], "argument --ema-decay: 1 is not < 1"),
    ("g_channels_two", ["--g-channels", "2"], "argument --g-channels: 2 is not >= 4"),
    ("bad_settings_json", ["--settings", "{epochs: 2}"], "--settings is not JSON"),
    ("unknown_setting_in_json", ["--settings", '{"n_critic": 4}'], "'n_critic' was unexpected"),
) + input_cases(
    _train_face_gan,
    ("missing_cache", "cache", lambda f, t: t / "none.pt", "does not exist"),
    ("truncated_cache", "cache", lambda f, t: truncated(f["train"], t / "c" / "train.pt"), "unreadable or truncated"),
    ("png_as_cache", "cache", lambda f, t: f["png"], "not a file written by torch.save"),
    ("model_as_cache", "cache", lambda f, t: f["model"], "is not a face cache"),
) + table(tf_state_of_other_settings, tf_output_under_a_file)


@pytest.mark.parametrize("case", TRAIN_FACE_GAN)
def test_train_face_gan_refuses(case, face_gan_art, tmp_path, capfd):
    argv, fragment, out = case(face_gan_art, tmp_path)  # (the state of other settings is the user's: it stays)
    real = case is TRAIN_FACE_GAN[0].values[0]
    proc = run_script("train_face_gan", *argv) if real else call(capfd, "train_face_gan", *argv)
    assert_one_line_error(proc, fragment)
    assert not os.path.exists(out)
    assert not os.path.exists(os.path.join(os.path.dirname(out), "loss.csv"))


def test_train_face_gan_refuses_a_digit_cache(face_gan_art, art, tmp_path, capfd):
    argv, out = _train_face_gan(face_gan_art, tmp_path, cache=art["mnistm_train"])
    check_refused(capfd, "train_face_gan", argv, "is not a face cache", out)


def _sample_face_gan(f, t, *extra, model=None):
    out = t / "out" / "faces"
    return ["--model", model or f["model"], "--out", out, "--count", "2", *map(str, extra)], out


def sf_no_arguments(f, t):
    return [], "arguments are required", t / "out" / "faces"


def sf_out_is_a_file(f, t):
    text_file(t / "out" / "faces")
    return _sample_face_gan(f, t)[0], "exists and is not a folder", t / "out" / "faces" / "0000.png"


def sf_out_under_a_file(f, t):
    out = under_a_file(t, "faces")
    argv, _ = _sample_face_gan(f, t)
    argv[3] = out
    return argv, "cannot create folder", out


def sf_timing_is_a_folder(f, t):
    argv, out = _sample_face_gan(f, t, "--timing", folder(t / "timing.json"))
    return argv, "is a folder", out


SAMPLE_FACE_GAN = table(sf_no_arguments) + option_cases(
    _sample_face_gan,
    ("count_zero", ["--count", "0"], "argument --count: 0 is not >= 1"),
    ("count_10000", ["--count", "10000"], "argument --count: 10000 is not <= 9999"),
    ("batch_size_zero", ["--batch-size", "0"], "argument --batch-size: 0 is not >= 1"),
    ("negative_seed", ["--seed", "-1"], "argument --seed: -1 is not >= 0"),
    ("digit_option", ["--per-digit", "10"], "unrecognized arguments: --per-digit 10"),
) + input_cases(
    _sample_face_gan,
    ("missing_model", "model", lambda f, t: t / "none.pt", "does not exist"),
    ("truncated_model", "model", lambda f, t: truncated(f["model"], t / "m" / "gan.pt"), "unreadable or truncated"),
    ("training_state_as_model", "model", lambda f, t: f["state"], "is not a face GAN checkpoint"),
    ("face_cache_as_model", "model", lambda f, t: f["cache"], "is not a face GAN checkpoint"),
    ("model_is_a_folder", "model", lambda f, t: folder(t / "m"), "does not exist"),
) + table(sf_out_is_a_file, sf_out_under_a_file, sf_timing_is_a_folder)


@pytest.mark.parametrize("case", SAMPLE_FACE_GAN)
def test_sample_face_gan_refuses(case, face_gan_art, tmp_path, capfd):
    check_refused(capfd, "sample_face_gan", *case(face_gan_art, tmp_path),
                  real_process=case is SAMPLE_FACE_GAN[0].values[0])


def test_sample_face_gan_refuses_an_acgan(face_gan_art, art, tmp_path, capfd):
    argv, out = _sample_face_gan(face_gan_art, tmp_path, model=art["acgan"])
    check_refused(capfd, "sample_face_gan", argv, "is not a face GAN checkpoint", out)


def test_sample_face_gan_writes_to_odd_paths(face_gan_art, tmp_path, capfd):
    out = tmp_path / WEIRD / "fäces"
    proc = call(capfd, "sample_face_gan", "--model", face_gan_art["model"], "--out", out, "--count", "3",
                "--timing", tmp_path / WEIRD / "tïme.json")
    assert proc.returncode == 0, proc.stderr
    assert sorted(os.listdir(out)) == ["0000.png", "0001.png", "0002.png"]
    assert json.load(open(tmp_path / WEIRD / "tïme.json"))["images"] == 3


# ------------------------------------------------------------------------------ compare_face_gans.py
@pytest.fixture(scope="module")
def face_gan_folder(face_gan_art, tmp_path_factory):
    """A method folder as the workflow leaves it (the tiny DCGAN: 40 faces, their detection, metrics, timing,
    loss) beside the real faces' files (detection and metrics of val, train and LFW)."""
    d = tmp_path_factory.mktemp("face_gan_folder") / "dcgan"
    r = d.parent
    metrics = ["--reference", face_gan_art["cache"], "--whole-reference", "--size", "64", "--face-embeddings"]
    for script, *argv in (("sample_face_gan", "--model", face_gan_art["model"], "--out", d / "samples", "--count", 40,
                           "--timing", d / "sampling_time.json"),
                          ("face_detection", "--images", d / "samples", "--out", d / "detection.json"),
                          ("generative_metrics", "--samples", d / "samples", *metrics, "--out",
                           d / "generative_metrics.json"),
                          ("face_detection", "--images", face_gan_art["cache"], "--out", r / "real.json"),
                          ("generative_metrics", "--samples", face_gan_art["train"], *metrics,
                           "--out", r / "train.json"),
                          ("face_detection", "--lfw", "--out", r / "lfw.json"),
                          ("build_face_cache", "--lfw", "--out", r / "lfw.pt"),
                          ("generative_metrics", "--samples", r / "lfw.pt", *metrics, "--out", r / "lfw_metrics.json")):
        proc = run_script(script, *argv)
        assert proc.returncode == 0, proc.stderr
    shutil.copy(face_gan_art["model"], d / "model.pt")
    shutil.copy(face_gan_art["state"].parent / "loss.csv", d / "loss.csv")
    return d


def _compare_faces(g, t, *extra, **over):
    args = {"--method": f"dcgan={g}", "--real": g.parent / "real.json", "--train-metrics": g.parent / "train.json",
            "--lfw": g.parent / "lfw.json", "--lfw-metrics": g.parent / "lfw_metrics.json",
            "--out": t / "res" / "summary.csv",
            "--md": t / "res" / "summary.md", "--first32": t / "res" / "first32.png", "--curves": t / "res" / "c.png"}
    args.update(over)
    return [x for k, v in args.items() for x in (k, v)] + list(map(str, extra)), args["--out"]


def _broken_copy(g, t, name, make):
    d = t / "copy" / "dcgan"
    shutil.copytree(g, d)
    make(d / name)
    return f"dcgan={d}"


def cf_no_arguments(g, t):
    return [], "arguments are required", t / "res" / "summary.csv"


COMPARE_FACES = table(cf_no_arguments) + input_cases(
    _compare_faces,
    ("method_not_name_dir", "--method", lambda g, t: str(g), "is not NAME=DIR"),
    ("method_folder_missing", "--method", lambda g, t: f"dcgan={t / 'nope'}", "does not exist"),
    ("detection_missing", "--method", lambda g, t: _broken_copy(g, t, "detection.json", os.remove), "is missing"),
    ("detection_not_json", "--method", lambda g, t: _broken_copy(g, t, "detection.json", text_file), "cannot read"),
    ("detection_without_rate", "--method",
     lambda g, t: _broken_copy(g, t, "detection.json", lambda p: text_file(p, '{"images": 3}')), "lacks"),
    ("metrics_missing", "--method", lambda g, t: _broken_copy(g, t, "generative_metrics.json", os.remove),
     "is missing"),
    ("metrics_without_face_fid", "--method", lambda g, t: _broken_copy(
        g, t, "generative_metrics.json", lambda p: text_file(p, '{"fid_digit": 3.0}')), "lacks"),
    ("loss_missing", "--method", lambda g, t: _broken_copy(g, t, "loss.csv", os.remove), "is missing"),
    ("loss_without_rows", "--method",
     lambda g, t: _broken_copy(g, t, "loss.csv", lambda p: text_file(p, "epoch,d_loss,g_loss,seconds\n")),
     "is not the table expected"),
    ("timing_missing", "--method", lambda g, t: _broken_copy(g, t, "sampling_time.json", os.remove), "is missing"),
    ("model_not_a_generator", "--method",
     lambda g, t: _broken_copy(g, t, "model.pt", lambda p: shutil.copy(g / "detection.json", p)),
     "not a file written by torch.save"),
    ("fewer_than_32_faces", "--method",
     lambda g, t: _broken_copy(g, t, "samples/0031.png", os.remove), "holds fewer than 32 faces"),
    ("real_missing", "--real", lambda g, t: t / "none.json", "is missing"),
    ("train_metrics_missing", "--train-metrics", lambda g, t: t / "none.json", "is missing"),
    ("lfw_is_not_the_lfw_detection", "--lfw", lambda g, t: g.parent / "real.json", "lacks"),
    ("lfw_metrics_missing", "--lfw-metrics", lambda g, t: t / "none.json", "is missing"),
) + output_cases(_compare_faces, "--out", "summary.csv")


@pytest.mark.parametrize("case", COMPARE_FACES)
def test_compare_face_gans_refuses(case, face_gan_folder, tmp_path, capfd):
    check_refused(capfd, "compare_face_gans", *case(face_gan_folder, tmp_path),
                  real_process=case is COMPARE_FACES[0].values[0])


def test_compare_face_gans_reads_its_folder(face_gan_folder, tmp_path, capfd):
    argv, out = _compare_faces(face_gan_folder, tmp_path / WEIRD)
    proc = call(capfd, "compare_face_gans", *argv)
    assert proc.returncode == 0, proc.stderr
    row = open(out).read().splitlines()[1].split(",")
    assert row[0] == "dcgan" and float(row[1]) == json.load(open(face_gan_folder / "detection.json"))["rate"]
    table = pd.read_csv(out).set_index("method")
    assert list(table.index) == ["dcgan", "real_val", "real_train", "lfw"]
    for method, path in (("dcgan", face_gan_folder / "generative_metrics.json"),
                         ("real_train", face_gan_folder.parent / "train.json"),
                         ("lfw", face_gan_folder.parent / "lfw_metrics.json")):
        assert table.loc[method, "fid_face"] == pytest.approx(json.load(open(path))["fid_face"])
    assert table.loc["lfw", "face_detection_rate"] == json.load(open(face_gan_folder.parent / "lfw.json"))[
        "lfw_faces"]["rate"]
    assert table.loc["dcgan", "fid_inception"] == "not computed (no Inception weights)"
    assert "n/c" not in (out.parent / "summary.md").read_text()  # no Inception columns without weights
