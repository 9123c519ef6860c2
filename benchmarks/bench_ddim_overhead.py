#!/usr/bin/env python3
"""Share of DDIM sampling time spent outside the network (the sampler's own overhead).

    python benchmarks/bench_ddim_overhead.py [--width 32 --size 64 --batch 10 --steps 50]

Times ddim_sample end to end and, separately, the sum of the network calls it makes; the
difference is the sampler's overhead. A narrow UNet on small images makes the network as cheap as it
gets, so the printed share is an upper bound for the full 256x256 face UNet.
"""

import argparse
import time

import torch

from dlcv_hw2.methods.diffusion import Schedule, ddim_sample
from dlcv_hw2.models.face_unet import FaceUNet, fill_reference_weights


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--width", type=int, default=32)
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--batch", type=int, default=10)
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--eta", type=float, default=0.0)
    args = ap.parse_args()
    torch.manual_seed(0)
    net = FaceUNet(args.width).eval()
    fill_reference_weights(net)
    spent = [0.0]

    def timed(x, t):
        s = time.perf_counter()
        out = net(x, t)
        spent[0] += time.perf_counter() - s
        return out

    x = torch.randn(args.batch, 3, args.size, args.size)
    schedule = Schedule.linear(1000)
    with torch.no_grad():
        net(x, torch.zeros(args.batch, dtype=torch.long))  # warm-up
        s = time.perf_counter()
        ddim_sample(timed, x, schedule, steps=args.steps, eta=args.eta, generator=torch.Generator().manual_seed(0))
        total = time.perf_counter() - s
    print(f"DDIM {args.steps} steps, batch {args.batch} at {args.size}x{args.size}, UNet width {args.width}")
    print(
        f"total {total:.3f} s, network {spent[0]:.3f} s, sampler overhead {total - spent[0]:.3f} s "
        f"= {100 * (total - spent[0]) / spent[0]:.2f} % of the network time"
    )


if __name__ == "__main__":
    main()
