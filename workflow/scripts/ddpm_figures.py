#!/usr/bin/env python3
"""Problem 1 report figures: the 10x10 grid, the reverse process of the first "0", the loss curve,
accuracy against guidance weight and against sampling steps, and the UNet block diagram.

    ddpm_figures.py --model M --samples DIR --loss-csv L --sweep S --out-dir results/ddpm/figures [--settings JSON]

The reverse process uses the graded sampler, steps and guidance (the ddpm_sampling settings).
"""

import os

import numpy as np
import pandas as pd
import torch

from dlcv_hw2 import settings
from dlcv_hw2.core.cli import cli_main, script_parser
from dlcv_hw2.core.files import load_torch
from dlcv_hw2.core.runtime import pick_device
from dlcv_hw2.data.images import to_uint8
from dlcv_hw2.methods.ddpm import initial_noise, load_model, sample
from dlcv_hw2.methods.diffusion import ddim_timesteps
from dlcv_hw2.report.figures import (
    digit_grid,
    guidance_tradeoff,
    labelled_grid,
    line_plot,
    save_figure,
    unet_diagram,
)


def reverse_frames(ckpt, sampling, seed, device, n_frames=6):
    """x at n_frames timesteps from pure noise (t = T) to the final image (t = 0) for the first "0"
    of the graded samples (same noise, same settings)."""
    labels, x_T, gen = initial_noise(1, seed)
    T = ckpt.schedule.T
    if sampling.sampler == "ddpm":  # the sampler records x_T under T and the state after step t under t
        record = dict.fromkeys(range(T + 1))
    else:  # the state after the step from tau_i, i.e. at tau_{i-1} (0 after the last one), under tau_i
        taus = ddim_timesteps(T, sampling.steps)
        record = dict.fromkeys(taus)
    sample(
        ckpt.eps,
        ckpt.schedule,
        labels[:1],
        x_T[:1],
        sampler=sampling.sampler,
        steps=sampling.steps,
        guidance=sampling.guidance,
        generator=gen,
        device=device,
        record=record,
        progress=False,
    )
    if sampling.sampler == "ddpm":
        states = record
    else:
        states = {T: x_T[:1]} | {(taus[i - 1] if i else 0): record[t] for i, t in enumerate(taus)}
    wanted = np.linspace(T, 0, n_frames)
    keys = sorted(states)
    chosen = [min(keys, key=lambda k: abs(k - w)) for w in wanted]
    frames = torch.cat([states[k].cpu() for k in chosen])
    return chosen, to_uint8(frames).permute(0, 2, 3, 1).numpy()


def build_parser():
    ap = script_parser(__doc__)
    ap.add_argument("--model", required=True)
    ap.add_argument("--samples", required=True, help="folder with 0_001.png .. 9_100.png")
    ap.add_argument("--loss-csv", required=True)
    ap.add_argument("--sweep", required=True)
    ap.add_argument("--out-dir", required=True)
    settings.add_arguments(ap, "ddpm_sampling")
    settings.add_top_level(ap, "seed", "device")
    return ap


@cli_main
def main(argv=None):
    args = build_parser().parse_args(argv)
    sampling = settings.from_args(args, "ddpm_sampling")
    device = pick_device(args.device)
    out = args.out_dir

    save_figure(
        digit_grid(args.samples, "DDPM: 10 samples per digit (rows: digit, columns: noise)"),
        os.path.join(out, "grid.png"),
    )

    config = load_torch(args.model, what="DDPM model")["config"]
    save_figure(unet_diagram(config), os.path.join(out, "unet_diagram.png"))
    ts, frames = reverse_frames(load_model(args.model, device), sampling, args.seed, device)
    save_figure(
        labelled_grid(
            frames, len(frames), None, [f"t = {t}" for t in ts], 'Reverse process of the first "0"', scale=1.6
        ),
        os.path.join(out, "reverse_process.png"),
    )

    loss = pd.read_csv(args.loss_csv)
    save_figure(
        line_plot(loss["epoch"], {"training loss": loss["loss"]}, "epoch", "MSE loss", "DDPM training loss"),
        os.path.join(out, "loss.png"),
    )

    sweep = pd.read_csv(args.sweep)
    for kind, xcol, xlabel in (("guidance", "guidance", "guidance weight w"), ("steps", "steps", "sampling steps")):
        part = sweep[sweep["sweep"] == kind]
        series = {"evaluation classifier": part["acc_eval_classifier"]}
        if "acc_official_classifier" in part:
            series["official classifier"] = part["acc_official_classifier"]
        if kind == "guidance" and "recall_digit" in part:  # the trade: accuracy and fidelity against variety
            figure = guidance_tradeoff(
                part["guidance"], series, part["precision_digit"], part["recall_digit"], sampling.guidance
            )
        else:
            figure = line_plot(
                part[xcol], series, xlabel, "accuracy (%)", f"Accuracy against {xlabel}", logx=(kind == "steps")
            )
        save_figure(figure, os.path.join(out, f"accuracy_vs_{kind}.png"))
        if kind == "steps":
            save_figure(
                line_plot(
                    part[xcol],
                    {"seconds": part["seconds"]},
                    xlabel,
                    "seconds",
                    f"Sampling time of {int(part['images'].iloc[0])} images",
                    logx=True,
                ),
                os.path.join(out, "time_vs_steps.png"),
            )


if __name__ == "__main__":
    main()
