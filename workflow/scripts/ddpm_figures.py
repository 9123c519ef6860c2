#!/usr/bin/env python3
"""Problem 1 report figures: the 10x10 grid, the reverse process of the first "0", the loss curve,
and accuracy against guidance weight and against sampling steps.

    ddpm_figures.py --model M --samples DIR --loss-csv L --sweep S --out-dir results/ddpm/figures \
        --sampler ddim --steps 25 --guidance 2
"""
import os

import _bootstrap  # noqa: F401
import numpy as np
import pandas as pd
import torch
from PIL import Image

from dlcv_hw2.ddpm import initial_noise, load_model, to_uint8
from dlcv_hw2.diffusion import ddim_step, ddim_timesteps, ddpm_sample
from dlcv_hw2.errors import cli_main, number, script_parser
from dlcv_hw2.io import pick_device
from dlcv_hw2.models.digit_unet import guided_eps
from dlcv_hw2.viz import labelled_grid, line_plot, save_figure


def reverse_frames(model, schedule, sampler, steps, guidance, seed, device, n_frames=6):
    """x at n_frames timesteps from pure noise (t = T) to the final image (t = 0) for the first "0"
    of the graded samples (same noise, same settings)."""
    labels, x_T, gen = initial_noise(1, seed)
    x = x_T[:1].to(device)
    eps_fn = guided_eps(model, labels[:1].to(device), guidance)
    states = {schedule.T: x.clone()}
    with torch.no_grad():
        if sampler == "ddpm":
            record = {t: None for t in range(schedule.T)}
            ddpm_sample(eps_fn, x, schedule, generator=gen, record=record)
            states.update({t: v for t, v in record.items()})  # state after step t ~ time t
        else:
            taus = ddim_timesteps(schedule.T, steps)
            for i in reversed(range(len(taus))):
                t = torch.full((1,), taus[i], dtype=torch.long, device=device)
                x = ddim_step(schedule, eps_fn(x, t), taus[i], taus[i - 1] if i else None, x).prev_sample
                states[taus[i - 1] if i else 0] = x.clone()
    wanted = np.linspace(schedule.T, 0, n_frames)
    keys = sorted(states)
    chosen = [min(keys, key=lambda k: abs(k - w)) for w in wanted]
    frames = torch.cat([states[k] for k in chosen]).cpu()
    return chosen, to_uint8(frames).permute(0, 2, 3, 1).numpy()


@cli_main
def main(argv=None):
    ap = script_parser(__doc__)
    ap.add_argument("--model", required=True)
    ap.add_argument("--samples", required=True, help="folder with 0_001.png .. 9_100.png")
    ap.add_argument("--loss-csv", required=True)
    ap.add_argument("--sweep", required=True)
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--sampler", default="ddim")
    ap.add_argument("--steps", type=number(int, low=1), default=25)
    ap.add_argument("--guidance", type=number(), default=2.0)
    ap.add_argument("--seed", type=number(int, low=0), default=2023)
    ap.add_argument("--device", default="auto")
    args = ap.parse_args(argv)
    device = pick_device(args.device)
    out = args.out_dir

    imgs = np.stack([np.asarray(Image.open(os.path.join(args.samples, f"{d}_{j:03d}.png")).convert("RGB"))
                     for d in range(10) for j in range(1, 11)])
    save_figure(labelled_grid(imgs, 10, list(range(10)), [f"noise {j}" for j in range(1, 11)],
                              "10 samples per digit (rows: digit, columns: noise)"), os.path.join(out, "grid.png"))

    model, schedule = load_model(args.model, device)
    ts, frames = reverse_frames(model, schedule, args.sampler, args.steps, args.guidance, args.seed, device)
    save_figure(labelled_grid(frames, len(frames), None, [f"t = {t}" for t in ts],
                              'Reverse process of the first "0"', scale=1.6), os.path.join(out, "reverse_process.png"))

    loss = pd.read_csv(args.loss_csv)
    save_figure(line_plot(loss["epoch"], {"training loss": loss["loss"]}, "epoch", "MSE loss", "DDPM training loss"),
                os.path.join(out, "loss.png"))

    sweep = pd.read_csv(args.sweep)
    for kind, xcol, xlabel in (("guidance", "guidance", "guidance weight w"), ("steps", "steps", "sampling steps")):
        part = sweep[sweep["sweep"] == kind]
        series = {"evaluation classifier": part["acc_eval"]}
        if "acc_official" in part:
            series["official classifier"] = part["acc_official"]
        save_figure(line_plot(part[xcol], series, xlabel, "accuracy (%)", f"Accuracy against {xlabel}",
                              logx=(kind == "steps")), os.path.join(out, f"accuracy_vs_{kind}.png"))
        if kind == "steps":
            save_figure(line_plot(part[xcol], {"seconds": part["seconds"]}, xlabel, "seconds",
                                  f"Sampling time of {int(part['images'].iloc[0])} images", logx=True),
                        os.path.join(out, "time_vs_steps.png"))


if __name__ == "__main__":
    main()
