import csv
import os
import subprocess
import sys

import pytest
import torch
from conftest import REPO, after, assert_one_line_error, folder_at, run_script, truncated, written

from dlcv_hw2.models.dann import DANN, GradientReversal, grl_lambda

HW2_3 = os.path.join(REPO, "hw2_3.sh")


def test_gradient_reversal_flips_and_scales_exactly():
    x = torch.randn(4, 5, requires_grad=True)
    w = torch.randn(4, 5)
    y = GradientReversal()(x, 0.37)
    assert torch.equal(y, x)
    (y * w).sum().backward()
    assert torch.equal(x.grad, -0.37 * w)


def test_lambda_schedule():
    assert grl_lambda(0.0) == 0.0
    assert grl_lambda(1.0) == pytest.approx(2 / (1 + torch.exp(torch.tensor(-10.0)).item()) - 1)
    assert grl_lambda(0.5) == pytest.approx(0.986614, abs=1e-6)
    values = [grl_lambda(p / 10) for p in range(11)]
    assert values == sorted(values) and values[-1] < 1.0


def test_dann_model_shapes_and_grayscale_input():
    m = DANN(width=8, hidden=16).eval()
    x = torch.rand(3, 1, 28, 28).expand(3, 3, 28, 28)  # grayscale expanded to 3 channels
    logits, dom = m(x, 1.0)
    assert logits.shape == (3, 10) and dom.shape == (3, 2)


def test_gray_input_ignores_colour_and_brightness():
    torch.manual_seed(0)
    x = torch.rand(4, 1, 28, 28).mul(2).sub(1).expand(4, 3, 28, 28)
    # the same picture brighter and with a colour cast: its luma differs by a constant
    tinted = x + torch.tensor([0.3, -0.2, 0.1]).view(1, 3, 1, 1)
    gray, rgb = DANN(width=8, hidden=16, input="gray").eval(), DANN(width=8, hidden=16, input="rgb").eval()
    assert torch.allclose(gray.classify(x), gray.classify(tinted), atol=1e-5)
    # contrast is divided out too, up to the small floor on the standard deviation
    assert torch.allclose(gray.classify(x), gray.classify(3 * x), atol=2e-3)
    assert (rgb.features(x) - rgb.features(tinted)).abs().max() > 1e-3  # an RGB model sees the change
    assert (gray.features(x) - gray.features(tinted)).abs().max() < 1e-5
    with pytest.raises(ValueError, match="input must be one of"):
        DANN(width=8, hidden=16, input="hsv")


def test_augment_identity_shift_and_zoom():
    from dlcv_hw2.methods.uda import augment

    x = -torch.ones(2, 3, 28, 28)
    x[:, :, 11:17, 11:17] = 1.0  # a 6x6 white square in the centre
    gen = torch.Generator().manual_seed(0)
    assert torch.allclose(augment(x, gen, shift=0.0), x, atol=1e-5)
    bigger = augment(x, gen, shift=0.0, zoom=(2.0, 2.0))
    assert ((bigger > 0).float().sum() / (x > 0).float().sum()).item() == pytest.approx(4.0, rel=0.15)
    moved = augment(x, gen, shift=3.0)
    assert moved.shape == x.shape and not torch.allclose(moved, x)
    # at most 3 pixels of shift: the square's bright pixels keep the count, the centre stays covered
    assert moved[:, 0, 14, 14].gt(0).all()


@pytest.fixture(scope="module")
def caches(tiny_digits, tmp_path_factory):
    d = tmp_path_factory.mktemp("dann_cache")
    for dom in ("mnistm", "usps"):
        for split in ("train", "val"):
            proc = run_script(
                "build_cache",
                "--domain-dir",
                tiny_digits / "digits" / dom,
                "--split",
                split,
                "--out",
                d / f"{dom}_{split}.pt",
            )
            assert proc.returncode == 0, proc.stderr
    return d


def test_tiny_target_only_run_beats_chance(caches, tmp_path):
    # 40 labelled USPS-like images, 30 epochs of a narrow CNN: well above the 10 % of chance on val
    proc = run_script(
        "train_dann",
        "--setting",
        "target_only",
        "--target-train",
        caches / "usps_train.pt",
        "--target-val",
        caches / "usps_val.pt",
        "--model",
        tmp_path / "m.pt",
        "--metrics",
        tmp_path / "m.json",
        "--epochs",
        "30",
        "--batch-size",
        "20",
        "--width",
        "8",
        "--hidden",
        "32",
        "--lr",
        "5e-3",
    )
    assert proc.returncode == 0, proc.stderr
    import json

    acc = json.load(open(tmp_path / "m.json"))["target_val_accuracy"]
    assert acc >= 30.0, acc


TINY_CFG = dict(
    epochs=1,
    batch_size=20,
    lr=1e-3,
    weight_decay=0.0,
    width=4,
    hidden=8,
    grl_gamma=10.0,
    domain_weight=1.0,
    input="gray",
    shift=2.0,
    zoom=[1.0, 1.3],
    rotate=10.0,
    bn_per_domain=False,
    target_entropy=0.0,
)


def tiny_settings(**changes):
    from dlcv_hw2 import settings

    return settings.build("dann", dict(TINY_CFG, **changes))


def _batches(n=6, seed=0):
    g = torch.Generator().manual_seed(seed)
    x, xt = torch.rand(n, 3, 28, 28, generator=g) * 2 - 1, torch.rand(n, 3, 28, 28, generator=g) * 2 - 1
    return x, torch.randint(0, 10, (n,), generator=g), xt


@pytest.mark.parametrize("per_domain", [False, True])
def test_per_domain_batch_norm_keeps_the_source_loss_free_of_the_target_batch(per_domain):
    from dlcv_hw2.methods.uda import dann_losses

    model = DANN(width=4, hidden=8).train()
    x, y, xt = _batches()
    losses = []
    for target in (xt, -xt * 0.5 + 0.3):  # another target batch, other statistics
        torch.manual_seed(1)  # the same dropout masks
        losses.append(dann_losses(model, x, y, target, 1.0, per_domain)[0].item())
    if per_domain:  # each domain normalised by its own batch: the source term cannot see the target images
        assert losses[0] == losses[1]
    else:  # one joint batch: the target images move the batch statistics the source is normalised with
        assert abs(losses[0] - losses[1]) > 1e-4


def test_target_entropy_term():
    from dlcv_hw2.methods.uda import dann_losses

    model = DANN(width=4, hidden=8).train()
    x, y, xt = _batches()
    final = model.label_head[-1]
    with torch.no_grad():  # a label predictor with constant logits: entropy ln 10 on any image
        final.weight.zero_()
        final.bias.zero_()
    for per_domain in (False, True):
        entropy = dann_losses(model, x, y, xt, 1.0, per_domain)[2].item()
        assert entropy == pytest.approx(torch.log(torch.tensor(10.0)).item())
    with torch.no_grad():  # one class far ahead: entropy near 0
        final.bias[3] = 50.0
    assert dann_losses(model, x, y, xt, 1.0, True)[2].item() < 1e-6


def test_target_entropy_weight_makes_target_predictions_confident(caches):
    # the same tiny DANN run with and without the entropy term: the term lowers the entropy of the
    # predictions on the unlabelled target images (recorded per epoch in the history)
    from dlcv_hw2.methods import uda as dann

    ent = {}
    for w in (0.0, 3.0):
        cfg = tiny_settings(epochs=20, lr=1e-2, width=8, hidden=32, batch_size=10, bn_per_domain=True, target_entropy=w)
        _, hist = dann.train(
            "dann", str(caches / "mnistm_train.pt"), str(caches / "usps_train.pt"), cfg, 0, "cpu", log=lambda s: 0
        )
        ent[w] = hist[-1]["target_entropy"]
    assert ent[3.0] < 0.5 * ent[0.0], ent  # measured: 0.33 against 1.50


@pytest.mark.parametrize("recipe", [dict(), dict(bn_per_domain=True, target_entropy=0.5)], ids=["plain", "presets"])
def test_dann_never_reads_target_labels(caches, tmp_path, recipe):
    # scramble the target labels: a DANN run must give the very same model
    from dlcv_hw2.methods import uda as dann

    cfg = tiny_settings(**recipe)
    obj = torch.load(caches / "usps_train.pt", weights_only=True)
    obj["labels"] = (obj["labels"] + 3) % 10
    torch.save(obj, tmp_path / "scrambled.pt")
    a, _ = dann.train(
        "dann", str(caches / "mnistm_train.pt"), str(caches / "usps_train.pt"), cfg, 0, "cpu", log=lambda s: 0
    )
    b, _ = dann.train(
        "dann", str(caches / "mnistm_train.pt"), str(tmp_path / "scrambled.pt"), cfg, 0, "cpu", log=lambda s: 0
    )
    assert all(torch.equal(x, y) for x, y in zip(a.state_dict().values(), b.state_dict().values()))


def test_wildcard_rules_build_the_six_trainings_per_seed(tmp_path):
    snakemake = os.path.join(os.path.dirname(sys.executable), "snakemake")
    two_seeds = tmp_path / "seeds.yaml"
    two_seeds.write_text("presets: {demo: {dann: {seeds: [0, 1]}}}\n")
    proc = subprocess.run(
        [
            snakemake,
            "-n",
            "results/dann/accuracy_table.csv",
            "-s",
            os.path.join(REPO, "Snakefile"),
            "-d",
            str(tmp_path),
            "--configfile",
            os.path.join(REPO, "tests", "tiny_config.yaml"),
            str(two_seeds),
        ],
        capture_output=True,
        text=True,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    jobs = sorted(set(l.split("output: ")[1].split(",")[0] for l in out.splitlines() if "output: results/dann_" in l))
    assert jobs == sorted(
        f"results/dann_{s}/{k}/seed{n}/model.pt"
        for s in ("svhn", "usps")
        for k in ("source_only", "dann", "target_only")
        for n in (0, 1)
    )


@pytest.fixture(scope="module")
def checkpoint_dir(caches, tmp_path_factory):
    d = tmp_path_factory.mktemp("ckpts")
    proc = run_script(
        "train_dann",
        "--setting",
        "dann",
        "--source",
        caches / "mnistm_train.pt",
        "--target-train",
        caches / "usps_train.pt",
        "--target-val",
        caches / "usps_val.pt",
        "--model",
        d / "dann_usps.pt",
        "--metrics",
        d / "m.json",
        "--epochs",
        "1",
        "--width",
        "4",
        "--hidden",
        "8",
        "--batch-size",
        "20",
    )
    assert proc.returncode == 0, proc.stderr
    return d


def hw2_3(folder, out, ckpts, cwd="/"):
    env = dict(os.environ, HW2_CHECKPOINTS=str(ckpts))
    return subprocess.run(
        ["bash", HW2_3, str(folder), str(out)], capture_output=True, text=True, env=env, cwd=cwd, timeout=300
    )


@pytest.fixture
def test_folder(tiny_digits, tmp_path):
    import shutil

    d = tmp_path / "hw2_data" / "digits" / "usps" / "test"
    d.mkdir(parents=True)
    names = [r[0] for r in csv.reader(open(tiny_digits / "digits" / "usps" / "test.csv"))][1:]
    for n in names:
        shutil.copy(tiny_digits / "digits" / "usps" / "data" / n, d / n)
    return d


def test_hw2_3_writes_every_image_once(test_folder, checkpoint_dir, tmp_path):
    out = tmp_path / "out dir é" / "pred.csv"
    proc = hw2_3(test_folder, out, checkpoint_dir)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.reader(open(out)))
    assert rows[0] == ["image_name", "label"]
    assert [r[0] for r in rows[1:]] == sorted(os.listdir(test_folder))
    assert all(r[1] in [str(i) for i in range(10)] for r in rows[1:])


def test_hw2_3_finds_the_domain_of_any_test_folder_and_skips_what_is_not_an_image(
    test_folder, checkpoint_dir, tmp_path
):
    """A TA's folder need not be named usps/: a component holding the name will do, and where the path names
    no domain, the images do (USPS: one channel). Other files of the folder are skipped with one warning."""
    import shutil

    proc = hw2_3(test_folder, tmp_path / "named.csv", checkpoint_dir)
    assert proc.returncode == 0, proc.stderr
    assert "target domain: usps (from the path component 'usps')" in proc.stderr
    named = (tmp_path / "named.csv").read_bytes()
    hidden = tmp_path / "data" / "hidden" / "test"
    shutil.copytree(test_folder, hidden)
    for extra in ("labels.csv", ".DS_Store", "readme.txt"):
        (hidden / extra).write_text("not an image")
    (hidden / "sub").mkdir()
    proc = hw2_3(hidden, tmp_path / "hidden.csv", checkpoint_dir)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert [line for line in lines if line.startswith("warning:")] == [
        f"warning: skipped 3 entries of {hidden} that are not images (e.g. labels.csv)"  # .DS_Store is hidden
    ]
    assert f"target domain: usps (from its images ({sorted(os.listdir(test_folder))[0]} has 1 channel(s)))" in lines
    assert (tmp_path / "hidden.csv").read_bytes() == named  # the images only, predicted alike
    shutil.copytree(test_folder, tmp_path / "usps_test")
    proc = hw2_3(tmp_path / "usps_test", tmp_path / "part.csv", checkpoint_dir)
    assert "target domain: usps (from the path component 'usps_test')" in proc.stderr
    assert (tmp_path / "part.csv").read_bytes() == named


def test_the_target_domain_of_a_folder_by_path_then_by_channels(tmp_path):
    from PIL import Image

    from dlcv_hw2.core.cli import UserError
    from dlcv_hw2.data.scenarios import channels_of, target_from_path, target_of_folder

    assert target_from_path("/data/svhn_test") == ("svhn", "svhn_test")
    assert target_from_path("/svhn/usps/x") == ("usps", "usps")  # the deepest component decides
    assert target_from_path("/data/svhn_and_usps/x") is None  # one component naming both names neither
    assert target_from_path("/data/mnistm", "2023") is None  # not a target of 2023's set
    rgb, gray, palette = tmp_path / "rgb.png", tmp_path / "gray.png", tmp_path / "p.png"
    Image.new("RGB", (28, 28), (200, 30, 30)).save(rgb)
    Image.new("L", (28, 28), 90).save(gray)
    grays = Image.new("P", (28, 28), 90)
    grays.putpalette([v for i in range(256) for v in (i, i, i)])  # a palette of grays: one channel of data
    grays.save(palette)
    assert [channels_of(p) for p in (rgb, gray, palette)] == [3, 1, 1]
    assert target_of_folder("/hidden", str(rgb)) == ("svhn", "from its images (rgb.png has 3 channel(s))")
    assert target_of_folder("/hidden", str(palette))[0] == "usps"
    with pytest.raises(UserError, match="3-channel images fit 2 of them"):  # 2021: MNIST-M and SVHN alike
        target_of_folder("/hidden", str(rgb), "2021")
    (tmp_path / "bad.png").write_bytes(b"\x89PNG broken")
    with pytest.raises(UserError, match="bad.png is unreadable"):
        target_of_folder("/hidden", str(tmp_path / "bad.png"))


def test_hw2_3_on_20000_images(test_folder, checkpoint_dir, tmp_path):
    import shutil

    big = tmp_path / "usps" / "big"
    big.mkdir(parents=True)
    sources = sorted(os.listdir(test_folder))
    names = [f"{i:05d}.png" for i in range(20000)]
    for i, n in enumerate(names):
        shutil.copyfile(test_folder / sources[i % len(sources)], big / n)
    proc = hw2_3(big, tmp_path / "pred.csv", checkpoint_dir)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.reader(open(tmp_path / "pred.csv")))
    assert rows[0] == ["image_name", "label"] and [r[0] for r in rows[1:]] == names
    # copies of the same image get the same prediction, whichever batch they fell in
    first = {}
    for i, (_, label) in enumerate(rows[1:]):
        assert first.setdefault(i % len(sources), label) == label


def make_bad(case, test_folder, checkpoint_dir, tmp_path):
    """(folder, output CSV, checkpoints folder, fragments of the error line) of one bad-input case of hw2_3.sh."""

    folder, out, ckpts, t = test_folder, tmp_path / "pred.csv", checkpoint_dir, tmp_path
    first = test_folder / sorted(os.listdir(test_folder))[0]

    def only_non_images():
        written(folder_at(t / "usps" / "notes") / "labels.csv")
        return t / "usps" / "notes"

    cases = {
        "missing_folder": lambda: (t / "usps" / "nope", out, ckpts, ["does not exist"]),
        "empty_folder": lambda: (folder_at(t / "usps" / "empty"), out, ckpts, ["is empty"]),
        "only_non_images": lambda: (only_non_images(), out, ckpts, ["holds no image file (only e.g. labels.csv)"]),
        "corrupt": lambda: (
            after(folder, written(first, b"\x89PNG\r\n\x1a\n broken")),
            out,
            ckpts,
            ["unreadable or truncated"],
        ),
        "unwritable": lambda: (folder, written(t / "f") / "pred.csv", ckpts, ["cannot create folder"]),
        "missing_checkpoint": lambda: (folder, out, t / "none", ["dann_usps.pt is missing"]),
        "no_arguments": lambda: (None, None, ckpts, ["usage: bash hw2_3.sh"]),
        "three_arguments": lambda: (folder, out, ckpts, ["usage: bash hw2_3.sh"]),
        "truncated_checkpoint": lambda: (
            folder,
            out,
            truncated(checkpoint_dir / "dann_usps.pt", t / "ck" / "dann_usps.pt").parent,
            ["unreadable or truncated"],
        ),
        "output_is_folder": lambda: (folder, folder_at(t / "out.csv"), ckpts, ["out.csv is a folder, not a file path"]),
        "bad_domain_override": lambda: (folder, out, ckpts, ["HW2_DOMAIN must be svhn or usps, not 'mnist'"]),
    }
    return cases[case]()


@pytest.mark.parametrize(
    "case",
    [
        "missing_folder",
        "empty_folder",
        "only_non_images",
        "corrupt",
        "unwritable",
        "missing_checkpoint",
        "no_arguments",
        "three_arguments",
        "truncated_checkpoint",
        "output_is_folder",
        "bad_domain_override",
    ],
)
def test_hw2_3_bad_input(case, test_folder, checkpoint_dir, tmp_path):
    folder, out, ckpts, expect = make_bad(case, test_folder, checkpoint_dir, tmp_path)
    env = dict(os.environ, HW2_CHECKPOINTS=str(ckpts))
    if case == "bad_domain_override":
        env["HW2_DOMAIN"] = "mnist"
    args = {"no_arguments": [], "three_arguments": [str(folder), str(out), "extra"]}.get(case, [str(folder), str(out)])
    proc = subprocess.run(["bash", HW2_3, *args], capture_output=True, text=True, env=env, cwd="/", timeout=300)
    assert_one_line_error(proc, *expect)
    if case == "output_is_folder":
        assert os.listdir(out) == []
        return
    if out is None:
        return
    assert not os.path.exists(out)
    if os.path.isdir(os.path.dirname(out)):
        assert not [n for n in os.listdir(os.path.dirname(out)) if n.startswith(".tmp-")]


def test_hw2_3_resizes_other_sizes_with_a_warning(test_folder, checkpoint_dir, tmp_path):
    from PIL import Image

    Image.new("L", (16, 16)).save(test_folder / "zz_small.png")
    proc = hw2_3(test_folder, tmp_path / "p.csv", checkpoint_dir)
    assert proc.returncode == 0, proc.stderr
    assert "were resized" in proc.stderr and "zz_small.png" in proc.stderr


def test_report_describes_the_dann_additions_only_when_switched_on():
    from dlcv_hw2.methods.uda import UDA_METHODS

    describe = UDA_METHODS["dann"].describe
    assert describe({"bn_per_domain": False, "target_entropy": 0.0}) == ""
    text = describe({"bn_per_domain": False, "target_entropy": 0.25})
    assert "0.25 times the mean entropy" in text and "batch norm" not in text
    assert "own statistics" in describe({"bn_per_domain": True, "target_entropy": 0.0})


HW2_3_2022 = os.path.join(REPO, "past_years", "2022", "hw2_3.sh")


def test_2022_hw2_3_predicts_as_hw2_3(test_folder, checkpoint_dir, tmp_path):
    """2022's problem 3 is 2023's: its script, under 2022's name and arguments, writes the same CSV."""
    env = dict(os.environ, HW2_CHECKPOINTS=str(checkpoint_dir))
    for script, out in ((HW2_3, tmp_path / "2023.csv"), (HW2_3_2022, tmp_path / "2022.csv")):
        proc = subprocess.run(
            ["bash", script, str(test_folder), str(out)], capture_output=True, text=True, env=env, cwd="/", timeout=300
        )
        assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "2022.csv").read_bytes() == (tmp_path / "2023.csv").read_bytes()
    assert len((tmp_path / "2022.csv").read_text().splitlines()) == len(os.listdir(test_folder)) + 1


@pytest.mark.parametrize("case", ["no_arguments", "missing_checkpoint"])
def test_2022_hw2_3_bad_input(case, test_folder, tmp_path):
    env = dict(os.environ, HW2_CHECKPOINTS=str(tmp_path / "empty"))
    args = [] if case == "no_arguments" else [str(test_folder), str(tmp_path / "out.csv")]
    proc = subprocess.run(["bash", HW2_3_2022, *args], capture_output=True, text=True, env=env, cwd="/", timeout=120)
    expect = {
        "no_arguments": ["usage: bash hw2_3.sh TEST_IMAGE_DIR OUT_CSV"],
        "missing_checkpoint": ["dann_usps.pt is missing", "run 'bash past_years/2022/hw2_download.sh' first"],
    }
    assert_one_line_error(proc, *expect[case])
    assert not (tmp_path / "out.csv").exists()
