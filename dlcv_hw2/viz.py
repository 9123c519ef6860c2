"""Figures: image grids and small line plots, written atomically (matplotlib's Agg backend)."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from .io import atomic_path  # noqa: E402


def image_grid(images: np.ndarray, nrow: int, pad: int = 2, scale: int = 1) -> Image.Image:
    """uint8 images [N, H, W, 3] -> one grid image with ``nrow`` images per row."""
    n, h, w, _ = images.shape
    rows = (n + nrow - 1) // nrow
    grid = np.full((rows * (h + pad) + pad, nrow * (w + pad) + pad, 3), 255, np.uint8)
    for k, img in enumerate(images):
        r, c = divmod(k, nrow)
        grid[pad + r * (h + pad):pad + r * (h + pad) + h, pad + c * (w + pad):pad + c * (w + pad) + w] = img
    out = Image.fromarray(grid)
    return out.resize((out.width * scale, out.height * scale), Image.NEAREST) if scale > 1 else out


def save_image(img: Image.Image, path: str) -> None:
    with atomic_path(path, suffix=".png") as tmp:
        img.save(tmp, format="PNG")


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
