import os

import numpy as np
import pytest
import torch
from conftest import CLASSIFIER, SHARED, assert_one_line_error, need_shared, run_script
from PIL import Image

from dlcv_hw2.metrics.digits import accuracy_table, load_official_classifier, predict_uint8


def real_mnistm(n):
    d = np.load(need_shared(os.path.join(SHARED, "data", "mnistm28.npz")))
    return d["x"][:n], d["y"][:n].astype(np.int64)


def test_official_classifier_reads_real_mnistm():
    need_shared(CLASSIFIER)
    x, y = real_mnistm(300)
    model = load_official_classifier(CLASSIFIER)
    preds = predict_uint8(model, torch.from_numpy(x).permute(0, 3, 1, 2))
    acc = (preds.numpy() == y).mean()
    assert acc > 0.88, acc  # 92.9 % over the whole set


def test_accuracy_table_counts():
    t = accuracy_table(torch.tensor([0, 1, 1, 2]), torch.tensor([0, 1, 2, 2]))
    assert t.iloc[-1]["correct"] == 3 and t.iloc[-1]["accuracy"] == 75.0
    assert t.iloc[2]["n"] == 2 and t.iloc[2]["accuracy"] == 50.0


@pytest.fixture
def folder(tmp_path):
    x, y = real_mnistm(40)
    d = tmp_path / "generated"
    d.mkdir()
    counts = {}
    for img, label in zip(x, y):
        counts[label] = counts.get(label, 0) + 1
        Image.fromarray(img).save(d / f"{label}_{counts[label]:03d}.png")
    return d


def test_evaluate_folder_script(folder, tmp_path):
    need_shared(CLASSIFIER)
    out = tmp_path / "acc.csv"
    proc = run_script("evaluate_digits", "--folder", folder, "--classifier", CLASSIFIER, "--out", out)
    assert proc.returncode == 0, proc.stderr
    lines = open(out).read().splitlines()
    assert lines[0] == "digit,n,correct,accuracy" and lines[-1].startswith("all,40,")
    assert "accuracy:" in proc.stdout


def test_evaluate_refuses_non_image(folder, tmp_path):
    need_shared(CLASSIFIER)
    (folder / "notes.txt").write_text("hi")
    out = tmp_path / "acc.csv"
    proc = run_script("evaluate_digits", "--folder", folder, "--classifier", CLASSIFIER, "--out", out)
    assert_one_line_error(proc, "notes.txt", "is not an image file")
    assert not out.exists()


def test_evaluate_refuses_name_without_digit(folder, tmp_path):
    need_shared(CLASSIFIER)
    os.rename(folder / sorted(os.listdir(folder))[0], folder / "x_001.png")
    proc = run_script("evaluate_digits", "--folder", folder, "--classifier", CLASSIFIER, "--out", tmp_path / "a.csv")
    assert_one_line_error(proc, "x_001.png", "does not start with a digit")


def test_evaluate_refuses_bad_checkpoint(folder, tmp_path):
    bad = tmp_path / "Classifier.pth"
    bad.write_bytes(b"PK\x03\x04 truncated")
    proc = run_script("evaluate_digits", "--folder", folder, "--classifier", bad)
    assert_one_line_error(proc, str(bad), "unreadable or truncated")
    torch.save({"state_dict": {"conv1.weight": torch.zeros(1)}}, bad)
    proc = run_script("evaluate_digits", "--folder", folder, "--classifier", bad)
    assert_one_line_error(proc, "does not fit the course classifier")
