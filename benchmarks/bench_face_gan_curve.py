#!/usr/bin/env python3
"""A face GAN's learning curve by the course's measures: the detection rate and the face FID of its EMA
generator's faces, against training steps, for a run as long as a recipe asks (issue 33's long runs).

    python benchmarks/bench_face_gan_curve.py sngan --preset full --faces-root results/cache/face \\
        --every 500 --faces 500 --threads 2 --max-minutes 120 --out curve.csv [--set "key=value;key=value"]

The method's settings are the ``--preset`` section of config.yaml over the schema's defaults, then
``--set`` (values read as YAML). The number of steps is the preset's own: its epochs over its
``demo_data.face.train`` faces (the full preset: 10 epochs of 38,464 faces, 12,020 steps of 32); on the
smaller face cache given (``--faces-root``: train.pt, val.pt and the val faces' embeddings
val_embeddings.pt, as ``snakemake face_data`` builds them) the run takes as many epochs as that needs.
Every ``--every`` steps (rounded up to whole epochs) ``--faces`` faces of the EMA generator, from fixed
noise, are scored: the share in which dlib's HOG detector finds exactly one face (one upsampling) and
the FID, precision and recall of their dlib face embeddings against the val faces' (the workflow's
face metrics). Each row goes
to ``--out`` (CSV) and stdout as soon as it is measured; the run stops after the row that passes
``--max-minutes`` of training.
"""

import argparse
import csv
import math
import os
import sys
import tempfile
import time

import yaml
from bench_acgan_variants import parse_variant

os.environ.setdefault("TQDM_DISABLE", "1")
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLUMNS = ["epoch", "step", "train_seconds", "detection_rate", "fid_face", "kid_face", "precision_face", "recall_face"]


class TimeUp(Exception):
    """The run passed --max-minutes; the rows so far are written."""


def preset_values(preset: str, method: str) -> tuple:
    """The preset's settings of ``method`` and the step count its own face train set gives them."""
    from dlcv_hw2 import settings

    with open(os.path.join(REPO, "config.yaml")) as f:
        chosen = yaml.safe_load(f)["presets"].get(preset)
    if chosen is None:
        raise SystemExit(f"error: no preset {preset!r} in config.yaml")
    values = dict(chosen.get(method, {}))
    cfg = settings.build(method, values)
    faces = chosen.get("demo_data", {}).get("face", {})
    train_faces = faces.get("train", settings.default("demo_data", "face")["train"])
    return values, cfg.epochs * (train_faces // cfg.batch_size)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("method", help="a face GAN of FACE_GANS")
    ap.add_argument("--preset", default="full", help="the config.yaml preset whose recipe is run (default full)")
    ap.add_argument("--set", default="", help="overrides over the preset: key=value;key=value")
    ap.add_argument("--faces-root", required=True, help="folder with train.pt, val.pt and val_embeddings.pt")
    ap.add_argument("--steps", type=int, help="steps to train (default: the preset's own, see above)")
    ap.add_argument("--every", type=int, default=500, help="score the generator every this many steps")
    ap.add_argument("--faces", type=int, default=500, help="faces scored at each point")
    ap.add_argument("--max-minutes", type=float, default=120.0, help="stop after the first row past this")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=2023)
    ap.add_argument("--out", required=True, help="output CSV, one row per scored point")
    ap.add_argument("--grid", help="PNG of the first 32 faces (4 x 8) at each scored point, the last kept")
    args = ap.parse_args()

    import torch
    from PIL import Image
    from torchvision.utils import make_grid

    from dlcv_hw2 import settings
    from dlcv_hw2.data.faces import load_face_cache
    from dlcv_hw2.data.images import to_uint8
    from dlcv_hw2.methods.face_gan import FACE_GANS, initial_noise, train
    from dlcv_hw2.metrics.face_detection import detection_rate, faces_found
    from dlcv_hw2.metrics.generative import face_embeddings, face_metrics_of_embeddings, load_face_embeddings

    if args.method not in FACE_GANS:
        raise SystemExit(f"error: unknown face GAN {args.method!r} (one of {', '.join(FACE_GANS)})")
    torch.set_num_threads(args.threads)
    values, preset_steps = preset_values(args.preset, args.method)
    values.update(parse_variant(f"set:{args.set}")[1])
    train_path, val_path = (os.path.join(args.faces_root, f) for f in ("train.pt", "val.pt"))
    n_train = len(load_face_cache(train_path)[0])
    n_val = len(load_face_cache(val_path)[0])
    reference = load_face_embeddings(os.path.join(args.faces_root, "val_embeddings.pt"), val_path, n_val)
    probe = settings.build(args.method, values)
    per_epoch = max(1, n_train // min(probe.batch_size, n_train))
    steps = args.steps or preset_steps
    values["epochs"] = math.ceil(steps / per_epoch)
    values["curve_faces"] = 0  # the bench scores its own, larger set
    cfg = settings.build(args.method, values)
    every = max(1, round(args.every / per_epoch))
    print(
        f"# {args.method}, preset {args.preset} {values}: {cfg.epochs} epochs of {per_epoch} steps "
        f"({cfg.epochs * per_epoch} steps on {n_train} faces), scored every {every} epochs",
        flush=True,
    )
    z = initial_noise(args.faces, cfg.z_dim, args.seed)
    clock = {"train": 0.0, "since": time.time()}

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", newline="") as f:
        out = csv.DictWriter(f, COLUMNS)
        out.writeheader()

        @torch.no_grad()
        def on_epoch(ema, epoch: int) -> dict:
            clock["train"] += time.time() - clock["since"]
            if epoch % every == 0 or epoch == cfg.epochs:
                faces = to_uint8(torch.cat([ema(z[s : s + 250]).float() for s in range(0, len(z), 250)]).clamp(-1, 1))
                metrics = face_metrics_of_embeddings(face_embeddings(faces), reference)
                row = {
                    "epoch": epoch,
                    "step": epoch * per_epoch,
                    "train_seconds": round(clock["train"], 1),
                    "detection_rate": round(detection_rate(faces_found(faces)), 2),
                    "fid_face": round(metrics["fid_face"], 4),
                    "kid_face": round(metrics["kid_face"], 5),
                    "precision_face": round(metrics["precision_face"], 4),
                    "recall_face": round(metrics["recall_face"], 4),
                }
                out.writerow(row)
                f.flush()
                if args.grid:
                    Image.fromarray(make_grid(faces[:32], nrow=8, padding=0).permute(1, 2, 0).numpy()).save(args.grid)
                print(", ".join(f"{k} {v}" for k, v in row.items()), flush=True)
                if clock["train"] > args.max_minutes * 60:
                    raise TimeUp(epoch)
            clock["since"] = time.time()
            return {}

        with tempfile.TemporaryDirectory() as tmp:
            try:
                train(
                    args.method,
                    cfg,
                    args.seed,
                    train_path,
                    f"{tmp}/state.pt",
                    f"{tmp}/model.pt",
                    f"{tmp}/loss.csv",
                    torch.device("cpu"),
                    log=lambda *_: None,
                    on_epoch=on_epoch,
                )
            except TimeUp as stop:
                print(f"# stopped after {args.max_minutes:g} min of training, at epoch {stop.args[0]}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
