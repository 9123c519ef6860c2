#!/usr/bin/env python3
"""ACGAN design choices, measured: each variant trained, 1000 digits sampled, judged and scored.

    python benchmarks/bench_acgan_variants.py --cache results/cache/mnistm \\
        --eval-classifier results/eval_classifier/model.pt [--official-classifier Classifier.pth] \\
        --variant "ACGAN:loss=bce" --variant "SN + hinge + TTUR:spectral_norm=true;loss=hinge;lr_d=4e-4;lr_g=1e-4"

Each variant is ``NAME:key=value;key=value`` over the preset's (``--preset``, default demo) ``acgan``
section of config.yaml (values read as YAML). Every run trains on ``--cache/train.pt`` with
``dlcv_hw2.acgan.train`` (seed ``--seed``), samples the graded 1000 digits (100 per digit, sampling
seed 2023 as the workflow), and prints one Markdown table: accuracy by the evaluation classifier (and
the official one when given; with ``--truncation T ...`` also of the same noise scaled by each T),
FID / KID / IS, precision and recall (torch-fidelity's prc, k = 3) and the lowest recall of one digit
(against that digit's images) in the evaluation classifier's features against the first 1000 images of
``--cache/val.pt``, and the training seconds; with ``--live`` also the precision, recall and evaluation
accuracy of the live generator (not its EMA), sampled in eval mode and with batch statistics; with
several ``--seeds`` (training seeds) one row per seed and one with the mean and sd. ``--jobs`` runs that
many trainings at once, each with ``--threads`` torch threads (default 1, as the workflow's ``job_threads``).
"""

import argparse
import os
import statistics
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor

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


def run_one(job: tuple) -> tuple:
    """Train one variant with one seed, sample the graded 1000 digits, judge and score them."""
    import torch

    from dlcv_hw2 import settings
    from dlcv_hw2.data.digits import load_cache
    from dlcv_hw2.data.images import to_uint8
    from dlcv_hw2.methods import acgan
    from dlcv_hw2.methods.uda import load_model as load_classifier
    from dlcv_hw2.metrics.digits import load_official_classifier, predict_uint8
    from dlcv_hw2.metrics.generative import digit_metrics, per_class_recall

    name, values, seed, args = job
    torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    cfg = settings.build("acgan", values)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.time()
        acgan.train(
            cfg,
            seed,
            os.path.join(args.cache, "train.pt"),
            f"{tmp}/state.pt",
            f"{tmp}/model.pt",
            f"{tmp}/loss.csv",
            device,
            log=lambda *_: None,
        )
        seconds = time.time() - t0
        ckpt = acgan.load_model(f"{tmp}/model.pt", device)
        live = torch.load(f"{tmp}/state.pt", weights_only=True)["gen"] if args.live else None
    labels, z = acgan.initial_noise(100, ckpt.z_dim, 2023)
    images = to_uint8(acgan.sample(ckpt, labels, z, device))
    if args.grids:  # the first ten of each digit: row = digit, column = noise, as the workflow's grid
        from PIL import Image

        os.makedirs(args.grids, exist_ok=True)
        grid = images.view(10, 100, 3, 28, 28)[:, :10].permute(0, 3, 1, 4, 2).reshape(280, 280, 3).numpy()
        Image.fromarray(grid).save(
            os.path.join(args.grids, f"{name.replace(' ', '_').replace('/', '_')}_seed{seed}.png")
        )
    judges = {"eval": load_classifier(args.eval_classifier, device).classify_module()}
    if args.official_classifier:
        judges["official"] = load_official_classifier(args.official_classifier, device)
    acc = {k: 100.0 * (predict_uint8(m, images, device) == labels).float().mean().item() for k, m in judges.items()}
    for t in args.truncation:  # the same noise scaled by t: the judges' reading of less varied digits
        scaled = to_uint8(acgan.sample(ckpt, labels, z * t, device))
        for k, m in judges.items():
            acc[f"{k} z x{t:g}"] = 100.0 * (predict_uint8(m, scaled, device) == labels).float().mean().item()
    val = load_cache(os.path.join(args.cache, "val.pt"))
    ref, ref_labels = val.images[:1000], val.labels[:1000]
    m = digit_metrics(images, ref, args.eval_classifier, device)
    lowest = min(per_class_recall(images, labels, ref, ref_labels, args.eval_classifier, device).values())
    figures = {
        **{f"acc {k} %": v for k, v in acc.items()},
        "FID (digit)": m["fid_digit"],
        "KID (digit)": m["kid_digit"],
        "IS (digit)": m["is_digit"],
        "precision": m["precision_digit"],
        "recall": m["recall_digit"],
        "lowest digit recall": lowest,
        "train s": seconds,
    }
    if live is not None:  # the live generator: in eval mode (running statistics) and with batch statistics
        ckpt.generator.load_state_dict(live)
        for mode in ("eval", "train"):
            ckpt.generator.train(mode == "train")
            perm = torch.randperm(len(labels), generator=torch.Generator().manual_seed(0))  # mixed batches
            drawn = torch.empty((len(labels), 3, 28, 28), dtype=torch.uint8)
            drawn[perm] = to_uint8(acgan.sample(ckpt, labels[perm], z[perm], device, batch_size=100))
            lm = digit_metrics(drawn, ref, args.eval_classifier, device)
            right = (predict_uint8(judges["eval"], drawn, device) == labels).float().mean().item()
            figures[f"live {mode} acc eval %"] = 100.0 * right
            figures[f"live {mode} precision"] = lm["precision_digit"]
            figures[f"live {mode} recall"] = lm["recall_digit"]
    return name, seed, figures


def _cell(key: str, value: float) -> str:
    if "precision" in key or "recall" in key:
        return f"{value:.3f}"
    return f"{value:.4f}" if key.startswith("KID") else f"{value:.0f}" if key == "train s" else f"{value:.2f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", required=True, help="folder with train.pt and val.pt of MNIST-M")
    ap.add_argument("--eval-classifier", required=True)
    ap.add_argument("--official-classifier")
    ap.add_argument("--variant", action="append", required=True)
    ap.add_argument("--preset", default="demo")
    ap.add_argument("--seeds", nargs="+", type=int, default=[2023], help="training seeds (the workflow's: 2023)")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1, help="torch threads per training")
    ap.add_argument(
        "--truncation", nargs="*", type=float, default=[], help="also judge the digits of the noise scaled by these"
    )
    ap.add_argument("--grids", help="folder to save each run's 10x10 grid in (row: digit, column: noise)")
    ap.add_argument("--live", action="store_true", help="also score the live generator (not its EMA)")
    args = ap.parse_args()

    with open(os.path.join(REPO, "config.yaml")) as f:
        preset = (yaml.safe_load(f)["presets"].get(args.preset) or {}).get("acgan", {})
    variants = [parse_variant(v) for v in args.variant]
    jobs = [(name, {**preset, **ov}, seed, args) for name, ov in variants for seed in args.seeds]
    results = {}
    with ProcessPoolExecutor(args.jobs) as pool:
        for name, seed, figures in pool.map(run_one, jobs):
            results[name, seed] = figures
            print(f"# {name} | seed {seed}: " + ", ".join(f"{k} {_cell(k, v)}" for k, v in figures.items()), flush=True)

    heads = list(next(iter(results.values())))
    print("\n| variant | seed | " + " | ".join(heads) + " |\n|" + "---|" * (len(heads) + 2))
    for name, _ in variants:
        runs = [results[name, seed] for seed in args.seeds]
        for seed, figures in zip(args.seeds, runs):
            print(f"| {name} | {seed} | " + " | ".join(_cell(k, figures[k]) for k in heads) + " |")
        if len(runs) > 1:
            values = {k: [r[k] for r in runs] for k in heads}
            cells = [f"**{_cell(k, statistics.mean(v))}** ± {_cell(k, statistics.stdev(v))}" for k, v in values.items()]
            print(f"| {name} | mean ± sd | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
