"""The digit generators' answers: the DDPM and the ACGAN side by side, or the ACGAN alone, on the same
digits and judges (compare_generators.py's files): the table of every score beside the real train digits
(the ceiling), what it shows, the grids, the per-digit table and the training curves."""

import os

from ... import course, paths
from ...methods.generators import DIFFUSION, DIGIT_GENERATORS, GAN, of_kind
from ...metrics.generative import COLLAPSE_SHARE, collapsed
from ..blocks import Code, Figure, Paragraph, Table
from .common import JUDGES, cell, fmt, is_number, official_note, read_csv, require

_ACGAN_YEAR = next(y for y in course.YEARS.values() if of_kind(GAN) in y.problems)  # the problem is its key
ACGAN_BASELINES = f"{_ACGAN_YEAR.name}'s baselines: {_ACGAN_YEAR.baseline('official_classifier').text}"


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
    diffusion, gan = of_kind(DIFFUSION), of_kind(GAN)
    if diffusion in by and gan in by:
        d, a = by[diffusion], by[gan]
        text.append(
            f"By the {judge_name}, {fmt(a[f'acc_{judge}'])} % of the {name[gan]}'s 1000 digits are read as the "
            f"digit asked for, against {fmt(d[f'acc_{judge}'])} % of the {name[diffusion]}'s; the FID in the "
            f"evaluation classifier's features is {fmt(a['fid_digit'], 2)} for the {name[gan]} and "
            f"{fmt(d['fid_digit'], 2)} for the {name[diffusion]} (lower is closer to MNIST-M val)."
        )
        ta, td = (
            next(float(t["seconds"]) for t in times if t["generator"] == g and t["phase"].startswith("samp"))
            for g in (gan, diffusion)
        )
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


def _rows(every: list) -> tuple:
    """The generators' rows of a comparison.csv (as text) and the real train digits' row (the ceiling)."""
    return [r for r in every if r["generator"] != REAL_DIGITS], next(r for r in every if r["generator"] == REAL_DIGITS)


def _names(rows: list) -> list:
    return [
        DIGIT_GENERATORS[r["generator"]].name if r["generator"] in DIGIT_GENERATORS else r["generator"] for r in rows
    ]


def _judges(rows: list) -> list:
    return [j for j in ("eval_classifier", "official_classifier") if f"acc_{j}" in rows[0]]


def scores(every: list, times: list) -> list:
    """The table of every score (a row per metric, a column per generator and the real train digits) of
    compare_generators.py's comparison.csv and times.csv rows (as text), and what it shows. The report's
    answer, and compare_generators.py's comparison.md."""
    rows, real = _rows(every)
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
    which = (
        "the two generators on the same MNIST-M digits, judged alike"
        if len(rows) > 1
        else ("the 1000 generated digits, judged against MNIST-M val")
    )
    return [
        Table([""] + _names(rows) + ["real MNIST-M train"], table, f"{which}; real train digits scored alike."),
        Paragraph(_generator_text(rows, times, judge, real)),
    ]


def per_digit(every: list) -> Table:
    """Accuracy per digit by each judge, and recall per digit, of comparison.csv's rows (as text)."""
    rows, real = _rows(every)
    judges, names = _judges(rows), _names(rows)
    lines = [
        [str(dg)] + [fmt(r[f"acc_{j}_{dg}"]) for j in judges for r in rows] + [cell(real[f"recall_digit_{dg}"], 3)]
        for dg in range(10)
    ]
    lines = [line[:-1] + [cell(r[f"recall_digit_{int(line[0])}"], 3) for r in rows] + line[-1:] for line in lines]
    heads = ["digit"] + [f"{n}, {JUDGES[j]}" for j in judges for n in names]
    heads += [f"{n}, recall" for n in names] + ["real train, recall"]
    return Table(heads, lines, "accuracy (%) per digit, and recall per digit against that digit's val images.")


def _file(alone: str, name: str) -> str:
    """A file of compare_generators.py: of every generator side by side, or of one generator ``alone``."""
    return paths.generator(alone, f"summary/{name}") if alone else paths.generators(name)


def reads(alone: str = "") -> list:
    """Every results file the section reads (``alone``: as :func:`answers`)."""
    return [_file(alone, name) for name in ("comparison.csv", "times.csv", "grids.png", "training_curves.png")]


def answers(root: str, preset: dict, alone: str = "") -> dict:
    """The digit generators compared by compare_generators.py: every one side by side (the DDPM and the
    ACGAN), or the generator ``alone`` (the ACGAN of 2021, in its own summary/): scores (the table and what
    it shows), grids, per_digit, curves."""
    require(root, *reads(alone))
    every = read_csv(os.path.join(root, _file(alone, "comparison.csv")))
    times = read_csv(os.path.join(root, _file(alone, "times.csv")))
    rows, _ = _rows(every)
    curves = "; ".join(
        f"{DIGIT_GENERATORS[r['generator']].name}: {DIGIT_GENERATORS[r['generator']].curves}" for r in rows
    )
    return {
        "scores": scores(every, times) + official_note(preset, _judges(rows)),
        "grids": [
            Figure(
                os.path.join(root, _file(alone, "grids.png")),
                "ten samples per digit"
                + (" of each generator" if len(rows) > 1 else "")
                + " (row: digit; column: the same noise in every row).",
            )
        ],
        "per_digit": [per_digit(every)],
        "curves": [Figure(os.path.join(root, _file(alone, "training_curves.png")), f"training curves ({curves}).")],
    }


def architecture(preset: dict, generator: str) -> dict:
    """A digit generator's recipe (in words) and networks (printed)."""
    entry = DIGIT_GENERATORS[generator]
    cfg = preset[generator]
    return {
        "recipe": [Paragraph(entry.describe(cfg))],
        "networks": [Code("\n\n".join(f"{name}:\n{net}" for name, net in entry.networks(cfg).items()))],
    }
