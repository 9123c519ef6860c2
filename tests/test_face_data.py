"""The face images of 2021/2022 problem 1: the demo faces (layout, determinism, realism by the 2022
metric), the face cache, and the face-detection rate itself on scikit-image's real LFW faces."""

import hashlib
import json
import os

import numpy as np
import pytest
import torch
from conftest import run_script
from PIL import Image

from dlcv_hw2.data.demo.faces import make_face, write_faces
from dlcv_hw2.data.faces import load_face_cache
from dlcv_hw2.metrics.face_detection import detection_rate, faces_found, lfw_sanity_set


def digest(folder):
    h = hashlib.sha256()
    for name in sorted(os.listdir(folder)):
        h.update(name.encode() + open(os.path.join(folder, name), "rb").read())
    return h.hexdigest()


def test_demo_faces_course_layout_and_same_bytes_however_the_work_is_split(tmp_path):
    sizes = {"train": 7, "val": 5}
    write_faces(str(tmp_path / "a"), sizes, seed=3)
    write_faces(str(tmp_path / "b"), sizes, seed=3, workers=2, chunk=2)
    write_faces(str(tmp_path / "c"), sizes, seed=4)
    assert sorted(os.listdir(tmp_path / "a")) == ["train", "val"]
    assert sorted(os.listdir(tmp_path / "a" / "train")) == [f"{i:05d}.png" for i in range(7)]
    assert sorted(os.listdir(tmp_path / "a" / "val")) == [f"{i:05d}.png" for i in range(7, 12)]  # numbered on
    for split in ("train", "val"):
        assert digest(tmp_path / "a" / split) == digest(tmp_path / "b" / split)
        assert digest(tmp_path / "a" / split) != digest(tmp_path / "c" / split)
    with Image.open(tmp_path / "a" / "val" / "00007.png") as img:
        assert (img.size, img.mode) == ((64, 64), "RGB")
        assert np.array_equal(np.asarray(img), np.asarray(make_face(7, 3)))


def test_demo_faces_2021_layout_and_the_rest_of_the_face_folder_stays(tmp_path):
    face = tmp_path / "face"
    (face / "noise").mkdir(parents=True)
    (face / "UNet.pt").write_bytes(b"2023's model")
    (face / "test").mkdir()
    (face / "test" / "stale.png").write_bytes(b"old")
    write_faces(str(face), {"train": 2, "val": 3}, seed=0, layout="2021")
    assert sorted(os.listdir(face)) == ["UNet.pt", "noise", "test", "train"]
    assert sorted(os.listdir(face / "test")) == ["00002.png", "00003.png", "00004.png"]  # replaced whole
    assert (face / "UNet.pt").read_bytes() == b"2023's model"


def test_demo_faces_vary():
    faces = np.stack([np.asarray(make_face(i, 2023), dtype=np.float32) for i in range(24)])
    assert len({f.tobytes() for f in faces}) == 24
    centre = faces[:, 24:40, 24:40].mean(axis=(1, 2))  # the face's colour: skin tones and light differ
    assert np.ptp(centre.mean(axis=1)) > 40
    assert faces.std(axis=0).mean() > 30  # pixel by pixel, the faces differ as much as photos do


def test_the_2022_detector_finds_one_face_in_nine_of_ten_demo_faces():
    images = torch.stack([torch.from_numpy(np.array(make_face(i, 2023))).permute(2, 0, 1) for i in range(100)])
    counts = faces_found(images)
    assert detection_rate(counts) >= 90.0, counts.tolist()
    assert detection_rate(faces_found(torch.zeros(3, 3, 64, 64, dtype=torch.uint8))) == 0.0


def test_the_detection_rate_on_real_lfw_faces_and_non_faces():
    faces, non_faces = lfw_sanity_set()
    assert faces.shape == (100, 3, 64, 64) and faces.dtype == torch.uint8
    found = faces_found(faces)
    assert (found == 1).sum() == 89  # HW2_FACTS: 89 of the 100 real faces, with one upsampling
    assert faces_found(non_faces).sum() == 0
    assert faces_found(faces, upsample=0).sum() < 20  # at 64x64 the detector needs the upsampling


def test_cache_and_detection_scripts_end_to_end(tmp_path):
    face = tmp_path / "face"
    assert run_script("make_demo_faces", "--face-dir", face, "--train", 4, "--val", 20, "--seed", 2023).returncode == 0
    proc = run_script("build_face_cache", "--face-dir", face, "--split", "val", "--out", tmp_path / "val.pt")
    assert proc.returncode == 0, proc.stderr
    images, names = load_face_cache(str(tmp_path / "val.pt"))
    assert images.shape == (20, 3, 64, 64) and names[0] == "00004.png"
    assert torch.equal(images[0], torch.from_numpy(np.array(make_face(4, 2023))).permute(2, 0, 1))
    for source in (tmp_path / "val.pt", face / "val"):
        proc = run_script("face_detection", "--images", source, "--out", tmp_path / "det.json")
        assert proc.returncode == 0, proc.stderr
        got = json.load(open(tmp_path / "det.json"))
        expected = faces_found(images)
        assert got["images"] == 20 and got["one_face"] == int((expected == 1).sum())
        assert got["rate"] == pytest.approx(detection_rate(expected), abs=0.01)
        assert got["no_face"] + got["one_face"] + got["more_faces"] == 20
