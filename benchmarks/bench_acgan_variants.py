#!/usr/bin/env python3
"""ACGAN design choices, measured: each variant trained, 1000 digits sampled, judged and scored.

    python benchmarks/bench_acgan_variants.py --cache results/cache/mnistm \\
        --eval-classifier results/eval_classifier/model.pt [--official-classifier Classifier.pth] \\
        --variant "ACGAN:loss=bce" --variant "SN + hinge + TTUR:spectral_norm=true;loss=hinge;lr_d=4e-4;lr_g=1e-4"

Each variant is ``NAME:key=value;key=value`` over the preset's (``--preset``, default demo) ``acgan``
section of config.yaml (values read as YAML). Every run trains on ``--cache/train.pt`` with
``dlcv_hw2.acgan.train`` (seed ``--seed``), samples the graded 1000 digits (100 per digit, sampling
seed 2023 as the workflow), and prints one Markdown table: accuracy by the evaluation classifier (and
the official one when given), FID / KID / IS in the evaluation classifier's features against the first
1000 images of ``--cache/val.pt``, and the training seconds.
"""
import argparse
import os
import tempfile
import time

import yaml

os.environ.setdefault("TQDM_DISABLE", "1")
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse_variant(text: str) -> tuple:
    name, _, body = text.partition(":")
    if not name:
        raise SystemExit(f"error: --variant {text!r}: expected NAME:key=value;key=value")
    overrides = {}
    for item in filter(None, body.split(";")):
        key, eq, value = item.partition("=")
        if not eq:
            raise SystemExit(f"error: --variant {text!r}: {item!r} is not key=value")
        value = yaml.safe_load(value)
        if isinstance(value, str):  # YAML 1.1 reads 1e-4 as a string
            try:
                value = float(value)
            except ValueError:
                pass
        overrides[key.strip()] = value
    return name, overrides


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", required=True, help="folder with train.pt and val.pt of MNIST-M")
    ap.add_argument("--eval-classifier", required=True)
    ap.add_argument("--official-classifier")
    ap.add_argument("--variant", action="append", required=True)
    ap.add_argument("--preset", default="demo")
    ap.add_argument("--seed", type=int, default=2023)
    ap.add_argument("--device", default="cpu")
    args = ap.parse_args()

    import torch

    from dlcv_hw2 import acgan, settings
    from dlcv_hw2.classifier import load_official_classifier, predict_uint8
    from dlcv_hw2.dann import load_model as load_classifier
    from dlcv_hw2.data import load_cache
    from dlcv_hw2.ddpm import to_uint8
    from dlcv_hw2.gen_metrics import digit_metrics

    with open(os.path.join(REPO, "config.yaml")) as f:
        preset = (yaml.safe_load(f)["presets"].get(args.preset) or {}).get("acgan", {})
    device = torch.device(args.device)
    ref = load_cache(os.path.join(args.cache, "val.pt")).images[:1000]
    judges = {"eval": load_classifier(args.eval_classifier, device).classify_module()}
    if args.official_classifier:
        judges["official"] = load_official_classifier(args.official_classifier, device)
    rows = []
    for text in args.variant:
        name, overrides = parse_variant(text)
        cfg = settings.build("acgan", {**preset, **overrides})
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.time()
            acgan.train(cfg, args.seed, os.path.join(args.cache, "train.pt"), f"{tmp}/state.pt", f"{tmp}/model.pt",
                        f"{tmp}/loss.csv", device, log=lambda *_: None)
            seconds = time.time() - t0
            ckpt = acgan.load_model(f"{tmp}/model.pt", device)
        labels, z = acgan.initial_noise(100, ckpt.z_dim, 2023)
        images = to_uint8(acgan.sample(ckpt, labels, z, device))
        acc = {k: 100.0 * (predict_uint8(m, images, device) == labels).float().mean().item() for k, m in judges.items()}
        m = digit_metrics(images, ref, args.eval_classifier, device)
        rows.append((name, acc, m, seconds))
        print(f"{name}: {acc} FID {m['fid_digit']:.2f} IS {m['is_digit']:.2f} ({seconds:.0f} s)", flush=True)

    heads = ["variant"] + [f"acc {k} %" for k in judges] + ["FID (digit)", "KID (digit)", "IS (digit)", "train s"]
    print("\n| " + " | ".join(heads) + " |\n|" + "---|" * len(heads))
    for name, acc, m, seconds in rows:
        cells = [name] + [f"{acc[k]:.1f}" for k in judges]
        cells += [f"{m['fid_digit']:.2f}", f"{m['kid_digit']:.4f}", f"{m['is_digit']:.2f}", f"{seconds:.0f}"]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
