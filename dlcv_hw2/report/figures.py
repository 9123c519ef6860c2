"""Figures: image grids and small line plots, written atomically (matplotlib's Agg backend)."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from ..core.files import atomic_path  # noqa: E402


def save_figure(fig, path: str) -> None:
    with atomic_path(path, suffix=".png") as tmp:
        fig.savefig(tmp, format="png", dpi=120, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)


def labelled_grid(images: np.ndarray, nrow: int, row_labels, col_labels, title: str = "", scale: float = 1.0):
    """A grid of images with row and column captions, as a matplotlib figure."""
    n, h, w, _ = images.shape
    rows = (n + nrow - 1) // nrow
    fig, axes = plt.subplots(rows, nrow, figsize=(nrow * 0.9 * scale, rows * 0.9 * scale + 0.4), squeeze=False)
    for k in range(rows * nrow):
        ax = axes[k // nrow][k % nrow]
        ax.set_xticks([])
        ax.set_yticks([])
        if k < n:
            ax.imshow(images[k], interpolation="nearest")
        if k % nrow == 0 and row_labels is not None:
            ax.set_ylabel(str(row_labels[k // nrow]), rotation=0, ha="right", va="center", fontsize=8)
        if k < nrow and col_labels is not None:
            ax.set_title(str(col_labels[k]), fontsize=8)
    if title:
        fig.suptitle(title, fontsize=10)
    fig.subplots_adjust(wspace=0.05, hspace=0.05)
    return fig


def digit_tiles(samples_dir: str) -> np.ndarray:
    """d_001.png .. d_010.png of every digit d of a folder of generated digits, as [100, H, W, 3]."""
    import os

    from PIL import Image

    return np.stack(
        [
            np.asarray(Image.open(os.path.join(samples_dir, f"{d}_{j:03d}.png")).convert("RGB"))
            for d in range(10)
            for j in range(1, 11)
        ]
    )


def digit_grid(samples_dir: str, title: str):
    """The 10x10 grid of a folder of generated digits: row d holds d_001.png .. d_010.png."""
    return labelled_grid(digit_tiles(samples_dir), 10, list(range(10)), [f"noise {j}" for j in range(1, 11)], title)


def line_plot(xs, series: dict, xlabel: str, ylabel: str, title: str = "", logx: bool = False):
    fig, ax = plt.subplots(figsize=(5, 3.2))
    for name, ys in series.items():
        ax.plot(xs, ys, marker="o", label=name)
    if logx:
        ax.set_xscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    if len(series) > 1:
        ax.legend()
    ax.grid(alpha=0.3)
    return fig


def guidance_tradeoff(ws, accuracy: dict, precision, recall, graded: float):
    """Accuracy (left: {judge: values}) and precision / recall in digit features (right) against the
    guidance weights ``ws``, the graded w marked on both: what guidance buys in class fidelity and what it
    costs in variety."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(9.5, 3.4))
    for name, ys in accuracy.items():
        left.plot(ws, ys, marker="o", label=name)
    left.set_ylabel("accuracy (%)")
    left.set_title("Accuracy against w")
    for ys, name in ((precision, "precision (fidelity)"), (recall, "recall (variety)")):
        right.plot(ws, [float(y) for y in ys], marker="o", label=name)
    right.set_ylabel("digit features, k = 3")
    right.set_ylim(-0.02, 1.02)
    right.set_title("Precision and recall against w")
    for ax in (left, right):
        ax.axvline(graded, color="grey", linestyle="--", linewidth=1, label=f"graded w = {graded:g}")
        ax.set_xlabel("guidance weight w")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def unet_diagram(cfg: dict):
    """Block diagram of the problem-1 UNet described by ``cfg`` (a DDPM checkpoint's config): the
    encoder down the left, the decoder up the right, skip connections across, one box per stage
    with its block count, channels and resolution."""
    patch = cfg.get("patch", 1)
    size = 28 // patch
    c0, mults, nres = cfg["base_channels"], cfg["channel_mults"], cfg["num_res_blocks"]
    levels = len(mults)
    step = 1.4  # vertical distance between levels
    fig, ax = plt.subplots(figsize=(9, 1.2 * (levels + 2)))
    ax.set_axis_off()
    ax.set_xlim(-0.6, 8.6)
    ax.set_ylim(-step * levels - 0.6, 1.6)
    half = 0.38  # half the height of a three-line box, in data units

    def box(x, y, text, color):
        ax.text(
            x,
            y,
            text,
            ha="center",
            va="center",
            fontsize=8,
            bbox=dict(boxstyle="round,pad=0.4", facecolor=color, edgecolor="#444"),
        )

    def arrow(x0, y0, x1, y1, ls="-"):
        ax.annotate(
            "",
            xy=(x1, y1),
            xytext=(x0, y0),
            arrowprops=dict(arrowstyle="-|>", color="#444", linestyle=ls, shrinkA=0, shrinkB=0),
        )

    top = "x_t 28x28x3" + (f"\npixel unshuffle -> {size}x{size}x{3 * patch * patch}" if patch > 1 else "")
    box(0.6, 1, top + f"\nconv 3x3 -> {c0} ch", "#e8e8e8")
    out = f"conv 3x3 -> {3 * patch * patch} ch" + ("\npixel shuffle -> 28x28x3" if patch > 1 else "") + "\nprediction"
    box(7.4, 1, out, "#e8e8e8")
    box(
        4,
        1,
        "timestep: sinusoidal + MLP\nlabel: embedding (+ 'no label')\nsum -> "
        + ("scale & shift of each block's norm" if cfg.get("scale_shift") else "bias in each block"),
        "#fff3c4",
    )
    arrow(0.9, 1 - half, 1.3, half)

    def grid(level):  # positions per side at a level: each stride-2 conv rounds up (7 -> 4)
        return -(-size // 2**level)

    for i, m in enumerate(mults):
        res, y = grid(i), -step * i
        box(
            1.5,
            y,
            f"{nres} x ResBlock\n{c0 * m} ch, {res}x{res}" + ("\n+ conv stride 2" if i < levels - 1 else ""),
            "#d6e9f8",
        )
        box(
            6.5,
            y,
            f"{nres + 1} x ResBlock\n{c0 * m} ch, {res}x{res}" + ("\n+ upsample 2x, conv" if i > 0 else ""),
            "#dff2d8",
        )
        arrow(2.45, y, 5.55, y, ls="--")
        if i < levels - 1:
            arrow(1.5, y - half, 1.5, y - step + half)
            arrow(6.5, y - step + half, 6.5, y - half)
    ax.text(4, 0.12, "skip connections (concatenated)", ha="center", fontsize=7, color="#444")
    res, y_mid = grid(levels - 1), -step * levels
    attention = "self-attention, " if cfg["attention"] else ""
    box(4, y_mid, f"ResBlock, {attention}ResBlock\n{c0 * mults[-1]} ch, {res}x{res}", "#f6d9d9")
    y_last = -step * (levels - 1)
    arrow(1.5, y_last - half, 2.6, y_mid + 0.15)
    arrow(5.4, y_mid + 0.15, 6.5, y_last - half)
    arrow(6.5, half, 7.1, 1 - half)
    return fig
