"""The ACGAN of 2021 problem 2: it learns the class conditioning, resumes after a kill with the result
of an uninterrupted run, samples the 1000 graded digits deterministically, and past_years/2021/hw2_p2.sh
writes them from any folder."""

import os
import subprocess

import pytest
import torch
from conftest import (
    REPO,
    after,
    assert_one_line_error,
    kill_after_epoch,
    run_script,
    saved,
    truncated,
    with_config,
    written,
)

from dlcv_hw2.data.digits import DigitSplit, save_cache
from dlcv_hw2.methods.acgan import initial_noise, load_model, sample

HW2_P2 = os.path.join(REPO, "past_years", "2021", "hw2_p2.sh")
TINY = [
    "--batch-size",
    "20",
    "--z-dim",
    "8",
    "--g-channels",
    "8",
    "--d-channels",
    "8",
    "--lr-g",
    "2e-3",
    "--lr-d",
    "2e-3",
    "--aux-on-fake",
    "0",
    "--aux-weight",
    "3",
    "--diffaugment",  # translation only: the colour jitter would erase the one cue of these classes, colour
    "translation",
]

# Ten classes that differ only in colour: a generator that follows its label draws the colour of the
# class; one that ignores it cannot.
COLOURS = torch.tensor(
    [
        [230, 25, 25],
        [25, 230, 25],
        [25, 25, 230],
        [230, 230, 25],
        [230, 25, 230],
        [25, 230, 230],
        [240, 240, 240],
        [15, 15, 15],
        [128, 64, 0],
        [0, 128, 64],
    ],
    dtype=torch.uint8,
)


@pytest.fixture(scope="module")
def colours(tmp_path_factory):
    n = 20
    labels = torch.arange(10).repeat(n)
    images = COLOURS[labels].view(-1, 3, 1, 1).expand(-1, 3, 28, 28).contiguous()
    path = tmp_path_factory.mktemp("acgan") / "colours.pt"
    save_cache(DigitSplit(images, labels, [f"{i}.png" for i in range(len(labels))]), str(path))
    return path


def train(cache, d, epochs, *extra):
    return run_script(
        "train_acgan",
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
def trained(colours, tmp_path_factory):
    d = tmp_path_factory.mktemp("trained")
    proc = train(colours, d, 12)
    assert proc.returncode == 0, proc.stderr
    return d


def test_generator_draws_the_class_it_is_asked_for(trained):
    lines = open(trained / "loss.csv").read().splitlines()
    assert lines[0] == "epoch,step,d_loss,g_loss,d_real_acc,d_fake_acc,seconds" and len(lines) == 13
    ckpt = load_model(str(trained / "model.pt"), "cpu")
    labels, z = initial_noise(10, ckpt.z_dim, 0)
    images = sample(ckpt, labels, z, "cpu")
    assert images.shape == (100, 3, 28, 28) and images.min() >= -1 and images.max() <= 1
    mean = ((images + 1) * 127.5).mean(dim=(2, 3))  # [100, 3]
    nearest = torch.cdist(mean, COLOURS.float()).argmin(1)
    assert (nearest == labels).float().mean() >= 0.9, nearest.view(10, 10)


def test_killed_run_resumes_from_its_last_epoch(colours, trained, tmp_path):
    kill_after_epoch(
        "train_acgan",
        5,
        "--cache",
        colours,
        "--model",
        tmp_path / "model.pt",
        "--state",
        tmp_path / "state" / "state.pt",
        "--loss-csv",
        tmp_path / "loss.csv",
        "--epochs",
        12,
        *TINY,
    )
    assert not (tmp_path / "model.pt").exists()
    again = train(colours, tmp_path, 12)
    assert again.returncode == 0, again.stderr
    assert "after epoch 5" in again.stdout and "epoch 1:" not in again.stdout and "epoch 6:" in again.stdout
    strip = lambda p: [l.rsplit(",", 1)[0] for l in open(p).read().splitlines()]  # noqa: E731  (without seconds)
    assert strip(tmp_path / "loss.csv") == strip(trained / "loss.csv")
    assert (tmp_path / "model.pt").read_bytes() == (trained / "model.pt").read_bytes()


def test_resume_refuses_other_settings(colours, tmp_path):
    assert train(colours, tmp_path, 1).returncode == 0
    assert_one_line_error(train(colours, tmp_path, 1, "--loss", "bce"), "was made with other settings")


@pytest.mark.parametrize(
    "options",
    [
        ["--spectral-norm", "0", "--projection", "0", "--loss", "bce", "--ema-decay", "0", "--aux-on-fake", "1"],
        ["--minibatch-std", "4"],
        ["--conditioning", "cbn"],
        ["--label-spread", "1"],
        ["--diversity", "2"],
    ],
    ids=["ACGAN as published", "minibatch standard deviation", "conditional batch norm", "label spread", "diversity"],
)
def test_the_other_branch_of_every_option_trains(colours, tmp_path, options):
    proc = train(colours, tmp_path, 1, *options)
    assert proc.returncode == 0, proc.stderr
    assert load_model(str(tmp_path / "model.pt"), "cpu").z_dim == 8


@pytest.fixture(scope="module")
def exported(trained):
    out = trained / "ckpt" / "acgan.pt"
    proc = run_script("export_checkpoint", "acgan", "--model", trained / "model.pt", "--out", out)
    assert proc.returncode == 0, proc.stderr
    return out


def hw2_p2(out, ckpt, cwd="/"):
    env = dict(os.environ, HW2_ACGAN_CHECKPOINT=str(ckpt))
    return subprocess.run(["bash", HW2_P2, str(out)], capture_output=True, text=True, cwd=cwd, env=env, timeout=600)


def test_hw2_p2_writes_1000_named_rgb_images_deterministically(exported, tmp_path):
    from PIL import Image

    out1, out2 = tmp_path / "a b é" / "out", tmp_path / "out2"
    for out in (out1, out2):
        proc = hw2_p2(out, exported)
        assert proc.returncode == 0, proc.stderr
    names = sorted(os.listdir(out1))
    assert names == sorted(f"{d}_{j:03d}.png" for d in range(10) for j in range(1, 101))
    with Image.open(out1 / "4_100.png") as img:
        assert img.size == (28, 28) and img.mode == "RGB"
    assert all((out1 / n).read_bytes() == (out2 / n).read_bytes() for n in names)
    # digit d asked for is the colour of class d (the test generator's conditioning, through the script)
    with Image.open(out1 / "2_001.png") as img:
        r, g, b = img.convert("RGB").resize((1, 1), Image.BOX).getpixel((0, 0))
    assert b > max(r, g)


def hw2_p2_bad(case, exported, trained, t):
    """(arguments, checkpoint, fragments of the error line) of one bad-input case of hw2_p2.sh."""
    out = [str(t / "out")]
    usage = ["usage: bash hw2_p2.sh OUT_DIR"]
    ddpm = {"kind": "dlcv_hw2.ddpm", "config": {}, "ema": {}}
    cases = {
        "no_argument": lambda: ([], exported, usage),
        "two_arguments": lambda: (["a", "b"], exported, usage),
        "empty_argument": lambda: ([""], exported, ["argument 1 is an empty string"]),
        "missing_checkpoint": lambda: (out, t / "none.pt", ["none.pt is missing", "past_years/2021/hw2_download.sh"]),
        "ddpm_checkpoint": lambda: (out, saved(t / "ddpm.pt", ddpm), ["is not an ACGAN checkpoint"]),
        "truncated_checkpoint": lambda: (out, truncated(exported, t / "trunc.pt"), ["unreadable or truncated"]),
        "checkpoint_config_mismatch": lambda: (
            out,
            with_config(exported, t / "mismatch.pt", g_channels=16),
            ["does not fit its own config"],
        ),
        "output_is_file": lambda: (after(out, written(t / "out")), exported, ["exists and is not a folder"]),
        "output_under_a_file": lambda: ([str(written(t / "file") / "out")], exported, ["cannot create folder"]),
        "training_state": lambda: (out, trained / "state" / "state.pt", ["is not an ACGAN checkpoint"]),
    }
    return cases[case]()


@pytest.mark.parametrize(
    "case",
    [
        "no_argument",
        "two_arguments",
        "empty_argument",
        "missing_checkpoint",
        "ddpm_checkpoint",
        "truncated_checkpoint",
        "checkpoint_config_mismatch",
        "output_is_file",
        "output_under_a_file",
        "training_state",
    ],
)
def test_hw2_p2_bad_input(exported, trained, tmp_path, case):
    args, ckpt, expect = hw2_p2_bad(case, exported, trained, tmp_path)
    proc = (
        hw2_p2(args[0] if args else None, ckpt)
        if len(args) == 1
        else subprocess.run(
            ["bash", HW2_P2, *args],
            capture_output=True,
            text=True,
            timeout=120,
            env=dict(os.environ, HW2_ACGAN_CHECKPOINT=str(ckpt)),
        )
    )
    assert_one_line_error(proc, *expect)
    if case == "output_is_file":
        assert (tmp_path / "out").read_text() == "x"
        return
    assert not (tmp_path / "out").exists() or not os.listdir(tmp_path / "out")


def test_label_spread_is_zero_for_one_image_per_label_and_blind_across_labels():
    """The channel is each image's mean |difference| from the batch's other images of its label: zero
    where a label's images are one image, the same whatever images of other labels hold, 0 alone."""
    from dlcv_hw2.models.layers import LabelSpread

    x = torch.randn(6, 2, 3, 3, generator=torch.Generator().manual_seed(0))
    y = torch.tensor([0, 0, 1, 1, 1, 2])
    x[1] = x[0]  # label 0: one image twice
    out = LabelSpread()(x, y)
    assert out.shape == (6, 3, 3, 3) and torch.equal(out[:, :2], x)
    spread = out[:, 2, 0, 0]
    assert spread[0] == spread[1] == 0 and spread[5] == 0  # one image per label; an image alone
    assert spread[2] == pytest.approx(((x[2] - x[3]).abs().mean() + (x[2] - x[4]).abs().mean()).item() / 2)
    moved = x.clone()
    moved[5] += 10.0  # another label's image changes nothing of label 1's spread
    assert torch.equal(LabelSpread()(moved, y)[2:5, 2], out[2:5, 2])


def test_both_conditionings_draw_from_noise_and_label():
    from dlcv_hw2.models.acgan import Generator

    for conditioning in ("concat", "cbn"):
        gen = Generator(8, 4, conditioning).eval()
        z, y = torch.randn(4, 8), torch.tensor([0, 1, 2, 3])
        assert gen(z, y).shape == (4, 3, 28, 28)
        assert not torch.allclose(gen(z, y), gen(z.flip(0), y))  # the noise matters
    with pytest.raises(ValueError, match="unknown conditioning"):
        Generator(8, 4, "film")


def test_diversity_term_rewards_pairs_that_differ_up_to_its_bound():
    """The pairs are (i, i + n/2), drawn for one label: the term is each pair's mean |image difference| over
    its mean |noise difference|, at most the bound, averaged; a pair of one image adds 0."""
    from dlcv_hw2 import settings
    from dlcv_hw2.methods.acgan import gan_steps
    from dlcv_hw2.methods.training import diversity

    images = torch.zeros(4, 3, 2, 2)
    images[2] = 0.5  # pair (0, 2) differs by 0.5 per pixel; pair (1, 3) is one image
    z = torch.zeros(4, 5)
    z[2] = 2.0  # pair (0, 2): noises 2 apart per dimension
    assert diversity(images, z, bound=1.0).item() == pytest.approx((0.5 / 2.0 + 0.0) / 2)
    images[2] = 1.5  # 0.75 over the noise: past a bound of 0.6
    assert diversity(images, z, bound=0.6).item() == pytest.approx((0.6 + 0.0) / 2)

    rng = torch.Generator().manual_seed(0)
    z, y = gan_steps(settings.build("acgan", {"diversity": 1.0})).noise(8, rng)
    assert torch.equal(y[:4], y[4:]) and not torch.equal(z[:4], z[4:])  # one label, two noises
    _, y = gan_steps(settings.build("acgan", {"diversity": 1.0})).noise(7, rng)  # an odd batch: pairs (i, i + 4)
    assert torch.equal(y[:3], y[4:])
    assert diversity(torch.zeros(7, 3, 2, 2), torch.randn(7, 5), bound=1.0).item() == 0.0  # one image: 0
    odd = torch.zeros(5, 3, 2, 2)
    odd[3] = 0.3  # pairs (0, 3) and (1, 4); image 2 has no partner
    odd[2] = 9.0
    assert diversity(odd, torch.ones(5, 5).cumsum(0), bound=1.0).item() == pytest.approx((0.3 / 3 + 0.0) / 2)
    _, y = gan_steps(settings.build("acgan", {})).noise(64, torch.Generator().manual_seed(0))
    assert not torch.equal(y[:32], y[32:])  # off: a label per image
