"""Problem 3 training: source-only, DANN, DSN and target-only digit classifiers (also the evaluation
classifier of problem 1, which is a "target-only" run on MNIST-M).

``UDA_METHODS`` names each method once, in the order of the accuracy table's rows: its row title, its
network, whose labels it learns, its adaptation objective (none for the plain classifiers), the paper
and the words the report describes it with.
"""

import time
from dataclasses import dataclass
from typing import Callable

import torch
from torch.nn import functional as F
from tqdm import tqdm

from ..core.cli import UserError
from ..core.files import save_torch
from ..data.digits import DigitSplit, load_cache
from ..data.images import map_batches, to_model_input
from ..models.dann import DANN, grl_lambda
from ..models.dsn import DSN, difference_loss, scale_invariant_mse
from .training import load_checkpoint

KINDS = {"dlcv_hw2.dann": DANN, "dlcv_hw2.dsn": DSN}  # the checkpoints' tags (see training.py)


def augment(x: torch.Tensor, gen: torch.Generator, shift: float = 2.0, zoom=(1.0, 1.0), rotate: float = 0.0):
    """Random affine jitter, drawn per image: translation up to ``shift`` pixels, scale in ``zoom``
    (> 1 enlarges the digit), rotation up to ``rotate`` degrees; edges are replicated."""
    n, _, h, w = x.shape
    u = torch.rand(n, 4, generator=gen)
    scale = 1.0 / (zoom[0] + (zoom[1] - zoom[0]) * u[:, 0])
    angle = torch.deg2rad(torch.tensor(rotate)) * (2 * u[:, 1] - 1)
    c, s = scale * torch.cos(angle), scale * torch.sin(angle)
    tx, ty = (2 * u[:, 2] - 1) * shift * 2 / w, (2 * u[:, 3] - 1) * shift * 2 / h
    theta = torch.stack([torch.stack([c, -s, tx], 1), torch.stack([s, c, ty], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)


def predict(model: DANN, images_uint8: torch.Tensor, device, batch_size: int = 1000) -> torch.Tensor:
    model.eval()
    return map_batches(lambda x: model.classify(x).argmax(1), images_uint8, device, batch_size)


def features(model: DANN, images_uint8: torch.Tensor, device, batch_size: int = 1000) -> torch.Tensor:
    model.eval()
    return map_batches(model.features, images_uint8, device, batch_size)


def accuracy(model, split: DigitSplit, device) -> float:
    return 100.0 * (predict(model, split.images, device) == split.labels).float().mean().item()


def dann_losses(model: DANN, x, y, xt, lambd: float, bn_per_domain: bool) -> tuple:
    """One DANN step's losses on labelled source images (x, y) and unlabelled target images xt: label
    cross-entropy on the source, domain cross-entropy through the gradient reversal (source 0,
    target 1), and the mean entropy of the label predictor on the target (a weight of 0 leaves plain
    DANN).

    ``bn_per_domain`` runs the feature extractor and the label predictor on the source batch and the
    target batch separately, so every batch-norm layer normalises each domain with its own batch
    statistics (their first and second moments are matched for free and the adversarial game is left
    with the rest); otherwise both domains share one batch. The domain classifier always sees both."""
    if bn_per_domain:
        fs, ft = model.features(x), model.features(xt)
        f = torch.cat([fs, ft])
        logits_s = model.label_head(fs)
        dom = model.domain_head(model.grl(f, lambd))
        logits_t = model.label_head(ft)
    else:
        f = model.features(torch.cat([x, xt]))
        logits = model.label_head(f)
        logits_s, logits_t = logits[: len(x)], logits[len(x) :]
        dom = model.domain_head(model.grl(f, lambd))
    return F.cross_entropy(logits_s, y), _domain_loss(dom, len(x)), _mean_entropy(logits_t)


def _domain_loss(dom_logits, n_source: int):
    """Cross-entropy of the domain classifier on a batch of n_source source (0) then target (1) rows."""
    dom_y = torch.ones(len(dom_logits), dtype=torch.long, device=dom_logits.device)
    dom_y[:n_source] = 0
    return F.cross_entropy(dom_logits, dom_y)


def _mean_entropy(logits):
    """Mean entropy of the predicted class distributions (the target-entropy term)."""
    return -(logits.softmax(1) * logits.log_softmax(1)).sum(1).mean()


def dsn_losses(model: DSN, x, y, xt, lambd: float, bn_per_domain: bool) -> dict:
    """One DSN step's losses (Bousmalis et al. 2016) on labelled source images (x, y) and unlabelled
    target images xt: the task loss on the source; the scale-invariant reconstruction of both domains
    from shared + private code through the shared decoder; the difference (soft orthogonality) of
    shared and private codes in each domain; the similarity loss, a domain classifier on the shared
    codes through the gradient reversal (weight ``lambd``); and the entropy of the target predictions.
    ``bn_per_domain`` as in :func:`dann_losses`."""
    if bn_per_domain:
        fs, ft = model.features(x), model.features(xt)
    else:
        f = model.features(torch.cat([x, xt]))
        fs, ft = f[: len(x)], f[len(x) :]
    ps, pt = model.private_source(x), model.private_target(xt)
    recon = scale_invariant_mse(model.decoder(fs + ps), x) + scale_invariant_mse(model.decoder(ft + pt), xt)
    diff = difference_loss(fs, ps) + difference_loss(ft, pt)
    dom = model.domain_head(model.grl(torch.cat([fs, ft]), lambd))
    return {
        "cls": F.cross_entropy(model.label_head(fs), y),
        "dom": _domain_loss(dom, len(x)),
        "ent": _mean_entropy(model.label_head(ft)),
        "recon": recon,
        "diff": diff,
    }


def dann_objective(model: DANN, x, y, xt, lambd: float, cfg) -> tuple:
    """DANN's loss (label + domain cross-entropy) and its terms."""
    cls_loss, dom_loss, ent = dann_losses(model, x, y, xt, lambd, cfg.bn_per_domain)
    return cls_loss + dom_loss, {"cls": cls_loss, "dom": dom_loss, "ent": ent}


def dsn_objective(model: DSN, x, y, xt, lambd: float, cfg) -> tuple:
    """DSN's loss: the task loss plus the weighted reconstruction, difference and similarity losses."""
    parts = dsn_losses(model, x, y, xt, lambd, cfg.bn_per_domain)
    return (
        parts["cls"]
        + cfg.dsn_reconstruction * parts["recon"]
        + cfg.dsn_difference * parts["diff"]
        + cfg.dsn_similarity * parts["dom"]
    ), parts


def describe_dann(d: dict) -> str:
    """What the DANN runs add to plain DANN, in words (empty for plain DANN)."""
    parts = []
    if d.get("bn_per_domain"):
        parts.append(
            " In DANN training the feature extractor and the label predictor see the source batch and "
            "the target batch separately, so every batch norm normalises each domain with its own "
            "statistics (the domain classifier sees both together)."
        )
    if d.get("target_entropy"):
        parts.append(
            f" The DANN loss adds {d['target_entropy']:g} times the mean entropy of the label predictor on "
            "the unlabelled target images, ramped with the same lambda schedule. Both read no target "
            "label; BENCHMARKS.md compares them with plain DANN."
        )
    return "".join(parts)


def describe_dsn(d: dict) -> str:
    return (
        f" DSN (Domain Separation Networks) uses the same feature extractor as its shared encoder, adds a "
        f"private encoder per domain (width {d['dsn_private_width']}) and a decoder that rebuilds each image "
        f"from the sum of its shared and private codes, and trains the task loss plus "
        f"{d['dsn_reconstruction']:g} x the scale-invariant reconstruction loss, {d['dsn_difference']:g} x the "
        f"difference loss (soft orthogonality of shared and private codes) and {d['dsn_similarity']:g} x the "
        "similarity loss (the domain classifier on the shared code through the gradient reversal, with the "
        "same lambda schedule); the DANN options above apply to it too."
    )


@dataclass(frozen=True)
class UdaMethod:
    """One row of problem 3's table. ``network(cfg)`` builds its classifier; ``objective(model, x, y, xt,
    lambd, cfg)`` gives an adapting method's loss and terms on labelled source and unlabelled target
    images (None: cross-entropy on the labelled images only)."""

    title: str
    network: Callable
    labelled: str  # whose labelled train split it learns: "source" or "target"
    objective: Callable = None
    terms: dict = None  # the history's extra loss terms: {term: column}
    paper: str = ""  # the citation the reports' References give
    describe: Callable = None  # settings dict -> its recipe in words
    short: str = ""  # its name in figures
    tsne: str = ""  # an adapting method's t-SNE figures: results/dann_<scenario>/<tsne>{,_digit,_domain}.png
    features: str = ""  # what its t-SNE shows
    improves: str = ""  # the adapting method it is built to beat (the bonus's condition), compared in the reports

    @property
    def adapts(self) -> bool:
        """Reads the unlabelled target images (never their labels)."""
        return self.objective is not None


def _dann_net(cfg):
    return DANN(cfg.width, cfg.hidden, cfg.input)


SECTION = "dann"  # the config section that sets problem 3's training, of every method below

UDA_METHODS = {
    "source_only": UdaMethod("Trained on source", _dann_net, "source"),
    "dann": UdaMethod(
        "Adaptation (DANN)",
        _dann_net,
        "source",
        dann_objective,
        paper="Y. Ganin, V. Lempitsky. Unsupervised Domain Adaptation by Backpropagation. ICML 2015; "
        "Y. Ganin et al. Domain-Adversarial Training of Neural Networks. JMLR 17(59), 2016.",
        describe=describe_dann,
        short="DANN",
        tsne="tsne",
        features="DANN features",
    ),
    "dsn": UdaMethod(
        "Adaptation (DSN)",
        lambda cfg: DSN(cfg.width, cfg.hidden, cfg.input, cfg.dsn_private_width),
        "source",
        dsn_objective,
        {"recon": "reconstruction_loss", "diff": "difference_loss"},
        paper="K. Bousmalis, G. Trigeorgis, N. Silberman, D. Krishnan, D. Erhan. Domain Separation "
        "Networks. NeurIPS 2016.",
        describe=describe_dsn,
        short="DSN",
        tsne="tsne_dsn",
        features="DSN shared features",
        improves="dann",
    ),
    "target_only": UdaMethod("Trained on target", _dann_net, "target"),
}


def _training_split(path: str, what: str):
    """A cache for training: refuses a test split (the course: never train on the test data)."""
    split = load_cache(path)
    if split.split == "test":
        raise UserError(f"{path} is a test split; {what} must be a train split (the test data is never trained on)")
    return split


def train(setting: str, source: str, target_train: str, cfg, seed: int, device, log=print) -> tuple:
    """Train one setting with ``cfg`` (a classifier-training settings object). Returns (model, history).

    * source_only: labelled source train images.
    * dann, dsn: labelled source train + UNLABELLED target train images (labels never read).
    * target_only: labelled target train images (``source`` is ignored).
    Every setting keeps its last epoch: no target label chooses a checkpoint. DSN reads its own weights
    (``dsn_*``) from ``cfg``, which only the dann section has."""
    if setting not in UDA_METHODS:
        raise UserError(f"unknown setting {setting!r} (choose from {', '.join(UDA_METHODS)})")
    method = UDA_METHODS[setting]
    torch.manual_seed(seed)
    if method.labelled == "target":
        labelled = _training_split(target_train, "the target training data")
    else:
        labelled = _training_split(source, "the source training data")
    unlabelled = None
    if method.adapts:  # the target images only: their labels are not kept
        unlabelled = _training_split(target_train, "the target training data").images
    model = method.network(cfg).to(device)
    jitter = dict(shift=cfg.shift, zoom=tuple(cfg.zoom), rotate=cfg.rotate)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    bs = cfg.batch_size
    n = len(labelled)
    steps_per_epoch = max(1, n // bs)
    total = steps_per_epoch * cfg.epochs
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=cfg.lr, total_steps=total, pct_start=0.15)
    gen = torch.Generator().manual_seed(seed)
    history = []
    step = 0
    extra = method.terms or {}
    terms = ["cls", "dom", "ent", *extra]
    for epoch in range(cfg.epochs):
        model.train()
        order = torch.randperm(n, generator=gen)
        t0 = time.time()
        tot = dict.fromkeys(terms, 0.0)
        for i in tqdm(range(steps_per_epoch), desc=f"{setting} epoch {epoch + 1}", leave=False, mininterval=5):
            idx = order[i * bs : (i + 1) * bs]
            x = augment(to_model_input(labelled.images[idx]), gen, **jitter).to(device)
            y = labelled.labels[idx].to(device)
            if method.adapts:
                ramp = grl_lambda(step / total, cfg.grl_gamma)  # the schedule of the reversal and of the entropy
                tidx = torch.randint(0, len(unlabelled), (len(idx),), generator=gen)
                xt = augment(to_model_input(unlabelled[tidx]), gen, **jitter).to(device)
                loss, parts = method.objective(model, x, y, xt, ramp * cfg.domain_weight, cfg)
                if cfg.target_entropy:
                    loss = loss + cfg.target_entropy * ramp * parts["ent"]
            else:
                logits, _ = model(x, 0.0)
                parts = {"cls": F.cross_entropy(logits, y)}
                loss = parts["cls"]
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            for k, v in parts.items():
                tot[k] += v.item()
            step += 1
        rec = {
            "epoch": epoch + 1,
            "class_loss": tot["cls"] / steps_per_epoch,
            "domain_loss": tot["dom"] / steps_per_epoch,
            "target_entropy": tot["ent"] / steps_per_epoch,
        }
        for term, column in extra.items():
            rec[column] = tot[term] / steps_per_epoch
        rec["seconds"] = round(time.time() - t0, 2)
        history.append(rec)
        log(" ".join(f"{k}={v:.4f}" if isinstance(v, float) else f"{k}={v}" for k, v in rec.items()))
    return model.eval(), history


def save_model(model, path: str, extra: dict = None) -> None:
    kind = next(k for k, cls in KINDS.items() if type(model) is cls)
    save_torch({"kind": kind, "config": model.config, "state_dict": model.state_dict(), **(extra or {})}, path)


def load_model(path: str, device):
    """A DANN-style classifier (DANN or DSN) written by :func:`save_model`, on ``device``, in eval mode."""
    model, _ = load_checkpoint(
        path,
        KINDS,
        lambda config, kind: KINDS[kind](**config),
        "digit classifier",
        "this project",
        weights="state_dict",
    )
    return model.to(device)
