"""What the reports say, as named lists of typed blocks that the documents (homework.py, years.py) put
under their headings: every number is read from a run's files (metrics CSV/JSON, benchmark TSVs, the
checkpoints' own settings), and the connecting text only states comparisons computed from them. Names,
recipes and papers of the methods come from their registries."""

import csv
import json
import math
import os
import platform

from .. import course, paths
from ..core.cli import UserError
from ..data.scenarios import title
from ..methods.face_gan import FACE_GANS, REAL_FACES, build_discriminator, build_generator, recipe
from ..methods.generators import DIGIT_GENERATORS
from ..methods.uda import UDA_METHODS
from ..metrics.generative import COLLAPSE_SHARE, collapsed
from .blocks import Code, Figure, Heading, Paragraph, Table

JUDGES = {"official_classifier": "official classifier", "eval_classifier": "evaluation classifier"}
_ACGAN_YEAR = next(y for y in course.YEARS.values() if "acgan" in y.problems)
ACGAN_BASELINES = f"{_ACGAN_YEAR.name}'s baselines: {_ACGAN_YEAR.baseline('official_classifier').text}"
DETECTION_BASELINES = (
    f"{course.DETECTION_YEAR.name}'s baselines: {course.DETECTION_YEAR.baseline('face_detection_rate').text}"
)


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def fmt(value, digits=1):
    return f"{float(value):.{digits}f}"


def cell(value, digits):
    """A number with thousands separators and ``digits`` decimals; text (e.g. "not computed") as it is."""
    try:
        return f"{float(value):,.{digits}f}"
    except ValueError:
        return value


def is_number(value) -> bool:
    """Whether a table cell holds a number (not "", "not computed (...)" or None)."""
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def require(root, *names):
    missing = [n for n in names if not os.path.isfile(os.path.join(root, n))]
    if missing:
        raise UserError(f"results file {os.path.join(root, missing[0])} is missing (run the workflow first)")


def config_rows(section: dict):
    return [[k, json.dumps(v) if isinstance(v, (list, dict, bool)) else str(v)] for k, v in section.items()]


def _last_benchmark(path):
    """The last record of a Snakemake benchmark TSV (None when absent or empty)."""
    if not os.path.isfile(path):
        return None
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return rows[-1] if rows else None


def bench_seconds(root, rel):
    r = _last_benchmark(os.path.join(root, "benchmarks", rel))
    return float(r["s"]) if r else None


def official_note(preset: dict, judges: list) -> list:
    """Where the run had no official classifier: why its evaluations are missing, and that the course's
    baselines (set by that classifier) do not apply to the evaluation classifier's figures."""
    if "official_classifier" in judges:
        return []
    path = preset.get("_official_classifier", "Classifier.pth")
    return [
        Paragraph(
            f"The official evaluations were skipped: the course's digit classifier was not found at {path} "
            "(setting official_classifier; the course template puts Classifier.pth at the repository "
            "root). The accuracies here are the evaluation classifier's; the course's baselines refer "
            "to the official classifier and are not compared with them."
        )
    ]


# ------------------------------------------------------------------------------ the DDPM (2023 P1, 2022 P2)
def _ddpm_architecture(root: str, cfg: dict) -> list:
    model = DIGIT_GENERATORS["ddpm"].networks(cfg)["UNet"]
    n_params = sum(p.numel() for p in model.parameters())
    patch = cfg.get("patch", 1)
    folding = f"{patch}x{patch} pixel folding" if patch > 1 else "no pixel folding"
    conditioning = "through a scale and shift of its group norm" if cfg.get("scale_shift") else "as a per-channel bias"
    predicts = "the noise eps" if cfg.get("prediction", "eps") == "eps" else "the clean image x0"
    return [
        Paragraph(
            f"A class-conditional UNet written for this project with {n_params:,} parameters "
            f"(base width {cfg['base_channels']}, width multipliers {cfg['channel_mults']}, "
            f"{cfg['num_res_blocks']} residual block(s) per level, "
            f"{'self-attention at the lowest resolution' if cfg['attention'] else 'no attention'}, "
            f"{folding}). The timestep (sinusoidal embedding and MLP) and the label (learned embedding "
            'with an extra "no label" token for classifier-free guidance) are summed and condition '
            f"every residual block {conditioning}. The network predicts {predicts}."
        ),
        Figure(
            os.path.join(root, "ddpm/figures/unet_diagram.png"),
            "the UNet as configured for this run (resolution and channels per block).",
        ),
        Code(str(model)),
    ]


def _guidance_price(g: list, graded: float) -> str:
    """What the graded guidance weight costs in recall, against the unguided point of the sweep."""
    at = {float(r["guidance"]): r for r in g}
    if graded not in at or 0.0 not in at or not all(is_number(at[w]["recall_digit"]) for w in (0.0, graded)):
        return ""
    r0, rg = at[0.0], at[graded]
    return (
        f" The graded script samples at w = {graded:g}: there precision is {float(rg['precision_digit']):.3f} and "
        f"recall {float(rg['recall_digit']):.3f} in the evaluation classifier's features, against "
        f"{float(r0['precision_digit']):.3f} and {float(r0['recall_digit']):.3f} without guidance (w = 0): "
        f"guidance buys {float(rg['acc_eval_classifier']) - float(r0['acc_eval_classifier']):+.1f} points of "
        f"accuracy and costs {float(r0['recall_digit']) - float(rg['recall_digit']):.3f} of recall, the digits of "
        "each class drawn more alike."
    )


def _ddpm_sweeps(root: str, graded: float) -> list:
    sweep = read_csv(os.path.join(root, "ddpm/sweep.csv"))
    g = [r for r in sweep if r["sweep"] == "guidance"]
    s = [r for r in sweep if r["sweep"] == "steps"]
    official = bool(sweep) and "acc_official_classifier" in sweep[0]  # absent when the run had no official classifier
    blocks = [
        Table(
            ["sweep", "sampler", "steps", "w", "images", "seconds", "eval. classifier"]
            + (["official"] if official else [])
            + ["precision", "recall"],
            [
                [
                    r["sweep"],
                    r["sampler"],
                    r["steps"],
                    r["guidance"],
                    r["images"],
                    r["seconds"],
                    r["acc_eval_classifier"],
                ]
                + ([r["acc_official_classifier"] or "-"] if official else [])
                + [cell(r["precision_digit"], 3), cell(r["recall_digit"], 3)]
                for r in sweep
            ],
            "accuracy (%), precision and recall (digit features, k = 3, against as many MNIST-M val digits) "
            "against guidance weight and against the number of sampling steps.",
        )
    ]
    if g:
        best = max(g, key=lambda r: float(r["acc_eval_classifier"]))
        blocks += [
            Paragraph(
                f"By the evaluation classifier, accuracy is {g[0]['acc_eval_classifier']} % at "
                f"w = {g[0]['guidance']} and highest, {best['acc_eval_classifier']} %, at "
                f"w = {best['guidance']} (of w = {', '.join(r['guidance'] for r in g)})." + _guidance_price(g, graded)
            ),
            Figure(
                os.path.join(root, "ddpm/figures/accuracy_vs_guidance.png"),
                "accuracy (left) and precision and recall (right) against guidance weight w; the dashed line "
                "marks the graded w.",
            ),
        ]
    if s:
        fast, slow = min(s, key=lambda r: float(r["seconds"])), max(s, key=lambda r: float(r["seconds"]))
        blocks += [
            Paragraph(
                f"With w = {s[0]['guidance']}: {fast['steps']} {fast['sampler'].upper()} steps take "
                f"{fast['seconds']} s for {fast['images']} images ({fast['acc_eval_classifier']} %), "
                f"{slow['steps']} {slow['sampler'].upper()} steps take {slow['seconds']} s "
                f"({slow['acc_eval_classifier']} %)."
            ),
            Figure(
                os.path.join(root, "ddpm/figures/accuracy_vs_steps.png"),
                "accuracy against the number of sampling steps.",
            ),
            Figure(
                os.path.join(root, "ddpm/figures/time_vs_steps.png"),
                "sampling time against the number of sampling steps.",
            ),
        ]
    return blocks


def ddpm(root: str, preset: dict) -> dict:
    """The DDPM's answers: arch, details, images (the timing and the 10x10 grid), reverse, accuracy,
    sweeps."""
    from ..core.files import load_torch

    require(
        root,
        "ddpm/model.pt",
        "ddpm/accuracy.csv",
        "ddpm/loss.csv",
        "ddpm/sweep.csv",
        "ddpm/figures/unet_diagram.png",
        "eval_classifier/metrics.json",
        "ddpm/sampling_time.json",
    )
    cfg = load_torch(os.path.join(root, "ddpm/model.pt"), what="DDPM model")["config"]
    loss = read_csv(os.path.join(root, "ddpm/loss.csv"))
    rows = config_rows(preset["ddpm"]) + [[f"sampling.{k}", v] for k, v in config_rows(preset["ddpm_sampling"])]
    train_s = bench_seconds(root, "train_ddpm.tsv")
    acc = read_csv(os.path.join(root, "ddpm/accuracy.csv"))
    with open(os.path.join(root, "eval_classifier/metrics.json")) as f:
        evalc = json.load(f)
    with open(os.path.join(root, "ddpm/sampling_time.json")) as f:
        timing = json.load(f)
    judges = [c for c in ("eval_classifier", "official_classifier") if c in acc[0]]
    overall = acc[-1]
    recipe_text = DIGIT_GENERATORS["ddpm"].describe({**preset["ddpm"], **cfg})
    return {
        "arch": _ddpm_architecture(root, cfg),
        "details": [
            Paragraph(
                f"{recipe_text} {len(loss)} epochs; the mean training loss went from "
                f"{float(loss[0]['loss']):.4f} (epoch 1) to {float(loss[-1]['loss']):.4f} "
                f"(epoch {loss[-1]['epoch']})" + (f"; training took {train_s:.0f} s." if train_s else ".")
            ),
            Table(["setting", "value"], rows, f"the configuration used (preset '{preset['_name']}')."),
            Figure(os.path.join(root, "ddpm/figures/loss.png"), "training loss per epoch."),
        ],
        "images": [
            Paragraph(
                f"The {timing['images']} graded images ({timing['sampler'].upper()} with {timing['steps']} "
                f"steps, guidance w = {timing['guidance']}) took {timing['seconds']:.1f} s on "
                f"{timing['device']}."
            ),
            Figure(
                os.path.join(root, "ddpm/figures/grid.png"),
                "ten samples per digit (rows: digits 0-9, columns: the same ten noises).",
            ),
        ],
        "reverse": [
            Figure(
                os.path.join(root, "ddpm/figures/reverse_process.png"),
                'the reverse process of the first "0" at six timesteps, from pure noise to the image.',
            )
        ],
        "accuracy": [
            Table(
                ["digit"] + [JUDGES[j] for j in judges],
                [[r["digit"]] + [fmt(r[j]) for j in judges] for r in acc],
                "accuracy (%) of the 1000 images per digit.",
            ),
            Paragraph(
                "Overall: "
                + ", ".join(f"{JUDGES[j]} {fmt(overall[j])} %" for j in judges)
                + f". The evaluation classifier (trained by this workflow on MNIST-M train) reads "
                f"{evalc['target_val_accuracy']:.1f} % of MNIST-M val correctly."
            ),
            *official_note(preset, judges),
        ],
        "sweeps": _ddpm_sweeps(root, float(preset["ddpm_sampling"]["guidance"])),
    }


# ----------------------------------------------------------------------------------------- DDIM (2023 P2)
def ddim(root: str, have_faces: bool) -> dict:
    """Problem 2's answers: intro, eta (the grid, what it shows, the MSE table), interpolation."""
    require(
        root,
        "ddim/figures/eta_grid.png",
        "ddim/figures/interpolation_slerp.png",
        "ddim/figures/interpolation_linear.png",
        "ddim/grid_stats.csv",
    )
    stats = {}  # {measure: {setting: value}}, in the file's order
    for r in read_csv(os.path.join(root, "ddim/grid_stats.csv")):
        stats.setdefault(r["measure"], {})[r["setting"]] = float(r["value"])
    model = (
        "the course's pretrained face UNet"
        if have_faces
        else "the problem-1 digit model, standing in because no face data (hw2_data/face) was present"
    )
    eta = [
        Figure(
            os.path.join(root, "ddim/figures/eta_grid.png"),
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
    if os.path.isfile(os.path.join(root, "ddim/mse.csv")):
        rows = read_csv(os.path.join(root, "ddim/mse.csv"))
        eta.append(
            Table(
                ["image", "MSE (0-255)"],
                [[r["image"], r["mse"]] for r in rows],
                "mean squared error of the eta = 0 images against the ground truth.",
            )
        )
    interpolation = [
        Figure(
            os.path.join(root, "ddim/figures/interpolation_slerp.png"),
            "spherical linear interpolation (slerp), alpha = 0.0 ... 1.0.",
        ),
        Figure(
            os.path.join(root, "ddim/figures/interpolation_linear.png"), "linear interpolation, alpha = 0.0 ... 1.0."
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


# ----------------------------------------------------------------------------------- domain adaptation (P3)
def dann_cells(root: str, scenario_names: list, table: str = paths.uda_table()):
    """The accuracy table of a run as {(scenario, method): row}, and its methods in the registry's order;
    every method must have a row in every scenario."""
    require(root, table)
    cells = {(r["scenario"], r["setting"]): r for r in read_csv(os.path.join(root, table))}
    methods = [m for m in UDA_METHODS if any(k[1] == m for k in cells)]
    for s in scenario_names:
        for m in methods:
            if (s, m) not in cells:
                raise UserError(f"{root}/{table} has no row for {m} in {s} (run the workflow first)")
    return cells, methods


def _comparisons(mean: dict) -> list:
    """What one scenario's means show: each adapting method against source-only and target-only, DSN
    against DANN."""
    said = []
    for m in (m for m in UDA_METHODS if UDA_METHODS[m].adapts and m in mean):
        name = m.upper()
        if "source_only" in mean:
            gap = mean[m] - mean["source_only"]
            said.append(
                f"{name} is {gap:.1f} points above source-only"
                if gap > 0
                else f"{name} is {-gap:.1f} points below source-only"
                if gap < 0
                else f"{name} equals source-only"
            )
        if "target_only" in mean:
            gap = mean["target_only"] - mean[m]
            said.append(f"{name} is {abs(gap):.1f} points {'below' if gap >= 0 else 'above'} target-only")
    if "dann" in mean and "dsn" in mean:
        gap = mean["dsn"] - mean["dann"]
        said.append(f"DSN is {abs(gap):.1f} points {'above' if gap >= 0 else 'below'} DANN")
    return said


def tsne(root: str, scenario_names: list, methods: list) -> list:
    """The t-SNE figures of DANN's features and DSN's shared features, by digit and by domain."""
    blocks = []
    for method in (m for m in UDA_METHODS if UDA_METHODS[m].tsne and m in methods):
        stem, what = UDA_METHODS[method].tsne, UDA_METHODS[method].features
        for s in scenario_names:
            require(root, paths.tsne(s, stem, "digit"), paths.tsne(s, stem, "domain"))
            blocks += [
                Figure(os.path.join(root, paths.tsne(s, stem, by)), f"{title(s)}, {what} coloured by {by}.")
                for by in ("digit", "domain")
            ]
    return blocks


def dann(root: str, preset: dict, scenario_names: list, table: str = paths.uda_table(), hide: tuple = ()) -> dict:
    """Problem 3's answers: where (validation or test), accuracy (the table, a row per method and a
    column per scenario, and what it shows per scenario), tsne (DANN's and DSN's features),
    implementation. ``hide``: methods left out (2021 shows DSN in its bonus section instead)."""
    cells, methods = dann_cells(root, scenario_names, table)
    methods = [m for m in methods if m not in hide]
    rows = []
    for setting in methods:
        row = [UDA_METHODS[setting].title]
        for s in scenario_names:
            r = cells[(s, setting)]
            seeds = f" (n={r['n_seeds']})" if int(r["n_seeds"]) > 1 else ""
            row.append(f"{fmt(r['mean'])} ± {fmt(r['sd'])}{seeds}")
        rows.append(row)
    splits = {cells[(s, methods[0])]["split"] for s in scenario_names}
    where = "validation" if splits == {"val"} else "test" if splits == {"test"} else "validation or test"
    accuracy = [
        Table(
            [""] + [title(s) for s in scenario_names],
            rows,
            f"target {where} accuracy (%), mean ± sd over {len(preset['dann']['seeds'])} seed(s).",
        )
    ]
    for s in scenario_names:
        mean = {m: float(cells[(s, m)]["mean"]) for m in methods}
        said = _comparisons(mean)
        values = " / ".join(f"{mean[m]:.1f}" for m in methods)
        names = " / ".join(UDA_METHODS[m].title.lower() for m in methods)
        accuracy.append(
            Paragraph(f"{title(s)}: " + ("; ".join(said) + " " if said else "") + f"({names}: {values} %).")
        )
    d = preset["dann"]
    described = UDA_METHODS["dann"].describe(d) + (UDA_METHODS["dsn"].describe(d) if "dsn" in methods else "")
    implementation = [
        Paragraph(
            f"A five-convolution feature extractor (width {d['width']}) with BatchNorm, a label predictor "
            f"and a domain classifier (hidden size {d['hidden']}), joined by a gradient-reversal layer "
            f"whose weight follows lambda = 2 / (1 + exp(-{d['grl_gamma']:g} p)) - 1 times "
            f"{d['domain_weight']:g} (p = training progress). Source-only trains on labelled source "
            "images, DANN adds the unlabelled target train images, target-only trains on labelled target "
            f"images; all are evaluated on target {where}, and every run keeps its last epoch (no target "
            "label chooses a checkpoint)." + described
        ),
        Table(["setting", "value"], config_rows(d), "the configuration used."),
    ]
    return {
        "where": where,
        "accuracy": accuracy,
        "tsne": tsne(root, scenario_names, methods),
        "implementation": implementation,
    }


# ------------------------------------------------------------------------------ the digit generators side by side
GEN_ROWS = (
    ("acc_official_classifier", "accuracy, official classifier (%)", 1),
    ("acc_eval_classifier", "accuracy, evaluation classifier (%)", 1),
    ("fid_digit", "FID, digit features (lower is better)", 2),
    ("kid_digit", "KID, digit features", 4),
    ("is_digit", "IS, digit classifier (at most 10)", 2),
    ("precision_digit", "precision, digit features (k = 3; fidelity)", 3),
    ("recall_digit", "recall, digit features (k = 3; variety)", 3),
    ("recall_digit_lowest", "lowest recall of one digit (against its own val digits)", 3),
    ("fid_inception", "FID, Inception", 2),
    ("kid_inception", "KID, Inception", 4),
    ("is_inception", "IS, Inception", 2),
    ("precision_inception", "precision, Inception", 3),
    ("recall_inception", "recall, Inception", 3),
    ("parameters", "parameters of the sampling network", 0),
)
REAL_DIGITS = "real_train"  # compare_generators.py's row of real train digits, the ceiling


def variety_text(name: str, precision, recall, ceiling, space: str, lowest=None) -> str:
    """One generator's precision and recall beside the real ceiling, in words, "collapsed" by the rule of
    :func:`~dlcv_hw2.metrics.generative.collapsed`; nothing when a figure was not computed (a tiny set)."""
    if not all(is_number(v) for v in (precision, recall, ceiling)):
        return ""
    text = (
        f" In {space}, {name} reads precision {float(precision):.3f} and recall {float(recall):.3f}, against "
        f"{float(ceiling):.3f} for as many real train images scored alike"
    )
    if is_number(lowest):
        text += f"; its least varied digit reads a recall of {float(lowest):.3f}"
    if collapsed(recall, ceiling):
        return (
            text + f". Its recall is below {COLLAPSE_SHARE:.0%} of the real one: {name} has collapsed, drawing "
            "far fewer kinds of image than the data holds, whatever its fidelity."
        )
    return text + "."


def _generator_text(rows: list, times: list, judge: str, real: dict) -> str:
    by = {r["generator"]: r for r in rows}
    judge_name = JUDGES[judge]
    name = {g: DIGIT_GENERATORS[g].name if g in DIGIT_GENERATORS else g for g in by}
    text = []
    if "ddpm" in by and "acgan" in by:
        d, a = by["ddpm"], by["acgan"]
        text.append(
            f"By the {judge_name}, {fmt(a[f'acc_{judge}'])} % of the ACGAN's 1000 digits are read as the "
            f"digit asked for, against {fmt(d[f'acc_{judge}'])} % of the DDPM's; the FID in the evaluation "
            f"classifier's features is {fmt(a['fid_digit'], 2)} for the ACGAN and {fmt(d['fid_digit'], 2)} "
            f"for the DDPM (lower is closer to MNIST-M val)."
        )
        ta = next(float(t["seconds"]) for t in times if t["generator"] == "acgan" and t["phase"].startswith("samp"))
        td = next(float(t["seconds"]) for t in times if t["generator"] == "ddpm" and t["phase"].startswith("samp"))
        text.append(f" Sampling the 1000 images took {ta:.2f} s (one forward pass per batch) against {td:.1f} s.")
    else:
        baselines = f" ({ACGAN_BASELINES} %)" if judge == "official_classifier" else ""
        for r in rows:
            extremes = sorted(range(10), key=lambda dg: float(r[f"acc_{judge}_{dg}"]))[::9]
            text.append(
                f"By the {judge_name}, {fmt(r[f'acc_{judge}'])} % of the {name[r['generator']]}'s 1000 digits "
                f"are read as the digit asked for{baselines}; the lowest and highest digit: "
                + " and ".join(f"{dg} ({fmt(r[f'acc_{judge}_{dg}'])} %)" for dg in extremes)
                + "."
            )
    for r in rows:
        text.append(
            variety_text(
                f"the {name[r['generator']]}",
                r["precision_digit"],
                r["recall_digit"],
                real["recall_digit"],
                "the evaluation classifier's features",
                r["recall_digit_lowest"],
            )
        )
    if rows[0].get("fid_inception", "").startswith("not computed"):
        text.append(
            " The Inception metrics are not computed: no local Inception weights were configured "
            '(README, "Generative metrics"); the digit-feature numbers compare models with each '
            "other only, not with published FIDs."
        )
    return "".join(text)


def generators(root: str, preset: dict, folder: str = "generators") -> dict:
    """The digit generators compared by compare_generators.py in ``folder`` (the DDPM and the ACGAN in
    generators/, the ACGAN alone in acgan/summary/): scores (the table and what it shows), grids,
    per_digit, curves."""
    require(
        root, f"{folder}/comparison.csv", f"{folder}/times.csv", f"{folder}/grids.png", f"{folder}/training_curves.png"
    )
    every = read_csv(os.path.join(root, folder, "comparison.csv"))
    rows = [r for r in every if r["generator"] != REAL_DIGITS]
    real = next(r for r in every if r["generator"] == REAL_DIGITS)
    times = read_csv(os.path.join(root, folder, "times.csv"))
    names = [
        DIGIT_GENERATORS[r["generator"]].name if r["generator"] in DIGIT_GENERATORS else r["generator"] for r in rows
    ]
    table = [
        [label] + [cell(r[key], digits) for r in rows + [real]] for key, label, digits in GEN_ROWS if key in rows[0]
    ]
    for phase in ("training", "sampling"):
        ts = [next(t for t in times if t["generator"] == r["generator"] and t["phase"].startswith(phase)) for r in rows]
        table.append(
            [f"{ts[0]['phase']} (s)" if phase == "sampling" else "training (s)"]
            + [fmt(t["seconds"]) for t in ts]
            + [""]
        )
    judge = "official_classifier" if "acc_official_classifier" in rows[0] else "eval_classifier"
    judges = [j for j in ("eval_classifier", "official_classifier") if f"acc_{j}" in rows[0]]
    per_digit = [
        [str(dg)] + [fmt(r[f"acc_{j}_{dg}"]) for j in judges for r in rows] + [cell(real[f"recall_digit_{dg}"], 3)]
        for dg in range(10)
    ]
    per_digit = [
        line[:-1] + [cell(r[f"recall_digit_{int(line[0])}"], 3) for r in rows] + line[-1:] for line in per_digit
    ]
    heads = ["digit"] + [f"{n}, {JUDGES[j]}" for j in judges for n in names]
    heads += [f"{n}, recall" for n in names] + ["real train, recall"]
    which = (
        "the two generators on the same MNIST-M digits, judged alike"
        if len(rows) > 1
        else ("the 1000 generated digits, judged against MNIST-M val")
    )
    curves = "; ".join(
        (
            "DDPM: denoising loss"
            if r["generator"] == "ddpm"
            else f"{DIGIT_GENERATORS[r['generator']].name}: discriminator and generator losses"
        )
        for r in rows
    )
    return {
        "scores": [
            Table([""] + names + ["real MNIST-M train"], table, f"{which}; real train digits scored alike."),
            Paragraph(_generator_text(rows, times, judge, real)),
            *official_note(preset, judges),
        ],
        "grids": [
            Figure(
                os.path.join(root, folder, "grids.png"),
                "ten samples per digit"
                + (" of each generator" if len(rows) > 1 else "")
                + " (row: digit; column: the same noise in every row).",
            )
        ],
        "per_digit": [
            Table(heads, per_digit, "accuracy (%) per digit, and recall per digit against that digit's val images.")
        ],
        "curves": [Figure(os.path.join(root, folder, "training_curves.png"), f"training curves ({curves}).")],
    }


def generator_architecture(preset: dict, generator: str) -> dict:
    """A digit generator's recipe (in words) and networks (printed)."""
    entry = DIGIT_GENERATORS[generator]
    cfg = preset[generator]
    return {
        "recipe": [Paragraph(entry.describe(cfg))],
        "networks": [Code("\n\n".join(f"{name}:\n{net}" for name, net in entry.networks(cfg).items()))],
    }


# ----------------------------------------------------------------------------------- the face GANs (P1 2021/2022)


def _face_text(rows: list) -> str:
    by = {r["method"]: r for r in rows}
    gans = [r for r in rows if r["method"] in FACE_GANS]
    name = {m: FACE_GANS[m].name for m in by if m in FACE_GANS}
    best_fid = min(gans, key=lambda r: float(r["fid_face"]))
    best_det = max(gans, key=lambda r: float(r["face_detection_rate"]))
    floor = float(by["real_train"]["fid_face"])
    one = len(gans) == 1
    inception = not gans[0]["fid_inception"].startswith("not computed")
    text = [
        f"Against all {by['real_val']['faces']} val faces, the {'' if one else 'lowest '}FID in dlib's face "
        f"embeddings is {name[best_fid['method']]}'s ({float(best_fid['fid_face']):.3f}); "
        f"{by['real_train']['scored']} real train faces score {floor:.3f}, the floor a generator's faces can "
        f"reach, so {name[best_fid['method']]} stands at {float(best_fid['fid_face']) / floor:.1f} "
        "times it."
        if floor > 0
        else "",
        ""
        if one
        else " By face FID the methods rank "
        + " < ".join(
            f"{name[r['method']]} {float(r['fid_face']):.3f}" for r in sorted(gans, key=lambda r: float(r["fid_face"]))
        )
        + ".",
        f" dlib's detector finds exactly one face in {float(best_det['face_detection_rate']):.1f} % of "
        f"{name[best_det['method']]}'s faces{'' if one else f', the most of the {len(gans)} methods'}, "
        f"against {float(by['real_val']['face_detection_rate']):.1f} % of the real val faces "
        f"({DETECTION_BASELINES} %).",
    ]
    ceiling = by["real_train"].get("recall_face", "")
    if ceiling not in ("", None):
        for r in gans:
            text.append(
                variety_text(
                    name[r["method"]], r["precision_face"], r["recall_face"], ceiling, "dlib's face embeddings"
                )
            )
    if "lfw" in by:
        text.append(
            f" The 100 real LFW faces scikit-image ships score {float(by['lfw']['face_detection_rate']):.1f} % "
            f"by the detector and a face FID of {float(by['lfw']['fid_face']):.3f} against these val faces "
            "(other people, grey, upscaled from 25x25)."
        )
    text.append(
        " The face FID is an offline stand-in: comparable between the rows of this table, not with the "
        "course's Inception FID"
        + ("." if inception else ", which is not computed here (no local Inception weights configured).")
    )
    return "".join(text)


def _face_baselines(year) -> dict:
    """{metric: "YEAR's baselines S / S"} of a face-GAN table: a year's own (course.py), or, for the table of
    every method (``year`` None), the detection rate's of the one year that graded it; no Inception
    baselines then, which belong to one year each."""
    if year is None:
        year = course.DETECTION_YEAR
        return {"face_detection_rate": f"{year.name}'s baselines {year.baseline('face_detection_rate').text}"}
    return {b.metric: f"{year.name}'s baselines {b.text}" for b in year.baselines}


def _face_table(rows: list, year) -> tuple:
    inception = not next(r for r in rows if r["method"] in FACE_GANS)["fid_inception"].startswith("not computed")
    base = _face_baselines(year)

    def head(text: str, key: str) -> str:
        return f"{text} ({base[key]})" if key in base else text

    heads = [
        "",
        head("face detection (%)", "face_detection_rate"),
        "faces scored",
        "FID (face emb.)",
        "KID (face emb.)",
        "precision (face emb.)",
        "recall (face emb.)",
    ]
    heads += [head("FID (Inception)", "fid_inception"), head("IS (Inception)", "is_inception")] if inception else []
    heads += ["precision (Inception)", "recall (Inception)"] if inception else []
    imagenet = not next(r for r in rows if r["method"] in FACE_GANS)["is_imagenet"].startswith("not computed")
    heads += [head("IS (ImageNet Inception)", "is_imagenet")] if imagenet else []
    heads += ["training (s)", "sampling 1000 (s)", "generator parameters"]
    table = []
    for r in rows:
        name = FACE_GANS[r["method"]].name if r["method"] in FACE_GANS else REAL_FACES.get(r["method"], r["method"])
        cells = [
            cell(r["face_detection_rate"], 1) if r["face_detection_rate"] else "",
            r["scored"],
            cell(r["fid_face"], 3) if r["fid_face"] else "",
            cell(r["kid_face"], 4) if r["kid_face"] else "",
            cell(r["precision_face"], 3) if r["precision_face"] else "",
            cell(r["recall_face"], 3) if r["recall_face"] else "",
        ]
        if inception:
            cells += [
                cell(r[k], d) if r[k] else ""
                for k, d in (
                    ("fid_inception", 2),
                    ("is_inception", 3),
                    ("precision_inception", 3),
                    ("recall_inception", 3),
                )
            ]
        if imagenet:
            cells.append(cell(r["is_imagenet"], 3) if r["is_imagenet"] else "")
        cells += [
            cell(r[k], d) if r[k] else ""
            for k, d in (("training_seconds", 1), ("sampling_seconds", 2), ("generator_parameters", 0))
        ]
        table.append([name] + cells)
    return heads, table


def _curve_text(root: str, gans: list) -> str:
    """What the detection-rate curves (curve_faces) show: when each method's faces first passed 85 %,
    or the most they reached, and where they ended."""
    said = []
    for r in gans:
        loss = read_csv(os.path.join(root, "face_gan", r["method"], "loss.csv"))
        if not loss or "detection_rate" not in loss[0]:
            continue
        seconds, passed, best = 0.0, None, max(loss, key=lambda e: float(e["detection_rate"]))
        for e in loss:
            seconds += float(e["seconds"])
            if passed is None and float(e["detection_rate"]) >= 85:
                passed = (e, seconds)
        name = FACE_GANS[r["method"]].name
        if passed:
            e, t = passed
            said.append(
                f"{name}'s passed 85 % after epoch {e['epoch']} (step {e['step']}, {t:.0f} s of training) and "
                f"ended at {float(loss[-1]['detection_rate']):.1f} %"
            )
        else:
            said.append(
                f"{name}'s never reached 85 %: at most {float(best['detection_rate']):.1f} % (epoch "
                f"{best['epoch']}), {float(loss[-1]['detection_rate']):.1f} % at the end"
            )
    varied = []
    for r in gans:
        loss = [
            e
            for e in read_csv(os.path.join(root, "face_gan", r["method"], "loss.csv"))
            if is_number(e.get("recall_face")) and math.isfinite(float(e["recall_face"]))
        ]
        if loss:
            first, best = loss[0], max(loss, key=lambda e: float(e["recall_face"]))
            varied.append(
                f"{FACE_GANS[r['method']].name}'s recall went from {float(first['recall_face']):.3f} after epoch "
                f"{first['epoch']} to {float(loss[-1]['recall_face']):.3f} at the end (at most "
                f"{float(best['recall_face']):.3f}, epoch {best['epoch']}), its precision from "
                f"{float(first['precision_face']):.3f} to {float(loss[-1]['precision_face']):.3f}"
            )
    text = ""
    if said:
        text = (
            "During training, of the faces the EMA generator draws from fixed noise after each epoch, "
            + "; ".join(said)
            + " (the detection rate of the curve_faces faces per epoch, the middle panel)."
        )
    if varied:
        text += (
            (" " if text else "")
            + "Their variety, measured on the first curve_recall_faces of those faces every few epochs (precision "
            "and recall in dlib's face embeddings against the val faces, k = 3; fewer faces than the table's, so "
            "the figures are not the table's): " + "; ".join(varied) + " (the bottom panel)."
        )
    return text


def face_gans(root: str, preset: dict, year: str = "") -> dict:
    """The face GANs side by side (the comparison's summary.csv and figures: of every method, or of those
    ``year``'s `all` trains): arch (each method's recipe and printed networks), first32, scores (the table
    and what it shows), curves; and rows, the summary's."""
    summary, first32, curves = (paths.face_gans(n, year) for n in ("summary.csv", "first32.png", "training_curves.png"))
    require(root, summary, first32, curves)
    year = course.YEARS.get(year)  # a year's own face GANs, or None: every method
    rows = read_csv(os.path.join(root, summary))
    gans = [r for r in rows if r["method"] in FACE_GANS]
    if not gans or not {"real_val", "real_train"} <= {r["method"] for r in rows}:
        raise UserError(f"{os.path.join(root, summary)} lacks the GAN or real-face rows")
    arch = []
    for r in gans:
        m, cfg = r["method"], preset[r["method"]]
        entry = FACE_GANS[m]
        arch += [
            Paragraph(recipe(m, cfg)),
            Code(
                f"{entry.name} generator:\n{build_generator(m, cfg['z_dim'], cfg['g_channels'])}\n\n"
                f"{entry.name} {'critic' if entry.critic else 'discriminator'}:\n"
                f"{build_discriminator(m, cfg['d_channels'], cfg['minibatch_std'])}"
            ),
        ]
    heads, table = _face_table(rows, year)
    curve = _curve_text(root, gans)  # reads each method's loss.csv once
    one = len(gans) == 1
    return {
        "arch": arch,
        "rows": rows,
        "first32": [
            Figure(
                os.path.join(root, first32),
                "the first 32 faces" + (" of the generator." if one else " of each method."),
            )
        ],
        "scores": [
            Table(heads, table, "the face GANs beside real faces, scored alike against the val faces."),
            Paragraph(_face_text(rows)),
        ],
        "curves": [
            Figure(
                os.path.join(root, curves),
                "training curves: the discriminator or critic and generator losses per epoch; below, the detection "
                "rate of the generator's faces after each epoch, against the training time.",
            ),
            *([Paragraph(curve)] if curve else []),
        ],
    }


# --------------------------------------------------------------------------- runtime, environment, references
def runtime(root: str, jobs: list) -> list:
    """The benchmark records of ``jobs`` (names under ``root``/benchmarks/, without .tsv: the jobs the
    report's results came from, as the report rule lists them), as a chapter. A job with no record (its
    outputs made outside Snakemake) is named as such."""
    rows, unrecorded = [], []
    for name in sorted(jobs):
        r = _last_benchmark(os.path.join(root, "benchmarks", f"{name}.tsv"))
        if r:
            rows.append([name, fmt(r["s"]), r["max_rss"] if r["max_rss"] != "-" else "-"])
        else:
            unrecorded.append(name)
    total = sum(float(r[1]) for r in rows)
    missing = f" No record for {len(unrecorded)}: {', '.join(unrecorded)}." if unrecorded else ""
    return [
        Heading("Runtime and memory per rule"),
        Paragraph(
            f"{len(rows)} jobs, {total:.0f} s in all: the jobs this report's results came from (wall time of each "
            f"job as Snakemake's benchmark directive measured it; jobs may have run in parallel).{missing}"
        ),
        Table(["job", "seconds", "peak RSS (MB)"], rows, "runtime and memory per job."),
    ]


def training_device(root: str, training: str) -> str:
    """The device a training ran on, from its training.json (``training``: e.g. ddpm, face_gan/dcgan)."""
    path = os.path.join(root, training, "training.json")
    if not os.path.isfile(path):
        return f"unknown (no {path})"
    with open(path) as f:
        return str(json.load(f).get("device", "unknown"))


def environment(device: str) -> list:
    import numpy
    import torch
    import torchvision

    rows = [
        ["Python", platform.python_version()],
        ["PyTorch", torch.__version__],
        ["torchvision", torchvision.__version__],
        ["NumPy", numpy.__version__],
        ["platform", platform.platform()],
        ["CPU cores", str(os.cpu_count())],
        ["GPU", torch.cuda.get_device_name(0) if torch.cuda.is_available() else "none"],
        ["training device", device],
    ]
    return [Heading("Environment"), Table(["", ""], rows, "the environment that built this report.")]


# The papers and libraries the problems use besides the methods' own (their registries hold those).
REFERENCES = {
    "cfg": "J. Ho, T. Salimans. Classifier-Free Diffusion Guidance. NeurIPS 2021 Workshop on Deep Generative "
    "Models and Downstream Applications (arXiv:2207.12598).",
    "ddim": "J. Song, C. Meng, S. Ermon. Denoising Diffusion Implicit Models. ICLR 2021.",
    "sn": "T. Miyato, T. Kataoka, M. Koyama, Y. Yoshida. Spectral Normalization for Generative Adversarial "
    "Networks. ICLR 2018.",
    "fid": "M. Heusel, H. Ramsauer, T. Unterthiner, B. Nessler, S. Hochreiter. GANs Trained by a Two Time-Scale "
    "Update Rule Converge to a Local Nash Equilibrium. NeurIPS 2017.",
    "is": "T. Salimans, I. Goodfellow, W. Zaremba, V. Cheung, A. Radford, X. Chen. Improved Techniques for "
    "Training GANs. NeurIPS 2016.",
    "diffaugment": "S. Zhao, Z. Liu, J. Lin, J.-Y. Zhu, S. Han. Differentiable Augmentation for Data-Efficient "
    "GAN Training. NeurIPS 2020.",
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
TOOLS = [("pytorch", "every network"), ("snakemake", "the workflow"), ("fpdf2", "this PDF")]


def citation(key: str) -> str:
    """A method's paper from its registry (face GANs, digit generators, domain adaptation), else REFERENCES."""
    for registry in (FACE_GANS, DIGIT_GENERATORS, UDA_METHODS):
        if key in registry and registry[key].paper:
            return registry[key].paper
    return REFERENCES[key]


def face_gan_citations(methods: list, preset: dict, what: str) -> list:
    """(key, what) of the face GANs ``methods``: each one's paper, the further papers its registry entry
    cites (spectral norm's for SAGAN) and DiffAugment's for those trained with it."""
    cited = []
    for m in methods:
        cited.append((m, what))
        cited += [(key, what) for key in FACE_GANS[m].cites]
        if preset[m].get("diffaugment"):
            cited.append(("diffaugment", what))
    return cited


def references(uses: list) -> list:
    """The References chapter: (key, what it was used for) in the order of first use; keys citing the
    same paper (SNGAN and spectral norm) share one entry."""
    used = {}
    for key, what in uses:
        whats = used.setdefault(citation(key), [])
        if what not in whats:
            whats.append(what)
    return [Heading("References")] + [
        Paragraph(f"[{i}] {paper} \u2014 used for: {'; '.join(whats)}.")
        for i, (paper, whats) in enumerate(used.items(), start=1)
    ]
