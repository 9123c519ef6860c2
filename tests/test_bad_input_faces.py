"""Bad input of 2021/2022 problem 1 (the face GANs) and the face data: build_face_cache.py, face_detection.py,
make_demo_faces.py, face_embeddings.py, the face metrics, train_face_gan.py, sample_face_gan.py,
compare_face_gans.py (the tables' shared pieces: tests/bad_input.py)."""

import json
import os
import shutil

import pandas as pd
import pytest
from bad_input import (
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


# ------------------------------------------------------------------------------ the face scripts
@pytest.fixture(scope="module")
def face_art(tmp_path_factory):
    """A demo face folder (3 train, 3 val faces) and its val cache."""
    from dlcv_hw2.data.demo.faces import write_faces
    from dlcv_hw2.data.faces import decode_faces, save_face_cache

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


FACE_CACHE = (
    table(fc_no_arguments, fc_val_folder_missing, fc_split_without_face_dir)
    + option_cases(
        _face_cache,
        ("lfw_and_a_face_dir", ["--lfw"], "give --face-dir and --split, or --lfw alone"),
        ("unknown_split", ["--split", "test"], "invalid choice: 'test'"),
        ("unknown_option", ["--size", "32"], "unrecognized arguments: --size"),
    )
    + input_cases(
        _face_cache,
        ("missing_face_dir", "--face-dir", lambda f, t: t / "nope", "has no train/ folder"),
        ("face_dir_is_a_file", "--face-dir", lambda f, t: f["png"], "has no train/ folder"),
        ("train_folder_empty", "--face-dir", lambda f, t: folder(t / "empty" / "train").parent, "is empty"),
    )
    + [
        pytest.param(_bad_face_file(*row), id=row[0])
        for row in (
            ("small_image.png", lambda p: png(p, 32), "is 32x32, expected 64x64"),
            ("grey_image.png", lambda p: png(p, 64, "L"), "is of mode L, expected RGB"),
            ("rgba_image.png", lambda p: png(p, 64, "RGBA"), "is of mode RGBA, expected RGB"),
            ("truncated.png", lambda p: truncated(str(p.parent / "00000.png"), p), "unreadable or truncated"),
            ("notes.txt", text_file, "is not an image file"),
        )
    ]
    + output_cases(_face_cache, "--out", "train.pt")
)


@pytest.mark.parametrize("case", FACE_CACHE)
def test_build_face_cache_refuses(case, face_art, tmp_path, capfd):
    check_refused(capfd, "build_face_cache", *case(face_art, tmp_path), real_process=case is FACE_CACHE[0].values[0])


def _detect(f, t, *extra, **over):
    args = {"--images": f["cache"], "--out": t / "res" / "det.json"}
    args.update(over)
    return [x for k, v in args.items() for x in (k, v)] + list(map(str, extra)), args["--out"]


def fd_no_arguments(f, t):
    return [], "arguments are required", t / "res" / "det.json"


FACE_DETECTION = (
    table(fd_no_arguments)
    + option_cases(
        _detect,
        ("images_and_lfw", ["--lfw"], "not allowed with argument"),
    )
    + input_cases(
        _detect,
        ("missing_folder", "--images", lambda f, t: t / "nope", "does not exist"),
        ("one_png", "--images", lambda f, t: f["png"], "is one image"),
        ("empty_folder", "--images", lambda f, t: folder(t / "empty"), "is empty"),
        ("missing_cache", "--images", lambda f, t: t / "none.pt", "does not exist"),
        (
            "truncated_cache",
            "--images",
            lambda f, t: truncated(f["cache"], t / "c" / "val.pt"),
            "unreadable or truncated",
        ),
        ("text_as_cache", "--images", lambda f, t: text_file(t / "c" / "val.pt"), "unreadable or truncated"),
        (
            "small_images",
            "--images",
            lambda f, t: _face_dir_with(f, t, "x.png", lambda p: png(p, 28)) / "train",
            "is 28x28, expected 64x64",
        ),
        (
            "grey_images",
            "--images",
            lambda f, t: _face_dir_with(f, t, "x.png", lambda p: png(p, 64, "L")) / "train",
            "is of mode L, expected RGB",
        ),
    )
    + output_cases(_detect, "--out", "det.json")
)


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


FACE_EMBEDDINGS = (
    table(fe_no_arguments)
    + input_cases(
        _embed,
        ("missing_faces", "--faces", lambda f, t: t / "none.pt", "does not exist"),
        ("digit_cache_as_faces", "--faces", lambda f, t: f["digits"], "is not a face cache"),
        (
            "truncated_faces",
            "--faces",
            lambda f, t: truncated(f["cache"], t / "c" / "val.pt"),
            "unreadable or truncated",
        ),
        ("a_folder_as_faces", "--faces", lambda f, t: f["dir"] / "val", "face cache"),
    )
    + output_cases(_embed, "--out", "emb.pt")
)


@pytest.mark.parametrize("case", FACE_EMBEDDINGS)
def test_face_embeddings_refuses(case, face_emb_art, art, tmp_path, capfd):
    check_refused(
        capfd,
        "face_embeddings",
        *case(dict(face_emb_art, digits=art["mnistm_val"]), tmp_path),
        real_process=case is FACE_EMBEDDINGS[0].values[0],
    )


def _face_metrics(f, t, *extra, **over):
    args = {
        "--samples": f["dir"] / "train",
        "--reference": f["cache"],
        "--reference-embeddings": f["emb"],
        "--out": t / "res" / "m.json",
    }
    args.update(over)
    return (
        [x for k, v in args.items() for x in (k, v)]
        + ["--size", "64", "--face-embeddings", "--whole-reference"]
        + list(map(str, extra)),
        args["--out"],
    )


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
    from dlcv_hw2.data.faces import load_face_cache, save_face_cache

    images, names = load_face_cache(str(f["cache"]))
    other = t / "c" / "other.pt"
    os.makedirs(other.parent)
    save_face_cache(images.flip(0), names, str(other))  # the same faces in another order
    argv, out = _face_metrics(f, t, **{"--reference": other})
    return argv, "were not computed from", out


FACE_METRICS = table(
    fm_without_whole_reference, fm_without_face_embeddings, fm_digits_as_samples, fm_embeddings_of_another_cache
) + input_cases(
    _face_metrics,
    ("missing_embeddings", "--reference-embeddings", lambda f, t: t / "none.pt", "does not exist"),
    ("face_cache_as_embeddings", "--reference-embeddings", lambda f, t: f["cache"], "is not a face-embeddings file"),
    (
        "truncated_embeddings",
        "--reference-embeddings",
        lambda f, t: truncated(f["emb"], t / "c" / "e.pt"),
        "unreadable or truncated",
    ),
    (
        "wrong_size_faces",
        "--samples",
        lambda f, t: _face_dir_with(f, t, "0009.png", lambda p: png(p, 32)) / "train",
        "is 32x32, expected 64x64",
    ),
)


@pytest.mark.parametrize("case", FACE_METRICS)
def test_generative_metrics_of_faces_refuses(case, face_emb_art, art, tmp_path, capfd):
    check_refused(capfd, "generative_metrics", *case(dict(face_emb_art, digits=art["mnistm_val"]), tmp_path))


# ------------------------------------------------------------------------------ train_face_gan.py, sample_face_gan.py
TINY_FACE_GAN = ["--epochs", "1", "--batch-size", "2", "--z-dim", "4", "--g-channels", "4", "--d-channels", "4"]


@pytest.fixture(scope="module")
def face_gan_art(face_art):
    """face_art with the train cache, and a tiny DCGAN's model, training state and loss CSV."""
    from dlcv_hw2.data.faces import decode_faces, save_face_cache

    f = dict(face_art)
    d = f["dir"].parent
    f["train"] = d / "train.pt"
    save_face_cache(*decode_faces(str(f["dir"] / "train")), str(f["train"]))
    f["model"], f["state"] = d / "gan" / "model.pt", d / "gan" / "state.pt"
    proc = run_script(
        "train_face_gan",
        "dcgan",
        "--cache",
        f["train"],
        "--model",
        f["model"],
        "--state",
        f["state"],
        "--loss-csv",
        d / "gan" / "loss.csv",
        *TINY_FACE_GAN,
    )
    assert proc.returncode == 0, proc.stderr
    return f


def _train_face_gan(f, t, *extra, cache=None, method="dcgan"):
    d = t / "run"
    return [
        method,
        "--cache",
        cache or f["train"],
        "--model",
        d / "model.pt",
        "--state",
        d / "state.pt",
        "--loss-csv",
        d / "loss.csv",
        *TINY_FACE_GAN,
        *map(str, extra),
    ], d / "model.pt"


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


TRAIN_FACE_GAN = (
    table(tf_no_arguments, tf_unknown_method, tf_other_methods_setting)
    + option_cases(
        _train_face_gan,
        ("epochs_zero", ["--epochs", "0"], "argument --epochs: 0 is not >= 1"),
        ("batch_size_one", ["--batch-size", "1"], "argument --batch-size: 1 is not >= 2"),
        ("lr_g_zero", ["--lr-g", "0"], "argument --lr-g: 0 is not > 0"),
        ("beta2_one", ["--beta2", "1"], "argument --beta2: 1 is not < 1"),
        ("ema_decay_one", ["--ema-decay", "1"], "argument --ema-decay: 1 is not < 1"),
        ("g_channels_two", ["--g-channels", "2"], "argument --g-channels: 2 is not >= 4"),
        ("bad_settings_json", ["--settings", "{epochs: 2}"], "--settings is not JSON"),
        ("unknown_setting_in_json", ["--settings", '{"n_critic": 4}'], "'n_critic' was unexpected"),
    )
    + input_cases(
        _train_face_gan,
        ("missing_cache", "cache", lambda f, t: t / "none.pt", "does not exist"),
        (
            "truncated_cache",
            "cache",
            lambda f, t: truncated(f["train"], t / "c" / "train.pt"),
            "unreadable or truncated",
        ),
        ("png_as_cache", "cache", lambda f, t: f["png"], "not a file written by torch.save"),
        ("model_as_cache", "cache", lambda f, t: f["model"], "is not a face cache"),
    )
    + table(tf_state_of_other_settings, tf_output_under_a_file)
)


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


SAMPLE_FACE_GAN = (
    table(sf_no_arguments)
    + option_cases(
        _sample_face_gan,
        ("count_zero", ["--count", "0"], "argument --count: 0 is not >= 1"),
        ("count_10000", ["--count", "10000"], "argument --count: 10000 is not <= 9999"),
        ("batch_size_zero", ["--batch-size", "0"], "argument --batch-size: 0 is not >= 1"),
        ("negative_seed", ["--seed", "-1"], "argument --seed: -1 is not >= 0"),
        ("digit_option", ["--per-digit", "10"], "unrecognized arguments: --per-digit 10"),
    )
    + input_cases(
        _sample_face_gan,
        ("missing_model", "model", lambda f, t: t / "none.pt", "does not exist"),
        ("truncated_model", "model", lambda f, t: truncated(f["model"], t / "m" / "gan.pt"), "unreadable or truncated"),
        ("training_state_as_model", "model", lambda f, t: f["state"], "is not a face GAN checkpoint"),
        ("face_cache_as_model", "model", lambda f, t: f["cache"], "is not a face GAN checkpoint"),
        ("model_is_a_folder", "model", lambda f, t: folder(t / "m"), "does not exist"),
    )
    + table(sf_out_is_a_file, sf_out_under_a_file, sf_timing_is_a_folder)
)


@pytest.mark.parametrize("case", SAMPLE_FACE_GAN)
def test_sample_face_gan_refuses(case, face_gan_art, tmp_path, capfd):
    check_refused(
        capfd, "sample_face_gan", *case(face_gan_art, tmp_path), real_process=case is SAMPLE_FACE_GAN[0].values[0]
    )


def test_sample_face_gan_refuses_an_acgan(face_gan_art, art, tmp_path, capfd):
    argv, out = _sample_face_gan(face_gan_art, tmp_path, model=art["acgan"])
    check_refused(capfd, "sample_face_gan", argv, "is not a face GAN checkpoint", out)


def test_sample_face_gan_writes_to_odd_paths(face_gan_art, tmp_path, capfd):
    out = tmp_path / WEIRD / "fäces"
    proc = call(
        capfd,
        "sample_face_gan",
        "--model",
        face_gan_art["model"],
        "--out",
        out,
        "--count",
        "3",
        "--timing",
        tmp_path / WEIRD / "tïme.json",
    )
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
    for script, *argv in (
        (
            "sample_face_gan",
            "--model",
            face_gan_art["model"],
            "--out",
            d / "samples",
            "--count",
            40,
            "--timing",
            d / "sampling_time.json",
        ),
        ("face_detection", "--images", d / "samples", "--out", d / "detection.json"),
        ("generative_metrics", "--samples", d / "samples", *metrics, "--out", d / "generative_metrics.json"),
        ("face_detection", "--images", face_gan_art["cache"], "--out", r / "real.json"),
        ("generative_metrics", "--samples", face_gan_art["train"], *metrics, "--out", r / "train.json"),
        ("face_detection", "--lfw", "--out", r / "lfw.json"),
        ("build_face_cache", "--lfw", "--out", r / "lfw.pt"),
        ("generative_metrics", "--samples", r / "lfw.pt", *metrics, "--out", r / "lfw_metrics.json"),
    ):
        proc = run_script(script, *argv)
        assert proc.returncode == 0, proc.stderr
    shutil.copy(face_gan_art["model"], d / "model.pt")
    shutil.copy(face_gan_art["state"].parent / "loss.csv", d / "loss.csv")
    return d


def _compare_faces(g, t, *extra, **over):
    args = {
        "--method": f"dcgan={g}",
        "--real": g.parent / "real.json",
        "--train-metrics": g.parent / "train.json",
        "--lfw": g.parent / "lfw.json",
        "--lfw-metrics": g.parent / "lfw_metrics.json",
        "--out": t / "res" / "summary.csv",
        "--md": t / "res" / "summary.md",
        "--first32": t / "res" / "first32.png",
        "--curves": t / "res" / "c.png",
    }
    args.update(over)
    return [x for k, v in args.items() for x in (k, v)] + list(map(str, extra)), args["--out"]


def _broken_copy(g, t, name, make):
    d = t / "copy" / "dcgan"
    shutil.copytree(g, d)
    make(d / name)
    return f"dcgan={d}"


def cf_no_arguments(g, t):
    return [], "arguments are required", t / "res" / "summary.csv"


COMPARE_FACES = (
    table(cf_no_arguments)
    + input_cases(
        _compare_faces,
        ("method_not_name_dir", "--method", lambda g, t: str(g), "is not NAME=DIR"),
        ("method_folder_missing", "--method", lambda g, t: f"dcgan={t / 'nope'}", "does not exist"),
        ("detection_missing", "--method", lambda g, t: _broken_copy(g, t, "detection.json", os.remove), "is missing"),
        ("detection_not_json", "--method", lambda g, t: _broken_copy(g, t, "detection.json", text_file), "cannot read"),
        (
            "detection_without_rate",
            "--method",
            lambda g, t: _broken_copy(g, t, "detection.json", lambda p: text_file(p, '{"images": 3}')),
            "lacks",
        ),
        (
            "metrics_missing",
            "--method",
            lambda g, t: _broken_copy(g, t, "generative_metrics.json", os.remove),
            "is missing",
        ),
        (
            "metrics_without_face_fid",
            "--method",
            lambda g, t: _broken_copy(g, t, "generative_metrics.json", lambda p: text_file(p, '{"fid_digit": 3.0}')),
            "lacks",
        ),
        ("loss_missing", "--method", lambda g, t: _broken_copy(g, t, "loss.csv", os.remove), "is missing"),
        (
            "loss_without_rows",
            "--method",
            lambda g, t: _broken_copy(g, t, "loss.csv", lambda p: text_file(p, "epoch,d_loss,g_loss,seconds\n")),
            "is not the table expected",
        ),
        ("timing_missing", "--method", lambda g, t: _broken_copy(g, t, "sampling_time.json", os.remove), "is missing"),
        (
            "model_not_a_generator",
            "--method",
            lambda g, t: _broken_copy(g, t, "model.pt", lambda p: shutil.copy(g / "detection.json", p)),
            "not a file written by torch.save",
        ),
        (
            "fewer_than_32_faces",
            "--method",
            lambda g, t: _broken_copy(g, t, "samples/0031.png", os.remove),
            "holds fewer than 32 faces",
        ),
        ("real_missing", "--real", lambda g, t: t / "none.json", "is missing"),
        ("train_metrics_missing", "--train-metrics", lambda g, t: t / "none.json", "is missing"),
        ("lfw_is_not_the_lfw_detection", "--lfw", lambda g, t: g.parent / "real.json", "lacks"),
        ("lfw_metrics_missing", "--lfw-metrics", lambda g, t: t / "none.json", "is missing"),
    )
    + output_cases(_compare_faces, "--out", "summary.csv")
)


@pytest.mark.parametrize("case", COMPARE_FACES)
def test_compare_face_gans_refuses(case, face_gan_folder, tmp_path, capfd):
    check_refused(
        capfd, "compare_face_gans", *case(face_gan_folder, tmp_path), real_process=case is COMPARE_FACES[0].values[0]
    )


def test_compare_face_gans_reads_its_folder(face_gan_folder, tmp_path, capfd):
    argv, out = _compare_faces(face_gan_folder, tmp_path / WEIRD)
    proc = call(capfd, "compare_face_gans", *argv)
    assert proc.returncode == 0, proc.stderr
    row = open(out).read().splitlines()[1].split(",")
    assert row[0] == "dcgan" and float(row[1]) == json.load(open(face_gan_folder / "detection.json"))["rate"]
    table = pd.read_csv(out).set_index("method")
    assert list(table.index) == ["dcgan", "real_val", "real_train", "lfw"]
    for method, path in (
        ("dcgan", face_gan_folder / "generative_metrics.json"),
        ("real_train", face_gan_folder.parent / "train.json"),
        ("lfw", face_gan_folder.parent / "lfw_metrics.json"),
    ):
        assert table.loc[method, "fid_face"] == pytest.approx(json.load(open(path))["fid_face"])
    assert (
        table.loc["lfw", "face_detection_rate"]
        == json.load(open(face_gan_folder.parent / "lfw.json"))["lfw_faces"]["rate"]
    )
    assert table.loc["dcgan", "fid_inception"] == "not computed (no Inception weights)"
    md = (out.parent / "summary.md").read_text()
    assert "Inception)" not in md.splitlines()[0]  # no Inception columns without weights
    assert "recall (face emb.)" in md.splitlines()[0]
