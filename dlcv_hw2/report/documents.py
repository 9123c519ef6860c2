"""The reports, one registry: each document (every year's homework report, and the report of the face
GANs) is a function of a :class:`Run` that puts the sections' answers (sections/) under its headings in
the order its questions are asked. ``build_report.py --document NAME`` builds ``DOCUMENTS[NAME]``. Beside
each document, the results files it reads (:func:`reads`, built by the sections from dlcv_hw2/paths.py):
the workflow's report rules take them as their inputs, so no report reads a file its rule did not ask for.

A year's document is named by its course entry (course.Year.document, a function of this module) and
answers that year's report questions (course.Year.questions) in their order; the default year's questions
are its chapters below (SECTIONS).
"""

from dataclasses import dataclass, field
from typing import Callable

from .. import course, paths
from ..core.cli import UserError
from ..methods.face_gan import FACE_GANS
from ..methods.generators import GAN, of_kind
from ..methods.uda import SECTION, UDA_METHODS
from .blocks import Heading, Paragraph, Title, chapter
from .sections import appendix, ddim, ddpm, face_gans, generators, uda

SECTIONS = (
    "Problem 1: class-conditional DDPM on MNIST-M",
    "Problem 2: DDIM sampling",
    "Problem 3: DANN domain adaptation",
    f"Beyond {course.DEFAULT}: a conditional GAN",
    "Runtime and memory per rule",
    "Environment",
)
FACE_GAN_SECTION = f"Beyond {course.DEFAULT}: GANs on faces"
FACE_GAN_PROBLEM = course.where("face_gans")  # the years and problem number of the face GANs
_DDPM = ddpm.GENERATOR  # the DDPM: its problem (course.PROBLEMS) and its generator (DIGIT_GENERATORS)
_DIGIT_GAN = of_kind(GAN)  # the conditional GAN, alike


@dataclass(frozen=True)
class Run:
    """What a document is built from: the results folder, the preset used (with its name under _name), the
    run's problem-3 scenarios, the jobs its results came from, whether problem 2 had the face UNet, the
    graded face GAN (face_gan_graded); and what the workflow planned, of which the documents' reads are
    built: the UDA methods of the scenarios and the face GANs of the document's comparison."""

    root: str
    preset: dict
    scenarios: list = field(default_factory=list)
    jobs: list = field(default_factory=list)
    have_faces: bool = False
    graded: str = ""
    uda_methods: tuple = ()
    face_gans: tuple = ()


def _problem(year: course.Year, index: int, answers: list, label: str = None) -> list:
    """A problem's chapter: its questions (course.py), each with its answer blocks (``answers`` in question order)."""
    heading, questions = year.questions[index]
    if len(answers) != len(questions):
        raise ValueError(f"{year.name} problem {index + 1}: {len(answers)} answers for {len(questions)} questions")
    return chapter(heading, list(zip(questions, answers)), label=label)


def _opening(year: course.Year, preset: dict) -> list:
    """An earlier year's report title and the line that says how it was built."""
    return [
        Title(year.title),
        Paragraph(
            f"Built by `snakemake all --config assignment={year.name}` from the results of this run "
            f"('{preset['_name']}' preset)."
        ),
    ]


def _closing(run: Run, training: str, cited: list) -> list:
    """The chapters every report ends with: runtime, environment (the device of ``training``), references."""
    return (
        appendix.runtime(run.root, run.jobs)
        + appendix.environment(appendix.training_device(run.root, training))
        + appendix.references(cited + appendix.TOOLS)
    )


def document_2023(year: course.Year, run: Run) -> list:
    p1, p2 = ddpm.answers(run.root, run.preset), ddim.answers(run.root, run.have_faces)
    doc = [
        Title(year.title),
        Paragraph(f"Built by `snakemake report` from the results of this run ('{run.preset['_name']}' preset)."),
        *chapter(
            SECTIONS[0],
            [
                ("Model architecture", p1["arch"]),
                ("Implementation details", p1["details"]),
                ("Generated images", p1["images"] + p1["reverse"]),
                ("Accuracy", p1["accuracy"]),
                ("Guidance weight and sampling steps", p1["sweeps"]),
            ],
        ),
        *chapter(
            SECTIONS[1],
            [("Effect of eta", p2["eta"]), ("Interpolation between two noises", p2["interpolation"])],
            intro=p2["intro"],
        ),
    ]
    if run.scenarios:
        p3 = uda.answers(run.root, run.preset, run.scenarios)
        doc += chapter(
            SECTIONS[2],
            [
                (f"Accuracy on the target {p3['where']} set", p3["accuracy"]),
                ("t-SNE of the features", p3["tsne"]),
                ("Implementation details", p3["implementation"]),
            ],
        )
    gens = generators.answers(run.root, run.preset)
    doc += [
        Heading(SECTIONS[3]),
        *generators.architecture(run.preset, _DIGIT_GAN)["recipe"],
        *gens["scores"],
        *gens["grids"],
        *gens["per_digit"],
        *gens["curves"],
    ]
    cited = [
        (_DDPM, "problem 1"),
        ("cfg", "problem 1 (guidance)"),
        ("ddim", "problems 1 and 2 (sampling)"),
        *[(m, "problem 3") for m in year.uda_methods],
        ("tsne", "problem 3 (t-SNE, with scikit-learn)"),
        ("sklearn", "t-SNE"),
        (_DIGIT_GAN, "the conditional GAN beside the DDPM"),
        ("sn", "the ACGAN's discriminator"),
        ("fid", "FID of the generators"),
        ("is", "IS of the generators"),
        ("kid", "KID of the generators"),
        ("torch_fidelity", "FID, IS and KID"),
    ]
    return doc + _closing(run, paths.generator(_DDPM), cited)


def document_2022(year: course.Year, run: Run) -> list:
    root, preset = run.root, run.preset
    faces = face_gans.answers(root, preset, year.name)
    p2 = ddpm.answers(root, preset)
    a = year.face_gans[0]  # method A (course.py)
    doc = [
        *_opening(year, preset),
        *_problem(
            year,
            0,
            [
                [Paragraph(face_gans.methods_a_b(faces["rows"], a)), *faces["arch"]],
                faces["first32"] + faces["scores"] + [Paragraph(face_gans.difference_a_b(faces["rows"], a))],
                faces["curves"] + face_gans.observations(faces["rows"], faces["losses"]),
            ],
        ),
        *_problem(
            year,
            1,
            [
                p2["arch"] + p2["details"],
                p2["images"] + p2["accuracy"],
                p2["reverse"],
                [
                    Paragraph(
                        "The sweeps below measure two choices of the sampler on the trained "
                        "model: the guidance weight and the number of sampling steps."
                    ),
                    *p2["sweeps"],
                ],
            ],
        ),
    ]
    if run.scenarios:
        p3 = uda.answers(root, preset, run.scenarios)
        doc += _problem(year, 2, [p3["accuracy"], p3["tsne"], p3["implementation"]])
    b = [r["method"] for r in faces["rows"] if r["method"] in FACE_GANS and r["method"] != a]
    cited = [
        *appendix.face_gan_citations([a], preset, "problem 1, method A"),
        *appendix.face_gan_citations(b, preset, "problem 1, method B"),
        ("dlib", "problem 1 (face detection, face embeddings)"),
        ("fid", "problem 1 (FID)"),
        ("kid", "problem 1 (KID)"),
        ("torch_fidelity", "problem 1 (FID, KID)"),
        (_DDPM, "problem 2"),
        ("cfg", "problem 2 (guidance)"),
        ("ddim", "problem 2 (sampling)"),
    ]
    if run.scenarios:
        cited += [(m, "problem 3") for m in year.uda_methods]
        cited += [("tsne", "problem 3 (t-SNE)"), ("sklearn", "problem 3 (t-SNE)")]
    return doc + _closing(run, paths.generator(_DDPM), cited)


def document_2021(year: course.Year, run: Run) -> list:
    root, preset, scenarios, graded = run.root, run.preset, run.scenarios, run.graded
    table = paths.uda_table(year.name)
    extra = [m for m in year.uda_methods if UDA_METHODS[m].improves]  # the bonus's improved model
    if scenarios:  # the configuration table states the methods the year's scenario set really ran (DSN too)
        ran = uda.dann_cells(root, scenarios, table)[1]
        preset = {**preset, SECTION: dict(preset[SECTION], methods=ran)}
    faces = face_gans.answers(root, preset, year.name)
    p2 = generators.answers(root, preset, alone=_DIGIT_GAN)
    arch = generators.architecture(preset, _DIGIT_GAN)
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
                faces["scores"] + face_gans.fid_is(year, faces["rows"], graded),
                faces["curves"] + face_gans.observations(faces["rows"], faces["losses"]),
            ],
        ),
        *_problem(
            year, 1, [arch["recipe"] + arch["networks"], p2["grids"], p2["scores"] + p2["per_digit"] + p2["curves"]]
        ),
    ]
    if scenarios:
        p3 = uda.answers(root, preset, scenarios, table=table, hide=tuple(extra))
        doc += _problem(year, 2, [p3["accuracy"], p3["tsne"], p3["implementation"]])
        for method in extra:
            b = uda.bonus(root, preset, scenarios, table, method)
            doc += _problem(year, 3, [b["table"], b["model"]], label="B")
    cited = [
        *appendix.face_gan_citations([graded], preset, "problem 1"),
        ("fid", "problem 1 (FID)"),
        ("is", "problem 1 (IS)"),
        ("torch_fidelity", "problem 1 (FID, IS, KID)"),
        ("dlib", "problem 1 (face embeddings for the offline face FID)"),
        (_DIGIT_GAN, "problem 2"),
        ("sn", "problem 2 (the discriminator)"),
        *([("diffaugment", "problem 2")] if preset[_DIGIT_GAN].get("diffaugment") else []),
    ]
    if scenarios:
        cited += [(m, "problem 3") for m in year.uda_methods if m not in extra]
        cited += [("tsne", "problem 3 (t-SNE)"), ("sklearn", "problem 3 (t-SNE)")]
        cited += [(m, "the bonus") for m in extra]
    return doc + _closing(run, paths.face_gan(graded), cited)


def document_face_gans(run: Run) -> list:
    """The report of the face_gans target: the face GANs, their jobs' runtime, the environment."""
    p = face_gans.answers(run.root, run.preset)
    first = next(r["method"] for r in p["rows"] if r["method"] in run.preset)
    return [
        Title(f"DLCV HW2: GANs on faces ({FACE_GAN_PROBLEM})"),
        Paragraph(f"Built by `snakemake face_gans` from the results of this run ('{run.preset['_name']}' preset)."),
        *chapter(
            FACE_GAN_SECTION,
            [
                ("Model architectures", p["arch"]),
                ("The first 32 faces of each method, and how they differ", p["first32"] + p["scores"]),
                ("Training", p["curves"]),
            ],
            intro=[
                Paragraph(
                    f"{FACE_GAN_PROBLEM}: unconditional GANs on the 64x64 face images, each "
                    "sampling 1000 faces from a fixed seed."
                )
            ],
        ),
        *appendix.runtime(run.root, run.jobs),
        *appendix.environment(appendix.training_device(run.root, paths.face_gan(first))),
    ]


def _closing_reads(training: str) -> list:
    """The files the closing chapters read (:func:`_closing`): the training record of ``training``."""
    return [paths.training_record(training)]


def _uda_reads(run: Run, table: str = paths.uda_table()) -> list:
    return uda.reads(run.scenarios, run.uda_methods, table) if run.scenarios else []


def reads_2023(year: course.Year, run: Run) -> list:
    files = ddpm.reads() + ddim.reads(run.have_faces) + _uda_reads(run) + generators.reads()
    return files + _closing_reads(paths.generator(_DDPM))


def reads_2022(year: course.Year, run: Run) -> list:
    files = face_gans.reads(run.face_gans, year.name) + ddpm.reads() + _uda_reads(run)
    return files + _closing_reads(paths.generator(_DDPM))


def reads_2021(year: course.Year, run: Run) -> list:
    files = face_gans.reads(run.face_gans, year.name) + generators.reads(_DIGIT_GAN)
    files += _uda_reads(run, paths.uda_table(year.name))
    return files + _closing_reads(paths.face_gan(run.graded))


def reads_face_gans(run: Run) -> list:
    return face_gans.reads(run.face_gans) + _closing_reads(paths.face_gan(run.face_gans[0]))


@dataclass(frozen=True)
class Document:
    """A report ``build_report.py --document NAME`` builds: ``write(run)`` gives its blocks, ``reads(run)``
    the results files (relative to the results folder) it reads, the benchmark records aside."""

    name: str  # a year's name, or face_gans
    write: Callable
    reads: Callable


# a year's document (course.Year.document) and the function of the files it reads
_YEAR_DOCUMENTS = {
    document_2023.__name__: (document_2023, reads_2023),
    document_2022.__name__: (document_2022, reads_2022),
    document_2021.__name__: (document_2021, reads_2021),
}


def _year_document(year: course.Year) -> Document:
    if year.document not in _YEAR_DOCUMENTS:
        raise ValueError(f"course year {year.name}: no document function {year.document} in report/documents.py")
    write, files = _YEAR_DOCUMENTS[year.document]
    return Document(year.name, lambda run: write(year, run), lambda run: files(year, run))


DOCUMENTS = {
    **{name: _year_document(year) for name, year in course.YEARS.items()},
    "face_gans": Document("face_gans", document_face_gans, reads_face_gans),
}


def _document(name: str) -> Document:
    if name not in DOCUMENTS:
        raise UserError(f"no report document {name!r} (one of: {', '.join(DOCUMENTS)})")
    return DOCUMENTS[name]


def build(name: str, run: Run) -> list:
    """The blocks of document ``name`` (DOCUMENTS) for ``run``."""
    return _document(name).write(run)


def reads(name: str, run: Run) -> list:
    """The results files (relative to the results folder) document ``name`` reads for ``run``, each once."""
    return list(dict.fromkeys(_document(name).reads(run)))
