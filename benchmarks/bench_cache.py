#!/usr/bin/env python3
"""One training epoch's data loading: from the tensor cache vs decoding the PNGs each time.

    python benchmarks/bench_cache.py --domain-dir results/hw2_data/digits/mnistm \
        --cache results/cache/mnistm/train.pt

Both paths deliver the same float batches in [-1, 1] (batch 128, shuffled); the figure printed is
seconds per epoch for each and their ratio.
"""

import argparse
import os
import time

import torch

from dlcv_hw2.data.digits import load_cache, read_split_csv
from dlcv_hw2.data.images import decode_image, to_model_input


class PngDataset(torch.utils.data.Dataset):
    def __init__(self, domain_dir, split):
        self.dir = domain_dir
        self.rows = read_split_csv(domain_dir, split)

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        name, label = self.rows[i]
        img = torch.from_numpy(decode_image(os.path.join(self.dir, "data", name))).permute(2, 0, 1)
        return to_model_input(img), label


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--domain-dir", required=True)
    ap.add_argument("--cache", required=True)
    ap.add_argument("--split", default="train")
    ap.add_argument("--batch-size", type=int, default=128)
    args = ap.parse_args()
    torch.manual_seed(0)

    t = time.perf_counter()
    loader = torch.utils.data.DataLoader(
        PngDataset(args.domain_dir, args.split), batch_size=args.batch_size, shuffle=True, num_workers=0
    )
    n_png = sum(len(y) for _, y in loader)
    png_s = time.perf_counter() - t

    t = time.perf_counter()
    split = load_cache(args.cache)
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    n_cache = 0
    for idx in torch.randperm(len(split)).split(args.batch_size):
        x = to_model_input(split.images[idx])
        n_cache += len(split.labels[idx])
    cache_s = time.perf_counter() - t
    assert n_png == n_cache and x.dtype == torch.float32
    print(f"images per epoch: {n_png}")
    print(f"decode PNGs (DataLoader, 0 workers): {png_s:.3f} s/epoch")
    print(f"tensor cache: {cache_s:.3f} s/epoch, plus {load_s:.3f} s once to load the cache")
    print(
        f"speed-up per epoch: {png_s / cache_s:.1f}x; first epoch including the load: {png_s / (cache_s + load_s):.1f}x"
    )


if __name__ == "__main__":
    main()
