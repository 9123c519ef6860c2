"""The face-detection rate of 2022's problem 1: the share of images in which dlib's HOG frontal-face
detector, with one upsampling (what the course's ``face_recognition.face_locations`` ran), finds exactly
one face. Its real-face sanity set is the 100 LFW faces and 100 non-faces scikit-image ships (25x25,
resized to 64x64 bilinearly): 89 faces found, no non-face."""

import numpy as np
import torch

from ..core.cli import UserError
from ..data.faces import FACE_SIZE


def _detector():
    try:
        import dlib
    except ImportError:
        raise UserError("the face-detection rate needs dlib (pip install dlib-bin, in envs/requirements.txt)") from None
    return dlib.get_frontal_face_detector()


def faces_found(images_uint8: torch.Tensor, upsample: int = 1) -> np.ndarray:
    """How many faces dlib's HOG detector finds in each uint8 [N, 3, H, W] image."""
    detect = _detector()
    hwc = images_uint8.permute(0, 2, 3, 1).contiguous().numpy()
    return np.array([len(detect(img, upsample)) for img in hwc], dtype=np.int64)


def detection_rate(counts: np.ndarray) -> float:
    """The 2022 metric in %: the share of images with exactly one face found."""
    return 100.0 * float(np.mean(np.asarray(counts) == 1)) if len(counts) else float("nan")


def lfw_sanity_set() -> tuple:
    """scikit-image's 100 LFW faces and 100 non-faces (shipped, no download) as uint8 [100, 3, 64, 64]
    each: 25x25 grey crops resized bilinearly to the course's 64x64 and made RGB."""
    from PIL import Image
    from skimage.data import lfw_subset

    grey = (lfw_subset() * 255).round().astype(np.uint8)
    big = np.stack([np.asarray(Image.fromarray(g).resize((FACE_SIZE, FACE_SIZE), Image.BILINEAR)) for g in grey])
    rgb = torch.from_numpy(big)[:, None].expand(-1, 3, -1, -1).contiguous()
    return rgb[:100], rgb[100:]


def detection_curve(
    count: int,
    z_dim: int,
    seed: int,
    device,
    batch_size: int = 250,
    recall_faces: int = 0,
    recall_every: int = 1,
    last_epoch: int = 0,
    val_embeddings: torch.Tensor = None,
):
    """The ``on_epoch`` of a face GAN's training (:func:`dlcv_hw2.methods.face_gan.train`): the detection
    rate of ``count`` faces the EMA generator draws from fixed noise (``seed``), as
    ``{"detection_rate": %}``. With ``val_embeddings`` and ``recall_faces`` it adds the precision and
    recall, in dlib's face embeddings against ``val_embeddings`` (k = 3), of the first ``recall_faces`` of
    those faces after every ``recall_every``-th epoch and after ``last_epoch`` (NaN after the others), as
    ``precision_face`` and ``recall_face``. It draws on its own noise and leaves the training state alone."""
    from ..data.images import to_uint8
    from ..methods.face_gan import initial_noise
    from .generative import PRC_NEIGHBORHOOD, face_embeddings, precision_recall

    if 0 < recall_faces <= PRC_NEIGHBORHOOD:
        raise UserError(
            f"curve_recall_faces must be 0 or over {PRC_NEIGHBORHOOD} (the k-NN balls of recall), not {recall_faces}"
        )
    with_recall = bool(recall_faces) and val_embeddings is not None
    z = initial_noise(max(count, recall_faces if with_recall else 0), z_dim, seed)

    @torch.no_grad()
    def on_epoch(ema, epoch: int) -> dict:
        faces = torch.cat([ema(z[s : s + batch_size].to(device)).float().cpu() for s in range(0, len(z), batch_size)])
        faces = to_uint8(faces.clamp(-1, 1))
        row = {"detection_rate": round(detection_rate(faces_found(faces[:count])), 2)} if count else {}
        if with_recall:
            nan = {"precision": float("nan"), "recall": float("nan")}
            due = epoch % recall_every == 0 or epoch == last_epoch
            pr = precision_recall(face_embeddings(faces[:recall_faces]), val_embeddings) if due else nan
            row.update({f"{k}_face": round(float(v), 4) for k, v in pr.items()})
        return row

    return on_epoch
