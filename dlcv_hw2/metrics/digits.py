"""Digit accuracy: the course's classifier (``Classifier.pth``) loaded, folders of generated digits
predicted in batches, the per-digit table."""

import os

import torch
from torch import nn

from ..core.cli import UserError
from ..core.files import load_torch, state_mismatch
from ..data.images import decode_image, list_image_folder, map_batches
from ..models.classifier import OfficialDigitClassifier


def load_official_classifier(path: str, device="cpu") -> OfficialDigitClassifier:
    obj = load_torch(path, what="classifier checkpoint")
    state = obj.get("state_dict", obj) if isinstance(obj, dict) else None
    if not isinstance(state, dict):
        raise UserError(f"classifier checkpoint {path} holds no state_dict")
    model = OfficialDigitClassifier()
    problem = state_mismatch(model.state_dict(), state)
    if problem:
        raise UserError(f"classifier checkpoint {path} does not fit the course classifier: {problem}")
    model.load_state_dict(state, strict=True)
    return model.to(device).eval()


def predict_uint8(model: nn.Module, images: torch.Tensor, device="cpu", batch_size: int = 500) -> torch.Tensor:
    """Predicted labels of uint8 [N,3,28,28] images, in batches."""
    return map_batches(lambda x: model(x).argmax(1), images, device, batch_size)


def labelled_folder(folder: str) -> list[tuple[str, int]]:
    """``(file name, digit)`` for a folder of generated ``D_NNN.png`` images (digit = first character)."""
    names = list_image_folder(folder, exts=(".png",))
    out = []
    for n in names:
        if not n[0].isdigit():
            raise UserError(f"{os.path.join(folder, n)}: name does not start with a digit label (expected D_NNN.png)")
        out.append((n, int(n[0])))
    return out


def predict_folder(model: nn.Module, folder: str, device="cpu", batch_size: int = 500):
    """Decode a D_NNN.png folder in batches (never the whole folder at once) and predict each image.

    Returns ``(names, labels, predictions)``."""
    rows = labelled_folder(folder)
    preds = []
    for start in range(0, len(rows), batch_size):
        chunk = rows[start : start + batch_size]
        arr = torch.stack([torch.from_numpy(decode_image(os.path.join(folder, n))).permute(2, 0, 1) for n, _ in chunk])
        preds.append(predict_uint8(model, arr, device, batch_size))
    labels = torch.tensor([d for _, d in rows], dtype=torch.int64)
    return [n for n, _ in rows], labels, torch.cat(preds)


def accuracy_table(preds: torch.Tensor, labels: torch.Tensor):
    """Per-digit and overall accuracy (%) as a pandas DataFrame with columns digit, n, correct, accuracy."""
    import pandas as pd

    rows = []
    for d in range(10):
        mask = labels == d
        n = int(mask.sum())
        c = int((preds[mask] == d).sum())
        rows.append({"digit": str(d), "n": n, "correct": c, "accuracy": round(100.0 * c / n, 2) if n else float("nan")})
    n, c = len(labels), int((preds == labels).sum())
    rows.append({"digit": "all", "n": n, "correct": c, "accuracy": round(100.0 * c / n, 2) if n else float("nan")})
    return pd.DataFrame(rows)
