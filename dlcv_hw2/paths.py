"""Where the results live, each family's paths built once: relative to the results folder, so that the
rules put ``RESULTS/`` in front (workflow/rules/common.smk: ``results()``) and the report joins them to
the folder it reads (``--results``). A rule's output pattern is the same function called with its
wildcards, ``uda_run("{scenario}", "{setting}", "{seed}", "model.pt")``; nothing parses a path back.

Standard library only, like course.py, beside which it sits below every group.
"""

RESULTS = "results"


# ------------------------------------------------------------------------------ problem 3: domain adaptation
def uda_run(scenario: str, method: str, seed, name: str) -> str:
    """A file of one training run of a UDA method: ``model.pt`` or ``metrics.json``."""
    return f"dann_{scenario}/{method}/seed{seed}/{name}"


def uda_table(year: str = "", ext: str = "csv") -> str:
    """The accuracy table of problem 3 (a row per method, a column per scenario): of the configured
    scenarios, or (``year``) of a year whose problem 3 has its own scenario set."""
    return f"dann/accuracy_table{'_' + year if year else ''}.{ext}"


def tsne(scenario: str, stem: str, by: str = "") -> str:
    """A t-SNE figure of a method (``stem``: its registry's tsne) in a scenario: by ``digit``, by
    ``domain``, or both side by side (``by`` empty)."""
    return f"dann_{scenario}/{stem}{'_' + by if by else ''}.png"


# --------------------------------------------------------------------------------------------- face GANs
def face_gan(method: str, name: str = "") -> str:
    """A face GAN's folder (``name`` empty) or a file in it: model.pt, loss.csv, training.json, samples,
    sampling_time.json, detection.json, generative_metrics.json."""
    return f"face_gan/{method}{'/' + name if name else ''}"


def face_gans(name: str, year: str = "") -> str:
    """A file of the face GANs' comparison (summary.csv, summary.md, first32.png, training_curves.png): of
    every method, or (``year``) of those a year's problem 1 asks for."""
    return f"face_gan/{year + '/' if year else ''}{name}"
