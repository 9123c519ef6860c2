#!/usr/bin/env python3
"""Target val accuracy of DANN / DSN recipe variants over several seeds (problem 3 experiments).

    python benchmarks/bench_dann_variants.py --scenarios usps svhn usps_to_svhn --seeds 0 1 2 \\
        --variant "source-only:setting=source_only" --variant "DANN:setting=dann" \\
        --variant "DANN, weight 0.3:setting=dann;domain_weight=0.3" --variant "DSN:setting=dsn"

Each variant is ``NAME:key=value;key=value``: ``setting`` (source_only | dann | dsn | target_only) and
any key of the preset's ``dann`` block (values read as YAML: ``zoom=[1.0, 1.0]``, ``input=gray``).
A scenario is a name of ``dlcv_hw2.scenarios`` (``svhn`` = MNIST-M -> SVHN, ``svhn_to_mnistm`` ...).
Every run starts from the preset (``--preset``, default demo) of config.yaml and trains on
``--cache/{SOURCE,TARGET}/train.pt`` with ``dlcv_hw2.dann.train``; the accuracy is measured on
``TARGET/val.pt`` once, after the last epoch. Prints one Markdown table (per seed, mean, sd) and
the seconds per run; ``--jobs`` runs that many trainings at once (``--threads`` each, default 1).
"""

import argparse
import os
import statistics
import time
from concurrent.futures import ProcessPoolExecutor

import yaml

os.environ.setdefault("TQDM_DISABLE", "1")  # one line per run instead of progress bars
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse_variant(text: str) -> tuple:
    name, _, body = text.partition(":")
    if not name or not body:
        raise SystemExit(f"error: --variant {text!r}: expected NAME:key=value;key=value")
    overrides = {}
    for item in body.split(";"):
        key, eq, value = item.partition("=")
        if not eq:
            raise SystemExit(f"error: --variant {text!r}: {item!r} is not key=value")
        overrides[key.strip()] = yaml.safe_load(value)
    if overrides.get("setting") not in ("source_only", "dann", "dsn", "target_only"):
        raise SystemExit(f"error: --variant {text!r}: setting must be source_only, dann, dsn or target_only")
    return name, overrides


def run_one(job: tuple) -> tuple:
    import torch

    from dlcv_hw2 import settings
    from dlcv_hw2.data import scenarios
    from dlcv_hw2.data.digits import load_cache
    from dlcv_hw2.methods.uda import accuracy, train

    name, scenario, seed, values, cache, device, threads = job
    torch.set_num_threads(threads)
    values = dict(values)
    setting = values.pop("setting")
    cfg = settings.build("dann", values)
    source, target = scenarios.pair(scenario)
    t0 = time.time()
    model, _ = train(
        setting,
        f"{cache}/{source}/train.pt",
        f"{cache}/{target}/train.pt",
        cfg,
        seed,
        torch.device(device),
        log=lambda *_: None,
    )
    acc = accuracy(model, load_cache(f"{cache}/{target}/val.pt"), torch.device(device))
    return name, scenario, seed, acc, time.time() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variant", action="append", required=True)
    ap.add_argument("--scenarios", nargs="+", default=["usps", "svhn"])
    ap.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    ap.add_argument("--preset", default="demo")
    ap.add_argument("--cache", default=os.path.join(REPO, "results", "cache"))
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1, help="torch threads per training (the workflow's job_threads: 1)")
    args = ap.parse_args()
    from dlcv_hw2.settings import preset_settings, resolve_config

    config = {"preset": args.preset}
    resolve_config(config, os.path.join(REPO, "config.yaml"))
    base = preset_settings(config)["dann"]
    variants = [parse_variant(v) for v in args.variant]
    jobs = [
        (name, sc, seed, {**base, **ov}, args.cache, args.device, args.threads)
        for name, ov in variants
        for sc in args.scenarios
        for seed in args.seeds
    ]
    results = {}
    with ProcessPoolExecutor(args.jobs) as pool:
        for name, sc, seed, acc, secs in pool.map(run_one, jobs):
            results[name, sc, seed] = (acc, secs)
            print(f"# {name} | {sc} | seed {seed}: {acc:.2f} % in {secs:.1f} s", flush=True)
    seeds = " | ".join(f"seed {s}" for s in args.seeds)
    print(f"\n| variant | scenario | {seeds} | mean | sd | s per run |")
    print("|---|---|" + "---|" * (len(args.seeds) + 3))
    for name, _ in variants:
        for sc in args.scenarios:
            accs = [results[name, sc, s][0] for s in args.seeds]
            secs = statistics.mean(results[name, sc, s][1] for s in args.seeds)
            sd = statistics.stdev(accs) if len(accs) > 1 else 0.0
            cells = " | ".join(f"{a:.1f}" for a in accs)
            print(f"| {name} | {sc} | {cells} | **{statistics.mean(accs):.1f}** | {sd:.1f} | {secs:.0f} |")


if __name__ == "__main__":
    main()
