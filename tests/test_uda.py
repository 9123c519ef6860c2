"""Domain adaptation beyond 2023: scenarios as data, the 2021 digit layout, Domain Separation Networks,
the 2021 grading scripts (hw2_p3.sh, hw2_bonus.sh)."""

import csv
import json
import os
import subprocess
import sys

import pytest
import torch
from conftest import REPO, assert_one_line_error, run_script

from dlcv_hw2 import paths, settings
from dlcv_hw2.core.cli import UserError
from dlcv_hw2.data import scenarios
from dlcv_hw2.data.demo.digits import write_domain
from dlcv_hw2.data.digits import decode_split, layout_of, read_split_csv, save_cache, split_rows
from dlcv_hw2.models.dsn import DSN, difference_loss, scale_invariant_mse

P3 = os.path.join(REPO, "past_years", "2021", "hw2_p3.sh")
BONUS = os.path.join(REPO, "past_years", "2021", "hw2_bonus.sh")


# ----------------------------------------------------------------------------------------- scenarios
def test_scenario_names_keep_the_2023_paths_and_name_the_others():
    assert scenarios.configured("2023", scenarios.DOMAINS) == ["svhn", "usps"]
    assert scenarios.configured(2021, scenarios.DOMAINS) == ["usps", "svhn_to_mnistm", "usps_to_svhn"]
    assert scenarios.configured(["usps->svhn", " svhn -> usps"], scenarios.DOMAINS) == ["usps_to_svhn", "svhn_to_usps"]
    assert scenarios.pair("svhn_to_mnistm") == ("svhn", "mnistm") and scenarios.pair("usps") == ("mnistm", "usps")
    assert scenarios.title("usps_to_svhn") == "USPS -> SVHN"
    assert len(scenarios.ALL) == 6 and all(scenarios.name(*p) == n for n, p in scenarios.ALL.items())
    # a set keeps the scenarios whose domains are present; the grading scripts find theirs by target
    assert scenarios.configured("2021", ["mnistm", "usps"]) == ["usps"]
    assert [scenarios.for_target("2021", t) for t in ("usps", "mnistm", "svhn")] == [
        "usps",
        "svhn_to_mnistm",
        "usps_to_svhn",
    ]


@pytest.mark.parametrize(
    "value, domains, expect",
    [
        (["svhn->svhn"], scenarios.DOMAINS, "adapts a domain to itself"),
        (["svhn->kmnist"], scenarios.DOMAINS, "is not SOURCE->TARGET"),
        (["svhn-mnistm"], scenarios.DOMAINS, "is not SOURCE->TARGET"),
        (["svhn->usps", "svhn -> usps"], scenarios.DOMAINS, "is listed twice"),
        (["mnistm->svhn"], ["mnistm", "usps"], "names the domain 'svhn', which is not among domains"),
        ("2022", scenarios.DOMAINS, "is not one of the sets"),
    ],
)
def test_bad_scenarios_are_refused_with_their_reason(value, domains, expect):
    with pytest.raises(UserError, match=expect):
        scenarios.configured(value, domains)


@pytest.mark.parametrize(
    "config, expect",
    [
        (
            {"scenarios": ["usps->usps"]},
            "invalid config key scenarios: scenario 'usps->usps' adapts a domain to itself",
        ),
        ({"scenarios": ["mnistm->svhn"], "domains": ["mnistm", "usps"]}, "which is not among domains"),
        ({"scenarios": "2020"}, "invalid config key scenarios"),
        ({"scenarios": []}, "invalid config key scenarios"),
        (
            {"presets": {"demo": {"dann": {"methods": ["dann", "adda"]}}}},
            "invalid config key presets.demo.dann.methods.1",
        ),
        ({"presets": {"demo": {"demo_data": {"layout": "2020"}}}}, "presets.demo.demo_data.layout"),
        ({"val_holdout": 1.0}, "invalid config key val_holdout"),
    ],
)
def test_config_refuses_bad_scenarios_methods_and_layouts(config, expect):
    base = settings.defaults(settings.schema())
    base["presets"] = {"demo": {}}
    with pytest.raises(settings.ConfigError, match=expect.replace("(", r"\(")):
        settings.check_config(settings.deep_merge(base, config))


# ----------------------------------------------------------------------------------- the 2021 layout
@pytest.fixture(scope="module")
def digits2021(tmp_path_factory):
    """Tiny demo domains in the 2021 layout (train/, test/, train.csv, test.csv)."""
    root = tmp_path_factory.mktemp("hw2_data_2021") / "digits"
    for domain in scenarios.DOMAINS:
        write_domain(str(root / domain), domain, {"train": 60, "test": 12}, seed=5, layout="2021")
    return root


def test_2021_layout_is_written_and_recognised(digits2021, tiny_digits):
    usps = digits2021 / "usps"
    assert sorted(os.listdir(usps)) == ["test", "test.csv", "train", "train.csv"]
    assert len(os.listdir(usps / "train")) == 60 and len(os.listdir(usps / "test")) == 12
    assert [n for n, _ in read_split_csv(str(usps), "test")] == sorted(os.listdir(usps / "test"))
    assert layout_of(str(usps)) == "2021" and layout_of(str(tiny_digits / "digits" / "usps")) == "2023"


def test_2021_val_is_a_seeded_share_of_train_and_never_test(digits2021):
    usps = str(digits2021 / "usps")
    train, val, test = (split_rows(usps, s, 0.25, 3) for s in ("train", "val", "test"))
    names = [n for n, _ in read_split_csv(usps, "train")]
    assert len(val) == 15 and len(train) == 45
    assert sorted(n for n, _, _ in train + val) == sorted(names)  # train.csv split in two, nothing lost
    assert not {n for n, _, _ in val} & {n for n, _, _ in train}
    assert all(os.sep + "train" + os.sep in p for _, p, _ in train + val)
    assert all(os.sep + "test" + os.sep in p for _, p, _ in test)
    assert split_rows(usps, "val", 0.25, 3) == val  # the same draw again
    assert split_rows(usps, "val", 0.25, 4) != val  # another seed, another draw
    cache = decode_split(usps, "val", 0.25, 3)
    assert cache.split == "val" and cache.images.shape == (15, 3, 28, 28)
    assert cache.labels.tolist() == [lab for _, _, lab in val]


def test_build_cache_holds_out_val_from_a_2021_domain(digits2021, tmp_path):
    out = tmp_path / "val.pt"
    proc = run_script(
        "build_cache",
        "--domain-dir",
        digits2021 / "svhn",
        "--split",
        "val",
        "--val-holdout",
        "0.5",
        "--seed",
        "1",
        "--out",
        out,
    )
    assert proc.returncode == 0, proc.stderr
    obj = torch.load(out, weights_only=True)
    assert obj["split"] == "val" and len(obj["names"]) == 30


@pytest.mark.parametrize(
    "case, expect",
    [
        ("missing_image", "is missing"),
        ("no_layout", "has neither data/ nor train/ (the two layouts of the course's digits)"),
        ("bad_split", "invalid choice: 'trainval'"),
        ("one_image", "a val split needs at least 2"),
    ],
)
def test_build_cache_bad_2021_input(case, expect, digits2021, tmp_path):
    import shutil

    domain = tmp_path / "usps"
    shutil.copytree(digits2021 / "usps", domain)
    split = "train"
    if case == "missing_image":
        os.remove(split_rows(str(domain), "train")[5][1])  # an image of the train split (not held out)
    elif case == "no_layout":
        shutil.rmtree(domain / "train")
    elif case == "bad_split":
        split = "trainval"
    elif case == "one_image":
        lines = open(domain / "train.csv").read().splitlines()
        (domain / "train.csv").write_text("\n".join(lines[:2]) + "\n")
    out = tmp_path / "out" / "c.pt"
    proc = run_script("build_cache", "--domain-dir", domain, "--split", split, "--out", out)
    assert_one_line_error(proc, expect)
    assert not out.exists()


# ------------------------------------------------------------------------------------------------ DSN
def test_scale_invariant_mse_ignores_a_constant_offset_only():
    torch.manual_seed(0)
    x = torch.randn(4, 3, 28, 28)
    assert scale_invariant_mse(x + 0.7, x).item() == pytest.approx(0.0, abs=1e-6)
    noisy = x + 0.1 * torch.randn_like(x)
    assert scale_invariant_mse(noisy + 2.0, x).item() == pytest.approx(scale_invariant_mse(noisy, x).item(), rel=1e-4)
    assert scale_invariant_mse(noisy, x).item() == pytest.approx(0.01, rel=0.1)  # the noise's variance


def test_difference_loss_is_zero_for_uncorrelated_codes_and_one_for_equal_codes():
    from scipy.linalg import hadamard

    h = torch.tensor(hadamard(64), dtype=torch.float32)  # orthogonal +-1 columns, zero mean but the first
    shared, private = h[:, 1:9] * 3.0, h[:, 9:25] - 0.5  # every shared column orthogonal to every private one
    assert difference_loss(shared, private).item() == pytest.approx(0.0, abs=1e-6)
    assert difference_loss(h[:, 1:2], 2 * h[:, 1:2]).item() == pytest.approx(1.0, abs=1e-4)  # the same signal
    torch.manual_seed(0)
    mixed = difference_loss(torch.randn(64, 16), torch.randn(64, 16)).item()
    assert 0.0 < mixed < 0.2
    # what the loss pushes: a private code that repeats the shared one costs more than an independent one
    s = torch.randn(64, 16)
    assert difference_loss(s, s + 0.1 * torch.randn(64, 16)).item() > 3 * mixed  # measured: 0.077 against 0.015


def test_dsn_parts_and_shapes():
    m = DSN(width=4, hidden=8, private_width=4).eval()
    x = torch.rand(5, 3, 28, 28) * 2 - 1
    code = m.features(x)
    assert m.classify(x).shape == (5, 10) and code.shape == (5, m.features.out_dim)
    assert m.private_source(x).shape == code.shape and m.private_target(x).shape == code.shape
    assert m.decoder(code).shape == x.shape


@pytest.fixture(scope="module")
def caches2021(digits2021, tmp_path_factory):
    d = tmp_path_factory.mktemp("cache2021")
    for dom in scenarios.DOMAINS:
        for split in ("train", "val", "test"):
            save_cache(decode_split(str(digits2021 / dom), split, 0.25, 0), str(d / f"{dom}_{split}.pt"))
    return d


def tiny(**kw):
    return settings.build(
        "dann", {"epochs": 2, "batch_size": 16, "width": 4, "hidden": 8, "dsn_private_width": 4, **kw}
    )


@pytest.mark.parametrize("recipe", [dict(), dict(bn_per_domain=True, target_entropy=0.5)], ids=["plain", "presets"])
def test_dsn_never_reads_target_labels(caches2021, tmp_path, recipe):
    from dlcv_hw2.methods import uda as dann

    obj = torch.load(caches2021 / "mnistm_train.pt", weights_only=True)
    obj["labels"] = (obj["labels"] + 3) % 10
    torch.save(obj, tmp_path / "scrambled.pt")
    runs = [
        dann.train("dsn", str(caches2021 / "svhn_train.pt"), target, tiny(**recipe), 0, "cpu", log=lambda s: 0)[0]
        for target in (str(caches2021 / "mnistm_train.pt"), str(tmp_path / "scrambled.pt"))
    ]
    a, b = (r.state_dict() for r in runs)
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_dsn_loss_terms_are_recorded_and_each_weight_counts(caches2021):
    from dlcv_hw2.methods import uda as dann

    src, tgt = str(caches2021 / "svhn_train.pt"), str(caches2021 / "mnistm_train.pt")
    _, hist = dann.train("dsn", src, tgt, tiny(), 0, "cpu", log=lambda s: 0)
    assert {"reconstruction_loss", "difference_loss", "domain_loss", "class_loss"} <= set(hist[-1])
    base = dann.train("dsn", src, tgt, tiny(), 0, "cpu", log=lambda s: 0)[0].state_dict()
    for key in ("dsn_reconstruction", "dsn_difference", "dsn_similarity"):
        other = dann.train("dsn", src, tgt, tiny(**{key: 0.0}), 0, "cpu", log=lambda s: 0)[0].state_dict()
        assert not torch.equal(base["features.net.0.weight"], other["features.net.0.weight"]), key


def test_training_on_a_test_split_is_refused(caches2021, tmp_path):
    for args in (
        [
            "--setting",
            "dann",
            "--source",
            caches2021 / "svhn_train.pt",
            "--target-train",
            caches2021 / "mnistm_test.pt",
        ],
        ["--setting", "dsn", "--source", caches2021 / "svhn_test.pt", "--target-train", caches2021 / "mnistm_train.pt"],
        ["--setting", "target_only", "--target-train", caches2021 / "mnistm_test.pt"],
    ):
        proc = run_script(
            "train_dann",
            *args,
            "--target-val",
            caches2021 / "mnistm_val.pt",
            "--model",
            tmp_path / "m.pt",
            "--metrics",
            tmp_path / "m.json",
            "--epochs",
            "1",
        )
        assert_one_line_error(proc, "is a test split", "the test data is never trained on")
        assert not (tmp_path / "m.pt").exists() and not (tmp_path / "m.json").exists()


def test_dsn_run_reports_val_and_test_accuracy_and_loads_for_prediction(caches2021, tmp_path):
    proc = run_script(
        "train_dann",
        "--setting",
        "dsn",
        "--source",
        caches2021 / "svhn_train.pt",
        "--target-train",
        caches2021 / "mnistm_train.pt",
        "--target-val",
        caches2021 / "mnistm_val.pt",
        "--target-test",
        caches2021 / "mnistm_test.pt",
        "--model",
        tmp_path / "dsn.pt",
        "--metrics",
        tmp_path / "m.json",
        "--epochs",
        "1",
        "--width",
        "4",
        "--hidden",
        "8",
        "--dsn-private-width",
        "4",
        "--batch-size",
        "16",
    )
    assert proc.returncode == 0, proc.stderr
    m = json.load(open(tmp_path / "m.json"))
    assert 0 <= m["target_val_accuracy"] <= 100 and 0 <= m["target_test_accuracy"] <= 100
    assert m["config"]["dsn_private_width"] == 4 and "methods" not in m["config"]
    from dlcv_hw2.methods.uda import load_model

    model = load_model(str(tmp_path / "dsn.pt"), "cpu")
    assert isinstance(model, DSN) and model.config["private_width"] == 4


# ---------------------------------------------------------------------------------------------- table
def write_metrics(root, scenario, setting, seed, **acc):
    """A run's metrics.json, and dann_table.py's --run arguments naming it."""
    path = root / paths.uda_run(scenario, setting, seed, "metrics.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"seed": seed, **acc}))
    return ["--run", scenario, setting, str(path)]


def test_table_reports_test_accuracy_where_measured_with_a_row_per_method(tmp_path):
    files = []
    for seed, (a, b) in enumerate(((60.0, 70.0), (62.0, 74.0))):
        for setting, bonus in (("source_only", 0), ("dann", 5), ("dsn", 8), ("target_only", 30)):
            files += write_metrics(
                tmp_path, "svhn_to_mnistm", setting, seed, target_val_accuracy=1.0, target_test_accuracy=a + bonus
            )
            files += write_metrics(tmp_path, "usps", setting, seed, target_val_accuracy=b + bonus)
    proc = run_script("dann_table", *files, "--out", tmp_path / "t.csv", "--md", tmp_path / "t.md")
    assert proc.returncode == 0, proc.stderr
    rows = {(r["scenario"], r["setting"]): r for r in csv.DictReader(open(tmp_path / "t.csv"))}
    assert rows[("svhn_to_mnistm", "dsn")]["split"] == "test" and float(rows[("svhn_to_mnistm", "dsn")]["mean"]) == 69.0
    assert rows[("usps", "dann")]["split"] == "val" and float(rows[("usps", "dann")]["sd"]) == pytest.approx(2.83)
    md = open(tmp_path / "t.md").read().splitlines()
    assert md[0] == "| | SVHN → MNIST-M | MNIST-M → USPS |"
    assert [line.split(" |")[0] for line in md[2:6]] == [
        "| Trained on source",
        "| Adaptation (DANN)",
        "| Adaptation (DSN)",
        "| Trained on target",
    ]
    assert "SVHN -> MNIST-M: test" in md[-1] and "MNIST-M -> USPS: validation" in md[-1]


def test_table_refuses_a_run_of_an_unknown_scenario_or_method(tmp_path):
    good = write_metrics(tmp_path, "usps", "dann", 0, target_val_accuracy=50.0)
    for scenario, method in (("mnist", "dann"), ("usps", "adda")):
        proc = run_script(
            "dann_table",
            *good,
            "--run",
            scenario,
            method,
            good[-1],
            "--out",
            tmp_path / "t.csv",
            "--md",
            tmp_path / "t.md",
        )
        assert_one_line_error(proc, f"--run {scenario} {method}: not a scenario and a method")
        assert not (tmp_path / "t.csv").exists()


def test_table_refuses_runs_of_one_scenario_on_different_splits(tmp_path):
    a = write_metrics(tmp_path, "usps", "dann", 0, target_val_accuracy=50.0, target_test_accuracy=51.0)
    b = write_metrics(tmp_path, "usps", "dann", 1, target_val_accuracy=52.0)
    proc = run_script("dann_table", *a, *b, "--out", tmp_path / "t.csv", "--md", tmp_path / "t.md")
    assert_one_line_error(proc, "measured on different splits")
    assert not (tmp_path / "t.csv").exists()


# ------------------------------------------------------------------------------ 2021 grading scripts
@pytest.fixture(scope="module")
def checkpoints2021(caches2021, tmp_path_factory):
    """checkpoints/<method>_<scenario>.pt of the three 2021 scenarios, tiny (trained in this process)."""
    from dlcv_hw2.methods import uda as dann

    d = tmp_path_factory.mktemp("ckpt2021")
    for method in ("dann", "dsn"):
        for name in scenarios.configured("2021", scenarios.DOMAINS):
            source, target = scenarios.pair(name)
            model, _ = dann.train(
                method,
                str(caches2021 / f"{source}_train.pt"),
                str(caches2021 / f"{target}_train.pt"),
                tiny(epochs=1),
                0,
                "cpu",
                log=lambda s: 0,
            )
            dann.save_model(model, str(d / f"{method}_{name}.pt"))
    return d


def grade(script, *args, ckpts, cwd="/"):
    env = dict(os.environ, HW2_CHECKPOINTS=str(ckpts))
    return subprocess.run(
        ["bash", script, *map(str, args)], capture_output=True, text=True, env=env, cwd=cwd, timeout=300
    )


@pytest.mark.parametrize("script, method", [(P3, "dann"), (BONUS, "dsn")], ids=["hw2_p3", "hw2_bonus"])
@pytest.mark.parametrize("target", ["mnistm", "usps", "svhn"])
def test_2021_scripts_predict_every_test_image_with_the_target_scenario_model(
    script, method, target, digits2021, checkpoints2021, tmp_path
):
    folder = digits2021 / target / "test"
    out = tmp_path / "out dir" / "pred.csv"
    proc = grade(script, folder, target, out, ckpts=checkpoints2021)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.reader(open(out)))
    assert rows[0] == ["image_name", "label"] and [r[0] for r in rows[1:]] == sorted(os.listdir(folder))
    # the very predictions of the scenario's model of that method
    from dlcv_hw2.methods.uda import load_model, predict

    model = load_model(str(checkpoints2021 / f"{method}_{scenarios.for_target('2021', target)}.pt"), "cpu")
    split = decode_split(str(digits2021 / target), "test")
    assert [int(r[1]) for r in rows[1:]] == predict(model, split.images, "cpu").tolist()


@pytest.mark.parametrize(
    "script, case",
    [
        (P3, c)
        for c in (
            "bad_target",
            "two_arguments",
            "empty_target",
            "missing_checkpoint",
            "missing_folder",
            "other_checkpoint_kind",
        )
    ]
    + [(BONUS, c) for c in ("bad_target", "missing_checkpoint")],
)  # one shared function
def test_2021_scripts_bad_input(script, case, digits2021, checkpoints2021, tmp_path):
    folder, target, out, ckpts = digits2021 / "usps" / "test", "usps", tmp_path / "pred.csv", checkpoints2021
    args = None
    expect = {
        "bad_target": "TARGET must be mnistm, usps or svhn, not 'mnist'",
        "two_arguments": "usage: bash hw2_",
        "empty_target": "argument 2 is an empty string",
        "missing_checkpoint": "_usps.pt is missing; run 'bash past_years/2021/hw2_download.sh' first",
        "missing_folder": "does not exist",
        "other_checkpoint_kind": "is not a digit classifier",
    }[case]
    if case == "bad_target":
        target = "mnist"
    elif case == "two_arguments":
        args = [folder, out]
    elif case == "empty_target":
        target = ""
    elif case == "missing_checkpoint":
        ckpts = tmp_path / "none"
    elif case == "missing_folder":
        folder = tmp_path / "usps" / "nope"
    elif case == "other_checkpoint_kind":
        ckpts = tmp_path / "ck"
        ckpts.mkdir()
        for name in os.listdir(checkpoints2021):
            torch.save({"kind": "something else"}, ckpts / name)
    proc = grade(script, *(args or [folder, target, out]), ckpts=ckpts)
    assert_one_line_error(proc, expect)
    assert not out.exists()


# --------------------------------------------------------------------------------- the workflow, 2021
def test_workflow_runs_the_2021_scenarios_with_dsn_on_the_2021_layout(tmp_path):
    """The tiny demo in the 2021 layout with the 2021 scenario set, DANN and DSN: the table has a column
    per 2021 scenario and a row per method, on test accuracy; the DSN t-SNE and checkpoints."""
    snakemake = os.path.join(os.path.dirname(sys.executable), "snakemake")
    config = tmp_path / "extra.yaml"
    config.write_text(
        'scenarios: "2021"\npresets:\n  demo:\n    demo_data: {layout: "2021"}\n'
        "    dann: {seeds: [0], methods: [dann, dsn]}\n"
        "    tsne: {perplexity: 3}\n"
    )  # 6 + 6 val images in the t-SNE
    targets = [
        "results/dann/accuracy_table.md",
        "results/dann_usps_to_svhn/tsne_dsn.png",
        "checkpoints/dsn_svhn_to_mnistm.pt",
        "checkpoints/dann_usps.pt",
    ]
    proc = subprocess.run(
        [
            snakemake,
            *targets,
            "-s",
            os.path.join(REPO, "Snakefile"),
            "-d",
            str(tmp_path),
            "--cores",
            "2",
            "--configfile",
            os.path.join(REPO, "tests", "tiny_config.yaml"),
            str(config),
            "--config",
            "official_classifier=/nonexistent",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    md = open(tmp_path / "results" / "dann" / "accuracy_table.md").read().splitlines()
    assert md[0] == "| | MNIST-M → USPS | SVHN → MNIST-M | USPS → SVHN |"
    assert [line.split(" |")[0] for line in md[2:-2]] == ["| Adaptation (DANN)", "| Adaptation (DSN)"]
    assert "Target-domain test accuracy" in md[-1]
    written = tmp_path / "results" / "hw2_data" / "digits" / "usps"
    assert sorted(n for n in os.listdir(written) if not n.startswith(".")) == ["test", "test.csv", "train", "train.csv"]
    val = torch.load(tmp_path / "results" / "cache" / "usps" / "val.pt", weights_only=True)
    train = torch.load(tmp_path / "results" / "cache" / "usps" / "train.pt", weights_only=True)
    assert val["split"] == "val" and len(val["names"]) == 6 and len(train["names"]) == 54  # 10 % of 60 held out
    assert not set(val["names"]) & set(train["names"])
    from dlcv_hw2.methods.uda import load_model

    assert isinstance(load_model(str(tmp_path / "checkpoints" / "dsn_svhn_to_mnistm.pt"), "cpu"), DSN)


def test_report_section_follows_the_scenarios_and_methods_of_the_table(tmp_path):
    from PIL import Image

    from dlcv_hw2.report.blocks import Figure, Title, chapter, numbered
    from dlcv_hw2.report.documents import SECTIONS
    from dlcv_hw2.report.sections import uda

    files = []
    for setting, acc in (("source_only", 40.0), ("dann", 45.5), ("dsn", 48.0), ("target_only", 90.0)):
        for seed in (0, 1):
            files += write_metrics(
                tmp_path, "usps_to_svhn", setting, seed, target_val_accuracy=0.0, target_test_accuracy=acc + seed
            )
    (tmp_path / "dann").mkdir()
    proc = run_script(
        "dann_table",
        *files,
        "--out",
        tmp_path / "dann" / "accuracy_table.csv",
        "--md",
        tmp_path / "dann" / "accuracy_table.md",
    )
    assert proc.returncode == 0, proc.stderr
    for stem in ("tsne", "tsne_dsn"):
        for by in ("digit", "domain"):
            Image.new("RGB", (8, 8)).save(tmp_path / "dann_usps_to_svhn" / f"{stem}_{by}.png")
    preset = {
        "dann": settings.build(
            "dann", {"seeds": [0, 1], "methods": ["source_only", "dann", "dsn", "target_only"]}
        ).as_dict()
    }
    p3 = uda.answers(str(tmp_path), preset, ["usps_to_svhn"])
    assert p3["where"] == "test"
    table = p3["accuracy"][0]
    assert table.header == ["", "USPS -> SVHN"]
    assert table.rows == [
        ["Trained on source", "40.5 ± 0.7 (n=2)"],
        ["Adaptation (DANN)", "46.0 ± 0.7 (n=2)"],
        ["Adaptation (DSN)", "48.5 ± 0.7 (n=2)"],
        ["Trained on target", "90.5 ± 0.7 (n=2)"],
    ]
    said = p3["accuracy"][1].text
    assert said.startswith("USPS -> SVHN: DANN is 5.5 points above source-only")
    assert "DSN is 2.5 points above DANN" in said
    doc = [Title("t"), *chapter(SECTIONS[2], [("Accuracy", p3["accuracy"]), ("t-SNE", p3["tsne"])])]
    captions = [n.text for n in numbered(doc) if isinstance(n.block, Figure)]
    assert captions[-1] == "Figure 1.4: USPS -> SVHN, DSN shared features coloured by domain."
    assert "Domain Separation Networks" in p3["implementation"][0].text
    with pytest.raises(UserError, match="has no row for source_only in svhn"):  # a scenario the table lacks
        uda.answers(str(tmp_path), preset, ["usps_to_svhn", "svhn"])
