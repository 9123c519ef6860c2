"""Domain adaptation's answers (problem 3 of every year): the accuracy table of every method in every
scenario and what it shows, the t-SNE figures, the implementation, and the bonus's comparison of DSN with
DANN. The methods, their names and texts come from their registry (methods/uda.py)."""

import os

from ... import paths
from ...core.cli import UserError
from ...data.scenarios import title
from ...methods.uda import SECTION, UDA_METHODS
from ..blocks import Figure, Paragraph, Table
from .common import config_rows, fmt, read_csv, require


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
    """What one scenario's means show: each adapting method against the bounds (the methods that do not
    adapt: trained on labelled source, the floor, or on labelled target, the ceiling) and against the
    method it improves on (its registry's ``improves``)."""
    bounds = {UDA_METHODS[m].labelled: m for m in mean if not UDA_METHODS[m].adapts}
    said = []
    for m in (m for m in UDA_METHODS if UDA_METHODS[m].adapts and m in mean):
        name = m.upper()
        if "source" in bounds:
            floor = bounds["source"].replace("_", "-")
            gap = mean[m] - mean[bounds["source"]]
            said.append(
                f"{name} is {gap:.1f} points above {floor}"
                if gap > 0
                else f"{name} is {-gap:.1f} points below {floor}"
                if gap < 0
                else f"{name} equals {floor}"
            )
        if "target" in bounds:
            gap = mean[bounds["target"]] - mean[m]
            ceiling = bounds["target"].replace("_", "-")
            said.append(f"{name} is {abs(gap):.1f} points {'below' if gap >= 0 else 'above'} {ceiling}")
    for m in (m for m in UDA_METHODS if UDA_METHODS[m].improves in mean and m in mean):
        gap = mean[m] - mean[UDA_METHODS[m].improves]
        said.append(
            f"{UDA_METHODS[m].short} is {abs(gap):.1f} points {'above' if gap >= 0 else 'below'} "
            f"{UDA_METHODS[UDA_METHODS[m].improves].short}"
        )
    return said


def _tsne_methods(methods) -> list:
    return [m for m in UDA_METHODS if UDA_METHODS[m].tsne and m in methods]


def reads(scenario_names: list, methods: list, table: str = paths.uda_table()) -> list:
    """Every results file the section reads: the accuracy table, and the t-SNE figures of ``methods`` (those
    with a figure: DANN's, DSN's) in each scenario."""
    figures = [
        paths.tsne(s, UDA_METHODS[m].tsne, by)
        for m in _tsne_methods(methods)
        for s in scenario_names
        for by in ("digit", "domain")
    ]
    return [table] + figures


def tsne(root: str, scenario_names: list, methods: list) -> list:
    """The t-SNE figures of DANN's features and DSN's shared features, by digit and by domain."""
    blocks = []
    for method in _tsne_methods(methods):
        stem, what = UDA_METHODS[method].tsne, UDA_METHODS[method].features
        for s in scenario_names:
            require(root, paths.tsne(s, stem, "digit"), paths.tsne(s, stem, "domain"))
            blocks += [
                Figure(os.path.join(root, paths.tsne(s, stem, by)), f"{title(s)}, {what} coloured by {by}.")
                for by in ("digit", "domain")
            ]
    return blocks


def answers(root: str, preset: dict, scenario_names: list, table: str = paths.uda_table(), hide: tuple = ()) -> dict:
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
            f"target {where} accuracy (%), mean ± sd over {len(preset[SECTION]['seeds'])} seed(s).",
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
    d = preset[SECTION]
    described = "".join(UDA_METHODS[m].describe(d) for m in methods if UDA_METHODS[m].describe)
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


def bonus(root: str, preset: dict, scenarios: list, table_path: str, method: str) -> dict:
    """The bonus's answers for ``method`` (an improved UDA model; its registry names what it improves on):
    table (the two side by side, and whether it is ahead in every scenario, as the bonus asks) and
    model (its recipe and t-SNE figures)."""
    base = UDA_METHODS[method].improves
    cells, methods = dann_cells(root, scenarios, table_path)
    if not {base, method} <= set(methods):
        raise UserError(
            f"{root}/{table_path} lacks the {UDA_METHODS[base].short} or the {UDA_METHODS[method].short} rows "
            "(run the workflow first)"
        )
    rows = [
        [UDA_METHODS[m].title] + [f"{fmt(cells[(s, m)]['mean'])} ± {fmt(cells[(s, m)]['sd'])}" for s in scenarios]
        for m in (base, method)
    ]
    gaps = {s: float(cells[(s, method)]["mean"]) - float(cells[(s, base)]["mean"]) for s in scenarios}
    ahead = [s for s in scenarios if gaps[s] > 0]
    name, base_name = UDA_METHODS[method].short, UDA_METHODS[base].short
    text = (
        f"{name} is ahead of our {base_name} in {len(ahead)} of the {len(scenarios)} scenarios ("
        + "; ".join(f"{title(s)} {gaps[s]:+.1f} points" for s in scenarios)
        + ")"
        + (
            ", as the bonus asks."
            if len(ahead) == len(scenarios)
            else ", so the bonus's condition (ahead in every scenario) is not met on this run."
        )
    )
    n = len(preset[SECTION]["seeds"])
    table = Table(
        [""] + [title(s) for s in scenarios],
        rows,
        f"target accuracy (%) of {base_name} and {name}, mean ± sd over {n} seed(s), the same data and options.",
    )
    return {
        "table": [table, Paragraph(text)],
        "model": [
            Paragraph(UDA_METHODS[method].describe(preset[SECTION]).strip()),
            *tsne(root, scenarios, [method]),
        ],
    }
