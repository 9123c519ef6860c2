"""Generative metrics (dlcv_hw2.gen_metrics, generative_metrics.py): the Fréchet distance against its
closed form, the digit-feature metrics on real digit sets, the face-embedding metrics on demo and LFW
faces, and the Inception path run offline with a weights file of the right format that the test writes
itself (random weights: the numbers mean nothing, the code path is the real one)."""

import json

import numpy as np
import pytest
import torch
from conftest import assert_one_line_error, run_script
from scipy import linalg

from dlcv_hw2.core.cli import UserError
from dlcv_hw2.metrics.extractors import FaceEmbedder, face_model_files, imagenet_inception
from dlcv_hw2.metrics.generative import (
    DIGIT_KEYS,
    FACE_KEYS,
    IMAGENET_KEYS,
    INCEPTION_KEYS,
    NO_IMAGENET_INCEPTION,
    NO_INCEPTION,
    NO_PRC,
    PER_CLASS_RECALL,
    collapsed,
    digit_metrics,
    face_embeddings,
    face_metrics,
    face_metrics_of_embeddings,
    frechet_distance,
    imagenet_inception_score,
    inception_metrics,
    per_class_recall,
    precision_recall,
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


def _knn_precision_recall(gen, ref, k=3):
    """Kynkaanniemi et al.'s definitions written out: a point is covered by a set when it lies within the
    distance of some member of the set to that member's k-th nearest neighbour (itself not counted)."""
    radius = lambda x: torch.cdist(x, x).sort(dim=1).values[:, k]  # noqa: E731 (column 0: the point itself)
    covered = lambda x, by: (torch.cdist(x, by) <= radius(by)[None, :]).any(dim=1).float().mean().item()  # noqa: E731
    return covered(gen, ref), covered(ref, gen)


def test_precision_and_recall_are_the_k_nearest_neighbour_definitions():
    g = torch.Generator().manual_seed(0)
    ref = torch.randn(300, 8, generator=g, dtype=torch.float64)
    shifted = torch.randn(200, 8, generator=g, dtype=torch.float64) * 0.6 + 0.8
    got = precision_recall(shifted, ref)
    assert (got["precision"], got["recall"]) == pytest.approx(_knn_precision_recall(shifted, ref), abs=1e-12)
    assert 0.05 < got["precision"] < 0.95 and 0.05 < got["recall"] < 0.95  # a case that tells them apart
    same = precision_recall(ref, ref)
    assert same == {"precision": 1.0, "recall": 1.0}


def test_a_collapsed_set_keeps_its_precision_and_loses_its_recall():
    """Ten real points each drawn 30 times (one image per class): every drawn point is a real one, so
    precision stays 1, but the drawn set's k-NN balls shrink to its ten points and recall falls to what
    they cover: the ten points themselves among 300."""
    g = torch.Generator().manual_seed(1)
    ref = torch.randn(300, 8, generator=g, dtype=torch.float64)
    modes = ref[:10].repeat_interleave(30, dim=0)
    got = precision_recall(modes, ref)
    assert got["precision"] == 1.0 and got["recall"] == pytest.approx(10 / 300)
    assert collapsed(got["recall"], precision_recall(ref[150:], ref)["recall"])
    assert not collapsed(0.5, 0.86) and collapsed(0.42, 0.86)  # below half the ceiling
    assert precision_recall(ref[:3], ref) == {"precision": NO_PRC, "recall": NO_PRC}  # k-NN balls need k + 1


@pytest.fixture(scope="module")
def digits(tiny_digits, tmp_path_factory):
    """Caches of the tiny demo domains and an evaluation classifier trained on their MNIST-M."""
    from dlcv_hw2.data.digits import decode_split, save_cache

    d = tmp_path_factory.mktemp("gen_metrics")
    out = {}
    for dom in ("mnistm", "usps"):
        for split in ("train", "val"):
            out[f"{dom}_{split}"] = decode_split(str(tiny_digits / "digits" / dom), split)
            save_cache(out[f"{dom}_{split}"], str(d / f"{dom}_{split}.pt"))
    out["classifier"] = d / "classifier.pt"
    proc = run_script(
        "train_dann",
        "--setting",
        "target_only",
        "--target-train",
        d / "mnistm_train.pt",
        "--target-val",
        d / "mnistm_val.pt",
        "--model",
        out["classifier"],
        "--metrics",
        d / "m.json",
        "--epochs",
        "2",
        "--width",
        "4",
        "--hidden",
        "8",
        "--batch-size",
        "20",
    )
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
    assert same["precision_digit"] == 1.0 and same["recall_digit"] == 1.0
    # Precision and recall on sets whose answer is known: the tiny classifier's features do not keep the two
    # demo domains apart by precision (USPS read 0.93-0.98, MNIST-M val 0.90-0.95 over three data seeds), but
    # noise lies off the digits, and one image repeated is all fidelity and no variety.
    noise = torch.randint(0, 256, mnistm.shape, generator=torch.Generator().manual_seed(0), dtype=torch.uint8)
    assert digit_metrics(noise, mnistm, str(digits["classifier"]))["precision_digit"] < near["precision_digit"] / 2
    one = digit_metrics(digits["mnistm_val"].images[:1].repeat(20, 1, 1, 1), mnistm, str(digits["classifier"]))
    assert one["precision_digit"] == 1.0 and one["recall_digit"] == 0.0 < near["recall_digit"]


def test_per_class_recall_sees_one_image_per_digit(digits):
    """The real digits against themselves cover every digit; the first image of each digit repeated
    covers about one image of its digit; a digit with at most 3 images on a side is not computed."""
    train = digits["mnistm_train"]
    classifier = str(digits["classifier"])
    same = per_class_recall(train.images, train.labels, train.images, train.labels, classifier)
    assert list(same) == list(PER_CLASS_RECALL)
    counts = torch.bincount(train.labels, minlength=10)
    for d, key in enumerate(PER_CLASS_RECALL):
        assert same[key] == (1.0 if counts[d] > 3 else NO_PRC)
    first = torch.tensor([int((train.labels == d).nonzero()[0]) for d in range(10)])
    one_each = train.images[first].repeat_interleave(10, dim=0)
    collapsed_recall = per_class_recall(
        one_each, torch.arange(10).repeat_interleave(10), train.images, train.labels, classifier
    )
    for d, key in enumerate(PER_CLASS_RECALL):
        if counts[d] > 3:
            assert collapsed_recall[key] <= 2 / int(counts[d])  # the image itself (and a twin at most)


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


def _fan_in_scaled(net):
    torch.manual_seed(0)
    for m in net.modules():
        if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear)):
            torch.nn.init.normal_(m.weight, std=(2.0 / m.weight[0].numel()) ** 0.5)
    return net


@pytest.fixture(scope="module")
def imagenet_weights(tmp_path_factory):
    """A stand-in in the exact layout of torchvision's inception_v3_google-0cc3c7bd.pth: Inception v3 with
    1000 classes and the auxiliary head's tensors, random weights scaled by fan-in."""
    import torchvision

    net = _fan_in_scaled(torchvision.models.inception_v3(weights=None, aux_logits=True, init_weights=False))
    path = tmp_path_factory.mktemp("imagenet") / "inception_v3_google-test.pth"
    torch.save(net.state_dict(), path)
    return path


@pytest.mark.filterwarnings("ignore::scipy.linalg.LinAlgWarning")  # 12 images: singular 2048-d covariances
def test_the_inception_path_runs_offline_and_its_fid_matches_a_direct_computation(digits, inception_weights):
    """With a local weights file, torch-fidelity's FID of two sets equals the Frechet distance of the pool
    features of the same extractor and weights (the figure pytorch-fid's formula gives on them), computed
    here in closed form for few samples: with X, Y the centred features, tr sqrt(S_x S_y) is the nuclear
    norm of X Y^T / (n - 1), a 12x12 problem instead of a 2048-d matrix square root."""
    from torch_fidelity.feature_extractor_inceptionv3 import FeatureExtractorInceptionV3

    a, b = digits["mnistm_val"].images[:12], digits["usps_val"].images[:12]
    got = inception_metrics(a, b, str(inception_weights))
    assert set(got) == set(INCEPTION_KEYS)
    assert got["is_inception"] >= 1.0 - 1e-9  # exp(mean KL) >= 1, up to float rounding (0.9999999999999999 seen)
    net = FeatureExtractorInceptionV3(
        "inception-v3-compat", ["2048"], feature_extractor_weights_path=str(inception_weights)
    )
    with torch.no_grad():
        fa, fb = (net(x)[0].double().numpy() for x in (a, b))
    xa, xb = fa - fa.mean(0), fb - fb.mean(0)
    n = len(fa)
    trace_root = np.linalg.svd(xa @ xb.T / (n - 1), compute_uv=False).sum()
    direct = ((fa.mean(0) - fb.mean(0)) ** 2).sum() + ((xa**2).sum() + (xb**2).sum()) / (n - 1) - 2 * trace_root
    assert got["fid_inception"] > 0 and got["fid_inception"] == pytest.approx(direct, rel=1e-4)


def test_2021s_inception_score_matches_a_direct_computation_on_the_same_logits(digits, imagenet_weights):
    """is_imagenet by torch-fidelity equals exp(E_x KL(p(y|x) || p(y))) computed here from the 1000 logits of
    torchvision's Inception v3 on the same images (scaled to [-1, 1], resized bilinearly to 299)."""
    x = torch.cat([digits["mnistm_val"].images[:6], digits["usps_val"].images[:6]])
    got = imagenet_inception_score(x, str(imagenet_weights), splits=1)
    assert set(got) == set(IMAGENET_KEYS) and got["is_imagenet_std"] == 0.0
    net = imagenet_inception(str(imagenet_weights))
    with torch.no_grad():
        big = torch.nn.functional.interpolate(x.float() / 127.5 - 1, size=(299, 299), mode="bilinear")
        logp = torch.log_softmax(net(big).double(), dim=1)
    p = logp.exp()
    direct = torch.exp((p * (logp - p.mean(0, keepdim=True).log())).sum(1).mean()).item()
    assert got["is_imagenet"] == pytest.approx(direct, rel=1e-6) and got["is_imagenet"] > 1.0
    ten = imagenet_inception_score(torch.cat([x, x]), str(imagenet_weights))  # the default: 10 splits
    assert 1.0 - 1e-9 <= ten["is_imagenet"] <= 1000 and ten["is_imagenet_std"] >= 0
    assert imagenet_inception_score(x, "") == dict.fromkeys(IMAGENET_KEYS, NO_IMAGENET_INCEPTION)


def test_each_weights_layout_is_refused_in_place_of_the_other(digits, inception_weights, imagenet_weights):
    x = digits["mnistm_val"].images[:4]
    with pytest.raises(UserError, match="not torchvision's inception_v3"):
        imagenet_inception_score(x, str(inception_weights))
    with pytest.raises(UserError, match="are not the FID Inception network"):
        inception_metrics(x, x, str(imagenet_weights))
    with pytest.raises(UserError, match="does not exist"):
        imagenet_inception_score(x, "/nonexistent/inception_v3_google.pth")


def test_download_is_an_opt_in_that_hands_the_fetch_to_the_libraries(digits, imagenet_weights, monkeypatch):
    """With "download" torch-fidelity gets no weights path (it fetches its own file into its cache) and
    torchvision's ImageNet weights are fetched by their URL; both fetches are stood in for here."""
    import torch_fidelity
    import torchvision.models._api as api

    asked = {}

    def fake_metrics(**kw):
        asked[kw["feature_extractor"]] = kw["feature_extractor_weights_path"]
        return {
            "frechet_inception_distance": 1.0,
            "inception_score_mean": 1.0,
            "inception_score_std": 0.0,
            "kernel_inception_distance_mean": 0.0,
            "kernel_inception_distance_std": 0.0,
            **({"precision": 1.0, "recall": 1.0} if kw.get("prc") else {}),
        }

    monkeypatch.setattr(torch_fidelity, "calculate_metrics", fake_metrics)
    fetched = []
    monkeypatch.setattr(
        api, "load_state_dict_from_url", lambda url, **kw: fetched.append(url) or torch.load(imagenet_weights)
    )
    x = digits["mnistm_val"].images[:4]
    assert inception_metrics(x, x, "download")["fid_inception"] == 1.0
    assert imagenet_inception_score(x, "download")["is_imagenet"] == 1.0
    assert asked == {"inception-v3-compat": None, "dlcv-hw2-torchvision-inception-v3-imagenet": "download"}
    assert fetched == [torchvision_imagenet_url()]
    assert imagenet_inception("download").fc.out_features == 1000


def torchvision_imagenet_url() -> str:
    import torchvision

    return torchvision.models.Inception_V3_Weights.IMAGENET1K_V1.url


def test_script_writes_both_kinds_of_metrics(digits, inception_weights, tmp_path):
    from dlcv_hw2.data.images import write_digit_folder

    write_digit_folder(digits["mnistm_val"].images[:10], 1, str(tmp_path / "samples"))
    out = tmp_path / "m.json"
    proc = run_script(
        "generative_metrics",
        "--samples",
        tmp_path / "samples",
        "--reference",
        digits["dir"] / "mnistm_train.pt",
        "--eval-classifier",
        digits["classifier"],
        "--reference-size",
        "10",
        "--out",
        out,
    )
    assert proc.returncode == 0, proc.stderr
    got = json.loads(out.read_text())
    assert got["samples"] == 10 and got["reference"] == 10
    assert got["fid_inception"] == NO_INCEPTION and isinstance(got["fid_digit"], float)
    proc = run_script(
        "generative_metrics",
        "--samples",
        tmp_path / "samples",
        "--reference",
        digits["dir"] / "mnistm_train.pt",
        "--inception-weights",
        inception_weights,
        "--reference-size",
        "10",
        "--out",
        out,
    )
    assert proc.returncode == 0, proc.stderr
    got = json.loads(out.read_text())
    assert isinstance(got["fid_inception"], float) and "fid_digit" not in got
    assert 0.0 <= got["precision_inception"] <= 1.0 and 0.0 <= got["recall_inception"] <= 1.0


def test_script_adds_each_digits_recall_from_the_names_and_the_cache_labels(digits, tmp_path):
    """--per-class: the samples' digits come from their names (D_NNN.png), the reference's from the cache."""
    from dlcv_hw2.data.images import write_digit_folder

    train = digits["mnistm_train"]
    per = len(train.images) // 10
    write_digit_folder(train.images[: 10 * per], per, str(tmp_path / "samples"))  # named 0_001 .. by position
    out = tmp_path / "m.json"
    args = ["--samples", tmp_path / "samples", "--reference", digits["dir"] / "mnistm_train.pt", "--out", out]
    proc = run_script("generative_metrics", *args, "--eval-classifier", digits["classifier"], "--per-class")
    assert proc.returncode == 0, proc.stderr
    got = json.loads(out.read_text())
    want = per_class_recall(
        train.images[: 10 * per],
        torch.arange(10).repeat_interleave(per),
        train.images,
        train.labels,
        str(digits["classifier"]),
    )
    assert {k: got[k] for k in PER_CLASS_RECALL} == want
    assert any(isinstance(v, float) for v in want.values())
    proc = run_script("generative_metrics", *args, "--per-class")
    assert_one_line_error(proc, "--per-class needs --eval-classifier")


@pytest.mark.parametrize("kind", ["missing", "truncated", "another_network", "not_tensors"])
def test_bad_inception_weights_are_refused_in_one_line(kind, digits, inception_weights, tmp_path):
    from dlcv_hw2.data.images import write_digit_folder

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
    expected = {
        "missing": "does not exist",
        "truncated": "unreadable or truncated",
        "another_network": "are not the FID Inception network",
        "not_tensors": "not the FID Inception",
    }[kind]
    out = tmp_path / "res" / "m.json"
    proc = run_script(
        "generative_metrics",
        "--samples",
        tmp_path / "samples",
        "--reference",
        digits["dir"] / "mnistm_train.pt",
        "--inception-weights",
        weights,
        "--out",
        out,
    )
    assert_one_line_error(proc, expected)
    assert not out.exists()


# ------------------------------------------------------------------ face embeddings (dlib's face ResNet)
@pytest.fixture(scope="module")
def faces():
    """Demo faces of two seeds (one distribution), the LFW faces, and smooth non-face images."""
    from dlcv_hw2.data.demo.faces import make_face
    from dlcv_hw2.metrics.face_detection import lfw_sanity_set

    def demo(seed, n):
        return torch.from_numpy(np.stack([np.asarray(make_face(i, seed)) for i in range(n)])).permute(0, 3, 1, 2)

    lfw, non_faces = lfw_sanity_set()
    return {"a": demo(1, 40), "b": demo(2, 40), "lfw": lfw[:40], "non_faces": non_faces[:40]}


def test_face_embedding_is_dlibs_descriptor_of_the_whole_image(faces):
    """The batch path gives what dlib's one-image call gives with the image as the face box (what
    face_recognition.face_encodings(img, [(0, 64, 64, 0)]) computes)."""
    import dlib

    landmarks, resnet = face_model_files()
    predictor, net = dlib.shape_predictor(landmarks), dlib.face_recognition_model_v1(resnet)
    got = FaceEmbedder()(faces["a"][:3])
    assert got.shape == (3, 128)
    for img, vec in zip(faces["a"][:3].permute(0, 2, 3, 1).numpy(), got):
        one = np.array(net.compute_face_descriptor(img, predictor(img, dlib.rectangle(0, 0, 63, 63))))
        assert np.allclose(vec.numpy(), one, atol=1e-6)
    assert not torch.allclose(got[0], got[1])


def test_face_fid_puts_other_draws_of_the_same_faces_nearest(faces):
    emb = {k: face_embeddings(v) for k, v in faces.items()}
    same = face_metrics_of_embeddings(emb["a"], emb["a"])
    assert set(same) == set(FACE_KEYS) and abs(same["fid_face"]) < 1e-6
    assert same["precision_face"] == 1.0 and same["recall_face"] == 1.0
    got = {k: face_metrics_of_embeddings(emb[k], emb["a"]) for k in ("b", "lfw", "non_faces")}
    assert 0 < got["b"]["fid_face"] < min(got["lfw"]["fid_face"], got["non_faces"]["fid_face"]) / 2
    assert abs(same["kid_face"]) < 0.1 * got["lfw"]["kid_face"] and got["b"]["kid_face"] < got["lfw"]["kid_face"]
    assert face_metrics(faces["b"], faces["a"]) == got["b"]  # embedding the reference here: the same numbers


def test_face_metrics_name_a_missing_package(faces, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "face_recognition_models" else real(name, *a)
    )
    with pytest.raises(UserError, match="pip install face-recognition-models"):
        face_metrics(faces["a"], faces["a"])


def test_script_scores_faces_against_a_whole_face_cache(faces, tmp_path):
    from dlcv_hw2.data.faces import save_face_cache
    from dlcv_hw2.data.images import write_face_folder

    save_face_cache(faces["a"], [f"{i:05d}.png" for i in range(40)], str(tmp_path / "val.pt"))
    write_face_folder(faces["b"][:12], str(tmp_path / "samples"))
    out = tmp_path / "m.json"
    proc = run_script(
        "generative_metrics",
        "--samples",
        tmp_path / "samples",
        "--reference",
        tmp_path / "val.pt",
        "--whole-reference",
        "--size",
        "64",
        "--face-embeddings",
        "--reference-size",
        "10",
        "--out",
        out,
    )
    assert proc.returncode == 0, proc.stderr
    got = json.loads(out.read_text())
    assert got["samples"] == 12 and got["reference"] == 40  # --whole-reference: every val face
    assert got["fid_face"] == pytest.approx(face_metrics(faces["b"][:12], faces["a"])["fid_face"], rel=1e-9)
    assert got["fid_inception"] == NO_INCEPTION and "is_face" not in got
    proc = run_script("face_embeddings", "--faces", tmp_path / "val.pt", "--out", tmp_path / "val_emb.pt")
    assert proc.returncode == 0, proc.stderr
    again = tmp_path / "again.json"
    proc = run_script(
        "generative_metrics",
        "--samples",
        tmp_path / "samples",
        "--reference",
        tmp_path / "val.pt",
        "--whole-reference",
        "--reference-embeddings",
        tmp_path / "val_emb.pt",
        "--size",
        "64",
        "--face-embeddings",
        "--out",
        again,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(again.read_text())["fid_face"] == got["fid_face"]
    save_face_cache(faces["a"][:39], [f"{i:05d}.png" for i in range(39)], str(tmp_path / "other.pt"))
    proc = run_script(
        "generative_metrics",
        "--samples",
        tmp_path / "samples",
        "--reference",
        tmp_path / "other.pt",
        "--whole-reference",
        "--reference-embeddings",
        tmp_path / "val_emb.pt",
        "--size",
        "64",
        "--face-embeddings",
        "--out",
        tmp_path / "stale.json",
    )
    assert_one_line_error(proc, "were not computed from", "other.pt")
    assert not (tmp_path / "stale.json").exists()
    proc = run_script(
        "generative_metrics",
        "--samples",
        tmp_path / "val.pt",
        "--max-samples",
        "5",
        "--reference",
        tmp_path / "val.pt",
        "--size",
        "64",
        "--face-embeddings",
        "--reference-size",
        "10",
        "--out",
        out,
    )
    assert proc.returncode == 0, proc.stderr
    got = json.loads(out.read_text())
    assert (got["samples"], got["reference"]) == (5, 10)
