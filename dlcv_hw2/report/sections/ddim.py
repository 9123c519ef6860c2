"""DDIM sampling's answers: the effect of eta and the interpolation between two noises."""

import os

from ... import paths
from ..blocks import Figure, Paragraph, Table
from .common import read_csv, require


def reads(have_faces: bool) -> list:
    """Every results file the section reads: the grids and their statistics, and the graded faces' MSE
    when the run had the course's face UNet."""
    files = (
        [f"figures/{name}.png" for name in paths.DDIM_FIGURES]
        + ["grid_stats.csv"]
        + (["mse.csv"] if have_faces else [])
    )
    return [paths.ddim(name) for name in files]


def answers(root: str, have_faces: bool) -> dict:
    """Problem 2's answers: intro, eta (the grid, what it shows, the MSE table), interpolation."""
    require(root, *reads(have_faces))
    stats = {}  # {measure: {setting: value}}, in the file's order
    for r in read_csv(os.path.join(root, paths.ddim("grid_stats.csv"))):
        stats.setdefault(r["measure"], {})[r["setting"]] = float(r["value"])
    model = (
        "the course's pretrained face UNet"
        if have_faces
        else "the problem-1 digit model, standing in because no face data (hw2_data/face) was present"
    )
    eta = [
        Figure(
            os.path.join(root, paths.ddim("figures/eta_grid.png")),
            "rows eta = 0, 0.25, 0.5, 0.75, 1; columns the first four noises.",
        ),
        Paragraph(
            "eta = 0 is the deterministic DDIM sampler: each image is a function of its noise alone; "
            "larger eta adds fresh Gaussian noise at every step (eta = 1 matches the DDPM posterior "
            "variance). Measured on this grid, the mean absolute pixel difference (0-255) of each row "
            "from the eta = 0 row is "
            + ", ".join(f"{v:.1f} at eta = {k}" for k, v in list(stats["eta_mean_abs_diff"].items())[1:])
            + "."
        ),
    ]
    if have_faces:
        rows = read_csv(os.path.join(root, paths.ddim("mse.csv")))
        eta.append(
            Table(
                ["image", "MSE (0-255)"],
                [[r["image"], r["mse"]] for r in rows],
                "mean squared error of the eta = 0 images against the ground truth.",
            )
        )
    interpolation = [
        Figure(
            os.path.join(root, paths.ddim("figures/interpolation_slerp.png")),
            "spherical linear interpolation (slerp), alpha = 0.0 ... 1.0.",
        ),
        Figure(
            os.path.join(root, paths.ddim("figures/interpolation_linear.png")),
            "linear interpolation, alpha = 0.0 ... 1.0.",
        ),
        Paragraph(
            "Slerp keeps the interpolated noise at the norm of its endpoints, linear interpolation shrinks it "
            f"in between: at alpha = 0.5 the noise norm relative to the endpoints' is "
            f"{stats['noise_norm_ratio_slerp']['0.5']:.2f} (slerp) and "
            f"{stats['noise_norm_ratio_linear']['0.5']:.2f} (linear); the pixel standard deviation (0-255) "
            f"of the image decoded from it is {stats['image_std_slerp']['0.5']:.1f} and "
            f"{stats['image_std_linear']['0.5']:.1f}, against {stats['image_std_slerp']['0.0']:.1f} and "
            f"{stats['image_std_slerp']['1.0']:.1f} at the endpoints."
        ),
    ]
    intro = [
        Paragraph(
            f"The grids below were sampled with {model}, using the same DDIM sampler (uniform "
            "timesteps, eta-scaled noise) as hw2_2.sh."
        )
    ]
    return {"intro": intro, "eta": eta, "interpolation": interpolation}
