"""Where the results live, each family's paths built once: relative to the results folder, so that the
rules put ``RESULTS/`` in front (workflow/rules/common.smk: ``results()``) and the report joins them to
the folder it reads (``--results``). A rule's output pattern is the same function called with its
wildcards, ``uda_run("{scenario}", "{setting}", "{seed}", "model.pt")``; nothing parses a path back.

Standard library only, like course.py, beside which it sits below every group.
"""

RESULTS = "results"


def _under(folder: str, name: str) -> str:
    return f"{folder}/{name}" if name else folder


def training_record(folder: str) -> str:
    """The training.json of a training's results folder (:func:`generator`, :func:`face_gan`): the device
    it ran on, its timing."""
    return _under(folder, "training.json")


# ------------------------------------------------------------------------------------------------ the data
def demo_data(name: str = "") -> str:
    """The demo domains and faces in the course's hw2_data layout (``name`` e.g. ``digits/mnistm``), or
    the folder itself."""
    return _under("hw2_data", name)


def cache(domain: str, split: str) -> str:
    """A split of a domain (mnistm, svhn, usps, face) decoded once into a tensor file; ``split`` also
    names derived files of a split (``val_embeddings``)."""
    return f"cache/{domain}/{split}.pt"


def data(name: str) -> str:
    """A fact about the real digits: the official classifier's accuracy on a split, the real train
    digits' generative metrics (the generators' ceiling)."""
    return f"data/{name}"


def faces(name: str) -> str:
    """A fact about the real faces: the detector's rate on a split, the real faces' generative metrics."""
    return f"faces/{name}"


def state(family: str, key: str) -> str:
    """The resume state of a training run (``family``: ddpm, acgan, face_gan/<method>), one per set of
    settings (``key``)."""
    return f"{family}_state/{key}/state.pt"


# -------------------------------------------------------------------------- problem 1: the digit generators
def eval_classifier(name: str) -> str:
    """The workflow's own MNIST-M classifier (model.pt, metrics.json), one of the judges of the digits."""
    return f"eval_classifier/{name}"


def generator(method: str, name: str = "") -> str:
    """A digit generator's folder (``name`` empty) or a file in it: model.pt, loss.csv, training.json,
    samples, sampling_time.json, accuracy_<judge>.csv, generative_metrics.json, figures/<name>.png, and
    (a generator alone, without the other beside it) summary/<name>."""
    return _under(method, name)


# the figures of the DDPM (ddpm_figures.py), each figures/<name>.png in its folder; and the UNet's diagram
DDPM_FIGURES = ("grid", "reverse_process", "loss", "accuracy_vs_guidance", "accuracy_vs_steps", "time_vs_steps")


def generators(name: str) -> str:
    """A file of the digit generators side by side: comparison.csv, comparison.md, times.csv,
    training_curves.png, grids.png."""
    return f"generators/{name}"


# ------------------------------------------------------------------------------------- problem 2: DDIM
DDIM_FIGURES = ("eta_grid", "interpolation_slerp", "interpolation_linear")  # ddim_grids.py's, figures/<name>.png


def ddim(name: str) -> str:
    """A file of DDIM sampling: faces (the graded images), mse.csv, grid_stats.csv, figures/<name>.png."""
    return f"ddim/{name}"


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
    return _under(f"face_gan/{method}", name)


def face_gans(name: str, year: str = "") -> str:
    """A file of the face GANs' comparison (summary.csv, summary.md, first32.png, training_curves.png): of
    every method, or (``year``) of those a year's problem 1 asks for."""
    return f"face_gan/{year + '/' if year else ''}{name}"


# ---------------------------------------------------------------------------------------------- hand-in
def submission(name: str) -> str:
    """A file of the hand-in check (check.md)."""
    return f"submission/{name}"


def handin(year: str) -> str:
    """A year's hand-in repository (`snakemake handin`): a git repository ready to push."""
    return f"handin/{year}"
