#!/usr/bin/env python3
"""t-SNE of a DANN feature extractor's output (a DSN's shared code) on validation images of both domains.

    tsne.py --model results/dann_svhn/dann/seed0/model.pt --source results/cache/mnistm/val.pt \
        --target results/cache/svhn/val.pt [--source-name MNIST-M] --target-name SVHN [--method DANN] \
        [--settings JSON] [--per-domain 500] --out-digit D.png --out-domain M.png --out-both B.png

The sample size and perplexity are the tsne settings (defaults in dlcv_hw2/config.schema.yaml).
"""

import numpy as np
import torch

from dlcv_hw2 import settings
from dlcv_hw2.core.cli import UserError, cli_main, script_parser
from dlcv_hw2.core.runtime import pick_device
from dlcv_hw2.data.digits import load_cache
from dlcv_hw2.methods.uda import UDA_METHODS, features, load_model
from dlcv_hw2.report.figures import plt, save_figure


def scatter(ax, xy, colours, names, title, cmap):
    for k, name in enumerate(names):
        m = colours == k
        ax.scatter(xy[m, 0], xy[m, 1], s=4, color=cmap(k), label=name, alpha=0.7, linewidths=0)
    ax.set_title(title)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.legend(markerscale=3, fontsize=7, loc="best", ncol=2 if len(names) > 2 else 1)


def build_parser():
    ap = script_parser(__doc__)
    ap.add_argument("--model", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--target", required=True)
    ap.add_argument("--source-name", default="MNIST-M", help="the source domain's name in the figures")
    ap.add_argument("--target-name", default="target", help="the target domain's name in the figures")
    shorts = [m.short for m in UDA_METHODS.values() if m.tsne]
    ap.add_argument("--method", default=shorts[0], choices=shorts, help="the method named in the figures")
    ap.add_argument("--out-digit", required=True)
    ap.add_argument("--out-domain", required=True)
    ap.add_argument("--out-both", required=True)
    settings.add_arguments(ap, "tsne")
    settings.add_top_level(ap, "seed", "device")
    return ap


@cli_main
def main(argv=None):
    args = build_parser().parse_args(argv)
    cfg = settings.from_args(args, "tsne")
    args.per_domain, args.perplexity = cfg.per_domain, cfg.perplexity
    from sklearn.manifold import TSNE

    device = pick_device(args.device)
    model = load_model(args.model, device)
    gen = torch.Generator().manual_seed(args.seed)
    feats, digits, domains = [], [], []
    for k, path in enumerate((args.source, args.target)):
        split = load_cache(path)
        idx = torch.randperm(len(split), generator=gen)[: args.per_domain]
        feats.append(features(model, split.images[idx], device))
        digits.append(split.labels[idx])
        domains.append(torch.full((len(idx),), k))
    x = torch.cat(feats).numpy().astype(np.float64)
    if len(x) <= args.perplexity * 3:
        raise UserError(f"{len(x)} points are too few for perplexity {args.perplexity}")
    xy = TSNE(n_components=2, perplexity=args.perplexity, init="pca", random_state=args.seed).fit_transform(x)
    digits, domains = torch.cat(digits).numpy(), torch.cat(domains).numpy()
    tab10 = plt.get_cmap("tab10")
    dom_names = [f"{args.source_name} (source)", f"{args.target_name} (target)"]
    what = f"{args.method} features" if args.method == "DANN" else f"{args.method} shared features"
    for path, colours, names, title in (
        (args.out_digit, digits, [str(d) for d in range(10)], "coloured by digit"),
        (args.out_domain, domains, dom_names, "coloured by domain"),
    ):
        fig, ax = plt.subplots(figsize=(5, 5))
        scatter(ax, xy, colours, names, f"t-SNE of {what}, {title}", tab10)
        save_figure(fig, path)
    fig, axes = plt.subplots(1, 2, figsize=(10, 5))
    scatter(axes[0], xy, digits, [str(d) for d in range(10)], "by digit", tab10)
    scatter(axes[1], xy, domains, dom_names, "by domain", tab10)
    fig.suptitle(f"{what}, {args.source_name} -> {args.target_name} (validation images)")
    save_figure(fig, args.out_both)
    print(f"t-SNE of {len(x)} points -> {args.out_both}")


if __name__ == "__main__":
    main()
