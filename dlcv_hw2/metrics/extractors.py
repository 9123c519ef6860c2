"""The feature extractors the generative metrics (generative.py) run inside torch-fidelity, each from a
local file: the evaluation classifier's digit features, torchvision's ImageNet Inception v3 (the 2021
course's Inception Score) and dlib's face-recognition ResNet (face embeddings)."""

import importlib.util
import os

import torch

from ..core.cli import UserError
from ..core.files import load_torch, state_mismatch
from ..data.images import to_model_input

DOWNLOAD = "download"  # an Inception weights setting that lets the library fetch its own file
FACE_MODEL_FILES = ("shape_predictor_5_face_landmarks.dat", "dlib_face_recognition_resnet_model_v1.dat")


# --- the digit-feature extractor (the evaluation classifier inside torch-fidelity) ---------------------------


def digit_extractor_class():
    from torch_fidelity.feature_extractor_base import FeatureExtractorBase

    class DigitClassifierFeatures(FeatureExtractorBase):
        """uint8 28x28 digits -> the evaluation classifier's penultimate features and logits."""

        def __init__(self, name, features_list, feature_extractor_weights_path=None, **kwargs):
            super().__init__(name, features_list)
            from ..methods.uda import load_model

            model = load_model(feature_extractor_weights_path, "cpu")
            self.trunk = torch.nn.Sequential(model.features, *model.label_head[:-1])
            self.last = model.label_head[-1]

        @staticmethod
        def get_provided_features_list():
            return ("penultimate", "logits_unbiased")

        @staticmethod
        def get_default_feature_layer_for_metric(metric):
            return {"isc": "logits_unbiased", "fid": "penultimate", "kid": "penultimate", "prc": "penultimate"}[metric]

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


# --- torchvision's ImageNet Inception v3 (2021's Inception Score) inside torch-fidelity ---------------------


def imagenet_inception(weights: str):
    """torchvision's Inception v3 with its 1000 ImageNet classes, from a local file of its ImageNet weights
    (inception_v3_google-0cc3c7bd.pth, IMAGENET1K_V1; checked, one error line when it is another network)
    or, with ``download``, fetched by torchvision into its cache. Evaluation mode, inputs in [-1, 1]
    (``transform_input`` off: the Google network's own scaling)."""
    import torchvision

    net = torchvision.models.inception_v3(weights=None, aux_logits=True, init_weights=False, transform_input=False)
    if weights == DOWNLOAD:
        state = torchvision.models.Inception_V3_Weights.IMAGENET1K_V1.get_state_dict(progress=False)
    else:
        state = load_torch(weights, what="ImageNet Inception weights")
        problem = state_mismatch(net.state_dict(), state) if isinstance(state, dict) else "not a state_dict"
        if problem:
            raise UserError(
                f"ImageNet Inception weights {weights} are not torchvision's inception_v3 (1000 classes): {problem}"
            )
    net.load_state_dict(state)
    return net.eval().requires_grad_(False)


def imagenet_extractor_class():
    from torch_fidelity.feature_extractor_base import FeatureExtractorBase

    class ImageNetInceptionLogits(FeatureExtractorBase):
        """uint8 images -> torchvision Inception v3's 1000 ImageNet logits, the images scaled to [-1, 1]
        and resized bilinearly to 299x299."""

        def __init__(self, name, features_list, feature_extractor_weights_path=None, **kwargs):
            super().__init__(name, features_list)
            self.net = imagenet_inception(feature_extractor_weights_path)

        @staticmethod
        def get_provided_features_list():
            return ("logits_unbiased",)

        @staticmethod
        def get_default_feature_layer_for_metric(metric):
            return {"isc": "logits_unbiased"}[metric]

        @staticmethod
        def can_be_compiled():
            return False

        @staticmethod
        def get_dummy_input_for_compile():
            return torch.zeros((1, 3, 299, 299), dtype=torch.uint8)

        def forward(self, x):
            x = torch.nn.functional.interpolate(
                x.float() / 127.5 - 1, size=(299, 299), mode="bilinear", align_corners=False
            )
            return (self.net(x).float(),)  # the main logits (in evaluation mode, no auxiliary ones)

    return ImageNetInceptionLogits


# --- the face-embedding extractor (dlib's face-recognition ResNet inside torch-fidelity) -------------------


def face_model_files() -> tuple:
    """The paths of dlib's 5-point landmark model and face-recognition ResNet in the installed
    face-recognition-models package (located without importing it: its __init__ needs pkg_resources)."""
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise UserError(
            "the face-embedding metrics need the face-recognition-models package "
            "(pip install face-recognition-models, in envs/requirements.txt)"
        )
    paths = tuple(os.path.join(spec.submodule_search_locations[0], "models", n) for n in FACE_MODEL_FILES)
    for path in paths:
        if not os.path.isfile(path):
            raise UserError(f"face-recognition-models is installed without {path}; reinstall it")
    return paths


class FaceEmbedder:
    """uint8 [N, 3, H, W] face images -> dlib's 128-d face descriptors, each image taken whole as the face."""

    def __init__(self):
        import dlib

        landmarks, resnet = face_model_files()
        self.dlib = dlib
        self.landmarks = dlib.shape_predictor(landmarks)
        self.resnet = dlib.face_recognition_model_v1(resnet)

    def __call__(self, images_uint8: torch.Tensor) -> torch.Tensor:
        hwc = [img for img in images_uint8.permute(0, 2, 3, 1).contiguous().cpu().numpy()]
        if not hwc:
            return torch.empty((0, 128))
        h, w = hwc[0].shape[:2]
        box = self.dlib.rectangle(0, 0, w - 1, h - 1)
        shapes = []
        for img in hwc:
            found = self.dlib.full_object_detections()
            found.append(self.landmarks(img, box))
            shapes.append(found)
        vectors = self.resnet.compute_face_descriptor(hwc, shapes)
        return torch.tensor([list(v[0]) for v in vectors], dtype=torch.float64)


def register(name: str, make_class) -> None:
    from torch_fidelity.registry import FEATURE_EXTRACTORS_REGISTRY, register_feature_extractor

    if name not in FEATURE_EXTRACTORS_REGISTRY:
        register_feature_extractor(name, make_class())
