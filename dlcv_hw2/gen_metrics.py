"""Generative metrics of a set of images against a reference set: FID, Inception Score and KID.

All three are computed by torch-fidelity. Two feature extractors:

* **Inception** (``inception-v3-compat``, the TF-ported network pytorch-fid also uses), only from a
  local weights file (the ``inception_weights`` setting): nothing is downloaded. Without one these
  metrics are "not computed (no Inception weights)", never estimated.
* **Digit features**: the project's evaluation classifier (``results/eval_classifier/model.pt``), its
  penultimate layer for FID/KID and its 10 logits for IS. These numbers are only comparable with each
  other (same classifier), not with published Inception FIDs; they are named ``*_digit`` everywhere.
"""
import os

import torch
from torch.utils.data import Dataset

from .cli import UserError
from .data import decode_image, list_image_folder, to_model_input
from .files import load_torch, state_mismatch

INCEPTION = "inception-v3-compat"
DIGIT = "dlcv-hw2-eval-classifier"
NO_INCEPTION = "not computed (no Inception weights)"
INCEPTION_KEYS = ("fid_inception", "is_inception", "is_inception_std", "kid_inception", "kid_inception_std")
DIGIT_KEYS = ("fid_digit", "is_digit", "is_digit_std", "kid_digit", "kid_digit_std")


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


def read_folder(folder: str, size: int, modes: tuple = None) -> torch.Tensor:
    """Every image of a folder (sorted by name) as uint8 [N, 3, size, size]; ``modes``: the only PIL
    image modes accepted (any is made RGB when None)."""
    names = list_image_folder(folder)
    out = torch.empty((len(names), 3, size, size), dtype=torch.uint8)
    for i, name in enumerate(names):
        out[i] = torch.from_numpy(decode_image(os.path.join(folder, name), size, modes)).permute(2, 0, 1)
    return out


def frechet_distance(mu1, sigma1, mu2, sigma2) -> float:
    """||mu1 - mu2||^2 + tr(S1 + S2 - 2 (S1 S2)^(1/2)), by torch-fidelity."""
    from torch_fidelity.metric_fid import KEY_METRIC_FID, fid_statistics_to_metric

    return fid_statistics_to_metric({"mu": mu1, "sigma": sigma1}, {"mu": mu2, "sigma": sigma2}, False)[KEY_METRIC_FID]


# --- the digit-feature extractor (the evaluation classifier inside torch-fidelity) ---------------------------

def _digit_extractor_class():
    from torch_fidelity.feature_extractor_base import FeatureExtractorBase

    class DigitClassifierFeatures(FeatureExtractorBase):
        """uint8 28x28 digits -> the evaluation classifier's penultimate features and logits."""

        def __init__(self, name, features_list, feature_extractor_weights_path=None, **kwargs):
            super().__init__(name, features_list)
            from .dann import load_model

            model = load_model(feature_extractor_weights_path, "cpu")
            self.trunk = torch.nn.Sequential(model.features, *model.label_head[:-1])
            self.last = model.label_head[-1]

        @staticmethod
        def get_provided_features_list():
            return ("penultimate", "logits_unbiased")

        @staticmethod
        def get_default_feature_layer_for_metric(metric):
            return {"isc": "logits_unbiased", "fid": "penultimate", "kid": "penultimate"}[metric]

        @staticmethod
        def can_be_compiled():
            return False

        @staticmethod
        def get_dummy_input_for_compile():
            return torch.zeros((1, 3, 28, 28), dtype=torch.uint8)

        def forward(self, x):
            h = self.trunk(to_model_input(x))
            found = {"penultimate": h, "logits_unbiased": self.last(h)}
            return tuple(found[f].float() for f in self.features_list)

    return DigitClassifierFeatures


def _register_digit_extractor():
    from torch_fidelity.registry import FEATURE_EXTRACTORS_REGISTRY, register_feature_extractor

    if DIGIT not in FEATURE_EXTRACTORS_REGISTRY:
        register_feature_extractor(DIGIT, _digit_extractor_class())


# --- the metrics ------------------------------------------------------------------------------------------------

def check_inception_weights(path: str) -> None:
    """Refuse, in one line, a weights file that is missing, truncated or not the FID Inception network
    (the 2015-12-05 TF Inception ported to PyTorch: torch-fidelity's weights-inception-2015-12-05-6726825d.pth
    or pytorch-fid's pt_inception-2015-12-05-6726825d.pth, which hold the same tensors)."""
    import torchvision

    state = load_torch(path, what="Inception weights")
    expected = torchvision.models.inception_v3(weights=None, aux_logits=False, init_weights=False,
                                               num_classes=1008).state_dict()
    problem = state_mismatch(expected, state)
    if problem:
        raise UserError(f"Inception weights {path} are not the FID Inception network (2015-12-05): {problem}")


def _fidelity(gen: torch.Tensor, ref: torch.Tensor, extractor: str, weights: str, device, batch_size: int) -> dict:
    import torch_fidelity

    n = min(len(gen), len(ref))
    if n < 2:
        raise UserError(f"need at least 2 images on each side, got {len(gen)} and {len(ref)}")
    return torch_fidelity.calculate_metrics(
        input1=Uint8Images(gen), input2=Uint8Images(ref), fid=True, isc=True, kid=True,
        feature_extractor=extractor, feature_extractor_weights_path=weights,
        kid_subset_size=min(1000, n), isc_splits=min(10, len(gen)), batch_size=batch_size,
        cuda=torch.device(device).type == "cuda", cache=False, save_cpu_ram=True, verbose=False,
    )


def _named(raw: dict, suffix: str) -> dict:
    return {f"fid_{suffix}": raw["frechet_inception_distance"],
            f"is_{suffix}": raw["inception_score_mean"], f"is_{suffix}_std": raw["inception_score_std"],
            f"kid_{suffix}": raw["kernel_inception_distance_mean"],
            f"kid_{suffix}_std": raw["kernel_inception_distance_std"]}


def digit_metrics(gen: torch.Tensor, ref: torch.Tensor, classifier: str, device="cpu", batch_size: int = 500) -> dict:
    """FID/KID in the evaluation classifier's penultimate features and its 10-class IS (at most 10)."""
    from .dann import load_model

    load_model(classifier, "cpu")  # a bad file is refused here, in one line, before torch-fidelity sees it
    if gen.shape[-2:] != (28, 28) or ref.shape[-2:] != (28, 28):
        raise UserError("digit-feature metrics need 28x28 images")
    _register_digit_extractor()
    return _named(_fidelity(gen, ref, DIGIT, classifier, device, batch_size), "digit")


def inception_metrics(gen: torch.Tensor, ref: torch.Tensor, weights: str, device="cpu", batch_size: int = 64) -> dict:
    """FID and KID in the Inception pool features (2048-d), IS from its logits, as pytorch-fid and the
    course graders compute them; with ``weights`` empty: each value is :data:`NO_INCEPTION`."""
    if not weights:
        return dict.fromkeys(INCEPTION_KEYS, NO_INCEPTION)
    check_inception_weights(weights)
    return _named(_fidelity(gen, ref, INCEPTION, weights, device, batch_size), "inception")
