"""The 2023 homework report (`snakemake report`) and the report of the face GANs (`snakemake face_gans`):
the assignment's report questions in order, each answered by the named parts of parts.py."""

from .. import course
from . import parts
from .blocks import Heading, Paragraph, Title, chapter

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
REFERENCES = [
    ("ddpm", "problem 1"),
    ("cfg", "problem 1 (guidance)"),
    ("ddim", "problems 1 and 2 (sampling)"),
    ("dann", "problem 3"),
    ("tsne", "problem 3 (t-SNE, with scikit-learn)"),
    ("sklearn", "t-SNE"),
    ("acgan", "the conditional GAN beside the DDPM"),
    ("sn", "the ACGAN's discriminator"),
    ("fid", "FID of the generators"),
    ("is", "IS of the generators"),
    ("kid", "KID of the generators"),
    ("torch_fidelity", "FID, IS and KID"),
    *parts.TOOLS,
]


def document_2023(
    year: course.Year, root: str, preset: dict, scenarios: list, jobs: list, have_faces: bool, **_
) -> list:
    p1, p2 = parts.ddpm(root, preset), parts.ddim(root, have_faces)
    doc = [
        Title(year.title),
        Paragraph(f"Built by `snakemake report` from the results of this run ('{preset['_name']}' preset)."),
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
    if scenarios:
        p3 = parts.dann(root, preset, scenarios)
        doc += chapter(
            SECTIONS[2],
            [
                (f"Accuracy on the target {p3['where']} set", p3["accuracy"]),
                ("t-SNE of the features", p3["tsne"]),
                ("Implementation details", p3["implementation"]),
            ],
        )
    gens = parts.generators(root, preset)
    doc += [
        Heading(SECTIONS[3]),
        *parts.generator_architecture(preset, "acgan")["recipe"],
        *gens["scores"],
        *gens["grids"],
        *gens["per_digit"],
        *gens["curves"],
    ]
    return (
        doc
        + parts.runtime(root, jobs)
        + parts.environment(parts.training_device(root, "ddpm"))
        + parts.references(REFERENCES)
    )


def document_face_gans(root: str, preset: dict, jobs: list) -> list:
    """The report of the face_gans target: the face GANs, their jobs' runtime, the environment."""
    p = parts.face_gans(root, preset)
    first = next(r["method"] for r in p["rows"] if r["method"] in preset)
    return [
        Title(f"DLCV HW2: GANs on faces ({FACE_GAN_PROBLEM})"),
        Paragraph(f"Built by `snakemake face_gans` from the results of this run ('{preset['_name']}' preset)."),
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
        *parts.runtime(root, jobs),
        *parts.environment(parts.training_device(root, f"face_gan/{first}")),
    ]
