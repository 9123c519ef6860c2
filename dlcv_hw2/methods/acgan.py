"""2021 problem 2: training (resumable, EMA generator) and sampling of the ACGAN on MNIST-M digits."""

from dataclasses import dataclass

import torch
import torch.nn.functional as F

from .. import course
from ..data.digits import load_cache
from ..data.images import to_model_input
from ..models.acgan import N_CLASSES, Discriminator, Generator
from . import gan_losses
from .training import GanSteps, diversity, load_checkpoint, train_gan

KIND = "dlcv_hw2.acgan"


def build_generator(config: dict) -> Generator:
    # checkpoints written before the conditioning setting existed are ACGAN's concatenation
    return Generator(
        z_dim=config["z_dim"], channels=config["g_channels"], conditioning=config.get("conditioning", "concat")
    )


def describe(cfg: dict) -> str:
    """The ACGAN's recipe in words, from its settings (the reports' text)."""
    takes = (
        f"noise of {cfg['z_dim']} dimensions and a label embedding"
        if cfg["conditioning"] == "concat"
        else f"noise of {cfg['z_dim']} dimensions, the label as the scale and shift of every batch norm"
    )
    parts = [
        f"The ACGAN ({course.where('acgan')}) learns the same MNIST-M training split for {cfg['epochs']} epochs "
        f"(batch {cfg['batch_size']}): a generator ({takes}, "
        f"transposed convolutions 7 -> 14 -> 28, width {cfg['g_channels']}) against a discriminator "
        f"(width {cfg['d_channels']}) with a real/fake head and an auxiliary 10-class head"
    ]
    if cfg["projection"]:
        parts.append(" plus a projection term <embed(y), features> in the real/fake score")
    parts.append(
        f". Loss: {'hinge' if cfg['loss'] == 'hinge' else 'non-saturating (BCE)'} on real/fake, "
        f"cross-entropy (weight {cfg['aux_weight']}) on the class of real "
        f"{'and generated ' if cfg['aux_on_fake'] else ''}images; Adam "
        f"(generator {cfg['lr_g']:g}, discriminator {cfg['lr_d']:g}, betas {cfg['beta1']:g}/{cfg['beta2']:g})"
    )
    if cfg["spectral_norm"]:
        parts.append("; spectral normalisation in every discriminator layer")
    if cfg["label_spread"]:
        parts.append(
            "; the discriminator sees, for each image, how far its 7x7 features lie from those of the batch's "
            "other images of the same label, so a generator that draws one image per label is told apart"
        )
    if cfg["minibatch_std"]:
        parts.append(
            f"; the discriminator sees the standard deviation of its 7x7 features over groups of "
            f"{cfg['minibatch_std']} images (minibatch standard deviation), so a generator that ignores its "
            "noise is told apart"
        )
    if cfg["diversity"]:
        parts.append(
            f"; the generator is rewarded (weight {cfg['diversity']:g}) for how much two images of one label "
            f"differ over how much their noises do, up to {cfg['diversity_bound']:g} (the diversity-sensitive "
            "term of Yang et al.), so that it draws from its noise"
        )
    if cfg.get("diffaugment"):
        parts.append(f"; the discriminator sees every image through DiffAugment ({', '.join(cfg['diffaugment'])})")
    if cfg["ema_decay"] > 0:
        parts.append(f"; the graded images come from an EMA of the generator (decay {cfg['ema_decay']:g})")
    parts.append(". BENCHMARKS.md measures each of these choices.")
    return "".join(parts)


def gan_steps(cfg) -> GanSteps:
    """The ACGAN's steps for the shared GAN loop: noise and a label per image; the discriminator learns
    real/fake on both and the class of the real images (and, with ``aux_on_fake``, as in ACGAN, of the
    generated ones); the generator fools the real/fake head and is read as the asked-for class."""

    def noise(bs, rng):
        z = torch.randn(bs, cfg.z_dim, generator=rng)
        if cfg.diversity:  # pairs: the second half repeats the first half's labels under other noise
            return z, torch.randint(0, N_CLASSES, ((bs + 1) // 2,), generator=rng).repeat(2)[:bs]
        return z, torch.randint(0, N_CLASSES, (bs,), generator=rng)

    def d_step(disc, real, fake, inputs, rng):
        (x, y_real), y_fake = real, inputs[1]
        s_real, c_real = disc(x, y_real)
        s_fake, c_fake = disc(fake, y_fake)
        d_aux = F.cross_entropy(c_real, y_real)
        if cfg.aux_on_fake:
            d_aux = d_aux + F.cross_entropy(c_fake, y_fake)
        loss = gan_losses.BY_NAME[cfg.loss][0](s_real, s_fake) + cfg.aux_weight * d_aux
        return loss, {"d_loss": loss.item(), "d_real_acc": (c_real.argmax(1) == y_real).float().mean().item()}

    def g_step(disc, fake, inputs):
        y_fake = inputs[1]
        s_gen, c_gen = disc(fake, y_fake)
        loss = gan_losses.BY_NAME[cfg.loss][1](s_gen) + cfg.aux_weight * F.cross_entropy(c_gen, y_fake)
        if cfg.diversity:
            loss = loss - cfg.diversity * diversity(fake, inputs[0], cfg.diversity_bound)
        return loss, {"g_loss": loss.item(), "d_fake_acc": (c_gen.argmax(1) == y_fake).float().mean().item()}

    return GanSteps(
        noise,
        d_step,
        g_step,
        columns=("d_loss", "g_loss", "d_real_acc", "d_fake_acc"),
        per_g_step=("g_loss", "d_fake_acc"),
    )


def train(
    cfg, seed: int, cache_path: str, state_path: str, model_path: str, loss_csv: str, device: torch.device, log=print
) -> dict:
    """Train (or resume) the ACGAN with ``cfg`` (the acgan settings object) and write the EMA
    generator. ``state_path`` holds the per-epoch checkpoint: a run killed at any moment continues from
    the last completed epoch when started again, with the same result as an uninterrupted run."""
    split = load_cache(cache_path)
    torch.manual_seed(seed)
    carried = cfg.as_dict(group="model")
    gen = build_generator(carried)
    disc = Discriminator(
        cfg.d_channels,
        spectral_norm=cfg.spectral_norm,
        projection=cfg.projection,
        minibatch_std=cfg.minibatch_std,
        label_spread=cfg.label_spread,
    )
    return train_gan(
        gan_steps(cfg),
        gen,
        disc,
        (to_model_input(split.images), split.labels.clone()),
        cfg,
        seed=seed,
        wanted={**cfg.as_dict(), "seed": seed},
        carried=carried,
        kind=KIND,
        state_path=state_path,
        model_path=model_path,
        loss_csv=loss_csv,
        device=device,
        title="ACGAN",
        log=log,
    )


@dataclass(frozen=True)
class ACGANCheckpoint:
    """A trained ACGAN generator (EMA weights), ready to sample."""

    generator: Generator
    z_dim: int
    parameters: dict  # {"generator": n, "discriminator": n} at training time


def load_model(path: str, device) -> ACGANCheckpoint:
    """The generator in a file written by :func:`train` (or copied to checkpoints/ from it)."""
    gen, obj = load_checkpoint(
        path, KIND, lambda config, _: build_generator(config), "ACGAN checkpoint", "train_acgan.py"
    )
    return ACGANCheckpoint(gen.to(device), obj["config"]["z_dim"], dict(obj.get("parameters", {})))


def initial_noise(n_per_digit: int, z_dim: int, seed: int):
    """Labels [0]*n + [1]*n + ... and one noise vector per image, drawn on the CPU from ``seed``: the
    j-th noise of every digit is the same, so the columns of a grid share their noise (style)."""
    gen = torch.Generator().manual_seed(seed)
    z = torch.randn((n_per_digit, z_dim), generator=gen)
    return torch.arange(N_CLASSES).repeat_interleave(n_per_digit), z.repeat(N_CLASSES, 1)


@torch.no_grad()
def sample(ckpt: ACGANCheckpoint, labels: torch.Tensor, z: torch.Tensor, device, batch_size: int = 500):
    """Images in [-1, 1] for ``labels`` from noise ``z``, in batches."""
    outs = [
        ckpt.generator(z[s : s + batch_size].to(device), labels[s : s + batch_size].to(device)).float().cpu()
        for s in range(0, len(labels), batch_size)
    ]
    return torch.cat(outs).clamp(-1, 1)
