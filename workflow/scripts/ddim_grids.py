#!/usr/bin/env python3
"""Problem 2 report grids: noises 00-03 x eta in {0, .25, .5, .75, 1}, and slerp vs linear
interpolation between noises 00 and 01 at alpha = 0.0, 0.1, ..., 1.0.

    ddim_grids.py face  --unet UNet.pt --noise-dir hw2_data/face/noise --out-dir results/ddim/figures
    ddim_grids.py digit --model results/ddpm/model.pt --out-dir results/ddim/figures   # no face data

Beside the figures, --stats writes what the report says about them, measured: the mean absolute
pixel difference (0-255) of each eta row from the eta = 0 row, and for each interpolation the norm
of the interpolated noise relative to the endpoints' and the pixel standard deviation of the image.

With ``digit`` the problem-1 model stands in for the face UNet (noise i is drawn as in hw2_1.sh;
row i of the eta grid is digit i, the interpolations are digit 0), so the report always has them.
"""

import os

import numpy as np
import torch

from dlcv_hw2 import settings
from dlcv_hw2.core.cli import UserError, cli_main, number, script_parser
from dlcv_hw2.core.files import atomic_write_text
from dlcv_hw2.core.runtime import pick_device
from dlcv_hw2.methods.ddim_faces import DDIM_STEPS, T
from dlcv_hw2.methods.diffusion import Schedule, ddim_sample, lerp, slerp
from dlcv_hw2.report.figures import labelled_grid, save_figure

ETAS = (0.0, 0.25, 0.5, 0.75, 1.0)
ALPHAS = tuple(round(a / 10, 1) for a in range(11))


def to_images(x: torch.Tensor, kind: str) -> np.ndarray:
    from dlcv_hw2.data.images import to_uint8
    from dlcv_hw2.methods.ddim_faces import to_png_uint8

    if kind == "face":
        return np.stack([to_png_uint8(img) for img in x])
    return to_uint8(x).permute(0, 2, 3, 1).numpy()


@cli_main
def main(argv=None):
    ap = script_parser(__doc__)
    ap.add_argument("kind", choices=["face", "digit"])
    ap.add_argument("--unet", help="face UNet.pt (face)")
    ap.add_argument("--noise-dir", help="folder with 00.pt, 01.pt, ... (face)")
    ap.add_argument("--model", help="DDPM checkpoint (digit)")
    ap.add_argument(
        "--ddim-steps", type=number(int, low=1), default=DDIM_STEPS, help="DDIM steps (the assignment's: 50)"
    )
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--stats", help="CSV to write: measure,setting,value (see above)")
    settings.add_arguments(ap, "ddpm_sampling")  # digit: its guidance weight
    settings.add_top_level(ap, "seed", "device")
    args = ap.parse_args(argv)
    guidance = settings.from_args(args, "ddpm_sampling").guidance
    device = pick_device(args.device)
    if args.kind == "face":
        if not (args.unet and args.noise_dir):
            raise UserError("face grids need --unet and --noise-dir")
        from dlcv_hw2.methods.ddim_faces import load_face_unet, load_noises

        names, noises = load_noises(args.noise_dir)
        if len(noises) < 4:
            raise UserError(f"{args.noise_dir} holds {len(noises)} noises; the eta grid needs 00-03")
        net = load_face_unet(args.unet, device)
        schedule = Schedule.linear(T)
        eps_for = lambda rows: net  # noqa: E731
    else:
        if not args.model:
            raise UserError("digit grids need --model")
        from dlcv_hw2.methods.ddpm import initial_noise, load_model
        from dlcv_hw2.models.digit_unet import guided_eps

        ckpt = load_model(args.model, device)
        schedule = ckpt.schedule
        _, noises, _ = initial_noise(4, args.seed)
        noises = noises[:4]
        eps_for = lambda labels: guided_eps(ckpt.eps, torch.tensor(labels, device=device), guidance)  # noqa: E731

    def run(x, labels, eta, seed):
        gen = torch.Generator().manual_seed(seed)
        return ddim_sample(eps_for(labels), x.to(device), schedule, steps=steps, eta=eta, generator=gen).cpu()

    steps = min(args.ddim_steps, schedule.T)
    # eta grid: rows = eta, columns = noise 00..03 (the same variance noise per eta row)
    rows = [run(noises[:4], [0, 1, 2, 3], eta, args.seed) for eta in ETAS]
    imgs = to_images(torch.cat(rows), args.kind)
    per_eta = imgs.reshape(len(ETAS), 4, *imgs.shape[1:]).astype(np.float64)
    stats = [("eta_mean_abs_diff", eta, float(np.abs(per_eta[k] - per_eta[0]).mean())) for k, eta in enumerate(ETAS)]
    save_figure(
        labelled_grid(
            imgs,
            4,
            [f"eta = {e}" for e in ETAS],
            [f"noise {i:02d}" for i in range(4)],
            f"DDIM ({steps} steps) with different eta",
            scale=1.8 if args.kind == "digit" else 2.2,
        ),
        os.path.join(args.out_dir, "eta_grid.png"),
    )
    # interpolation: slerp row and linear row between noise 00 and 01, eta = 0
    for name, fn in (("slerp", slerp), ("linear", lerp)):
        xs = torch.cat([fn(noises[0:1], noises[1:2], a) for a in ALPHAS])
        imgs = to_images(run(xs, [0] * len(ALPHAS), 0.0, args.seed), args.kind)
        ends = 0.5 * (noises[0].norm() + noises[1].norm())
        stats += [(f"noise_norm_ratio_{name}", a, float(x.norm() / ends)) for a, x in zip(ALPHAS, xs)]
        stats += [(f"image_std_{name}", a, float(img.astype(np.float64).std())) for a, img in zip(ALPHAS, imgs)]
        save_figure(
            labelled_grid(
                imgs,
                len(ALPHAS),
                None,
                [f"α={a}" for a in ALPHAS],
                f"{'Spherical' if name == 'slerp' else 'Linear'} interpolation of noises 00 and 01",
                scale=1.6 if args.kind == "digit" else 2.0,
            ),
            os.path.join(args.out_dir, f"interpolation_{name}.png"),
        )
    if args.stats:
        atomic_write_text(args.stats, "measure,setting,value\n" + "".join(f"{m},{k},{v:.4f}\n" for m, k, v in stats))
    print(f"grids -> {args.out_dir}")


if __name__ == "__main__":
    main()
