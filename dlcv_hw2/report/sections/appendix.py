"""The chapters every report ends with: the runtime and memory of its jobs, the environment that built
it, and the references (the methods' papers from their registries, the rest here)."""

import json
import os
import platform

from ... import paths
from ...methods.face_gan import FACE_GANS
from ...methods.generators import DIGIT_GENERATORS
from ...methods.uda import UDA_METHODS
from ..blocks import Heading, Paragraph, Table
from .common import fmt, last_benchmark


def runtime(root: str, jobs: list) -> list:
    """The benchmark records of ``jobs`` (names under ``root``/benchmarks/, without .tsv: the jobs the
    report's results came from, as the report rule lists them), as a chapter. A job with no record (its
    outputs made outside Snakemake) is named as such."""
    rows, unrecorded = [], []
    for name in sorted(jobs):
        r = last_benchmark(os.path.join(root, "benchmarks", f"{name}.tsv"))
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
    """The device a training ran on, from its training.json (``training``: its results folder,
    paths.generator(...) or paths.face_gan(...))."""
    path = os.path.join(root, paths.training_record(training))
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
