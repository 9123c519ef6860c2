"""Generative metrics (dlcv_hw2.gen_metrics, generative_metrics.py): the Fréchet distance against its
closed form, the digit-feature metrics on real digit sets, and the Inception path run offline with a
weights file of the right format that the test writes itself (random weights: the numbers mean nothing,
the code path is the real one)."""
import json

import numpy as np
import pytest
import torch
from conftest import assert_one_line_error, run_script
from scipy import linalg

from dlcv_hw2.gen_metrics import (
    DIGIT_KEYS,
    INCEPTION_KEYS,
    NO_INCEPTION,
    digit_metrics,
    frechet_distance,
    inception_metrics,
)


def test_frechet_distance_of_diagonal_gaussians_is_the_closed_form():
    rng = np.random.default_rng(0)
    mu1, mu2 = rng.normal(size=5), rng.normal(size=5)
    a, b = rng.uniform(0.5, 3, size=5), rng.uniform(0.5, 3, size=5)
    expected = np.sum((mu1 - mu2) ** 2) + np.sum((np.sqrt(a) - np.sqrt(b)) ** 2)
    assert frechet_distance(mu1, np.diag(a), mu2, np.diag(b)) == pytest.approx(expected, rel=1e-9)


def test_frechet_distance_of_full_covariances_matches_the_matrix_square_root():
    rng = np.random.default_rng(1)
    m1, m2 = rng.normal(size=(6, 6)), rng.normal(size=(6, 6))
    s1, s2 = m1 @ m1.T + np.eye(6), m2 @ m2.T + 0.5 * np.eye(6)
    mu1, mu2 = rng.normal(size=6), rng.normal(size=6)
    root = linalg.sqrtm(linalg.sqrtm(s1) @ s2 @ linalg.sqrtm(s1)).real  # tr sqrt(S1 S2), a second way
    expected = np.sum((mu1 - mu2) ** 2) + np.trace(s1) + np.trace(s2) - 2 * np.trace(root)
    assert frechet_distance(mu1, s1, mu2, s2) == pytest.approx(expected, rel=1e-8)
    assert frechet_distance(mu1, s1, mu1, s1) == pytest.approx(0.0, abs=1e-8)


@pytest.fixture(scope="module")
def digits(tiny_digits, tmp_path_factory):
    """Caches of the tiny demo domains and an evaluation classifier trained on their MNIST-M."""
    from dlcv_hw2.data import decode_split, save_cache

    d = tmp_path_factory.mktemp("gen_metrics")
    out = {}
    for dom in ("mnistm", "usps"):
        for split in ("train", "val"):
            out[f"{dom}_{split}"] = decode_split(str(tiny_digits / "digits" / dom), split)
            save_cache(out[f"{dom}_{split}"], str(d / f"{dom}_{split}.pt"))
    out["classifier"] = d / "classifier.pt"
    proc = run_script("train_dann", "--setting", "target_only", "--target-train", d / "mnistm_train.pt",
                      "--target-val", d / "mnistm_val.pt", "--model", out["classifier"], "--metrics", d / "m.json",
                      "--epochs", "2", "--width", "4", "--hidden", "8", "--batch-size", "20")
    assert proc.returncode == 0, proc.stderr
    out["dir"] = d
    return out


def test_digit_metrics_of_a_set_against_itself_and_against_another_domain(digits):
    mnistm = digits["mnistm_train"].images
    same = digit_metrics(mnistm, mnistm, str(digits["classifier"]))
    assert set(same) == set(DIGIT_KEYS)
    assert abs(same["fid_digit"]) < 1e-3 and abs(same["kid_digit"]) < 1e-3
    near = digit_metrics(digits["mnistm_val"].images, mnistm, str(digits["classifier"]))
    far = digit_metrics(digits["usps_train"].images, mnistm, str(digits["classifier"]))
    assert far["fid_digit"] > near["fid_digit"] > 0.0
    assert far["kid_digit"] > near["kid_digit"]
    assert 1.0 <= near["is_digit"] <= 10.0  # a 10-class inception score


def test_inception_metrics_without_weights_are_not_computed():
    images = torch.zeros((4, 3, 28, 28), dtype=torch.uint8)
    assert inception_metrics(images, images, "") == dict.fromkeys(INCEPTION_KEYS, NO_INCEPTION)


@pytest.fixture(scope="module")
def inception_weights(tmp_path_factory):
    """A weights file in the format of the FID Inception (torchvision's Inception v3 layout with 1008
    classes, the tensors pytorch-fid and torch-fidelity load), with random weights scaled by fan-in so
    that the activations stay finite through the 94 convolutions."""
    import torchvision

    torch.manual_seed(0)
    net = torchvision.models.inception_v3(weights=None, aux_logits=False, init_weights=False, num_classes=1008)
    for m in net.modules():
        if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear)):
            torch.nn.init.normal_(m.weight, std=(2.0 / m.weight[0].numel()) ** 0.5)
    path = tmp_path_factory.mktemp("inception") / "weights-inception-test.pth"
    torch.save(net.state_dict(), path)
    return path


def test_inception_path_runs_offline_with_a_local_weights_file(digits, inception_weights):
    a, b = digits["mnistm_val"].images[:8], digits["usps_val"].images[:8]
    same = inception_metrics(a, a, str(inception_weights))
    other = inception_metrics(a, b, str(inception_weights))
    assert set(same) == set(INCEPTION_KEYS)
    assert abs(same["fid_inception"]) < 1e-2 * max(1.0, other["fid_inception"])
    assert other["fid_inception"] > 0 and np.isfinite(other["fid_inception"])
    assert same["is_inception"] >= 1.0


def test_script_writes_both_kinds_of_metrics(digits, inception_weights, tmp_path):
    from dlcv_hw2.data import write_digit_folder

    write_digit_folder(digits["mnistm_val"].images[:10], 1, str(tmp_path / "samples"))
    out = tmp_path / "m.json"
    proc = run_script("generative_metrics", "--samples", tmp_path / "samples", "--reference",
                      digits["dir"] / "mnistm_train.pt", "--eval-classifier", digits["classifier"],
                      "--reference-size", "10", "--out", out)
    assert proc.returncode == 0, proc.stderr
    got = json.loads(out.read_text())
    assert got["samples"] == 10 and got["reference"] == 10
    assert got["fid_inception"] == NO_INCEPTION and isinstance(got["fid_digit"], float)
    proc = run_script("generative_metrics", "--samples", tmp_path / "samples", "--reference",
                      digits["dir"] / "mnistm_train.pt", "--inception-weights", inception_weights,
                      "--reference-size", "10", "--out", out)
    assert proc.returncode == 0, proc.stderr
    got = json.loads(out.read_text())
    assert isinstance(got["fid_inception"], float) and "fid_digit" not in got


@pytest.mark.parametrize("kind", ["missing", "truncated", "another_network", "not_tensors"])
def test_bad_inception_weights_are_refused_in_one_line(kind, digits, inception_weights, tmp_path):
    from dlcv_hw2.data import write_digit_folder

    write_digit_folder(digits["mnistm_val"].images[:10], 1, str(tmp_path / "samples"))
    weights = tmp_path / "w.pth"
    if kind == "truncated":
        data = inception_weights.read_bytes()
        weights.write_bytes(data[: len(data) // 3])
    elif kind == "another_network":
        import torchvision

        torch.save(torchvision.models.resnet18(weights=None).state_dict(), weights)
    elif kind == "not_tensors":
        torch.save({"fc.weight": "text"}, weights)
    expected = {"missing": "does not exist", "truncated": "unreadable or truncated",
                "another_network": "are not the FID Inception network", "not_tensors": "not the FID Inception"}[kind]
    out = tmp_path / "res" / "m.json"
    proc = run_script("generative_metrics", "--samples", tmp_path / "samples", "--reference",
                      digits["dir"] / "mnistm_train.pt", "--inception-weights", weights, "--out", out)
    assert_one_line_error(proc, expected)
    assert not out.exists()
