import os
import subprocess

import pytest
import torch
from conftest import REPO, SHARED, assert_one_line_error, need_shared, run_script

from dlcv_hw2.methods.ddim_faces import to_png_uint8
from dlcv_hw2.models.face_unet import FaceUNet, fill_reference_weights

HW2_2 = os.path.join(REPO, "hw2_2.sh")


def test_reference_fixture_and_strict_checkpoint_keys(tmp_path):
    fixture = torch.load(need_shared(os.path.join(SHARED, "fixtures", "face_unet_forward_seed0.pt")), weights_only=True)
    keys = open(os.path.join(SHARED, "spec", "face_unet_keys.tsv")).read().splitlines()[1:]
    model = FaceUNet()
    shapes = {k: "x".join(map(str, v.shape)) for k, v in model.state_dict().items()}
    assert shapes == dict(line.split("\t") for line in keys)
    fill_reference_weights(model, seed=fixture["seed"])
    # strict load of a plain state dict, as the course's UNet.pt is stored
    path = tmp_path / "UNet.pt"
    torch.save(model.state_dict(), path)
    fresh = FaceUNet()
    fresh.load_state_dict(torch.load(path, weights_only=True), strict=True)
    with torch.no_grad():
        out = fresh.eval()(fixture["x"], fixture["t"])
    assert (out - fixture["expected"]).abs().max().item() <= 1e-4


def test_png_convention_is_global_min_max():
    x = torch.tensor([[[-2.0, 0.0]], [[1.0, 2.0]], [[0.5, -1.0]]])  # [3, 1, 2]
    out = to_png_uint8(x)
    assert out.shape == (1, 2, 3)
    assert out[0, 0].tolist() == [0, 191, 159] and out[0, 1].tolist() == [128, 255, 64]


def hw2_2(*args):
    return subprocess.run(["bash", HW2_2, *map(str, args)], capture_output=True, text=True, timeout=600)


def test_hw2_2_end_to_end_deterministic_from_any_directory(small_face_unet, tmp_path):
    out1, out2 = tmp_path / "out 1 é", tmp_path / "out2"
    proc = subprocess.run(
        ["bash", HW2_2, small_face_unet / "noise", out1, small_face_unet / "UNet.pt"],
        capture_output=True,
        text=True,
        cwd="/",
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert sorted(os.listdir(out1)) == ["00.png", "01.png", "02.png"]
    proc = hw2_2(small_face_unet / "noise", out2, small_face_unet / "UNet.pt")
    assert proc.returncode == 0, proc.stderr
    for n in os.listdir(out1):
        assert (out1 / n).read_bytes() == (out2 / n).read_bytes()
    from PIL import Image

    with Image.open(out1 / "00.png") as img:
        assert img.size == (32, 32) and img.mode == "RGB"
        assert min(e[0] for e in img.getextrema()) == 0 and max(e[1] for e in img.getextrema()) == 255  # min-max
    # the MSE evaluator: an output against itself is 0, against another image is not
    proc = run_script("evaluate_mse", "--out-dir", out1, "--gt-dir", out2, "--csv", tmp_path / "mse.csv")
    assert proc.returncode == 0 and proc.stdout.strip().splitlines()[-1] == "mean,0.000000"
    os.replace(out2 / "00.png", out2 / "tmp.png")
    os.replace(out2 / "01.png", out2 / "00.png")
    os.replace(out2 / "tmp.png", out2 / "01.png")
    proc = run_script("evaluate_mse", "--out-dir", out1, "--gt-dir", out2)
    assert float(proc.stdout.strip().splitlines()[-1].split(",")[1]) > 100


def bad_missing_noise_dir(root, tmp):
    return ["noise folder", "does not exist"], [tmp / "nope", tmp / "out", root / "UNet.pt"]


def bad_empty_noise_dir(root, tmp):
    (tmp / "empty").mkdir()
    return ["holds no NN.pt files"], [tmp / "empty", tmp / "out", root / "UNet.pt"]


def bad_noise_shape(root, tmp):
    (tmp / "n").mkdir()
    torch.save(torch.randn(1, 4, 32, 32), tmp / "n" / "00.pt")
    return ["00.pt has shape (1, 4, 32, 32)"], [tmp / "n", tmp / "out", root / "UNet.pt"]


def bad_noise_not_tensor(root, tmp):
    (tmp / "n").mkdir()
    torch.save({"x": 1}, tmp / "n" / "00.pt")
    return ["does not hold a tensor"], [tmp / "n", tmp / "out", root / "UNet.pt"]


def bad_checkpoint_keys(root, tmp):
    sd = torch.load(root / "UNet.pt", weights_only=True)
    sd.pop("out.2.bias")
    sd["extra.weight"] = torch.zeros(1)
    torch.save(sd, tmp / "bad.pt")
    return ["1 missing key(s) (e.g. out.2.bias)", "1 unexpected key(s) (e.g. extra.weight)"], [
        root / "noise",
        tmp / "out",
        tmp / "bad.pt",
    ]


def bad_checkpoint_truncated(root, tmp):
    data = (root / "UNet.pt").read_bytes()
    (tmp / "trunc.pt").write_bytes(data[: len(data) // 3])
    return ["unreadable or truncated"], [root / "noise", tmp / "out", tmp / "trunc.pt"]


def bad_output_unwritable(root, tmp):
    (tmp / "file").write_text("x")
    return ["exists and is not a folder"], [root / "noise", tmp / "file", root / "UNet.pt"]


def bad_argument_count(root, tmp):
    return ["usage: bash hw2_2.sh"], [root / "noise", tmp / "out"]


def bad_four_arguments(root, tmp):
    return ["usage: bash hw2_2.sh"], [root / "noise", tmp / "out", root / "UNet.pt", "extra"]


def bad_noise_truncated(root, tmp):
    (tmp / "n").mkdir()
    data = (root / "noise" / "00.pt").read_bytes()
    (tmp / "n" / "00.pt").write_bytes(data[: len(data) // 2])
    return ["unreadable or truncated"], [tmp / "n", tmp / "out", root / "UNet.pt"]


BAD = [
    bad_four_arguments,
    bad_noise_truncated,
    bad_missing_noise_dir,
    bad_empty_noise_dir,
    bad_noise_shape,
    bad_noise_not_tensor,
    bad_checkpoint_keys,
    bad_checkpoint_truncated,
    bad_output_unwritable,
    bad_argument_count,
]


@pytest.mark.parametrize("case", BAD, ids=[c.__name__[4:] for c in BAD])
def test_hw2_2_bad_input(small_face_unet, tmp_path, case):
    fragments, args = case(small_face_unet, tmp_path)
    proc = hw2_2(*args)
    assert_one_line_error(proc, *fragments)
    out = tmp_path / "out"
    assert not out.exists() or not os.listdir(out)


def test_mse_with_missing_ground_truth(small_face_unet, tmp_path):
    out = tmp_path / "o"
    out.mkdir()
    from PIL import Image

    Image.new("RGB", (8, 8)).save(out / "00.png")
    (tmp_path / "gt").mkdir()
    proc = run_script("evaluate_mse", "--out-dir", out, "--gt-dir", tmp_path / "gt")
    assert_one_line_error(proc, "lacks 1 image(s), e.g. 00.png")
