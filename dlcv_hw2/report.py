"""The homework report (`snakemake report`): one document built from the results files of a run,
rendered to a self-contained HTML page and to a PDF (fpdf2).

Every number in it is read from the run's files (metrics CSV/JSON, benchmark TSVs, the checkpoint's
own config); the connecting text is templated and only states comparisons computed from those
numbers. A document is a list of blocks:

    ("h1", text) ("h2", text) ("p", text) ("pre", text) ("img", path, caption)
    ("table", header, rows, caption)
"""
import base64
import csv
import glob
import html
import json
import os
import platform

from .cli import UserError

SECTIONS = ("Problem 1: class-conditional DDPM on MNIST-M", "Problem 2: DDIM sampling",
            "Problem 3: DANN domain adaptation", "Beyond 2023: a conditional GAN", "Runtime and memory per rule",
            "Environment")
FACE_GAN_SECTION = "Beyond 2023: GANs on faces"
FACE_GAN_NAMES = {"dcgan": "DCGAN", "wgan_gp": "WGAN-GP", "sagan": "SAGAN"}


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def _fmt(value, digits=1):
    return f"{float(value):.{digits}f}"


def _require(root, *names):
    missing = [n for n in names if not os.path.isfile(os.path.join(root, n))]
    if missing:
        raise UserError(f"results file {os.path.join(root, missing[0])} is missing (run the workflow first)")


def _config_rows(section: dict):
    return [[k, json.dumps(v) if isinstance(v, (list, dict, bool)) else str(v)] for k, v in section.items()]


def _conditioning(cfg: dict) -> str:
    return "through a scale and shift of its group norm" if cfg.get("scale_shift") else "as a per-channel bias"


def _prediction(cfg: dict) -> str:
    return "the noise eps" if cfg.get("prediction", "eps") == "eps" else "the clean image x0"


def ddpm_parts(root: str, preset: dict) -> dict:
    """The DDPM's answers (2023 problem 1, 2022 problem 2) as named lists of blocks without headings:
    arch, details, images (the timing and the 10x10 grid), reverse, accuracy, sweeps."""
    from .ddpm import build_model
    from .files import load_torch

    _require(root, "ddpm/model.pt", "ddpm/accuracy.csv", "ddpm/loss.csv", "ddpm/sweep.csv",
             "ddpm/figures/unet_diagram.png",
             "eval_classifier/metrics.json", "ddpm/sampling_time.json")
    cfg = load_torch(os.path.join(root, "ddpm/model.pt"), what="DDPM model")["config"]
    diagram = os.path.join(root, "ddpm/figures/unet_diagram.png")
    model = build_model(cfg)
    n_params = sum(p.numel() for p in model.parameters())
    patch = cfg.get("patch", 1)
    folding = f"{patch}x{patch} pixel folding" if patch > 1 else "no pixel folding"
    parts = {}
    parts["arch"] = [("p", f"A class-conditional UNet written for this project with {n_params:,} parameters "
                    f"(base width {cfg['base_channels']}, width multipliers {cfg['channel_mults']}, "
                    f"{cfg['num_res_blocks']} residual block(s) per level, "
                    f"{'self-attention at the lowest resolution' if cfg['attention'] else 'no attention'}, "
                    f"{folding}). The timestep "
                    f"(sinusoidal embedding and MLP) and the label (learned embedding with an extra \"no label\" "
                    f"token for classifier-free guidance) are summed and condition every residual block "
                    f"{_conditioning(cfg)}. The network predicts {_prediction(cfg)}."),
                     ("img", diagram, "Figure 1.1: the UNet as configured for this run (resolution and channels per "
                                      "block)."),
                     ("pre", str(model))]
    loss = read_csv(os.path.join(root, "ddpm/loss.csv"))
    rows = _config_rows(preset["ddpm"])
    rows += [[f"sampling.{k}", v] for k, v in _config_rows(preset["ddpm_sampling"])]
    train_s = _bench_seconds(root, "train_ddpm.tsv")
    parts["details"] = [
               ("p", f"DDPM Algorithm 1 with a linear beta schedule from {cfg['beta_start']} to {cfg['beta_end']} over "
                     f"T = {cfg['T']} steps, label dropout {preset['ddpm']['label_dropout']} "
                     "for classifier-free guidance, "
                     f"AdamW with warm-up and cosine decay, and an exponential moving average of the weights "
                     f"(decay {preset['ddpm']['ema_decay']}) used for sampling. {len(loss)} epochs; the mean "
                     f"training loss went from {float(loss[0]['loss']):.4f} (epoch 1) to {float(loss[-1]['loss']):.4f} "
                     f"(epoch {loss[-1]['epoch']})" + (f"; training took {train_s:.0f} s." if train_s else ".")),
               ("table", ["setting", "value"], rows, "Table 1.1: the configuration used (preset "
                                                       f"'{preset['_name']}')."),
               ("img", os.path.join(root, "ddpm/figures/loss.png"), "Figure 1.2: training loss per epoch.")]
    acc = read_csv(os.path.join(root, "ddpm/accuracy.csv"))
    evalc = json.load(open(os.path.join(root, "eval_classifier/metrics.json")))
    timing = json.load(open(os.path.join(root, "ddpm/sampling_time.json")))
    judges = [c for c in ("eval_classifier", "official_classifier") if c in acc[0]]
    overall = acc[-1]
    parts["images"] = [
               ("p", f"The {timing['images']} graded images ({timing['sampler'].upper()} with "
                     f"{timing['steps']} steps, guidance w = {timing['guidance']}) took {timing['seconds']:.1f} s "
                     f"on {timing['device']}."),
               ("img", os.path.join(root, "ddpm/figures/grid.png"),
                "Figure 1.3: ten samples per digit (rows: digits 0-9, columns: the same ten noises).")]
    parts["reverse"] = [("img", os.path.join(root, "ddpm/figures/reverse_process.png"),
                         "Figure 1.4: the reverse process of the first \"0\" at six timesteps, from pure noise to "
                         "the image.")]
    parts["accuracy"] = [
               ("table", ["digit"] + [j.replace("_", " ") for j in judges],
                [[r["digit"]] + [_fmt(r[j]) for j in judges] for r in acc],
                "Table 1.2: accuracy (%) of the 1000 images per digit."),
               ("p", "Overall: " + ", ".join(f"{j.replace('_', ' ')} {_fmt(overall[j])} %" for j in judges)
                + f". The evaluation classifier (trained by this workflow on MNIST-M train) reads "
                  f"{evalc['target_val_accuracy']:.1f} % of MNIST-M val correctly.")] + official_note(preset, judges)
    sweep = read_csv(os.path.join(root, "ddpm/sweep.csv"))
    g = [r for r in sweep if r["sweep"] == "guidance"]
    s = [r for r in sweep if r["sweep"] == "steps"]
    official = bool(sweep) and "acc_official_classifier" in sweep[0]  # absent when the run had no official classifier
    blocks = [("table", ["sweep", "sampler", "steps", "w", "images", "seconds", "eval. classifier"]
                + (["official"] if official else []),
                [[r["sweep"], r["sampler"], r["steps"], r["guidance"], r["images"], r["seconds"],
                  r["acc_eval_classifier"]]
                 + ([r["acc_official_classifier"] or "-"] if official else []) for r in sweep],
                "Table 1.3: accuracy (%) against guidance weight and against the number of sampling steps.")]
    if g:
        best = max(g, key=lambda r: float(r["acc_eval_classifier"]))
        blocks.append(("p", f"By the evaluation classifier, accuracy is {g[0]['acc_eval_classifier']} % "
                            f"at w = {g[0]['guidance']} "
                            f"and highest, {best['acc_eval_classifier']} %, at w = {best['guidance']} "
                            f"(of w = {', '.join(r['guidance'] for r in g)})."))
        blocks.append(("img", os.path.join(root, "ddpm/figures/accuracy_vs_guidance.png"),
                       "Figure 1.5: accuracy against guidance weight w."))
    if s:
        fast, slow = min(s, key=lambda r: float(r["seconds"])), max(s, key=lambda r: float(r["seconds"]))
        blocks.append(("p", f"With w = {s[0]['guidance']}: {fast['steps']} {fast['sampler'].upper()} steps take "
                            f"{fast['seconds']} s for {fast['images']} images ({fast['acc_eval_classifier']} %), "
                            f"{slow['steps']} {slow['sampler'].upper()} steps take {slow['seconds']} s "
                            f"({slow['acc_eval_classifier']} %)."))
        blocks.append(("img", os.path.join(root, "ddpm/figures/accuracy_vs_steps.png"),
                       "Figure 1.6: accuracy against the number of sampling steps."))
        blocks.append(("img", os.path.join(root, "ddpm/figures/time_vs_steps.png"),
                       "Figure 1.7: sampling time against the number of sampling steps."))
    parts["sweeps"] = blocks
    return parts


def problem1(root: str, preset: dict) -> list:
    """2023 problem 1's sections."""
    p = ddpm_parts(root, preset)
    return ([("h1", SECTIONS[0]), ("h2", "1.1 Model architecture")] + p["arch"]
            + [("h2", "1.2 Implementation details")] + p["details"]
            + [("h2", "1.3 Generated images")] + p["images"] + p["reverse"]
            + [("h2", "1.4 Accuracy")] + p["accuracy"]
            + [("h2", "1.5 Guidance weight and sampling steps")] + p["sweeps"])


def problem2(root: str, have_faces: bool) -> list:
    _require(root, "ddim/figures/eta_grid.png", "ddim/figures/interpolation_slerp.png",
             "ddim/figures/interpolation_linear.png", "ddim/grid_stats.csv")
    stats = {}  # {measure: {setting: value}}, in the file's order
    for r in read_csv(os.path.join(root, "ddim/grid_stats.csv")):
        stats.setdefault(r["measure"], {})[r["setting"]] = float(r["value"])
    model = ("the course's pretrained face UNet" if have_faces else
             "the problem-1 digit model, standing in because no face data (hw2_data/face) was present")
    blocks = [("h1", SECTIONS[1]),
              ("p", f"The grids below were sampled with {model}, using the same DDIM sampler (uniform timesteps, "
                    "eta-scaled noise) as hw2_2.sh."),
              ("h2", "2.1 Effect of eta"),
              ("img", os.path.join(root, "ddim/figures/eta_grid.png"),
               "Figure 2.1: rows eta = 0, 0.25, 0.5, 0.75, 1; columns the first four noises."),
              ("p", "eta = 0 is the deterministic DDIM sampler: each image is a function of its noise alone; "
                    "larger eta adds fresh Gaussian noise at every step (eta = 1 matches the DDPM posterior "
                    "variance). Measured on this grid, the mean absolute pixel difference (0-255) of each row "
                    "from the eta = 0 row is "
               + ", ".join(f"{v:.1f} at eta = {k}" for k, v in list(stats["eta_mean_abs_diff"].items())[1:])
               + ".")]
    if os.path.isfile(os.path.join(root, "ddim/mse.csv")):
        rows = read_csv(os.path.join(root, "ddim/mse.csv"))
        blocks += [("table", ["image", "MSE (0-255)"], [[r["image"], r["mse"]] for r in rows],
                    "Table 2.1: mean squared error of the eta = 0 images against the ground truth.")]
    blocks += [("h2", "2.2 Interpolation between two noises"),
               ("img", os.path.join(root, "ddim/figures/interpolation_slerp.png"),
                "Figure 2.2: spherical linear interpolation (slerp), alpha = 0.0 ... 1.0."),
               ("img", os.path.join(root, "ddim/figures/interpolation_linear.png"),
                "Figure 2.3: linear interpolation, alpha = 0.0 ... 1.0."),
               ("p", _interpolation_text(stats))]
    return blocks


def _interpolation_text(stats: dict) -> str:
    return ("Slerp keeps the interpolated noise at the norm of its endpoints, linear interpolation shrinks it "
            f"in between: at alpha = 0.5 the noise norm relative to the endpoints' is "
            f"{stats['noise_norm_ratio_slerp']['0.5']:.2f} (slerp) and {stats['noise_norm_ratio_linear']['0.5']:.2f} "
            f"(linear); the pixel standard deviation (0-255) of the image decoded from it is "
            f"{stats['image_std_slerp']['0.5']:.1f} and {stats['image_std_linear']['0.5']:.1f}, against "
            f"{stats['image_std_slerp']['0.0']:.1f} and {stats['image_std_slerp']['1.0']:.1f} at the endpoints.")


def dann_cells(root: str, scenario_names: list, table: str = "dann/accuracy_table.csv"):
    """The accuracy table of a run as {(scenario, method): row}, and its methods in the order of
    METHOD_TITLES; every method must have a row in every scenario."""
    from .scenarios import METHOD_TITLES

    _require(root, table)
    cell = {(r["scenario"], r["setting"]): r for r in read_csv(os.path.join(root, table))}
    methods = [m for m in METHOD_TITLES if any(k[1] == m for k in cell)]
    for s in scenario_names:
        for m in methods:
            if (s, m) not in cell:
                raise UserError(f"{root}/{table} has no row for {m} in {s} (run the workflow first)")
    return cell, methods


def problem3(root: str, preset: dict, scenario_names: list, table: str = "dann/accuracy_table.csv",
             title_text: str = SECTIONS[2], hide: tuple = ()) -> list:
    """Problem 3: the accuracy table (a row per method, a column per scenario), what it shows per
    scenario, the t-SNE figures of DANN (and DSN) features, the implementation. ``hide``: methods left
    out (2021 shows DSN in its bonus section instead)."""
    from .scenarios import METHOD_TITLES, title

    cell, methods = dann_cells(root, scenario_names, table)
    methods = [m for m in methods if m not in hide]
    header = [""] + [title(s) for s in scenario_names]
    rows = []
    for setting in methods:
        row = [METHOD_TITLES[setting]]
        for s in scenario_names:
            r = cell[(s, setting)]
            seeds = f" (n={r['n_seeds']})" if int(r["n_seeds"]) > 1 else ""
            row.append(f"{_fmt(r['mean'])} ± {_fmt(r['sd'])}{seeds}")
        rows.append(row)
    splits = {cell[(s, methods[0])]["split"] for s in scenario_names}
    where = "validation" if splits == {"val"} else "test" if splits == {"test"} else "validation or test"
    blocks = [("h1", title_text), ("h2", f"3.1 Accuracy on the target {where} set"),
              ("table", header, rows, f"Table 3.1: target {where} accuracy (%), mean ± sd over "
                                      f"{len(preset['dann']['seeds'])} seed(s).")]
    for s in scenario_names:
        mean = {m: float(cell[(s, m)]["mean"]) for m in methods}
        said = []
        for m in ("dann", "dsn"):
            if m in mean and "source_only" in mean:
                gap = mean[m] - mean["source_only"]
                name = m.upper()
                said.append(f"{name} is {gap:.1f} points above source-only" if gap > 0 else
                            f"{name} is {-gap:.1f} points below source-only" if gap < 0 else
                            f"{name} equals source-only")
            if m in mean and "target_only" in mean:
                gap = mean["target_only"] - mean[m]
                said.append(f"{m.upper()} is {abs(gap):.1f} points {'below' if gap >= 0 else 'above'} target-only")
        if "dann" in mean and "dsn" in mean:
            gap = mean["dsn"] - mean["dann"]
            said.append(f"DSN is {abs(gap):.1f} points {'above' if gap >= 0 else 'below'} DANN")
        values = " / ".join(f"{mean[m]:.1f}" for m in methods)
        names = " / ".join(METHOD_TITLES[m].lower() for m in methods)
        blocks.append(("p", f"{title(s)}: " + ("; ".join(said) + " " if said else "") + f"({names}: {values} %)."))
    blocks.append(("h2", "3.2 t-SNE of the features"))
    k = 0
    for method, stem, what in (("dann", "tsne", "DANN features"), ("dsn", "tsne_dsn", "DSN shared features")):
        if method not in methods:
            continue
        for s in scenario_names:
            _require(root, f"dann_{s}/{stem}_digit.png", f"dann_{s}/{stem}_domain.png")
            blocks += [("img", os.path.join(root, f"dann_{s}/{stem}_digit.png"),
                        f"Figure 3.{k + 1}: {title(s)}, {what} coloured by digit."),
                       ("img", os.path.join(root, f"dann_{s}/{stem}_domain.png"),
                        f"Figure 3.{k + 2}: {title(s)}, {what} coloured by domain.")]
            k += 2
    d = preset["dann"]
    blocks += [("h2", "3.3 Implementation details"),
               ("p", f"A five-convolution feature extractor (width {d['width']}) with BatchNorm, a label predictor "
                     f"and a domain classifier (hidden size {d['hidden']}), joined by a gradient-reversal layer "
                     f"whose weight follows lambda = 2 / (1 + exp(-{d['grl_gamma']:g} p)) - 1 times "
                     f"{d['domain_weight']:g} (p = training progress). Source-only trains on labelled source "
                     "images, DANN adds the unlabelled target train images, target-only trains on labelled target "
                     f"images; all are evaluated on target {where}, and every run keeps its last epoch (no target "
                     "label chooses a checkpoint)." + _dann_recipe(d) + (_dsn_recipe(d) if "dsn" in methods else "")),
               ("table", ["setting", "value"], _config_rows(d), "Table 3.2: the configuration used.")]
    return blocks


def _dsn_recipe(d: dict) -> str:
    return (f" DSN (Domain Separation Networks) uses the same feature extractor as its shared encoder, adds a "
            f"private encoder per domain (width {d['dsn_private_width']}) and a decoder that rebuilds each image "
            f"from the sum of its shared and private codes, and trains the task loss plus "
            f"{d['dsn_reconstruction']:g} x the scale-invariant reconstruction loss, {d['dsn_difference']:g} x the "
            f"difference loss (soft orthogonality of shared and private codes) and {d['dsn_similarity']:g} x the "
            "similarity loss (the domain classifier on the shared code through the gradient reversal, with the "
            "same lambda schedule); the DANN options above apply to it too.")


def _dann_recipe(d: dict) -> str:
    """What the DANN runs add to plain DANN, in words (empty for plain DANN)."""
    parts = []
    if d.get("bn_per_domain"):
        parts.append(" In DANN training the feature extractor and the label predictor see the source batch and "
                     "the target batch separately, so every batch norm normalises each domain with its own "
                     "statistics (the domain classifier sees both together).")
    if d.get("target_entropy"):
        parts.append(f" The DANN loss adds {d['target_entropy']:g} times the mean entropy of the label predictor on "
                     "the unlabelled target images, ramped with the same lambda schedule. Both read no target "
                     "label; BENCHMARKS.md compares them with plain DANN.")
    return "".join(parts)


def _acgan_recipe(cfg: dict) -> str:
    parts = [f"The ACGAN (2021 problem 2) learns the same MNIST-M training split for {cfg['epochs']} epochs "
             f"(batch {cfg['batch_size']}): a generator (noise of {cfg['z_dim']} dimensions and a label embedding, "
             f"transposed convolutions 7 -> 14 -> 28, width {cfg['g_channels']}) against a discriminator "
             f"(width {cfg['d_channels']}) with a real/fake head and an auxiliary 10-class head"]
    if cfg["projection"]:
        parts.append(" plus a projection term <embed(y), features> in the real/fake score")
    parts.append(f". Loss: {'hinge' if cfg['loss'] == 'hinge' else 'non-saturating (BCE)'} on real/fake, "
                 f"cross-entropy (weight {cfg['aux_weight']}) on the class of real "
                 f"{'and generated ' if cfg['aux_on_fake'] else ''}images; Adam "
                 f"(generator {cfg['lr_g']:g}, discriminator {cfg['lr_d']:g}, betas {cfg['beta1']:g}/{cfg['beta2']:g})")
    if cfg["spectral_norm"]:
        parts.append("; spectral normalisation in every discriminator layer")
    if cfg["ema_decay"] > 0:
        parts.append(f"; the graded images come from an EMA of the generator (decay {cfg['ema_decay']:g})")
    parts.append(". BENCHMARKS.md measures each of these choices.")
    return "".join(parts)


GEN_ROWS = (("acc_official_classifier", "accuracy, official classifier (%)", 1),
            ("acc_eval_classifier", "accuracy, evaluation classifier (%)", 1),
            ("fid_digit", "FID, digit features (lower is better)", 2),
            ("kid_digit", "KID, digit features", 4),
            ("is_digit", "IS, digit classifier (at most 10)", 2),
            ("fid_inception", "FID, Inception", 2),
            ("kid_inception", "KID, Inception", 4),
            ("is_inception", "IS, Inception", 2),
            ("parameters", "parameters of the sampling network", 0))


def _cell(value, digits):
    try:
        return f"{float(value):,.{digits}f}"
    except ValueError:
        return value


def generator_parts(root: str, preset: dict, folder: str = "generators") -> dict:
    """The digit generators compared by compare_generators.py in ``folder`` (the DDPM and the ACGAN in
    generators/, the ACGAN alone in acgan/summary/), as named lists of blocks without headings: scores
    (the table and what it shows), grids, per_digit, curves."""
    _require(root, f"{folder}/comparison.csv", f"{folder}/times.csv", f"{folder}/grids.png",
             f"{folder}/training_curves.png")
    rows = read_csv(os.path.join(root, folder, "comparison.csv"))
    times = read_csv(os.path.join(root, folder, "times.csv"))
    names = {"ddpm": "DDPM", "acgan": "ACGAN"}
    table = [[label] + [_cell(r[key], digits) for r in rows] for key, label, digits in GEN_ROWS if key in rows[0]]
    for phase in ("training", "sampling"):
        ts = [next(t for t in times if t["generator"] == r["generator"] and t["phase"].startswith(phase)) for r in rows]
        label = f"{ts[0]['phase']} (s)" if phase == "sampling" else "training (s)"
        table.append([label] + [_fmt(t["seconds"]) for t in ts])
    by = {r["generator"]: r for r in rows}
    judge = "official_classifier" if "acc_official_classifier" in rows[0] else "eval_classifier"
    judge_name = judge.replace("_", " ")
    text = []
    if "ddpm" in by and "acgan" in by:
        d, a = by["ddpm"], by["acgan"]
        text.append(f"By the {judge_name}, {_fmt(a[f'acc_{judge}'])} % of the ACGAN's 1000 digits are read as the "
                    f"digit asked for, against {_fmt(d[f'acc_{judge}'])} % of the DDPM's; the FID in the evaluation "
                    f"classifier's features is {_fmt(a['fid_digit'], 2)} for the ACGAN and {_fmt(d['fid_digit'], 2)} "
                    f"for the DDPM (lower is closer to MNIST-M val).")
        ta = next(float(t["seconds"]) for t in times if t["generator"] == "acgan" and t["phase"].startswith("samp"))
        td = next(float(t["seconds"]) for t in times if t["generator"] == "ddpm" and t["phase"].startswith("samp"))
        text.append(f" Sampling the 1000 images took {ta:.2f} s (one forward pass per batch) against {td:.1f} s.")
    else:
        baselines = " (2021's baselines: 70 / 80 %)" if judge == "official_classifier" else ""
        for r in rows:
            text.append(f"By the {judge_name}, {_fmt(r[f'acc_{judge}'])} % of the "
                        f"{names.get(r['generator'], r['generator'])}'s 1000 digits are read as the digit asked for"
                        f"{baselines}; the lowest and highest digit: "
                        + " and ".join(f"{dg} ({_fmt(r[f'acc_{judge}_{dg}'])} %)" for dg in sorted(
                            range(10), key=lambda dg: float(r[f"acc_{judge}_{dg}"]))[::9]) + ".")
    if rows[0].get("fid_inception", "").startswith("not computed"):
        text.append(" The Inception metrics are not computed: no local Inception weights were configured "
                    "(README, \"Generative metrics\"); the digit-feature numbers compare models with each "
                    "other only, not with published FIDs.")
    judges = [j for j in ("eval_classifier", "official_classifier") if f"acc_{j}" in rows[0]]
    per_digit = [[str(dg)] + [_fmt(r[f"acc_{j}_{dg}"]) for j in judges for r in rows] for dg in range(10)]
    heads = ["digit"] + [f"{names.get(r['generator'], r['generator'])}, {j.replace('_', ' ')}"
                         for j in judges for r in rows]
    which = "the two generators on the same MNIST-M digits, judged alike" if len(rows) > 1 else (
        "the 1000 generated digits, judged against MNIST-M val")
    return {"scores": [("table", [""] + [names.get(r["generator"], r["generator"]) for r in rows], table,
                        f"Table 4.1: {which}."), ("p", "".join(text))] + official_note(preset, judges),
            "grids": [("img", os.path.join(root, folder, "grids.png"),
                       "Figure 4.1: ten samples per digit" + (" of each generator" if len(rows) > 1 else "")
                       + " (row: digit; column: the same noise in every row).")],
            "per_digit": [("table", heads, per_digit, "Table 4.2: accuracy (%) per digit.")],
            "curves": [("img", os.path.join(root, folder, "training_curves.png"),
                        "Figure 4.2: training curves (" + ("DDPM: denoising loss; " if "ddpm" in by else "")
                        + "ACGAN: discriminator and generator losses).")]}


def generators(root: str, preset: dict) -> list:
    """The DDPM and the ACGAN side by side (the 'Beyond 2023' section)."""
    p = generator_parts(root, preset)
    return ([("h1", SECTIONS[3]), ("p", _acgan_recipe(preset["acgan"]))] + p["scores"] + p["grids"]
            + p["per_digit"] + p["curves"])


def _face_gan_recipe(method: str, cfg: dict) -> str:
    loss = {"dcgan": "the non-saturating GAN loss with batch norm in both networks",
            "wgan_gp": (f"the Wasserstein loss with a gradient penalty (weight {cfg.get('gp_weight', 0):g}) and "
                        f"{cfg.get('n_critic', 1)} critic steps per generator step, no batch norm in the critic"),
            "sagan": "the hinge loss, spectral norm in both networks and self-attention at 16x16"}[method]
    return (f"{FACE_GAN_NAMES[method]}: {loss}; {cfg['epochs']} epochs of batch {cfg['batch_size']}, noise of "
            f"{cfg['z_dim']} dimensions, widths {cfg['g_channels']} (generator) / {cfg['d_channels']} "
            f"(discriminator), Adam {cfg['lr_g']:g} / {cfg['lr_d']:g} (generator / discriminator), betas "
            f"{cfg['beta1']:g}/{cfg['beta2']:g}, faces drawn from an EMA of the generator "
            f"(decay {cfg['ema_decay']:g}).")


def face_gan_parts(root: str, preset: dict, folder: str = "face_gan") -> dict:
    """The face GANs of 2021/2022 problem 1 side by side (``folder``'s summary.csv and figures: face_gan/
    every method, face_gan/2022/ and face_gan/2021/ those a year's `all` trains), as named lists of blocks
    without headings: arch (each method's recipe and printed networks), first32 (the figure), scores (the
    table and what it shows), curves; and rows, the summary's rows."""
    summary, first32, curves = (f"{folder}/{name}" for name in ("summary.csv", "first32.png", "training_curves.png"))
    _require(root, summary, first32, curves)
    rows = read_csv(os.path.join(root, summary))
    by = {r["method"]: r for r in rows}
    gans = [r for r in rows if r["method"] in FACE_GAN_NAMES]
    if not gans or not {"real_val", "real_train"} <= set(by):
        raise UserError(f"{os.path.join(root, summary)} lacks the GAN or real-face rows")
    inception = not gans[0]["fid_inception"].startswith("not computed")
    heads = ["", "face detection (%)", "faces scored", "FID (face emb.)", "KID (face emb.)"]
    heads += ["FID (Inception)", "IS (Inception)"] if inception else []
    heads += ["training (s)", "sampling 1000 (s)", "generator parameters"]
    table = []
    for r in rows:
        name = FACE_GAN_NAMES.get(r["method"]) or {"real_val": "real val faces (reference)",
                                                   "real_train": "real train faces",
                                                   "lfw": "LFW faces (100)"}.get(r["method"], r["method"])
        cells = [_cell(r["face_detection_rate"], 1) if r["face_detection_rate"] else "", r["scored"],
                 _cell(r["fid_face"], 3) if r["fid_face"] else "", _cell(r["kid_face"], 4) if r["kid_face"] else ""]
        if inception:
            cells += [_cell(r["fid_inception"], 2) if r["fid_inception"] else "",
                      _cell(r["is_inception"], 3) if r["is_inception"] else ""]
        cells += [_cell(r[k], d) if r[k] else "" for k, d in (("training_seconds", 1), ("sampling_seconds", 2),
                                                              ("generator_parameters", 0))]
        table.append([name] + cells)
    best_fid = min(gans, key=lambda r: float(r["fid_face"]))
    best_det = max(gans, key=lambda r: float(r["face_detection_rate"]))
    floor = float(by["real_train"]["fid_face"])
    one = len(gans) == 1
    text = [f"Against all {by['real_val']['faces']} val faces, the {'' if one else 'lowest '}FID in dlib's face "
            f"embeddings is {FACE_GAN_NAMES[best_fid['method']]}'s ({float(best_fid['fid_face']):.3f}); "
            f"{by['real_train']['scored']} real train faces score {floor:.3f}, the floor a generator's faces can "
            f"reach, so {FACE_GAN_NAMES[best_fid['method']]} stands at {float(best_fid['fid_face']) / floor:.1f} "
            "times it." if floor > 0 else "",
            "" if one else " By face FID the methods rank " + " < ".join(
                f"{FACE_GAN_NAMES[r['method']]} {float(r['fid_face']):.3f}"
                for r in sorted(gans, key=lambda r: float(r["fid_face"]))) + ".",
            f" dlib's detector finds exactly one face in {float(best_det['face_detection_rate']):.1f} % of "
            f"{FACE_GAN_NAMES[best_det['method']]}'s faces{'' if one else f', the most of the {len(gans)} methods'}, "
            f"against {float(by['real_val']['face_detection_rate']):.1f} % of the real val faces "
            "(2022's baselines: 85 / 90 %)."]
    if "lfw" in by:
        text.append(f" The 100 real LFW faces scikit-image ships score {float(by['lfw']['face_detection_rate']):.1f} % "
                    f"by the detector and a face FID of {float(by['lfw']['fid_face']):.3f} against these val faces "
                    "(other people, grey, upscaled from 25x25).")
    text.append(" The face FID is an offline stand-in: comparable between the rows of this table, not with the "
                "course's Inception FID" + ("." if inception else
                                            ", which is not computed here (no local Inception weights configured)."))
    from .models.face_gan import discriminator, generator

    arch = []
    for r in gans:
        m, cfg = r["method"], preset[r["method"]]
        arch += [("p", _face_gan_recipe(m, cfg)),
                 ("pre", f"{FACE_GAN_NAMES[m]} generator:\n{generator(m, cfg['z_dim'], cfg['g_channels'])}\n\n"
                         f"{FACE_GAN_NAMES[m]} {'critic' if m == 'wgan_gp' else 'discriminator'}:\n"
                         f"{discriminator(m, cfg['d_channels'])}")]
    return {"arch": arch, "rows": rows,
            "first32": [("img", os.path.join(root, first32),
                         "Figure: the first 32 faces" + (" of the generator." if one else " of each method."))],
            "scores": [("table", heads, table,
                        "Table: the face GANs beside real faces, scored alike against the val faces."),
                       ("p", "".join(text))],
            "curves": [("img", os.path.join(root, curves),
                        "Figure: training curves (discriminator or critic and generator losses per epoch).")]}


def face_gans(root: str, preset: dict) -> list:
    """The face GANs' section of the face_gans target's report."""
    p = face_gan_parts(root, preset)
    return ([("h1", FACE_GAN_SECTION),
             ("p", "2021/2022 problem 1: unconditional GANs on the 64x64 face images, each sampling 1000 faces "
                   "from a fixed seed."),
             ("h2", "Model architectures")] + p["arch"] +
            [("h2", "The first 32 faces of each method, and how they differ")] + p["first32"] + p["scores"] +
            [("h2", "Training")] + p["curves"])


def face_gan_document(root: str, preset: dict, device_note: str) -> list:
    """The report of the face_gans target: the face GANs, their jobs' runtime, the environment."""
    title = [("title", "DLCV HW2: GANs on faces (2021/2022 problem 1)"),
             ("p", f"Built by `snakemake face_gans` from the results of this run ('{preset['_name']}' preset).")]
    return title + face_gans(root, preset) + runtime(root, only="face") + environment(device_note)


def official_note(preset: dict, judges: list) -> list:
    """Where the run had no official classifier: why its evaluations are missing, and that the course's
    baselines (set by that classifier) do not apply to the evaluation classifier's figures."""
    if "official_classifier" in judges:
        return []
    path = preset.get("_official_classifier", "Classifier.pth")
    return [("p", f"The official evaluations were skipped: the course's digit classifier was not found at {path} "
                  "(setting official_classifier; the course template puts Classifier.pth at the repository root). "
                  "The accuracies here are the evaluation classifier's; the course's baselines refer to the "
                  "official classifier and are not compared with them.")]


# The papers and libraries the homework's problems use, cited in each report's References section.
REFERENCES = {
    "ddpm": "J. Ho, A. Jain, P. Abbeel. Denoising Diffusion Probabilistic Models. NeurIPS 2020.",
    "cfg": "J. Ho, T. Salimans. Classifier-Free Diffusion Guidance. NeurIPS 2021 Workshop on Deep Generative "
           "Models and Downstream Applications (arXiv:2207.12598).",
    "ddim": "J. Song, C. Meng, S. Ermon. Denoising Diffusion Implicit Models. ICLR 2021.",
    "dann": "Y. Ganin, V. Lempitsky. Unsupervised Domain Adaptation by Backpropagation. ICML 2015; Y. Ganin et al. "
            "Domain-Adversarial Training of Neural Networks. JMLR 17(59), 2016.",
    "dsn": "K. Bousmalis, G. Trigeorgis, N. Silberman, D. Krishnan, D. Erhan. Domain Separation Networks. "
           "NeurIPS 2016.",
    "dcgan": "A. Radford, L. Metz, S. Chintala. Unsupervised Representation Learning with Deep Convolutional "
             "Generative Adversarial Networks. ICLR 2016.",
    "wgan_gp": "I. Gulrajani, F. Ahmed, M. Arjovsky, V. Dumoulin, A. Courville. Improved Training of Wasserstein "
               "GANs. NeurIPS 2017.",
    "sagan": "H. Zhang, I. Goodfellow, D. Metaxas, A. Odena. Self-Attention Generative Adversarial Networks. "
             "ICML 2019.",
    "sn": "T. Miyato, T. Kataoka, M. Koyama, Y. Yoshida. Spectral Normalization for Generative Adversarial "
          "Networks. ICLR 2018.",
    "acgan": "A. Odena, C. Olah, J. Shlens. Conditional Image Synthesis with Auxiliary Classifier GANs. ICML 2017.",
    "fid": "M. Heusel, H. Ramsauer, T. Unterthiner, B. Nessler, S. Hochreiter. GANs Trained by a Two Time-Scale "
           "Update Rule Converge to a Local Nash Equilibrium. NeurIPS 2017.",
    "is": "T. Salimans, I. Goodfellow, W. Zaremba, V. Cheung, A. Radford, X. Chen. Improved Techniques for "
          "Training GANs. NeurIPS 2016.",
    "kid": "M. Binkowski, D. J. Sutherland, M. Arbel, A. Gretton. Demystifying MMD GANs. ICLR 2018.",
    "tsne": "L. van der Maaten, G. Hinton. Visualizing Data using t-SNE. JMLR 9, 2008.",
    "torch_fidelity": "A. Obukhov, M. Seitzer, P.-W. Wu, S. Zhydenko, J. Kyl, E. Y.-J. Lin. torch-fidelity: "
                      "High-fidelity performance metrics for generative models in PyTorch, 2020 (version 0.4.0). "
                      "https://github.com/toshas/torch-fidelity",
    "dlib": "D. E. King. Dlib-ml: A Machine Learning Toolkit. JMLR 10, 2009 (dlib 20.0: the HOG frontal-face "
            "detector and the face-recognition ResNet, with the face-recognition-models package).",
    "pytorch": "A. Paszke et al. PyTorch: An Imperative Style, High-Performance Deep Learning Library. NeurIPS 2019.",
    "sklearn": "F. Pedregosa et al. Scikit-learn: Machine Learning in Python. JMLR 12, 2011.",
    "snakemake": "F. Mölder et al. Sustainable data analysis with Snakemake. F1000Research 10:33, 2021.",
    "fpdf2": "fpdf2, a PDF library for Python (version 2.8). https://github.com/py-pdf/fpdf2",
}


def references(uses: list) -> list:
    """The References section: (key of REFERENCES, what it was used for) in the order of first use."""
    order = list(dict.fromkeys(key for key, _ in uses))
    used = {key: [] for key in order}
    for key, what in uses:
        if what not in used[key]:
            used[key].append(what)
    return [("h1", "References")] + [("p", f"[{i}] {REFERENCES[key]} \u2014 used for: {'; '.join(used[key])}.")
                                     for i, key in enumerate(order, start=1)]


TOOLS = [("pytorch", "every network"), ("snakemake", "the workflow"), ("fpdf2", "this PDF")]
REFERENCES_2023 = [("ddpm", "problem 1"), ("cfg", "problem 1 (guidance)"), ("ddim", "problems 1 and 2 (sampling)"),
                   ("dann", "problem 3"), ("tsne", "problem 3 (t-SNE, with scikit-learn)"), ("sklearn", "t-SNE"),
                   ("acgan", "the conditional GAN beside the DDPM"), ("sn", "the ACGAN's discriminator"),
                   ("fid", "FID of the generators"), ("is", "IS of the generators"), ("kid", "KID of the generators"),
                   ("torch_fidelity", "FID, IS and KID"), *TOOLS]


def _last_benchmark(path):
    """The last record of a Snakemake benchmark TSV (None when absent or empty)."""
    if not os.path.isfile(path):
        return None
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return rows[-1] if rows else None


def _bench_seconds(root, rel):
    r = _last_benchmark(os.path.join(root, "benchmarks", rel))
    return float(r["s"]) if r else None


def runtime(root: str, only: str = "") -> list:
    """Every job's benchmark record (those whose name holds ``only``, when given)."""
    rows = []
    for path in sorted(glob.glob(os.path.join(root, "benchmarks", "**", "*.tsv"), recursive=True)):
        r = _last_benchmark(path)
        if not r:
            continue
        name = os.path.relpath(path, os.path.join(root, "benchmarks"))[:-4]
        if name.startswith("report") or name == "face_gan_report" or only not in name:  # reports come after
            continue
        rows.append([name, _fmt(r["s"]), r["max_rss"] if r["max_rss"] != "-" else "-"])
    total = sum(float(r[1]) for r in rows)
    return [("h1", SECTIONS[4]),
            ("p", f"{len(rows)} jobs, {total:.0f} s in all (wall time of each job as Snakemake's benchmark "
                  "directive measured it; jobs may have run in parallel)."),
            ("table", ["job", "seconds", "peak RSS (MB)"], rows, "Table 5.1: runtime and memory per job.")]


def environment(device_note: str) -> list:
    import numpy
    import torch
    import torchvision

    rows = [["Python", platform.python_version()], ["PyTorch", torch.__version__],
            ["torchvision", torchvision.__version__], ["NumPy", numpy.__version__],
            ["platform", platform.platform()], ["CPU cores", str(os.cpu_count())],
            ["GPU", torch.cuda.get_device_name(0) if torch.cuda.is_available() else "none"],
            ["training device (from the logs)", device_note]]
    return [("h1", SECTIONS[5]), ("table", ["", ""], rows, "Table 6.1: the environment that built this report.")]


def build_document(root: str, preset: dict, scenarios: list, have_faces: bool, device_note: str) -> list:
    title = [("title", "DLCV Fall 2023 HW2 report"),
             ("p", f"Built by `snakemake report` from the results of this run ('{preset['_name']}' preset).")]
    doc = title + problem1(root, preset) + problem2(root, have_faces)
    if scenarios:
        doc += problem3(root, preset, scenarios)
    doc += generators(root, preset)
    return doc + runtime(root) + environment(device_note) + references(REFERENCES_2023)


# ------------------------------------------------------------------------------------------ HTML
CSS = """body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;padding:.2em .6em;text-align:left}
th{background:#eee}img{max-width:100%}figure{margin:1em 0}figcaption,caption{font-size:.9em;color:#555}
pre{font-size:.75em;background:#f6f6f6;padding:.5em;overflow-x:auto}"""


def render_html(doc: list) -> str:
    out = ["<!DOCTYPE html>", "<html lang='en'><head><meta charset='utf-8'>"]
    title = next(b[1] for b in doc if b[0] == "title")
    out += [f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>"]
    for block in doc:
        kind = block[0]
        if kind == "title":
            out.append(f"<h1>{html.escape(block[1])}</h1>")
        elif kind in ("h1", "h2"):
            tag = {"h1": "h2", "h2": "h3"}[kind]  # the title is the page's h1
            out.append(f"<{tag}>{html.escape(block[1])}</{tag}>")
        elif kind == "p":
            out.append(f"<p>{html.escape(block[1])}</p>")
        elif kind == "pre":
            out.append(f"<pre>{html.escape(block[1])}</pre>")
        elif kind == "img":
            data = base64.b64encode(open(block[1], "rb").read()).decode("ascii")
            out.append(f"<figure><img src='data:image/png;base64,{data}' alt='{html.escape(block[2])}'>"
                       f"<figcaption>{html.escape(block[2])}</figcaption></figure>")
        elif kind == "table":
            _, header, rows, caption = block
            out.append(f"<table><caption>{html.escape(caption)}</caption><tr>"
                       + "".join(f"<th>{html.escape(str(h))}</th>" for h in header) + "</tr>")
            out += ["<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows]
            out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------------------------------- PDF
def _font_path(name="DejaVuSans.ttf"):
    import matplotlib

    return os.path.join(matplotlib.get_data_path(), "fonts", "ttf", name)


def render_pdf(doc: list, path: str) -> int:
    """Write the PDF; every top-level section starts a new page. Returns the page count."""
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.creation_date = None  # no timestamp: the same results give the same bytes
    pdf.add_font("DejaVu", "", _font_path("DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", _font_path("DejaVuSans-Bold.ttf"))
    pdf.add_font("DejaVuMono", "", _font_path("DejaVuSansMono.ttf"))
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_margins(18, 15, 18)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.add_page()
    for block in doc:
        kind = block[0]
        if kind == "title":
            pdf.set_font("DejaVu", "B", 18)
            pdf.multi_cell(width, 10, block[1], new_x="LMARGIN", new_y="NEXT")
        elif kind == "h1":
            pdf.add_page()
            pdf.set_font("DejaVu", "B", 15)
            pdf.multi_cell(width, 8, block[1], new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif kind == "h2":
            if pdf.h - pdf.b_margin - pdf.get_y() < 40:  # no heading at the foot of a page
                pdf.add_page()
            pdf.ln(2)
            pdf.set_font("DejaVu", "B", 12)
            pdf.multi_cell(width, 7, block[1], new_x="LMARGIN", new_y="NEXT")
        elif kind == "p":
            pdf.set_font("DejaVu", "", 10)
            pdf.multi_cell(width, 5, block[1], new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif kind == "pre":
            pdf.set_font("DejaVuMono", "", 6)
            pdf.multi_cell(width, 2.8, block[1], new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif kind == "img":
            from PIL import Image

            with Image.open(block[1]) as im:
                w_px, h_px = im.size
            w = min(width, w_px * 0.25)  # 0.25 mm per pixel, at most the text width
            h = w * h_px / w_px
            max_h = pdf.h - pdf.t_margin - pdf.b_margin - 12
            if h > max_h:
                w, h = w * max_h / h, max_h
            room = pdf.h - pdf.b_margin - pdf.get_y() - 10
            if h > room >= 0.6 * h:  # shrink a little rather than leave a heading alone at a page end
                w, h = w * room / h, room
            elif h > room:
                pdf.add_page()
            pdf.image(block[1], x=pdf.l_margin + (width - w) / 2, w=w, h=h)
            pdf.set_font("DejaVu", "", 8)
            pdf.multi_cell(width, 4, block[2], new_x="LMARGIN", new_y="NEXT", align="C")
            pdf.ln(2)
        elif kind == "table":
            _, header, rows, caption = block
            pdf.set_font("DejaVu", "", 8)
            # the caption goes above the table, as in the HTML, and never alone at the foot of a page
            if pdf.h - pdf.b_margin - pdf.get_y() < 25:
                pdf.add_page()
            pdf.multi_cell(width, 4, caption, new_x="LMARGIN", new_y="NEXT", align="C")
            pdf.ln(1)
            with pdf.table(text_align="LEFT", first_row_as_headings=any(header), line_height=4.5) as t:
                if any(header):
                    t.row([str(h) for h in header])
                for row in rows:
                    t.row([str(c) for c in row])
            pdf.ln(2)
    pdf.output(path)
    return pdf.pages_count
