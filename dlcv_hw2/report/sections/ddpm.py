"""The class-conditional DDPM's answers (the problem of the digit diffusion model): its architecture,
training, graded images, accuracy and the sweeps of guidance weight and sampling steps."""

import json
import os

from ... import paths
from ...methods.generators import DIFFUSION, DIGIT_GENERATORS, of_kind
from ..blocks import Code, Figure, Paragraph, Table
from .common import JUDGES, bench_seconds, cell, config_rows, fmt, is_number, official_note, read_csv, require

GENERATOR = of_kind(DIFFUSION)  # the DDPM (DIGIT_GENERATORS), whose results folder this section reads


def _file(name: str) -> str:
    return paths.generator(GENERATOR, name)


def reads() -> list:
    """Every results file the section reads (relative to the results folder)."""
    files = ["model.pt", "accuracy.csv", "loss.csv", "sweep.csv", "sampling_time.json"]
    files += [f"figures/{name}.png" for name in (*paths.DDPM_FIGURES, "unet_diagram")]
    return [_file(name) for name in files] + [paths.eval_classifier("metrics.json")]


def _ddpm_architecture(root: str, cfg: dict) -> list:
    model = DIGIT_GENERATORS[GENERATOR].networks(cfg)["UNet"]
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
            os.path.join(root, _file("figures/unet_diagram.png")),
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
    sweep = read_csv(os.path.join(root, _file("sweep.csv")))
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
                os.path.join(root, _file("figures/accuracy_vs_guidance.png")),
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
                os.path.join(root, _file("figures/accuracy_vs_steps.png")),
                "accuracy against the number of sampling steps.",
            ),
            Figure(
                os.path.join(root, _file("figures/time_vs_steps.png")),
                "sampling time against the number of sampling steps.",
            ),
        ]
    return blocks


def answers(root: str, preset: dict) -> dict:
    """The DDPM's answers: arch, details, images (the timing and the 10x10 grid), reverse, accuracy,
    sweeps."""
    from ...core.files import load_torch

    require(root, *reads())
    cfg = load_torch(os.path.join(root, _file("model.pt")), what="DDPM model")["config"]
    loss = read_csv(os.path.join(root, _file("loss.csv")))
    rows = config_rows(preset[GENERATOR]) + [[f"sampling.{k}", v] for k, v in config_rows(preset["ddpm_sampling"])]
    train_s = bench_seconds(root, f"train_{GENERATOR}.tsv")
    acc = read_csv(os.path.join(root, _file("accuracy.csv")))
    with open(os.path.join(root, paths.eval_classifier("metrics.json"))) as f:
        evalc = json.load(f)
    with open(os.path.join(root, _file("sampling_time.json"))) as f:
        timing = json.load(f)
    judges = [c for c in ("eval_classifier", "official_classifier") if c in acc[0]]
    overall = acc[-1]
    recipe_text = DIGIT_GENERATORS[GENERATOR].describe({**preset[GENERATOR], **cfg})
    return {
        "arch": _ddpm_architecture(root, cfg),
        "details": [
            Paragraph(
                f"{recipe_text} {len(loss)} epochs; the mean training loss went from "
                f"{float(loss[0]['loss']):.4f} (epoch 1) to {float(loss[-1]['loss']):.4f} "
                f"(epoch {loss[-1]['epoch']})" + (f"; training took {train_s:.0f} s." if train_s else ".")
            ),
            Table(["setting", "value"], rows, f"the configuration used (preset '{preset['_name']}')."),
            Figure(os.path.join(root, _file("figures/loss.png")), "training loss per epoch."),
        ],
        "images": [
            Paragraph(
                f"The {timing['images']} graded images ({timing['sampler'].upper()} with {timing['steps']} "
                f"steps, guidance w = {timing['guidance']}) took {timing['seconds']:.1f} s on "
                f"{timing['device']}."
            ),
            Figure(
                os.path.join(root, _file("figures/grid.png")),
                "ten samples per digit (rows: digits 0-9, columns: the same ten noises).",
            ),
        ],
        "reverse": [
            Figure(
                os.path.join(root, _file("figures/reverse_process.png")),
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
