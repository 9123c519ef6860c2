import os
import shutil

import pytest
import torch
from conftest import assert_one_line_error, run_script

from dlcv_hw2.core.cli import UserError
from dlcv_hw2.data.digits import decode_split, load_cache, read_split_csv


@pytest.fixture
def domain(tiny_digits, tmp_path):
    d = tmp_path / "mnistm"
    shutil.copytree(tiny_digits / "digits" / "mnistm", d)
    return d


def test_decode_and_cache_roundtrip(tiny_digits, tmp_path):
    out = tmp_path / "cache" / "usps_val.pt"
    proc = run_script("build_cache", "--domain-dir", tiny_digits / "digits" / "usps", "--split", "val", "--out", out)
    assert proc.returncode == 0, proc.stderr
    split = load_cache(str(out))
    assert split.images.shape == (20, 3, 28, 28) and split.images.dtype == torch.uint8
    # grayscale expanded to 3 identical channels
    assert torch.equal(split.images[:, 0], split.images[:, 1]) and torch.equal(split.images[:, 1], split.images[:, 2])
    rows = read_split_csv(str(tiny_digits / "digits" / "usps"), "val")
    assert split.names == [n for n, _ in rows] and split.labels.tolist() == [l for _, l in rows]


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def break_missing_folder(d):
    shutil.rmtree(d)
    return "does not exist"


def break_missing_csv(d):
    os.remove(d / "val.csv")
    return "val.csv is missing"


def break_header(d):
    lines = open(d / "val.csv").read().splitlines()
    write(d / "val.csv", "\n".join(["name,label"] + lines[1:]) + "\n")
    return "header must be 'image_name,label'"


def break_label(d):
    lines = open(d / "val.csv").read().splitlines()
    lines[3] = lines[3].split(",")[0] + ",11"
    write(d / "val.csv", "\n".join(lines) + "\n")
    return "line 4: label '11' is not a digit 0-9"


def first_val_image(d):
    return d / "data" / open(d / "val.csv").read().splitlines()[1].split(",")[0]


def break_missing_image(d):
    p = first_val_image(d)
    os.remove(p)
    return f"image {p} is missing"


def break_truncated_png(d):
    p = first_val_image(d)
    data = open(p, "rb").read()
    open(p, "wb").write(data[: len(data) // 2])
    return "is unreadable or truncated"


def break_not_png(d):
    write(first_val_image(d), "this is not an image")
    return "is unreadable or truncated"


def break_wrong_size(d):
    from PIL import Image

    Image.new("RGB", (32, 32)).save(first_val_image(d))
    return "is 32x32, expected 28x28"


BREAKERS = [
    break_missing_folder,
    break_missing_csv,
    break_header,
    break_label,
    break_missing_image,
    break_truncated_png,
    break_not_png,
    break_wrong_size,
]


@pytest.mark.parametrize("breaker", BREAKERS, ids=[b.__name__[6:] for b in BREAKERS])
def test_bad_domain_fails_with_one_line_and_no_output(domain, tmp_path, breaker):
    expected = breaker(domain)
    with pytest.raises(UserError, match=None) as exc:
        decode_split(str(domain), "val")
    assert expected in str(exc.value)
    out = tmp_path / "out" / "val.pt"
    proc = run_script("build_cache", "--domain-dir", domain, "--split", "val", "--out", out)
    assert_one_line_error(proc, expected)
    assert not out.exists()
    assert not os.path.exists(out.parent) or not os.listdir(out.parent)
