"""Generative metrics of a set of images against a reference set: FID, Inception Score and KID.

All three are computed by torch-fidelity. Two feature extractors:

* **Inception** (``inception-v3-compat``, the TF-ported network pytorch-fid also uses), only from a
  local weights file (the ``inception_weights`` setting): nothing is downloaded. Without one these
  metrics are "not computed (no Inception weights)", never estimated.
* **ImageNet Inception** (torchvision's ``inception_v3`` with its ImageNet weights, the network 2021's
  course computed the Inception Score with), from a local weights file (the
  ``imagenet_inception_weights`` setting): IS only (``is_imagenet``), from its 1000 logits, by
  torch-fidelity's formula. Without a file: "not computed (no ImageNet Inception weights)".
* Either Inception file may be ``download``: then torch-fidelity (FID network) or torchvision (ImageNet
  network) fetches its own file into its cache, the one case where anything is downloaded.
* **Digit features**: the project's evaluation classifier (``results/eval_classifier/model.pt``), its
  penultimate layer for FID/KID and its 10 logits for IS. These numbers are only comparable with each
  other (same classifier), not with published Inception FIDs; they are named ``*_digit`` everywhere.
* **Face embeddings** (faces only): the 128-d descriptor of dlib's face-recognition ResNet, the network
  the course's ``face_recognition`` package runs, from the model files the face-recognition-models
  package ships (installed, offline). Each image is taken whole as the face box, aligned by dlib's
  5-point landmark model and embedded, as ``face_recognition.face_encodings(img, [(0, w, h, 0)])`` does.
  FID and KID only (an embedding has no classes, so no IS), from torch-fidelity's formulas on the
  embeddings; named ``*_face``, comparable with each other only. A reference's embeddings can be
  computed once and saved (dlib's ResNet takes about 0.09 s a face on a CPU core).

Beside every FID, **precision and recall** (Kynkaanniemi et al. 2019) in the same feature space against
the same reference, by torch-fidelity's ``prc`` (k = 3 nearest neighbours): precision is the share of
generated images inside the real images' k-NN balls (fidelity), recall the share of real images inside
the generated images' balls (variety; a generator that draws one image per class reads near 0). For the
class-conditional digit generators also the recall of each digit against that digit's reference images.
"""

import os

import torch
from torch.utils.data import Dataset

from ..core.cli import UserError
from ..core.files import load_torch, save_torch, sha256_of, state_mismatch
from .extractors import (
    DOWNLOAD,
    FaceEmbedder,
    digit_extractor_class,
    face_model_files,
    imagenet_extractor_class,
    imagenet_inception,
    register,
)

INCEPTION = "inception-v3-compat"
IMAGENET_INCEPTION = "dlcv-hw2-torchvision-inception-v3-imagenet"
DIGIT = "dlcv-hw2-eval-classifier"
NO_INCEPTION = "not computed (no Inception weights)"
NO_IMAGENET_INCEPTION = "not computed (no ImageNet Inception weights)"
INCEPTION_KEYS = (
    "fid_inception",
    "is_inception",
    "is_inception_std",
    "kid_inception",
    "kid_inception_std",
    "precision_inception",
    "recall_inception",
)
IMAGENET_KEYS = ("is_imagenet", "is_imagenet_std")
IS_SPLITS = 10
PRC_NEIGHBORHOOD = 3  # k of the k-NN balls (Kynkaanniemi et al. 2019; torch-fidelity's default)
DIGIT_KEYS = (
    "fid_digit",
    "is_digit",
    "is_digit_std",
    "kid_digit",
    "kid_digit_std",
    "precision_digit",
    "recall_digit",
)
PER_CLASS_RECALL = tuple(f"recall_digit_{d}" for d in range(10))
COLLAPSE_SHARE = 0.5  # a generator whose recall is below this share of real images' is called collapsed
NO_PRC = f"not computed (at most {PRC_NEIGHBORHOOD} images on a side)"  # k-NN balls need k + 1 points
EMBEDDINGS_KIND = "dlcv_hw2.face_embeddings"
FACE_KEYS = ("fid_face", "kid_face", "kid_face_std", "precision_face", "recall_face")


class Uint8Images(Dataset):
    """A uint8 [N, 3, H, W] tensor as the Dataset torch-fidelity reads."""

    def __init__(self, images: torch.Tensor):
        if images.dtype != torch.uint8 or images.ndim != 4 or images.shape[1] != 3:
            raise UserError(f"expected uint8 images [N, 3, H, W], got {images.dtype} {tuple(images.shape)}")
        self.images = images

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        return self.images[i]


def frechet_distance(mu1, sigma1, mu2, sigma2) -> float:
    """||mu1 - mu2||^2 + tr(S1 + S2 - 2 (S1 S2)^(1/2)), by torch-fidelity."""
    from torch_fidelity.metric_fid import KEY_METRIC_FID, fid_statistics_to_metric

    return fid_statistics_to_metric({"mu": mu1, "sigma": sigma1}, {"mu": mu2, "sigma": sigma2}, False)[KEY_METRIC_FID]


# --- the metrics ------------------------------------------------------------------------------------------------


def inception_weights_file(setting: str) -> str:
    """The file a weights setting names (refused, in one line, when missing), or ``download``."""
    if setting != DOWNLOAD and not os.path.isfile(setting):
        raise UserError(
            f"Inception weights file {setting} does not exist (give a local file, or {DOWNLOAD!r} to fetch one)"
        )
    return setting


def check_inception_weights(path: str) -> None:
    """Refuse, in one line, a weights file that is missing, truncated or not the FID Inception network
    (the 2015-12-05 TF Inception ported to PyTorch: torch-fidelity's weights-inception-2015-12-05-6726825d.pth
    or pytorch-fid's pt_inception-2015-12-05-6726825d.pth, which hold the same tensors)."""
    import torchvision

    state = load_torch(path, what="Inception weights")
    expected = torchvision.models.inception_v3(
        weights=None, aux_logits=False, init_weights=False, num_classes=1008
    ).state_dict()
    problem = state_mismatch(expected, state)
    if problem:
        raise UserError(f"Inception weights {path} are not the FID Inception network (2015-12-05): {problem}")


def _fidelity(
    gen: torch.Tensor,
    ref: torch.Tensor,
    extractor: str,
    weights: str,
    device,
    batch_size: int,
    isc: bool = True,
    versus: bool = True,
    splits: int = IS_SPLITS,
) -> dict:
    """torch-fidelity's metrics of ``gen``: IS (``isc``) and, with ``versus``, FID and KID against ``ref``."""
    import torch_fidelity

    n = min(len(gen), len(ref)) if versus else len(gen)
    if n < 2:
        raise UserError(f"need at least 2 images on each side, got {len(gen)} and {len(ref)}")
    return torch_fidelity.calculate_metrics(
        input1=Uint8Images(gen),
        input2=Uint8Images(ref) if versus else None,
        fid=versus,
        isc=isc,
        kid=versus,
        prc=versus,
        prc_neighborhood=PRC_NEIGHBORHOOD,
        feature_extractor=extractor,
        # torch-fidelity fetches its own Inception when given no path; the ImageNet extractor reads "download"
        feature_extractor_weights_path=None if weights == DOWNLOAD and extractor == INCEPTION else weights,
        kid_subset_size=min(1000, n),
        isc_splits=min(splits, len(gen)),
        batch_size=batch_size,
        cuda=torch.device(device).type == "cuda",
        cache=False,
        save_cpu_ram=True,
        verbose=False,
    )


def _named(raw: dict, suffix: str) -> dict:
    out = {f"fid_{suffix}": raw["frechet_inception_distance"]}
    if "inception_score_mean" in raw:
        out.update({f"is_{suffix}": raw["inception_score_mean"], f"is_{suffix}_std": raw["inception_score_std"]})
    return {
        **out,
        f"kid_{suffix}": raw["kernel_inception_distance_mean"],
        f"kid_{suffix}_std": raw["kernel_inception_distance_std"],
        f"precision_{suffix}": raw["precision"],
        f"recall_{suffix}": raw["recall"],
    }


def precision_recall(gen_features: torch.Tensor, ref_features: torch.Tensor) -> dict:
    """torch-fidelity's precision and recall (k = :data:`PRC_NEIGHBORHOOD`) of generated features
    against reference features ([N, D] each); :data:`NO_PRC` when a side has at most k rows."""
    from torch_fidelity.metric_prc import KEY_METRIC_PRECISION, KEY_METRIC_RECALL, prc_features_to_metric

    if min(len(gen_features), len(ref_features)) <= PRC_NEIGHBORHOOD:
        return {"precision": NO_PRC, "recall": NO_PRC}
    out = prc_features_to_metric(
        gen_features.double(),
        ref_features.double(),
        prc_neighborhood=PRC_NEIGHBORHOOD,
        prc_batch_size=10000,
        save_cpu_ram=False,
        verbose=False,
    )
    return {"precision": out[KEY_METRIC_PRECISION], "recall": out[KEY_METRIC_RECALL]}


def collapsed(recall: float, ceiling: float) -> bool:
    """Whether a generator's recall is below :data:`COLLAPSE_SHARE` of the recall of as many real
    images scored alike (the ceiling): the rule the reports say "collapsed" by."""
    return float(recall) < COLLAPSE_SHARE * float(ceiling)


@torch.no_grad()
def digit_features(images: torch.Tensor, classifier: str, device="cpu", batch_size: int = 500) -> torch.Tensor:
    """The evaluation classifier's penultimate features of uint8 digits [N, 3, 28, 28], float64 [N, D]."""
    extractor = digit_extractor_class()(DIGIT, ["penultimate"], classifier).to(device).eval()
    out = [extractor(images[s : s + batch_size].to(device))[0].cpu() for s in range(0, len(images), batch_size)]
    return torch.cat(out).double()


def per_class_recall(
    gen: torch.Tensor,
    gen_labels: torch.Tensor,
    ref: torch.Tensor,
    ref_labels: torch.Tensor,
    classifier: str,
    device="cpu",
) -> dict:
    """The recall of each digit's generated images against that digit's reference images, in the
    evaluation classifier's features: ``recall_digit_0`` .. ``recall_digit_9``. A class-conditional
    generator that draws one image per class reads near 0 in every digit, whatever its overall recall.
    A digit with at most k images on a side reads :data:`NO_PRC` (a tiny reference set)."""
    g, r = digit_features(gen, classifier, device), digit_features(ref, classifier, device)
    return {
        key: precision_recall(g[gen_labels == d], r[ref_labels == d])["recall"]
        for d, key in enumerate(PER_CLASS_RECALL)
    }


def digit_metrics(gen: torch.Tensor, ref: torch.Tensor, classifier: str, device="cpu", batch_size: int = 500) -> dict:
    """FID/KID and precision/recall in the evaluation classifier's penultimate features and its 10-class
    IS (at most 10)."""
    from ..methods.uda import load_model

    load_model(classifier, "cpu")  # a bad file is refused here, in one line, before torch-fidelity sees it
    if gen.shape[-2:] != (28, 28) or ref.shape[-2:] != (28, 28):
        raise UserError("digit-feature metrics need 28x28 images")
    register(DIGIT, digit_extractor_class)
    return _named(_fidelity(gen, ref, DIGIT, classifier, device, batch_size), "digit")


def inception_metrics(gen: torch.Tensor, ref: torch.Tensor, weights: str, device="cpu", batch_size: int = 64) -> dict:
    """FID, KID and precision/recall in the Inception pool features (2048-d), IS from its logits, as
    pytorch-fid and the course graders compute them; with ``weights`` empty: each value is
    :data:`NO_INCEPTION`."""
    if not weights:
        return dict.fromkeys(INCEPTION_KEYS, NO_INCEPTION)
    if inception_weights_file(weights) != DOWNLOAD:
        check_inception_weights(weights)
    return _named(_fidelity(gen, ref, INCEPTION, weights, device, batch_size), "inception")


def imagenet_inception_score(
    gen: torch.Tensor, weights: str, device="cpu", batch_size: int = 64, splits: int = IS_SPLITS
) -> dict:
    """2021's Inception Score: torchvision's ImageNet Inception v3 (``weights``: its local file, or
    ``download``) on the images resized to 299x299, exp(E KL(p(y|x) || p(y))) over ``splits`` splits (mean
    and sd) by torch-fidelity; with ``weights`` empty: each value is :data:`NO_IMAGENET_INCEPTION`."""
    if not weights:
        return dict.fromkeys(IMAGENET_KEYS, NO_IMAGENET_INCEPTION)
    imagenet_inception(inception_weights_file(weights))  # a wrong file is refused here, in one line
    register(IMAGENET_INCEPTION, imagenet_extractor_class)
    raw = _fidelity(gen, gen, IMAGENET_INCEPTION, weights, device, batch_size, versus=False, splits=splits)
    return {"is_imagenet": raw["inception_score_mean"], "is_imagenet_std": raw["inception_score_std"]}


def face_embeddings(images_uint8: torch.Tensor, batch_size: int = 100, log=None) -> torch.Tensor:
    """dlib's 128-d descriptors of uint8 faces [N, 3, H, W], float64 [N, 128] (about 0.09 s a face on one
    CPU core: dlib's ResNet at 150x150)."""
    embed = FaceEmbedder()
    out = []
    for s in range(0, len(images_uint8), batch_size):
        out.append(embed(images_uint8[s : s + batch_size]))
        if log:
            log(f"embedded {min(s + batch_size, len(images_uint8))} / {len(images_uint8)} faces")
    return torch.cat(out) if out else torch.empty((0, 128), dtype=torch.float64)


def face_metrics_of_embeddings(gen: torch.Tensor, ref: torch.Tensor) -> dict:
    """FID, KID and precision/recall of two sets of face embeddings, by torch-fidelity's formulas (KID:
    100 subsets of at most 1000, its defaults; precision/recall: k = 3)."""
    from torch_fidelity.metric_fid import fid_features_to_statistics
    from torch_fidelity.metric_kid import KEY_METRIC_KID_MEAN, KEY_METRIC_KID_STD, kid_features_to_metric

    n = min(len(gen), len(ref))
    if n < 2:
        raise UserError(f"need at least 2 images on each side, got {len(gen)} and {len(ref)}")
    g, r = fid_features_to_statistics(gen), fid_features_to_statistics(ref)
    kid = kid_features_to_metric(gen, ref, kid_subset_size=min(1000, n), verbose=False)
    return {
        "fid_face": frechet_distance(g["mu"], g["sigma"], r["mu"], r["sigma"]),
        "kid_face": kid[KEY_METRIC_KID_MEAN],
        "kid_face_std": kid[KEY_METRIC_KID_STD],
        **{f"{k}_face": v for k, v in precision_recall(gen, ref).items()},
    }


def face_metrics(gen: torch.Tensor, ref: torch.Tensor, ref_embeddings: torch.Tensor = None, log=None) -> dict:
    """FID, KID, precision and recall in dlib's 128-d face embeddings (the offline stand-in for the
    Inception FID of faces);
    ``ref_embeddings``: the reference's, computed before (see :func:`load_face_embeddings`)."""
    face_model_files()  # a missing package is refused here, in one line
    if ref_embeddings is None:
        ref_embeddings = face_embeddings(ref, log=log)
    return face_metrics_of_embeddings(face_embeddings(gen, log=log), ref_embeddings)


def save_face_embeddings(embeddings: torch.Tensor, source: str, path: str) -> None:
    """Embeddings of a face cache, with the sha256 of the cache they were computed from."""
    save_torch({"kind": EMBEDDINGS_KIND, "embeddings": embeddings, "source_sha256": sha256_of(source)}, path)


def load_face_embeddings(path: str, source: str, count: int) -> torch.Tensor:
    """The embeddings of ``source`` (a face cache of ``count`` faces) saved by :func:`save_face_embeddings`;
    refused, in one line, when they were computed from another file or are not embeddings."""
    obj = load_torch(path, what="face embeddings")
    if not isinstance(obj, dict) or obj.get("kind") != EMBEDDINGS_KIND:
        raise UserError(f"{path} is not a face-embeddings file (written by face_embeddings.py)")
    emb = obj["embeddings"]
    if obj.get("source_sha256") != sha256_of(source) or tuple(emb.shape) != (count, 128):
        raise UserError(f"face embeddings {path} were not computed from {source} (rebuild them)")
    return emb
