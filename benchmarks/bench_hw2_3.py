#!/usr/bin/env python3
"""Wall time and peak memory of ``hw2_3.sh`` on N images.

    python benchmarks/bench_hw2_3.py --images results/hw2_data/digits/usps/data --n 2000 [--checkpoints checkpoints]

Copies the first images of --images round-robin into a temporary ``.../usps/test`` folder of N
files (so the domain comes from the path, as in grading), runs ``bash hw2_3.sh`` on it once and
prints the seconds, the peak resident memory of the script and its children, and the row count.
"""

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--images", required=True, help="folder of digit images to copy from")
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--checkpoints", default=os.path.join(REPO, "checkpoints"))
    args = ap.parse_args()
    sources = sorted(n for n in os.listdir(args.images) if n.endswith(".png"))[:1000]
    if not sources:
        sys.exit(f"error: no PNG images in {args.images}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = os.path.join(tmp, "usps", "test")
        os.makedirs(folder)
        for i in range(args.n):
            shutil.copyfile(os.path.join(args.images, sources[i % len(sources)]), os.path.join(folder, f"{i:05d}.png"))
        out = os.path.join(tmp, "pred.csv")
        env = dict(os.environ, HW2_CHECKPOINTS=args.checkpoints)
        t0 = time.time()
        proc = subprocess.run(
            ["bash", os.path.join(REPO, "hw2_3.sh"), folder, out], env=env, capture_output=True, text=True
        )
        seconds = time.time() - t0
        if proc.returncode != 0:
            sys.exit(proc.stderr.strip().splitlines()[-1])
        rows = sum(1 for _ in open(out)) - 1
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"hw2_3.sh on {args.n} images: {seconds:.2f} s, peak RSS {peak_mb:.0f} MB, {rows} rows")


if __name__ == "__main__":
    main()
