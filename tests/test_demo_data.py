import csv
import hashlib
import os

import numpy as np
from conftest import run_script
from PIL import Image

from dlcv_hw2.data.demo.digits import make_image, usable_fonts, write_domain


def tree_digest(root):
    h = hashlib.sha256()
    for dirpath, _, files in sorted(os.walk(root)):
        for f in sorted(files):
            p = os.path.join(dirpath, f)
            h.update(os.path.relpath(p, root).encode())
            h.update(open(p, "rb").read())
    return h.hexdigest()


def test_same_seed_same_bytes_different_seed_different(tmp_path):
    sizes = {"train": 12, "val": 6, "test": 3}
    write_domain(str(tmp_path / "a"), "mnistm", sizes, seed=1)
    write_domain(str(tmp_path / "b"), "mnistm", sizes, seed=1, workers=2)  # split across processes
    write_domain(str(tmp_path / "c"), "mnistm", sizes, seed=2)
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
    assert tree_digest(tmp_path / "a") != tree_digest(tmp_path / "c")


def test_layout_csv_format_and_image_modes(tiny_digits):
    for domain, mode in (("mnistm", "RGB"), ("svhn", "RGB"), ("usps", "L")):
        d = tiny_digits / "digits" / domain
        names = []
        for split, n in (("train", 40), ("val", 20), ("test", 10)):
            with open(d / f"{split}.csv", newline="") as f:
                rows = list(csv.reader(f))
            assert rows[0] == ["image_name", "label"]
            assert len(rows) == n + 1
            for name, label in rows[1:]:
                assert len(name) == 9 and name.endswith(".png") and name[:5].isdigit()
                assert label in [str(i) for i in range(10)]
                names.append(name)
        assert len(set(names)) == 70  # splits are disjoint
        assert sorted(os.listdir(d / "data")) == sorted(names)
        with Image.open(d / "data" / names[0]) as img:
            assert img.size == (28, 28) and img.mode == mode


def test_labels_cover_all_digits():
    labels = [make_image("svhn", i, seed=3)[1] for i in range(200)]
    assert set(labels) == set(range(10))


def test_symbol_fonts_are_excluded():
    names = {os.path.basename(p) for p in usable_fonts()}
    assert "DejaVuSans.ttf" in names
    assert not names & {"cmex10.ttf", "cmsy10.ttf", "STIXSizOneSymReg.ttf", "LastResortHE-Regular.ttf", "cmmi10.ttf"}


def test_mnistm_digit_is_centred_like_mnist():
    # The digit stroke is the part of the image that differs from a smooth background; its centre
    # of mass should sit near the image centre on average.
    from scipy import ndimage

    from dlcv_hw2.data.demo.digits import digit_stroke, place_like_mnist

    rng = np.random.default_rng(0)
    centres = [ndimage.center_of_mass(place_like_mnist(digit_stroke(d % 10, rng))) for d in range(30)]
    cy, cx = np.mean(centres, axis=0)
    assert abs(cy - 13.5) < 1.0 and abs(cx - 13.5) < 1.0


def test_script_is_atomic_and_rejects_bad_sizes(tmp_path):
    out = tmp_path / "mnistm"
    proc = run_script("make_demo_data", "--domain", "mnistm", "--out", out, "--train", "0", "--val", "3")
    assert proc.returncode == 2 and "argument --train: 0 is not >= 1" in proc.stderr
    assert not out.exists()
    proc = run_script("make_demo_data", "--domain", "usps", "--out", out, "--train", "5", "--val", "3", "--test", "2")
    assert proc.returncode == 0, proc.stderr
    assert len(os.listdir(out / "data")) == 10
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".tmp-")]
