"""The NTU DLCV HW2 course, once: each year the project builds (2023, 2022, 2021) as one entry of ``YEARS``.

An entry holds what that year's assignment fixes: its problems (what ``snakemake all`` builds for it), the
domain-adaptation scenarios of its problem 3, the roles of its face GANs, its grading scripts (name,
arguments, output, checkpoints, time limit) and download script, its homework report, its data layout and
its baselines with their sources. The Snakefile and rules, ``handin/``, the report and the demo data read
it; no other module spells a year (tests/test_course.py). The grading path reads it too, so it imports the
standard library only and nothing of the package.
"""

from dataclasses import dataclass

# ------------------------------------------------------------------------------------------------ data layouts
# A digit domain of the course's hw2_data, as the config's demo_data.layout names the two layouts (by the
# year whose layout each is; 2022 has 2023's).
DATA_FOLDER = "2023"  # digits/D/data/*.png with train.csv, val.csv, test.csv
SPLIT_FOLDERS = "2021"  # digits/D/train/*.png, digits/D/test/*.png with train.csv, test.csv: no val split
LAYOUTS = (DATA_FOLDER, SPLIT_FOLDERS)
# the face folders of a layout: the training images and the split FID is computed against
FACE_FOLDERS = {DATA_FOLDER: ("train", "val"), SPLIT_FOLDERS: ("train", "test")}
LAYOUT_TITLES = {DATA_FOLDER: "data/ with train/val/test CSVs", SPLIT_FOLDERS: "train/ and test/, no val split"}


# ------------------------------------------------------------------------------------------- grading scripts
@dataclass(frozen=True)
class GradingScript:
    """One grading command. ``args`` holds placeholders: ``{out}`` (the output folder or CSV), ``{noise}``
    and ``{unet}`` (hw2_2.sh's inputs) and ``{test:DOMAIN}`` (a test image folder of that domain)."""

    name: str  # unique within its year, e.g. "hw2_3.sh usps"
    path: str  # relative to the repository
    args: tuple
    limit_s: int  # the course's limit on its RTX 2080 Ti
    writes: str  # "digits": 1000 D_NNN.png 28x28; "faces": 1000 NNNN.png 64x64; "ddim": NN.png per noise; "csv"
    checkpoints: tuple = ()  # what it loads from checkpoints/

    @property
    def output(self) -> str:
        """The file name of its output: a folder, or a CSV."""
        stem = self.name.replace(".sh", "").replace(" ", "_")
        return stem + (".csv" if self.writes == "csv" else "")

    @property
    def handin_path(self) -> str:
        """Where it sits in the year's hand-in repository: at the root, under the year's name."""
        return self.path.rsplit("/", 1)[-1]


def hand_in_report(student_id: str) -> str:
    """The report's file name, as the course grades it: hw2_<student_id>.pdf at the repository root."""
    return f"hw2_{student_id}.pdf"


def checkpoint(name: str) -> str:
    """Where a grading script loads a checkpoint from (a model's export writes it there)."""
    return f"checkpoints/{name}.pt"


def _uda_scripts(path: str, scenarios: tuple, limit_s: int, method: str = "dann", target_arg: bool = False) -> tuple:
    """A problem-3 script once per target domain of ``scenarios``: ``bash path TEST_DIR OUT_CSV`` (with
    ``target_arg``, ``bash path TEST_DIR TARGET OUT_CSV``), loading the checkpoint of that scenario."""
    name = path.rsplit("/", 1)[-1]
    return tuple(
        GradingScript(
            f"{name} {t}",
            path,
            ("{test:%s}" % t, *((t,) if target_arg else ()), "{out}"),
            limit_s,
            "csv",
            (checkpoint(f"{method}_{scenario_name(s, t)}"),),
        )
        for s, t in scenarios
    )


def scenario_name(source: str, target: str) -> str:
    """The folder name of a scenario: ``svhn`` for MNIST-M -> SVHN, ``svhn_to_mnistm`` for SVHN -> MNIST-M."""
    return target if source == "mnistm" else f"{source}_to_{target}"


# ----------------------------------------------------------------------------------------------- baselines
@dataclass(frozen=True)
class Baseline:
    """A course baseline (simple / strong) of one graded figure."""

    metric: str  # the figure it is set against: face_detection_rate, fid_inception, official_classifier ...
    simple: str
    strong: str  # "" where the year set one baseline only
    source: str  # where it is stated

    @property
    def text(self) -> str:
        """``85 / 90``: simple / strong, as the reports write them (``40`` when there is one)."""
        return f"{self.simple} / {self.strong}" if self.strong else self.simple


# ---------------------------------------------------------------------------------------------------- a year
# The problems `all` can build for a year (the rules map each to its targets, workflow/rules/common.smk), in
# the order of the assignment; uda is problem 3 (and a bonus). EXTRAS are built beside a year's problems and
# are not among its numbered problems.
PROBLEMS = ("ddpm", "ddim", "acgan", "generator_comparison", "face_gans", "uda")
EXTRAS = ("generator_comparison",)


@dataclass(frozen=True)
class Year:
    """One HW2 year as its assignment states it."""

    name: str  # the year, as the config's assignment names it
    title: str  # its homework report's title
    problems: tuple  # of PROBLEMS: what `all` builds for it
    scenarios: tuple  # its problem 3's (source, target) pairs
    uda_methods: tuple  # the UDA methods its problem 3 (and bonus) grade, beside those the config adds
    face_gans: tuple  # the roles of its face GANs: config keys naming a method ("face_gan_graded") or a method
    grading: tuple  # its GradingScripts
    download: str  # its download script, relative to the repository
    layout: str  # its data layout (LAYOUTS)
    baselines: tuple  # its Baselines
    document: str  # the function of dlcv_hw2/report/documents.py that writes its report
    questions: tuple = ()  # its report questions: (problem heading, (question, ...)) in the assignment's order
    config_scenarios: bool = False  # problem 3 runs the config's `scenarios` (else always its own)

    @property
    def folder(self) -> str:
        """Where its grading scripts live: the root for the default year, past_years/<year>/ otherwise."""
        return "" if self.name == DEFAULT else f"past_years/{self.name}"

    def baseline(self, metric: str):
        """Its Baseline of ``metric``, or None."""
        return next((b for b in self.baselines if b.metric == metric), None)

    def checkpoints(self) -> tuple:
        """Every checkpoint its grading scripts load, in the order they first need them."""
        return tuple(dict.fromkeys(c for s in self.grading for c in s.checkpoints))

    def handin_scripts(self) -> dict:
        """{path in its hand-in: path here}: its grading scripts and its download script, each at the
        hand-in's root under the year's name (2021: hw2_p1.sh .. hw2_bonus.sh, hw2_download.sh)."""
        scripts = {s.handin_path: s.path for s in self.grading}
        return {**scripts, self.download.rsplit("/", 1)[-1]: self.download}


# What a hand-in holds beside its year's scripts, checkpoints and report (`snakemake handin`): the code the
# grading scripts run and the training code the course asks for, as (path, suffixes): a file, or a folder
# with its files of those suffixes (() = all; caches and built files never go in).
HANDIN_CODE = (
    ("Snakefile", ()),
    ("config.yaml", ()),
    ("pyproject.toml", ()),
    ("dlcv_hw2", (".py", ".yaml", ".tsv", ".txt", ".json")),
    ("workflow", (".py", ".smk")),
    ("envs", (".sh", ".py", ".txt", ".tsv")),
    ("profiles", (".yaml",)),
    ("report", (".rst",)),
)
HANDIN_FILE_LIMIT_MB = 50  # a checkpoint at or over it is hosted (checkpoints/manifest.tsv), not committed


_SLIDES = "the assignment's slides (HW2_FACTS.md section 8)"
_SVHN_USPS = (("mnistm", "svhn"), ("mnistm", "usps"))
_THREE = (("mnistm", "usps"), ("svhn", "mnistm"), ("usps", "svhn"))
DEFAULT = "2023"  # the homework the project builds by default; its grading scripts sit at the root

_YEARS = (
    Year(
        name="2023",
        title="DLCV Fall 2023 HW2 report",
        problems=("ddpm", "generator_comparison", "ddim", "uda"),
        scenarios=_SVHN_USPS,
        uda_methods=("dann",),
        face_gans=(),
        grading=(
            GradingScript("hw2_1.sh", "hw2_1.sh", ("{out}",), 15 * 60, "digits", (checkpoint("ddpm"),)),
            GradingScript("hw2_2.sh", "hw2_2.sh", ("{noise}", "{out}", "{unet}"), 5 * 60, "ddim"),
            *_uda_scripts("hw2_3.sh", _SVHN_USPS, 10 * 60),
        ),
        download="hw2_download.sh",
        layout=DATA_FOLDER,
        baselines=(
            Baseline("official_classifier", "90", "95", "the assignment (HW2_FACTS.md section 6)"),
            Baseline("ddim_mse", "20", "", "the assignment (HW2_FACTS.md section 5)"),
            Baseline("uda_svhn", "40", "", "the assignment (HW2_FACTS.md section 6)"),
            Baseline("uda_usps", "76", "", "the assignment (HW2_FACTS.md section 6)"),
        ),
        document="document_2023",
        config_scenarios=True,
    ),
    Year(
        name="2022",
        title="DLCV Fall 2022 HW2 report",
        problems=("face_gans", "ddpm", "uda"),
        scenarios=_SVHN_USPS,
        uda_methods=("dann",),
        face_gans=("dcgan", "face_gan_improved", "face_gan_graded"),  # method A (first), method B, the graded one
        grading=(
            GradingScript(
                "hw2_1.sh", "past_years/2022/hw2_1.sh", ("{out}",), 10 * 60, "faces", (checkpoint("face_gan"),)
            ),
            GradingScript("hw2_2.sh", "past_years/2022/hw2_2.sh", ("{out}",), 15 * 60, "digits", (checkpoint("ddpm"),)),
            *_uda_scripts("past_years/2022/hw2_3.sh", _SVHN_USPS, 10 * 60),
        ),
        download="past_years/2022/hw2_download.sh",
        layout=DATA_FOLDER,
        baselines=(
            Baseline("face_detection_rate", "85", "90", _SLIDES),
            Baseline("fid_inception", "30", "27", _SLIDES),
            Baseline("official_classifier", "80", "88", _SLIDES),
            Baseline("uda_svhn", "40", "", _SLIDES),
            Baseline("uda_usps", "76", "", _SLIDES),
        ),
        document="document_2022",
        questions=(
            (
                "Problem 1: GANs on faces (A: DCGAN; B: an improved GAN)",
                (
                    "The model architectures of method A and method B",
                    "The first 32 generated images of A and B, and the difference between them",
                    "What we observed and learned from implementing GANs",
                ),
            ),
            (
                "Problem 2: conditional diffusion model (DDPM) on MNIST-M",
                (
                    "Model architecture and implementation details",
                    "Ten generated images for each digit (0-9)",
                    'The reverse process of the first "0" at six time steps',
                    "What we observed and learned from implementing the conditional diffusion model",
                ),
            ),
            (
                "Problem 3: DANN (MNIST-M -> SVHN, MNIST-M -> USPS)",
                (
                    "Accuracy table",
                    "t-SNE of the latent space on validation images, by digit and by domain",
                    "Implementation details, and what we observed and learned from implementing DANN",
                ),
            ),
        ),
        config_scenarios=True,
    ),
    Year(
        name="2021",
        title="DLCV Fall 2021 HW2 report",
        problems=("face_gans", "acgan", "uda"),
        scenarios=_THREE,
        uda_methods=("dann", "dsn"),  # DSN: the bonus
        face_gans=("face_gan_graded",),
        grading=(
            GradingScript(
                "hw2_p1.sh", "past_years/2021/hw2_p1.sh", ("{out}",), 600, "faces", (checkpoint("face_gan"),)
            ),
            GradingScript("hw2_p2.sh", "past_years/2021/hw2_p2.sh", ("{out}",), 600, "digits", (checkpoint("acgan"),)),
            *_uda_scripts("past_years/2021/hw2_p3.sh", _THREE, 600, "dann", target_arg=True),
            *_uda_scripts("past_years/2021/hw2_bonus.sh", _THREE, 600, "dsn", target_arg=True),
        ),
        download="past_years/2021/hw2_download.sh",
        layout=SPLIT_FOLDERS,
        baselines=(
            Baseline("fid_inception", "35.0", "30.0", _SLIDES),
            Baseline("is_imagenet", "2.00", "2.15", _SLIDES),
            Baseline("official_classifier", "70", "80", _SLIDES),
            Baseline("uda_usps", "72", "", _SLIDES),
            Baseline("uda_svhn_to_mnistm", "42", "", _SLIDES),
            Baseline("uda_usps_to_svhn", "28", "", _SLIDES),
        ),
        document="document_2021",
        questions=(
            (
                "Problem 1: GAN on faces",
                (
                    "Model architecture",
                    "The first 32 generated images",
                    "FID and Inception Score of the 1000 generated images",
                    "What we observed and learned from implementing GANs",
                ),
            ),
            (
                "Problem 2: ACGAN on MNIST-M",
                (
                    "ACGAN model architecture",
                    "Ten generated images for each digit (0-9)",
                    "Accuracy of the 1000 generated digits",
                ),
            ),
            (
                "Problem 3: DANN (MNIST-M -> USPS, SVHN -> MNIST-M, USPS -> SVHN)",
                (
                    "Accuracy table",
                    "t-SNE of the latent space, by digit and by domain",
                    "Implementation details, and what we observed and learned from implementing DANN",
                ),
            ),
            (
                "Bonus: an improved UDA model (DSN)",
                ("Accuracy of DANN and the improved model", "Implementation details of the improved model"),
            ),
        ),
    ),
)
YEARS = {y.name: y for y in _YEARS}  # newest first
# The year that first graded the face-detection rate: its baselines stand beside every face GAN's rate.
DETECTION_YEAR = next(y for y in _YEARS if y.baseline("face_detection_rate"))
ALL_CHECKPOINTS = tuple(dict.fromkeys(c for y in _YEARS for c in y.checkpoints()))
SCENARIO_SETS = {y.name: y.scenarios for y in _YEARS if not y.config_scenarios or y.name == DEFAULT}


def year(name) -> Year:
    """The entry of a year (``2021`` or ``"2021"``); an unknown one is a ValueError naming the known."""
    if str(name) not in YEARS:
        raise ValueError(f"unknown HW2 year {name!r} (known: {', '.join(YEARS)})")
    return YEARS[str(name)]


def where(problem: str) -> str:
    """Which problem of which years ``problem`` is, as the reports say it: ``2021/2022 problem 1``,
    ``2021 problem 2``, ``2022 problem 2, 2023 problem 1``."""
    by_number = {}
    for y in sorted(_YEARS, key=lambda y: y.name):
        numbered = [p for p in y.problems if p not in EXTRAS]
        if problem in numbered:
            by_number.setdefault(numbered.index(problem) + 1, []).append(y.name)
    return ", ".join(f"{'/'.join(names)} problem {n}" for n, names in sorted(by_number.items(), key=lambda i: i[1]))


def face_gan_years() -> tuple:
    """The years whose problem 1 is a face GAN."""
    return tuple(y for y in _YEARS if "face_gans" in y.problems)
