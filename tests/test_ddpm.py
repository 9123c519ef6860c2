import os
import subprocess

import pytest
import torch
from bad_input import TINY_DDPM as TINY
from conftest import REPO, after, assert_one_line_error, folder_at, run_script, saved, truncated, with_config, written

from dlcv_hw2.methods.ddpm import load_model

HW2_1 = os.path.join(REPO, "hw2_1.sh")


@pytest.fixture(scope="module")
def cache(tiny_digits, tmp_path_factory):
    out = tmp_path_factory.mktemp("ddpm") / "train.pt"
    proc = run_script(
        "build_cache", "--domain-dir", tiny_digits / "digits" / "mnistm", "--split", "train", "--out", out
    )
    assert proc.returncode == 0, proc.stderr
    return out


def train(cache, d, epochs, *extra):
    return run_script(
        "train_ddpm",
        "--cache",
        cache,
        "--model",
        d / "model.pt",
        "--state",
        d / "state" / "state.pt",
        "--loss-csv",
        d / "loss.csv",
        "--epochs",
        epochs,
        *TINY,
        *extra,
    )


@pytest.fixture(scope="module")
def trained(cache, tmp_path_factory):
    d = tmp_path_factory.mktemp("trained")
    proc = train(cache, d, 6)
    assert proc.returncode == 0, proc.stderr
    return d


def test_training_lowers_loss_and_leaves_loadable_model(trained):
    lines = open(trained / "loss.csv").read().splitlines()
    assert lines[0] == "epoch,step,loss,seconds" and len(lines) == 7
    losses = [float(l.split(",")[2]) for l in lines[1:]]
    assert losses[-1] < 0.85 * losses[0], losses
    ckpt = load_model(str(trained / "model.pt"), "cpu")
    fn, schedule = ckpt.eps, ckpt.schedule
    assert schedule.T == 20
    out = fn(torch.zeros(2, 3, 28, 28), torch.tensor([0, 19]), torch.tensor([3, 10]))
    assert out.shape == (2, 3, 28, 28) and torch.isfinite(out).all()


def test_killed_run_resumes_from_its_last_epoch(cache, trained, tmp_path):
    # SIGKILL the 6-epoch run once epoch 3 is saved, run the same command again: it continues after
    # epoch 3 and ends with the same losses and weights as an uninterrupted run
    from conftest import kill_after_epoch

    kill_after_epoch(
        "train_ddpm",
        3,
        "--cache",
        cache,
        "--model",
        tmp_path / "model.pt",
        "--state",
        tmp_path / "state" / "state.pt",
        "--loss-csv",
        tmp_path / "loss.csv",
        "--epochs",
        6,
        *TINY,
    )
    assert not (tmp_path / "model.pt").exists()
    again = train(cache, tmp_path, 6)
    assert again.returncode == 0, again.stderr
    assert "after epoch 3" in again.stdout and "epoch 1:" not in again.stdout and "epoch 4:" in again.stdout
    losses = lambda p: [l.split(",")[2] for l in open(p).read().splitlines()[1:]]  # noqa: E731
    assert losses(tmp_path / "loss.csv") == losses(trained / "loss.csv")
    a = torch.load(tmp_path / "model.pt", weights_only=True)["ema"]
    b = torch.load(trained / "model.pt", weights_only=True)["ema"]
    assert all(torch.allclose(a[k], b[k], atol=1e-6) for k in a)


@pytest.mark.parametrize("other", [("--label-dropout", "0.3"), ()], ids=["label dropout", "epochs only"])
def test_resume_refuses_other_settings(cache, tmp_path, other):
    """Another epoch count is another setting too: the learning-rate schedule spans all epochs, so
    continuing a 1-epoch state for 2 epochs would give a model no run from scratch gives."""
    assert train(cache, tmp_path, 1).returncode == 0
    proc = train(cache, tmp_path, 2, *other)
    assert_one_line_error(proc, "was made with other settings")


def test_eps_prediction_trains_and_samples(cache, tmp_path):
    proc = train(cache, tmp_path, 1, "--prediction", "eps")
    assert proc.returncode == 0, proc.stderr
    proc = run_script(
        "sample_ddpm", "--model", tmp_path / "model.pt", "--out", tmp_path / "s", "--per-digit", "2", "--steps", "3"
    )
    assert proc.returncode == 0, proc.stderr
    assert len(os.listdir(tmp_path / "s")) == 20


@pytest.fixture(scope="module")
def exported(trained):
    out = trained / "ckpt" / "ddpm.pt"
    proc = run_script(
        "export_checkpoint",
        "ddpm",
        "--model",
        trained / "model.pt",
        "--out",
        out,
        "--sampler",
        "ddim",
        "--steps",
        "3",
        "--guidance",
        "2",
    )
    assert proc.returncode == 0, proc.stderr
    return out


def hw2_1(out, ckpt, cwd="/"):
    env = dict(os.environ, HW2_DDPM_CHECKPOINT=str(ckpt))
    return subprocess.run(["bash", HW2_1, str(out)], capture_output=True, text=True, cwd=cwd, env=env, timeout=600)


def test_hw2_1_writes_1000_named_rgb_images_deterministically(exported, tmp_path):
    from PIL import Image

    out1, out2 = tmp_path / "a b é" / "out", tmp_path / "out2"
    # two runs at the same time into two folders
    env = dict(os.environ, HW2_DDPM_CHECKPOINT=str(exported))
    procs = [
        subprocess.Popen(
            ["bash", HW2_1, str(o)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd="/", env=env
        )
        for o in (out1, out2)
    ]
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err
    names = sorted(os.listdir(out1))
    assert names == sorted(f"{d}_{j:03d}.png" for d in range(10) for j in range(1, 101))
    with Image.open(out1 / "7_042.png") as img:
        assert img.size == (28, 28) and img.mode == "RGB"
    assert all((out1 / n).read_bytes() == (out2 / n).read_bytes() for n in names)
    # a folder holding other files gets a warning (the classifier reads every file)
    (out2 / "notes.txt").write_text("x")
    p3 = hw2_1(out2, exported)
    assert p3.returncode == 0 and "warning:" in p3.stderr and "notes.txt" in p3.stderr


def test_ddpm_posterior_sampler_matches_closed_form():
    from dlcv_hw2.methods.diffusion import Schedule, ddpm_sample

    s = Schedule.linear(5)
    eps_fn = lambda x, t: torch.zeros_like(x)  # noqa: E731  eps = 0: the mean is x / sqrt(alpha_t)
    x = torch.ones(1, 1, 1, 1)
    out = ddpm_sample(eps_fn, x, s, generator=torch.Generator().manual_seed(0))
    z = torch.Generator().manual_seed(0)
    expected = x.double()
    for i in reversed(range(5)):
        expected = expected / s.alphas[i].sqrt()
        if i > 0:
            expected = expected + s.betas[i].sqrt() * torch.randn((1, 1, 1, 1), generator=z).double()
    assert torch.allclose(out.double(), expected, atol=1e-5)


def hw2_1_bad(case, exported, t):
    """(arguments, checkpoint, fragments of the error line) of one bad-input case of hw2_1.sh."""
    out = [str(t / "out")]
    usage = ["usage: bash hw2_1.sh OUT_DIR"]
    cases = {
        "no_argument": lambda: ([], exported, usage),
        "two_arguments": lambda: (["a", "b"], exported, usage),
        "missing_checkpoint": lambda: (out, t / "none.pt", ["none.pt is missing", "hw2_download.sh"]),
        "unwritable": lambda: ([str(written(t / "file") / "out")], exported, ["cannot create folder"]),
        "bad_checkpoint": lambda: (out, saved(t / "bad.pt", {"kind": "something else"}), ["is not a DDPM checkpoint"]),
        "truncated_checkpoint": lambda: (out, truncated(exported, t / "trunc.pt"), ["unreadable or truncated"]),
        "empty_checkpoint": lambda: (out, written(t / "empty.pt", b""), ["unreadable or truncated"]),
        "checkpoint_is_folder": lambda: (out, folder_at(t / "dir.pt"), ["dir.pt is missing"]),
        "checkpoint_config_mismatch": lambda: (
            out,
            with_config(exported, t / "mismatch.pt", base_channels=16),
            ["does not fit its own config"],
        ),
        "output_is_file": lambda: (after(out, written(t / "out")), exported, ["exists and is not a folder"]),
        "empty_argument": lambda: ([""], exported, ["argument 1 is an empty string"]),
    }
    return cases[case]()


@pytest.mark.parametrize(
    "case",
    [
        "no_argument",
        "two_arguments",
        "missing_checkpoint",
        "unwritable",
        "bad_checkpoint",
        "truncated_checkpoint",
        "empty_checkpoint",
        "checkpoint_is_folder",
        "checkpoint_config_mismatch",
        "output_is_file",
        "empty_argument",
    ],
)
def test_hw2_1_bad_input(exported, tmp_path, case):
    args, ckpt, expect = hw2_1_bad(case, exported, tmp_path)
    env = dict(os.environ, HW2_DDPM_CHECKPOINT=str(ckpt))
    proc = subprocess.run(["bash", HW2_1, *args], capture_output=True, text=True, env=env, timeout=120)
    assert_one_line_error(proc, *expect)
    if case == "output_is_file":
        assert (tmp_path / "out").read_text() == "x"
        return
    assert not (tmp_path / "out").exists() or not os.listdir(tmp_path / "out")


def test_scale_shift_conditioning_and_old_checkpoints():
    """scale_shift=True conditions each block through a scale and a shift of its group norm (twice the
    embedding outputs); a config without the key (checkpoints written before it) builds the additive
    UNet; in both the label changes the prediction."""
    import torch

    from dlcv_hw2.methods.ddpm import build_model

    cfg = dict(
        base_channels=8, channel_mults=[1, 2], num_res_blocks=1, attention=True, dropout=0.0, patch=2, prediction="x0"
    )
    old, new = build_model(cfg), build_model(dict(cfg, scale_shift=True))
    assert old.down[0].emb.out_features == 8 and new.down[0].emb.out_features == 16
    assert sum(p.numel() for p in new.parameters()) > sum(p.numel() for p in old.parameters())
    x, t = torch.randn(2, 3, 28, 28), torch.tensor([500, 500])
    for model in (old, new):
        torch.nn.init.normal_(model.label_emb.weight)
        with torch.no_grad():
            a, b = model(x, t, torch.tensor([3, 3])), model(x, t, torch.tensor([7, 7]))
        assert a.shape == x.shape and not torch.allclose(a, b)


@pytest.mark.parametrize("patch, sizes", [(1, [28, 14]), (2, [14, 7]), (4, [7, 4])])
def test_pixel_folding_runs_the_unet_at_coarser_grids(patch, sizes):
    """patch p folds p x p pixel blocks into channels: the residual blocks see 28/p positions per side
    (a stride-2 convolution takes 7 to 4, and the decoder comes back to 7), the output is 28x28x3
    again, and the report's block diagram states the grids the blocks really see."""
    import matplotlib
    import torch

    from dlcv_hw2.methods.ddpm import build_model
    from dlcv_hw2.models.digit_unet import ResBlock
    from dlcv_hw2.report.figures import unet_diagram

    matplotlib.use("Agg")
    cfg = dict(
        base_channels=8,
        channel_mults=[1, 2],
        num_res_blocks=1,
        attention=True,
        dropout=0.0,
        patch=patch,
        scale_shift=True,
        prediction="x0",
    )
    model = build_model(cfg)
    seen = []
    for block in model.modules():
        if isinstance(block, ResBlock):
            block.register_forward_hook(lambda m, inp, out: seen.append(out.shape[-1]))
    x = torch.randn(2, 3, 28, 28)
    with torch.no_grad():
        out = model(x, torch.tensor([10, 900]), torch.tensor([1, 10]))
    assert out.shape == x.shape and torch.isfinite(out).all()
    assert sorted(set(seen), reverse=True) == sizes
    fig = unet_diagram(cfg)
    text = " ".join(t.get_text() for t in fig.axes[0].texts)
    for s in sizes:
        assert f"{s}x{s}" in text
    matplotlib.pyplot.close(fig)


HW2_2_2022 = os.path.join(REPO, "past_years", "2022", "hw2_2.sh")


def test_2022_hw2_2_writes_the_digits_hw2_1_writes(exported, tmp_path):
    """2022's problem 2 is 2023's problem 1: its script, under 2022's name, writes the same bytes."""
    env = dict(os.environ, HW2_DDPM_CHECKPOINT=str(exported))
    for script, out in ((HW2_1, tmp_path / "2023"), (HW2_2_2022, tmp_path / "2022")):
        proc = subprocess.run(["bash", script, str(out)], capture_output=True, text=True, cwd="/", env=env, timeout=600)
        assert proc.returncode == 0, proc.stderr
    names = sorted(os.listdir(tmp_path / "2023"))
    assert len(names) == 1000 and sorted(os.listdir(tmp_path / "2022")) == names
    assert all((tmp_path / "2023" / n).read_bytes() == (tmp_path / "2022" / n).read_bytes() for n in names)


@pytest.mark.parametrize(
    "args, ckpt, expect",
    [
        ([], None, ["usage: bash hw2_2.sh OUT_DIR", "got 0 argument(s)"]),
        (["a", "b"], None, ["usage: bash hw2_2.sh OUT_DIR"]),
        ([""], None, ["argument 1 is an empty string"]),
        (["out"], "none.pt", ["none.pt is missing", "run 'bash past_years/2022/hw2_download.sh' first"]),
    ],
)
def test_2022_hw2_2_bad_input(args, ckpt, expect, exported, tmp_path):
    env = dict(os.environ, HW2_DDPM_CHECKPOINT=str(tmp_path / ckpt if ckpt else exported))
    proc = subprocess.run(
        ["bash", HW2_2_2022, *[str(tmp_path / a) if a else a for a in args]],
        capture_output=True,
        text=True,
        cwd="/",
        env=env,
        timeout=120,
    )
    assert_one_line_error(proc, *expect)
    assert not (tmp_path / "out").exists()
