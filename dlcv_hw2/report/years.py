"""The homework reports of 2022 and 2021 (`assignment: 2022 | 2021`): each answers that year's report
questions in their order, with the same parts as the 2023 report (parts.py); the headings are the
questions, numbered by the blocks like every table and figure.

2022: problem 1 GANs on faces (A = DCGAN, B = an improvement: face_gan_improved), problem 2 the
conditional DDPM, problem 3 DANN MNIST-M -> SVHN / USPS. 2021: problem 1 a GAN on faces with FID and IS,
problem 2 the ACGAN, problem 3 DANN in MNIST-M -> USPS, SVHN -> MNIST-M, USPS -> SVHN, and the bonus, an
improved UDA model (DSN).
"""

import os

from .. import course, paths
from ..core.cli import UserError
from ..data.scenarios import title
from ..methods.face_gan import FACE_GANS
from ..methods.uda import UDA_METHODS
from . import parts
from .blocks import Paragraph, Table, Title, chapter


def _problem(year: course.Year, index: int, answers: list, label: str = None) -> list:
    """A problem's chapter: its questions (course.py), each with its answer blocks (``answers`` in question order)."""
    heading, questions = year.questions[index]
    if len(answers) != len(questions):
        raise ValueError(f"{year.name} problem {index + 1}: {len(answers)} answers for {len(questions)} questions")
    return chapter(heading, list(zip(questions, answers)), label=label)


def _face_gan_observations(root: str, rows: list) -> list:
    """What training the face GANs showed, stated from the summary and the loss files."""
    gans = [r for r in rows if r["method"] in FACE_GANS]
    said = []
    for r in gans:
        loss = parts.read_csv(os.path.join(root, "face_gan", r["method"], "loss.csv"))
        said.append(
            f"{FACE_GANS[r['method']].name} trained {len(loss)} epochs in "
            f"{float(r['training_seconds']):.0f} s; "
            f"its discriminator loss went from {float(loss[0]['d_loss']):.3f} to "
            f"{float(loss[-1]['d_loss']):.3f} and its generator loss from {float(loss[0]['g_loss']):.3f} to "
            f"{float(loss[-1]['g_loss']):.3f} (first to last epoch)"
        )
    real = next(r for r in rows if r["method"] == "real_val")
    best = max(gans, key=lambda r: float(r["face_detection_rate"]))
    gap = float(real["face_detection_rate"]) - float(best["face_detection_rate"])
    return [
        Paragraph(
            "; ".join(said) + ". The losses of a GAN measure the two networks against each other, not "
            "the faces: the face FID and the detection rate above are what rank the methods. The best "
            f"detection rate of a method ({FACE_GANS[best['method']].name}, "
            f"{float(best['face_detection_rate']):.1f} %) is {abs(gap):.1f} points "
            f"{'below' if gap > 0 else 'above'} the real val faces' ({float(real['face_detection_rate']):.1f} %)"
            + ("" if gap > 0 else ": the detector's rate does not measure how varied the faces are")
            + "."
        )
    ]


def _methods_a_b(rows: list, a: str) -> str:
    """Which GAN is method A (``a``) and which method B, from the rows of the face-GAN summary."""
    trained = [r["method"] for r in rows if r["method"] in FACE_GANS]
    improved = [FACE_GANS[m].name for m in trained if m != a]
    if a not in trained or not improved:
        raise UserError(
            f"the face-GAN summary of methods A and B needs {FACE_GANS[a].name} (method A) and an improved GAN "
            "(method B); it has " + ", ".join(FACE_GANS[m].name for m in trained)
        )
    return (
        f"Method A is {FACE_GANS[a].name}; method B, the improvement, is {' and '.join(improved)} "
        "(face_gan_improved). Each samples 1000 faces of 64x64 from a fixed seed."
    )


def _variety_a_b(a: dict, b: dict) -> str:
    """B's precision / recall in face embeddings against A's, when both were computed."""
    figures = [r[k] for r in (b, a) for k in ("precision_face", "recall_face")]
    if not all(parts.is_number(v) for v in figures):
        return ""
    pb, rb, pa, ra = map(float, figures)
    return f"; in the same embeddings B's precision / recall are {pb:.3f} / {rb:.3f} against A's {pa:.3f} / {ra:.3f}"


def _difference_a_b(rows: list, method_a: str) -> str:
    """The difference between A (``method_a``) and B (the year's question), stated from the measured figures."""
    by = {r["method"]: r for r in rows}
    a, name_a = by[method_a], FACE_GANS[method_a].name
    said = []
    for m in (m for m in by if m in FACE_GANS and m != method_a):
        b, name = by[m], FACE_GANS[m].name
        det_a, det_b = float(a["face_detection_rate"]), float(b["face_detection_rate"])
        fid_a, fid_b = float(a["fid_face"]), float(b["fid_face"])
        said.append(
            f"The difference, measured: dlib's detector finds a face in {det_b:.1f} % of {name}'s (B) faces "
            f"against {det_a:.1f} % of {name_a}'s (A), {abs(det_b - det_a):.1f} points "
            f"{'more' if det_b >= det_a else 'fewer'}, and B's face FID is {fid_b:.3f} against A's {fid_a:.3f} "
            f"({fid_b / fid_a:.2f} times A's: B's faces lie {'closer to' if fid_b < fid_a else 'farther from'} the "
            f"val faces in dlib's face embeddings){_variety_a_b(a, b)}. "
            f"B trained {float(b['training_seconds']):.0f} s, A "
            f"{float(a['training_seconds']):.0f} s."
        )
    return " ".join(said)


def _opening(year: course.Year, preset: dict) -> list:
    """A year's report title and the line that says how it was built."""
    return [
        Title(year.title),
        Paragraph(
            f"Built by `snakemake all --config assignment={year.name}` from the results of this run "
            f"('{preset['_name']}' preset)."
        ),
    ]


def _dann_chapter(year: course.Year, root: str, preset: dict, scenarios: list, **kw) -> list:
    p = parts.dann(root, preset, scenarios, **kw)
    return _problem(year, 2, [p["accuracy"], p["tsne"], p["implementation"]])


def document_2022(year: course.Year, root: str, preset: dict, scenarios: list, jobs: list, **_) -> list:
    faces = parts.face_gans(root, preset, year.name)
    ddpm = parts.ddpm(root, preset)
    a = year.face_gans[0]  # method A (course.py)
    doc = [
        *_opening(year, preset),
        *_problem(
            year,
            0,
            [
                [Paragraph(_methods_a_b(faces["rows"], a)), *faces["arch"]],
                faces["first32"] + faces["scores"] + [Paragraph(_difference_a_b(faces["rows"], a))],
                faces["curves"] + _face_gan_observations(root, faces["rows"]),
            ],
        ),
        *_problem(
            year,
            1,
            [
                ddpm["arch"] + ddpm["details"],
                ddpm["images"] + ddpm["accuracy"],
                ddpm["reverse"],
                [
                    Paragraph(
                        "The sweeps below measure two choices of the sampler on the trained "
                        "model: the guidance weight and the number of sampling steps."
                    ),
                    *ddpm["sweeps"],
                ],
            ],
        ),
    ]
    if scenarios:
        doc += _dann_chapter(year, root, preset, scenarios)
    b = [r["method"] for r in faces["rows"] if r["method"] in FACE_GANS and r["method"] != a]
    cited = [
        *parts.face_gan_citations([a], preset, "problem 1, method A"),
        *parts.face_gan_citations(b, preset, "problem 1, method B"),
        ("dlib", "problem 1 (face detection, face embeddings)"),
        ("fid", "problem 1 (FID)"),
        ("kid", "problem 1 (KID)"),
        ("torch_fidelity", "problem 1 (FID, KID)"),
        ("ddpm", "problem 2"),
        ("cfg", "problem 2 (guidance)"),
        ("ddim", "problem 2 (sampling)"),
    ]
    if scenarios:
        cited += [("dann", "problem 3"), ("tsne", "problem 3 (t-SNE)"), ("sklearn", "problem 3 (t-SNE)")]
    return (
        doc
        + parts.runtime(root, jobs)
        + parts.environment(parts.training_device(root, "ddpm"))
        + parts.references(cited + parts.TOOLS)
    )


def _face_gan_fid_is(year: course.Year, rows: list, graded: str) -> list:
    """The question of the graded model's FID and IS, as the course computed them (FID: the FID Inception,
    IS: torchvision's ImageNet Inception) or not at all."""
    r = next((r for r in rows if r["method"] == graded), None)
    if r is None:
        raise UserError(f"the {year.name} face-GAN summary has no row of the graded model {graded} (face_gan_graded)")
    fid_base, is_base = year.baseline("fid_inception").text, year.baseline("is_imagenet").text
    by = f"{year.name}'s baselines"
    name = FACE_GANS[graded].name
    fid = not r["fid_inception"].startswith("not computed")
    imagenet = not r["is_imagenet"].startswith("not computed")
    said = [f"The graded model, {name} (face_gan_graded):"]
    said.append(
        f"FID {float(r['fid_inception']):.2f} against the faces of the FID split ({by} {fid_base});"
        if fid
        else "its FID with Inception is not computed (no local inception_weights configured; README, "
        f'"Generative metrics"), so no FID is set against {by} ({fid_base});'
    )
    said.append(
        f"Inception Score {float(r['is_imagenet']):.3f} with torchvision's ImageNet Inception v3, as {year.name} "
        f"computed it (baselines {is_base})."
        if imagenet
        else "its Inception Score with torchvision's ImageNet Inception v3 is not computed (no local "
        f"imagenet_inception_weights configured), so no IS is set against {by} ({is_base})."
    )
    if not fid:
        said.append(
            f"In place of the FID its 1000 faces score {float(r['fid_face']):.3f} in dlib's face embeddings "
            "against the faces of the FID split, a stand-in comparable only between the rows of the table above."
        )
    return [Paragraph(" ".join(said))]


def _bonus(year: course.Year, root: str, preset: dict, scenarios: list) -> list:
    table_path = paths.uda_table(year.name)
    cells, methods = parts.dann_cells(root, scenarios, table_path)
    if not {"dann", "dsn"} <= set(methods):
        raise UserError(f"{root}/{table_path} lacks the DANN or the DSN rows (run the workflow first)")
    rows = [
        [UDA_METHODS[m].title]
        + [f"{parts.fmt(cells[(s, m)]['mean'])} ± {parts.fmt(cells[(s, m)]['sd'])}" for s in scenarios]
        for m in ("dann", "dsn")
    ]
    gaps = {s: float(cells[(s, "dsn")]["mean"]) - float(cells[(s, "dann")]["mean"]) for s in scenarios}
    ahead = [s for s in scenarios if gaps[s] > 0]
    text = (
        f"DSN is ahead of our DANN in {len(ahead)} of the {len(scenarios)} scenarios ("
        + "; ".join(f"{title(s)} {gaps[s]:+.1f} points" for s in scenarios)
        + ")"
        + (
            ", as the bonus asks."
            if len(ahead) == len(scenarios)
            else ", so the bonus's condition (ahead in every scenario) is not met on this run."
        )
    )
    n = len(preset["dann"]["seeds"])
    table = Table(
        [""] + [title(s) for s in scenarios],
        rows,
        f"target accuracy (%) of DANN and DSN, mean ± sd over {n} seed(s), the same data and options.",
    )
    dsn_figures = parts.tsne(root, scenarios, ["dsn"])
    return _problem(
        year,
        3,
        [[table, Paragraph(text)], [Paragraph(UDA_METHODS["dsn"].describe(preset["dann"]).strip()), *dsn_figures]],
        label="B",
    )


def document_2021(year: course.Year, root: str, preset: dict, scenarios: list, jobs: list, graded: str, **_) -> list:
    if scenarios:  # the configuration table states the methods the year's scenario set really ran (DSN too)
        preset = dict(
            preset, dann=dict(preset["dann"], methods=parts.dann_cells(root, scenarios, paths.uda_table(year.name))[1])
        )
    faces = parts.face_gans(root, preset, year.name)
    acgan = parts.generators(root, preset, "acgan/summary")
    arch = parts.generator_architecture(preset, "acgan")
    doc = [
        *_opening(year, preset),
        *_problem(
            year,
            0,
            [
                [
                    Paragraph(
                        f"The model, {FACE_GANS[graded].name} (face_gan_graded; {year.grading[0].path}), samples "
                        "1000 faces of 64x64 from a fixed seed. (`snakemake face_gans` trains and compares every "
                        "face GAN of this project: " + ", ".join(g.name for g in FACE_GANS.values()) + ".)"
                    ),
                    *faces["arch"],
                ],
                faces["first32"],
                faces["scores"] + _face_gan_fid_is(year, faces["rows"], graded),
                faces["curves"] + _face_gan_observations(root, faces["rows"]),
            ],
        ),
        *_problem(
            year,
            1,
            [arch["recipe"] + arch["networks"], acgan["grids"], acgan["scores"] + acgan["per_digit"] + acgan["curves"]],
        ),
    ]
    if scenarios:
        doc += _dann_chapter(year, root, preset, scenarios, table=paths.uda_table(year.name), hide=("dsn",))
        doc += _bonus(year, root, preset, scenarios)
    cited = [
        *parts.face_gan_citations([graded], preset, "problem 1"),
        ("fid", "problem 1 (FID)"),
        ("is", "problem 1 (IS)"),
        ("torch_fidelity", "problem 1 (FID, IS, KID)"),
        ("dlib", "problem 1 (face embeddings for the offline face FID)"),
        ("acgan", "problem 2"),
        ("sn", "problem 2 (the discriminator)"),
        *([("diffaugment", "problem 2")] if preset["acgan"].get("diffaugment") else []),
    ]
    if scenarios:
        cited += [
            ("dann", "problem 3"),
            ("tsne", "problem 3 (t-SNE)"),
            ("sklearn", "problem 3 (t-SNE)"),
            ("dsn", "the bonus"),
        ]
    return (
        doc
        + parts.runtime(root, jobs)
        + parts.environment(parts.training_device(root, f"face_gan/{graded}"))
        + parts.references(cited + parts.TOOLS)
    )
