"""Real snakemake runs of the workflow on the tiny config, in a temporary folder."""

import os
import re
import subprocess

import pytest
from conftest import CLASSIFIER, REPO, SNAKEMAKE, TINY, snakemake

# The rules run in the project's one environment (.venv, from envs/requirements.txt) and carry no
# conda: or container: directive, since no conda channel or container registry can be reached where
# the project is built and tested (docs/configuration.md, "Environment"). Snakemake's linter names that once per
# rule; any other lint fails the test.
NO_SOFTWARE_DIRECTIVE = "Specify a conda environment or container for each rule."


def test_lint_is_clean():
    proc = subprocess.run([SNAKEMAKE, "--lint"], cwd=REPO, capture_output=True, text=True)
    out = proc.stdout + proc.stderr
    linted = re.findall(r"^Lints for (?:rule|snakefile) ([^ ]+)", out, re.M)
    items = re.findall(r"^\s+\* (.+?):$", out, re.M)
    assert set(items) <= {NO_SOFTWARE_DIRECTIVE}, out
    assert len(items) == len(linted), out  # one lint per rule, that one
    assert proc.returncode == (1 if linted else 0), out  # snakemake --lint exits 1 when it found lints
    listing = subprocess.run([SNAKEMAKE, "--list-rules"], cwd=REPO, capture_output=True, text=True).stdout
    rules = [line.split()[0] for line in listing.splitlines() if line and not line[0].isspace()]
    targets = {"all", "all_years", "face_data", "face_gans"}  # they only gather outputs: nothing runs or lints
    assert sorted(linted) == sorted(r for r in rules if r not in targets), (linted, rules)


@pytest.mark.parametrize(
    "override, key",
    [
        ("preset=fast", "invalid config key preset: 'fast' is not one of"),
        ("bogus=1", "'bogus' was unexpected"),
        ("seed=-1", "invalid config key seed: -1 is less than the minimum of 0"),
        ("device=gpu", "invalid config key device"),
        ("assignment=2020", "invalid config key assignment: 2020 is not one of"),
        ("student_id=r12/345", "invalid config key student_id: 'r12/345' does not match"),
        ("student_id=r12 345", "invalid config key student_id: 'r12 345' does not match"),
    ],
)
def test_bad_config_is_named(tmp_path, override, key):
    proc = snakemake(tmp_path, "-n", config=[override])
    assert proc.returncode != 0
    assert key in proc.stdout + proc.stderr


def test_data_root_without_digits_is_refused(tmp_path):
    proc = snakemake(tmp_path, "-n", config=[f"data_root={tmp_path}"])
    assert proc.returncode != 0
    assert "has no digits/ folder" in proc.stdout + proc.stderr


# Where ../shared is absent the workflow runs without the official classifier (it warns and leaves
# the official evaluations out); the tests below check whichever of the two runs this machine can do.
HAS_OFFICIAL = os.path.isfile(CLASSIFIER)
JUDGES = ["eval_classifier"] + (["official_classifier"] if HAS_OFFICIAL else [])


def test_without_the_official_classifier_its_evaluations_are_left_out(tmp_path):
    absent = tmp_path / "no" / "Classifier.pth"
    proc = snakemake(tmp_path, "all", "-n", "--cores", "2", config=[f"official_classifier={absent}"])
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-3000:]
    assert f"warning: official classifier '{absent}' not found; official evaluations are skipped" in out
    assert "accuracy_eval_classifier.csv" in out  # the pipeline's own evaluation classifier still judges the samples
    assert "accuracy_official_classifier.csv" not in out and "official_classifier_on_split" not in out
    if HAS_OFFICIAL:  # and the same dry run with it does plan them
        proc = snakemake(tmp_path, "all", "-n", "--cores", "2")
        assert "accuracy_official_classifier.csv" in proc.stdout and "rule official_classifier_on_split" in proc.stdout


def test_the_official_classifier_is_looked_up_in_the_working_directory_then_at_the_repository_root(tmp_path):
    import shutil

    cmd = [
        SNAKEMAKE,
        "all",
        "-n",
        "--cores",
        "2",
        "-s",
        os.path.join(REPO, "Snakefile"),
        "-d",
        str(tmp_path),
        "--configfile",
        TINY,
    ]  # official_classifier left at its default, Classifier.pth
    at_root = os.path.join(REPO, "Classifier.pth")
    out = subprocess.run(cmd, capture_output=True, text=True).stderr
    if not os.path.isfile(at_root):
        assert f"warning: official classifier '{at_root}' not found; official evaluations are skipped" in out
    if HAS_OFFICIAL:
        shutil.copyfile(CLASSIFIER, tmp_path / "Classifier.pth")
        proc = subprocess.run(cmd, capture_output=True, text=True)
        assert "not found" not in proc.stderr and "accuracy_official_classifier.csv" in proc.stdout


def test_whole_workflow_runs_for_real(tiny_run):
    tmp_path = tiny_run
    import csv
    import json

    import torch

    for domain in ("mnistm", "svhn", "usps"):
        for split, n in (("train", 60), ("val", 20)):  # tests/tiny_config.yaml
            cache = torch.load(tmp_path / "results" / "cache" / domain / f"{split}.pt", weights_only=True)
            assert cache["images"].shape == (n, 3, 28, 28)
        assert os.path.isfile(tmp_path / "results" / "benchmarks" / "demo_domain" / f"{domain}.tsv")
    results = tmp_path / "results"
    if HAS_OFFICIAL:
        table = open(results / "data" / "official_classifier_mnistm_val.csv").read().splitlines()
        assert table[-1].startswith("all,20,")
    else:
        assert not (results / "data" / "official_classifier_mnistm_val.csv").exists()
        assert not (results / "ddpm" / "accuracy_official_classifier.csv").exists()
    # problem 1: 1000 graded samples, accuracy by both classifiers, sweep rows, figures, hw2_1 checkpoint
    assert len([n for n in os.listdir(results / "ddpm" / "samples") if not n.startswith(".")]) == 1000
    assert open(results / "ddpm" / "accuracy.csv").read().splitlines()[0] == ",".join(["digit"] + JUDGES)
    sweep = list(csv.DictReader(open(results / "ddpm" / "sweep.csv")))
    assert len(sweep) == 2 + 3  # w 0,2; steps 2,3 + DDPM
    assert all(0.0 <= float(r["precision_digit"]) <= 1.0 and 0.0 <= float(r["recall_digit"]) <= 1.0 for r in sweep)
    for fig in ("grid", "reverse_process", "loss", "accuracy_vs_guidance", "accuracy_vs_steps", "time_vs_steps"):
        assert (results / "ddpm" / "figures" / f"{fig}.png").stat().st_size > 1000
    assert (tmp_path / "checkpoints" / "ddpm.pt").is_file()
    # beyond 2023: the ACGAN's 1000 digits judged alike, the generative metrics, the side-by-side table
    assert len([n for n in os.listdir(results / "acgan" / "samples") if not n.startswith(".")]) == 1000
    assert (tmp_path / "checkpoints" / "acgan.pt").is_file()
    rows = list(csv.DictReader(open(results / "generators" / "comparison.csv")))
    assert [r["generator"] for r in rows] == ["ddpm", "acgan", "real_train"]
    real = json.load(open(results / "data" / "generative_metrics_train.json"))
    assert real["samples"] == 60 and float(rows[-1]["recall_digit"]) == pytest.approx(real["recall_digit"])
    rows = rows[:-1]
    for r in rows:
        metrics = json.load(open(results / r["generator"] / "generative_metrics.json"))
        assert float(r["recall_digit"]) == pytest.approx(metrics["recall_digit"])
        assert {f"recall_digit_{d}" for d in range(10)} <= set(metrics)
        assert float(r["fid_digit"]) == pytest.approx(metrics["fid_digit"]) and metrics["fid_digit"] > 0
        assert r["fid_inception"] == "not computed (no Inception weights)"
        for judge in JUDGES:
            acc = open(results / r["generator"] / f"accuracy_{judge}.csv").read().splitlines()[-1].split(",")[-1]
            assert float(r[f"acc_{judge}"]) == float(acc)
    phases = [(t["generator"], t["phase"]) for t in csv.DictReader(open(results / "generators" / "times.csv"))]
    assert phases == [
        ("ddpm", "training"),
        ("ddpm", "sampling 1000 images"),
        ("acgan", "training"),
        ("acgan", "sampling 1000 images"),
    ]
    for fig in ("generators/grids.png", "generators/training_curves.png", "acgan/figures/grid.png"):
        assert (results / fig).stat().st_size > 1000
    # problem 2 grids (digit model stands in) and problem 3 table, t-SNE, hw2_3 checkpoints
    for fig in ("eta_grid", "interpolation_slerp", "interpolation_linear"):
        assert (results / "ddim" / "figures" / f"{fig}.png").stat().st_size > 1000
    md = open(results / "dann" / "accuracy_table.md").read()
    assert "| Adaptation (DANN) |" in md and "MNIST-M → SVHN" in md and "±" in md
    for scenario in ("svhn", "usps"):
        assert (results / f"dann_{scenario}" / "tsne.png").is_file()
        assert (tmp_path / "checkpoints" / f"dann_{scenario}.pt").is_file()
    # nothing left to do the second time
    proc = snakemake(tmp_path, "all", "--cores", "2", "-n")
    assert "Nothing to be done" in proc.stdout + proc.stderr


# Outputs that hold wall-clock times cannot repeat byte for byte: snakemake's benchmark and log
# files, the sampling-time JSONs, the figure of sampling time against steps, the DDPM's and the ACGAN's
# resume states (their histories have each epoch's seconds; the models they lead to are compared) and
# the Markdown table of the two generators (it states the times of times.csv) are left out; the
# "seconds" column of CSVs and the "seconds" of training histories are removed before comparing.
NOT_COMPARED = {
    "results/ddpm/sampling_time.json",
    "results/ddpm/figures/time_vs_steps.png",
    "results/ddpm_state/{key}/state.pt",
    "results/acgan/sampling_time.json",
    "results/acgan_state/{key}/state.pt",
    "results/generators/comparison.md",
    # the homework report states the measured seconds of each job and of sampling
    "report/hw2_report.html",
    "report/hw2_report.pdf",
}


def _without_times(path):
    import csv
    import json

    if path.endswith(".json"):
        obj = json.load(open(path))
        for rec in obj.get("history", []) if isinstance(obj, dict) else []:
            rec.pop("seconds", None)
        return json.dumps(obj, sort_keys=True).encode()
    rows = list(csv.reader(open(path, newline="")))
    if rows and "seconds" in rows[0]:
        k = rows[0].index("seconds")
        rows = [r[:k] + r[k + 1 :] for r in rows]
    return repr(rows).encode()


def _job_blocks(stdout):
    """{rule: [the lines of each of its jobs]} from a dry run's listing."""
    blocks, current = {}, None
    for line in stdout.splitlines():
        m = re.match(r"rule (\w+):$", line.strip())
        if m:
            current = blocks.setdefault(m.group(1), [])
            current.append([])
        elif current is not None and line.startswith("    "):
            current[-1].append(line.strip())
    return blocks


@pytest.mark.parametrize("device, gpu", [("cpu", 0), ("cuda", 1)])
def test_torch_jobs_take_job_threads_and_the_gpu_only_on_a_gpu_run(tmp_path, device, gpu):
    proc = snakemake(tmp_path, "all", "-n", "--cores", "4", config=[f"device={device}", "job_threads=3"])
    assert proc.returncode == 0, proc.stderr[-3000:]
    blocks = _job_blocks(proc.stdout)
    torch_rules = ("train_ddpm", "sample_ddpm", "train_eval_classifier", "train_dann", "train_acgan")
    for rule in torch_rules:
        assert blocks.get(rule), sorted(blocks)
        for lines in blocks[rule]:
            assert "threads: 3" in lines, (rule, lines)
            resources = next(x for x in lines if x.startswith("resources:"))
            assert f"gpu={gpu}," in resources, (rule, resources)
    # a CPU-only run leaves no job holding the gpu resource
    if gpu == 0:
        assert not any("gpu=1" in x for jobs in blocks.values() for lines in jobs for x in lines)


def test_more_seeds_or_methods_rerun_no_finished_training(tiny_run, tmp_path):
    """dann.seeds and dann.methods are the plan of runs, not settings of one run: a longer list adds
    the new runs to the finished workflow and reruns none of its trainings."""
    plan = tmp_path / "plan.yaml"
    plan.write_text("presets: {demo: {dann: {seeds: [0, 1, 2], methods: [source_only, dann, dsn, target_only]}}}\n")
    cmd = [
        SNAKEMAKE,
        "all",
        "-n",
        "--cores",
        "2",
        "-s",
        os.path.join(REPO, "Snakefile"),
        "-d",
        str(tiny_run),
        "--configfile",
        TINY,
        str(plan),
        "--config",
        f"official_classifier={CLASSIFIER}",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    runs = sorted(
        re.search(r"wildcards: scenario=(\w+), setting=(\w+), seed=(\d+)", " ".join(lines)).groups()
        for lines in _job_blocks(proc.stdout)["train_dann"]
    )
    expected = sorted(
        (scenario, setting, seed)
        for scenario in ("svhn", "usps")
        for setting in ("source_only", "dann", "dsn", "target_only")
        for seed in "012"
        if seed != "0" or setting == "dsn"  # the tiny config trains seed 0
    )
    assert runs == expected


def _digests(root):
    import hashlib

    out = {}
    for dirpath, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in (".snakemake", "logs", "benchmarks")]
        for f in files:
            path = os.path.join(dirpath, f)
            rel = os.path.relpath(path, root)
            if re.sub(r"(ddpm|acgan)_state/\w+/", r"\1_state/{key}/", rel) in NOT_COMPARED:
                continue
            if f.endswith((".json", ".csv")):
                data = _without_times(path)
            else:
                with open(path, "rb") as fh:
                    data = fh.read()
            out[rel] = hashlib.sha256(data).hexdigest()
    return out


def test_two_runs_from_scratch_give_identical_bytes_whatever_the_cores(tiny_run, tmp_path):
    """The second run has three cores (three jobs side by side, in another order; CI's machine has two):
    every torch job takes job_threads threads whatever --cores says, so the bytes do not depend on it.
    (A run on one core, jobs one after another, took twice as long.)"""
    proc = snakemake(tmp_path, "all", "--cores", "3")
    assert proc.returncode == 0, proc.stderr[-3000:]
    first, second = _digests(tiny_run), _digests(tmp_path)
    kinds = {os.path.splitext(k)[1] for k in first}
    assert {".png", ".csv", ".pt", ".md", ".json"} <= kinds, kinds
    assert len(first) > 1000  # the data, the 1000 samples, tables, figures and every checkpoint
    assert sorted(first) == sorted(second)
    differ = sorted(k for k in first if first[k] != second[k])
    assert not differ, differ[:20]


def test_training_killed_under_snakemake_resumes_when_the_target_is_run_again(tmp_path):
    """SIGKILL snakemake and the training it runs in the middle of the run (a crash), then run the same
    target again (after ``--unlock``): the rule starts over, the script resumes after its last saved
    epoch, and no output file looked finished before it was."""
    import re
    import signal
    import time

    import yaml

    cfg = yaml.safe_load(open(TINY))
    cfg["presets"]["demo"]["ddpm"].update(epochs=30, batch_size=8)
    cfg["official_classifier"] = CLASSIFIER
    cfgfile = tmp_path / "config.yaml"
    cfgfile.write_text(yaml.safe_dump(cfg))
    cmd = [
        SNAKEMAKE,
        "results/ddpm/model.pt",
        "--cores",
        "2",
        "-s",
        os.path.join(REPO, "Snakefile"),
        "-d",
        str(tmp_path),
        "--configfile",
        str(cfgfile),
    ]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    log = tmp_path / "results" / "logs" / "train_ddpm.log"
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True)
    deadline = time.time() + 300
    while time.time() < deadline and proc.poll() is None:
        if log.exists() and "epoch 3:" in log.read_text():
            os.killpg(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.05)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    model = tmp_path / "results" / "ddpm" / "model.pt"
    assert not model.exists() and not (tmp_path / "results" / "ddpm" / "loss.csv").exists()
    # snakemake keeps its lock after a kill: the documented recovery is --unlock, then the same target
    unlock = subprocess.run([SNAKEMAKE, "--unlock", *cmd[4:]], capture_output=True, text=True)
    assert unlock.returncode == 0, unlock.stderr
    again = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    assert again.returncode == 0, again.stderr[-3000:]
    text = log.read_text()
    done = int(re.search(r"after epoch (\d+)", text).group(1))
    assert done >= 3 and "epoch 1:" not in text and f"epoch {done + 1}:" in text
    assert len(open(tmp_path / "results" / "ddpm" / "loss.csv").read().splitlines()) == 1 + 30
    from dlcv_hw2.methods.ddpm import load_model

    fn = load_model(str(model), "cpu").eps
    import torch

    assert torch.isfinite(fn(torch.zeros(1, 3, 28, 28), torch.tensor([5]), torch.tensor([2]))).all()


def _pdf_pages(pdf, out_dir):
    """Render every page with poppler's pdftoppm; the list of PNG files."""
    import shutil

    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed; envs/setup.sh installs it when run as root")
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(out_dir / "page")], check=True)
    return sorted(out_dir.glob("page*.png"))


def test_homework_report_from_the_tiny_run(tiny_run, tmp_path):
    """`snakemake report`: every section, every figure embedded, the numbers of the metrics files, a PDF
    whose pages all carry something, and the same bytes when it is built again."""
    import base64
    import csv
    import io
    import re
    import shutil

    import numpy as np
    from PIL import Image

    from dlcv_hw2.report.documents import SECTIONS

    work = tmp_path / "run"
    shutil.copytree(tiny_run, work, symlinks=True)  # `all` built the report; rebuilt below
    html = (work / "report" / "hw2_report.html").read_text()
    for heading in SECTIONS + (
        "References",
        "1.1 Model architecture",
        "1.4 Accuracy",
        "1.5 Guidance weight and sampling steps",
        "2.1 Effect of eta",
        "2.2 Interpolation between two noises",
        "3.1 Accuracy on the target validation set",
        "3.2 t-SNE of the features",
    ):
        assert f">{heading}</h" in html, heading
    sources = re.findall(r"<img src='([^']*)'", html)
    assert len(sources) == 16  # P1: diagram, loss, grid, reverse, 3 sweeps; P2: 3 grids; P3: 4 t-SNE; 2 of the GANs
    for src in sources:
        assert src.startswith("data:image/png;base64,")
        Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))).verify()
    assert "DigitUNet(" in html  # the printed module
    # the DANN additions the config switches on (the demo preset's) are described, with their weight
    assert "each domain with its own statistics" in html and "adds 0.5 times the mean entropy" in html

    cells = [tuple(re.findall(r"<td>([^<]*)</td>", row)) for row in re.findall(r"<tr>(<td>.*?)</tr>", html)]
    # the two generators side by side: the table's numbers are those of comparison.csv
    gens = {r["generator"]: r for r in csv.DictReader(open(work / "results" / "generators" / "comparison.csv"))}
    fid = [f"{float(gens[g]['fid_digit']):,.2f}" for g in ("ddpm", "acgan", "real_train")]
    assert ("FID, digit features (lower is better)", *fid) in cells  # the real train digits: the last column
    recall = [f"{float(gens[g]['recall_digit']):,.3f}" for g in ("ddpm", "acgan", "real_train")]
    assert ("recall, digit features (k = 3; variety)", *recall) in cells
    assert "reads precision" in html and "for as many real train images scored alike" in html
    assert "spectral normalisation in every discriminator layer" in html and "not computed" in html
    acc = list(csv.DictReader(open(work / "results" / "ddpm" / "accuracy.csv")))
    assert len(acc) == 11  # the ten digits and "all"
    for row in acc:
        want = (row["digit"], *(f"{float(row[judge]):.1f}" for judge in JUDGES))
        assert want in cells, want
    table = work / "results" / "dann" / "accuracy_table.csv"
    dann = {(r["scenario"], r["setting"]): r for r in csv.DictReader(open(table))}
    for setting, name in (
        ("source_only", "Trained on source"),
        ("dann", "Adaptation (DANN)"),
        ("target_only", "Trained on target"),
    ):
        row = [
            f"{float(dann[(s, setting)]['mean']):.1f} ± 0.0"  # one seed in the tiny config: no "(n=...)"
            for s in ("svhn", "usps")
        ]
        assert (name, *row) in cells, (name, row)

    pdf = work / "report" / "hw2_report.pdf"
    log = (work / "results" / "logs" / "report.log").read_text()
    expected_pages = int(re.search(r"\((\d+) pages\)", log).group(1))
    pages = _pdf_pages(pdf, tmp_path)
    assert len(pages) == expected_pages >= 1 + len(SECTIONS)  # a title page, each section on new pages
    for page in pages:  # anything not white: a page of one light, sparse plot has little dark ink at 30 dpi
        marked = np.asarray(Image.open(page).convert("L")) < 250
        assert marked.mean() > 0.002, f"{page.name} is blank"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for heading in SECTIONS:
        assert heading in text, heading
    assert f"{float(dann[('usps', 'dann')]['mean']):.1f} ± {float(dann[('usps', 'dann')]['sd']):.1f}" in text

    first = {p: (work / p).read_bytes() for p in ("report/hw2_report.html", "report/hw2_report.pdf")}
    proc = snakemake(work, "report", "--cores", "2", "--forcerun", "report")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "rule report:" in proc.stdout + proc.stderr and "rule train_ddpm:" not in proc.stdout + proc.stderr
    assert all((work / p).read_bytes() == data for p, data in first.items())


def test_snakemake_report_of_the_tiny_run(tiny_run, tmp_path):
    """`snakemake --report`: one self-contained HTML page with the workflow description and every
    annotated result under its problem's category."""
    out = tmp_path / "workflow_report.html"
    proc = snakemake(tiny_run, "--report", str(out))
    assert proc.returncode == 0, proc.stderr[-3000:]
    text = out.read_text()
    assert "Homework 2 as one Snakemake workflow" in text and "demo</tt> preset" in text
    for category in ("Problem 1: DDPM", "Problem 2: DDIM", "Problem 3: DANN"):
        assert category in text, category
    for name in ("grid.png", "eta_grid.png", "tsne_digit.png", "accuracy_table.csv", "sweep.csv"):
        assert name in text, name


def _check_face_data(root, fid_folder):
    """The demo faces, their caches and the detection rates of the real val faces and of the LFW set."""
    import json

    import torch

    face = root / "results" / "hw2_data" / "face"
    assert sorted(os.listdir(face)) == sorted(["train", fid_folder])
    pngs = sorted(n for n in os.listdir(face / fid_folder) if not n.startswith("."))  # not snakemake's timestamp
    assert pngs == [f"{i:05d}.png" for i in range(8, 20)]  # numbered on from train's 8 (tests/tiny_config.yaml)
    for split, n in (("train", 8), ("val", 12)):
        cache = torch.load(root / "results" / "cache" / "face" / f"{split}.pt", weights_only=True)
        assert cache["images"].shape == (n, 3, 64, 64) and cache["images"].dtype == torch.uint8
    val = json.load(open(root / "results" / "faces" / "detection_val.json"))
    assert val["images"] == 12 and val["one_face"] + val["no_face"] + val["more_faces"] == 12
    assert val["rate"] == round(100 * val["one_face"] / 12, 2) and val["rate"] >= 75  # demo faces read as faces
    lfw = json.load(open(root / "results" / "faces" / "detection_lfw.json"))
    assert lfw["lfw_faces"]["one_face"] == 89 and lfw["lfw_non_faces"]["no_face"] == 100


def test_face_data_target_builds_demo_faces_in_the_2021_layout_caches_and_detection_rates(tmp_path):
    proc = snakemake(tmp_path, "face_data", "--cores", "2", config=["presets={demo: {demo_data: {layout: '2021'}}}"])
    assert proc.returncode == 0, proc.stderr[-3000:]
    _check_face_data(tmp_path, "test")
    assert not (tmp_path / "results" / "face_gan").exists()


def test_face_gans_target_trains_the_methods_no_year_needed_and_compares_them_all(all_years_run, tmp_path):
    """`face_gans` over a copy of the all_years run (2023 layout), which trained the 2022 and 2021 GANs
    (DCGAN, SNGAN): only the others are trained, sampled and scored anew; then all side by side."""
    import json
    import shutil

    from dlcv_hw2.methods.face_gan import FACE_GANS

    work = tmp_path / "run"
    shutil.copytree(all_years_run, work, symlinks=True)
    gans = work / "results" / "face_gan"
    assert sorted(os.listdir(gans)) == ["2021", "2022", "dcgan", "sngan"]
    kept = [
        gans / "dcgan" / "model.pt",
        gans / "sngan" / "model.pt",
        work / "results" / "cache" / "face" / "train.pt",
        work / "results" / "cache" / "face" / "val_embeddings.pt",
    ]
    stamps = [os.stat(f).st_mtime_ns for f in kept]
    proc = snakemake(work, "face_gans", "--cores", "2")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert [os.stat(f).st_mtime_ns for f in kept] == stamps  # the years' GANs and face data not built again
    _check_face_data(work, "val")
    for method in FACE_GANS:
        faces = sorted(n for n in os.listdir(gans / method / "samples") if not n.startswith("."))
        assert faces == [f"{i:04d}.png" for i in range(1000)]
        assert json.load(open(gans / method / "detection.json"))["images"] == 1000
        curve = open(gans / method / "loss.csv").read().splitlines()
        assert curve[0].startswith("epoch,step,d_loss,g_loss") and curve[0].endswith(",precision_face,recall_face")
        precision, recall = map(float, curve[-1].split(",")[-2:])  # the last epoch always has its point
        assert 0 <= precision <= 1 and 0 <= recall <= 1
        assert os.path.isfile(work / "results" / "benchmarks" / "train_face_gan" / f"{method}.tsv")
        metrics = json.load(open(gans / method / "generative_metrics.json"))
        assert (metrics["samples"], metrics["reference"]) == (20, 12)  # face_samples of tiny_config.yaml; all val
        assert metrics["fid_face"] > 0 and metrics["fid_inception"] == "not computed (no Inception weights)"
    real = {k: json.load(open(work / "results" / "faces" / f"generative_metrics_{k}.json")) for k in ("train", "lfw")}
    assert (real["train"]["samples"], real["lfw"]["samples"]) == (8, 20)  # all 8 train faces; LFW's first 20
    table = open(gans / "summary.md").read()
    for name in (
        "DCGAN",
        "WGAN-GP",
        "SAGAN",
        "LSGAN",
        "SNGAN",
        "real val faces (the reference)",
        "real train faces",
        "LFW faces (scikit-image, 100)",
    ):
        assert f"| {name} |" in table
    rows = {line.split("|")[1].strip(): line.split("|")[2:] for line in table.splitlines()[2:10]}
    assert float(rows["DCGAN"][0]) == json.load(open(gans / "dcgan" / "detection.json"))["rate"]
    assert float(rows["SAGAN"][2]) == round(json.load(open(gans / "sagan" / "generative_metrics.json"))["fid_face"], 3)
    assert float(rows["real train faces"][2]) == round(real["train"]["fid_face"], 3)
    for figure in ("first32.png", "training_curves.png"):
        assert os.path.getsize(gans / figure) > 10_000
    # the graded generator (face_gan_graded: sngan) exported for past_years/2022/hw2_1.sh and 2021/hw2_p1.sh
    assert (work / "checkpoints" / "face_gan.pt").read_bytes() == (gans / "sngan" / "model.pt").read_bytes()
    report = (work / "report" / "face_gans.html").read_text()
    assert "<h2>Beyond 2023: GANs on faces</h2>" in report and report.count("data:image/png;base64,") == 2
    assert f"{round(real['train']['fid_face'], 3):.3f}" in report
    assert "Their variety, measured on the first curve_recall_faces of those faces" in report
    assert (work / "report" / "face_gans.pdf").read_bytes().startswith(b"%PDF")


# Each earlier year's report questions in order, as its assignment asked them (HW2_FACTS.md section 8, the
# seed reports 001-003): per problem, a word its heading holds, and per question a phrase its heading holds.
YEAR_QUESTIONS = {
    "2022": [
        ("GAN", ["architecture", "first 32", "observed and learned"]),
        ("diffusion", ["architecture", "for each digit", 'reverse process of the first "0"', "observed and learned"]),
        ("DANN", ["accuracy table", "t-SNE", "implementation details"]),
    ],
    "2021": [
        ("GAN", ["architecture", "first 32", "FID and Inception Score", "observed and learned"]),
        ("ACGAN", ["ACGAN model architecture", "for each digit", "accuracy"]),
        ("DANN", ["accuracy table", "t-SNE", "implementation details"]),
        ("Bonus", ["improved model", "implementation details"]),
    ],
}
YEAR_RULES = {  # (rules a year's `all` runs, rules it must not run)
    "2023": (
        {"train_ddpm", "train_acgan", "ddim_grids", "dann_table", "report"},
        {"train_face_gan", "dann_table_year", "year_report"},
    ),
    "2022": (
        {"train_face_gan", "year_face_gans", "train_ddpm", "ddpm_figures", "dann_table", "tsne", "year_report"},
        {"train_acgan", "ddim_grids", "dann_table_year", "report", "compare_face_gans"},
    ),
    "2021": (
        {
            "train_face_gan",
            "year_face_gans",
            "train_acgan",
            "acgan_summary",
            "dann_table_year",
            "tsne",
            "year_report",
        },
        {"train_ddpm", "ddim_grids", "dann_table", "report", "compare_generators", "compare_face_gans"},
    ),
}
YEAR_FACE_GANS = {"2023": set(), "2022": {"dcgan", "sngan"}, "2021": {"sngan"}}  # problem 1: A and B; one GAN


def _report_jobs(workdir, target):
    """For the report ``target``, Snakemake's plan of it from scratch: the jobs the report rule passes
    to --runtime-jobs, and the benchmark records of the jobs the plan holds before the report's own."""
    proc = snakemake(workdir, target, "-n", "-p", "--forceall", "--cores", "2")
    assert proc.returncode == 0, proc.stderr[-3000:]
    passed = re.search(r"build_report\.py .*--runtime-jobs (.*?) --html", proc.stdout)
    assert passed, proc.stdout[-3000:]
    planned = re.findall(r"^\s+benchmark: results/benchmarks/(.+)\.tsv$", proc.stdout, re.M)
    own = {"report/hw2_report.html": "report", "report/face_gans.html": "face_gan_report"}
    assert own.get(target, "report_" + target[-9:-5]) in planned
    return passed.group(1).split(), sorted(set(planned) - {own.get(target, "report_" + target[-9:-5])})


@pytest.mark.parametrize(
    "target",
    ["report/hw2_report.html", "report/hw2_report_2022.html", "report/hw2_report_2021.html", "report/face_gans.html"],
)
def test_each_reports_runtime_lists_exactly_the_jobs_its_results_came_from(tmp_path, target):
    """The runtime chapter's jobs are the report's ancestors in Snakemake's own plan: none that merely ran
    beside it in the same run (all_years), whatever had finished when it was built."""
    passed, planned = _report_jobs(tmp_path, target)
    assert passed == planned
    assert any(name.startswith("train_") for name in passed) and any("/" in name for name in passed)


@pytest.mark.parametrize("year", sorted(YEAR_RULES))
def test_each_assignment_year_plans_its_own_deliverables_only(tmp_path, year):
    proc = snakemake(tmp_path, "all", "-n", "--cores", "2", config=[f"assignment={year}"])
    assert proc.returncode == 0, proc.stderr[-3000:]
    blocks = _job_blocks(proc.stdout)
    wanted, unwanted = YEAR_RULES[year]
    assert wanted <= set(blocks), wanted - set(blocks)
    assert not unwanted & set(blocks), unwanted & set(blocks)
    trained = {
        line.split("wildcards: ")[1]
        for jobs in blocks.get("train_dann", [])
        for line in jobs
        if line.startswith("wildcards: ")
    }
    scenario_names = {"2021": {"usps", "svhn_to_mnistm", "usps_to_svhn"}}.get(year, {"svhn", "usps"})
    assert {w.split(",")[0].split("=")[1] for w in trained} == scenario_names
    assert any("setting=dsn" in w for w in trained) == (year == "2021")  # DSN: 2021's bonus
    stems = {m for jobs in blocks.get("tsne", []) for line in jobs for m in re.findall(r"stem=(\w+)", line)}
    assert stems == ({"tsne", "tsne_dsn"} if year == "2021" else {"tsne"})  # DSN's t-SNE with the bonus only
    gans = {
        line.split("method=")[1]
        for jobs in blocks.get("train_face_gan", [])
        for line in jobs
        if line.startswith("wildcards: ")
    }
    assert gans == YEAR_FACE_GANS[year]


def test_2022_method_b_and_the_2021_gan_follow_their_settings(tmp_path):
    def trained_2022(*config):
        proc = snakemake(tmp_path, "all", "-n", "--cores", "2", config=["assignment=2022", *config])
        assert proc.returncode == 0, proc.stderr[-3000:]
        return {
            line.split("method=")[1]
            for jobs in _job_blocks(proc.stdout)["train_face_gan"]
            for line in jobs
            if line.startswith("wildcards: ")
        }

    # A, B and the graded GAN (hw2_1.sh's, by default SNGAN), each trained once
    assert trained_2022("face_gan_improved=wgan_gp") == {"dcgan", "wgan_gp", "sngan"}
    assert trained_2022("face_gan_improved=wgan_gp", "face_gan_graded=wgan_gp") == {"dcgan", "wgan_gp"}
    proc = snakemake(tmp_path, "all", "-n", "--cores", "2", config=["assignment=2021", "face_gan_graded=sagan"])
    assert proc.returncode == 0, proc.stderr[-3000:]
    trained = [
        line for jobs in _job_blocks(proc.stdout)["train_face_gan"] for line in jobs if line.startswith("wildcards: ")
    ]
    assert trained == ["wildcards: method=sagan"]


def test_all_years_builds_every_years_all(all_years_run):
    for year in sorted(YEAR_RULES):
        proc = snakemake(all_years_run, "all", "-n", "--cores", "2", config=[f"assignment={year}"])
        assert "Nothing to be done" in proc.stdout + proc.stderr, (year, proc.stdout[-2000:])
    names = sorted(os.listdir(all_years_run / "checkpoints"))
    assert names == sorted(
        [
            "ddpm.pt",
            "acgan.pt",
            "face_gan.pt",
            "dann_svhn.pt",
            "dann_usps.pt",
            "dsn_usps.pt",
            "dann_svhn_to_mnistm.pt",
            "dsn_svhn_to_mnistm.pt",
            "dann_usps_to_svhn.pt",
            "dsn_usps_to_svhn.pt",
        ]
    )
    assert sorted(os.listdir(all_years_run / "report")) == sorted(
        f"hw2_report{y}.{ext}" for y in ("", "_2022", "_2021") for ext in ("html", "pdf")
    )


@pytest.mark.parametrize("year", ["2022", "2021"])
def test_year_report_answers_that_years_questions_in_order(all_years_run, year):
    import csv

    html = (all_years_run / "report" / f"hw2_report_{year}.html").read_text()
    assert f"<h1>DLCV Fall {year} HW2 report</h1>" in html
    heads = [(int(level), text) for level, text in re.findall(r"<h([23])>([^<]*)</h\1>", html)]
    problems = [i for i, (level, _) in enumerate(heads) if level == 2]
    assert [heads[i][1] for i in problems[-3:]] == ["Runtime and memory per rule", "Environment", "References"]
    asked = YEAR_QUESTIONS[year]
    assert len(problems) == len(asked) + 3
    cited = re.findall(r"<p>\[\d+\] ([^<]*)</p>", html)  # the papers and libraries each problem used
    expected = {
        "2022": [
            "Radford",
            "Spectral Normalization",  # SNGAN, method B
            "Differentiable Augmentation",  # its DiffAugment
            "dlib",
            "Denoising Diffusion Probabilistic",
            "Classifier-Free",
            "Domain-Adversarial",
        ],
        "2021": [
            "Spectral Normalization",  # SNGAN, the graded GAN (and the ACGAN's discriminator)
            "Differentiable Augmentation",
            "Improved Techniques",
            "torch-fidelity",
            "Auxiliary Classifier",
            "Domain-Adversarial",
            "Domain Separation Networks",
        ],
    }[year]
    for name in expected:
        assert any(name in c for c in cited), (name, cited)
    papers = [c.split(" \u2014 used for")[0] for c in cited]
    assert len(papers) == len(set(papers)), papers  # a paper cited for two uses has one entry
    for k, (word, questions) in enumerate(asked):
        title = heads[problems[k]][1]
        assert word in title, (title, word)
        answers = [text for _, text in heads[problems[k] + 1 : problems[k + 1]]]
        assert len(answers) == len(questions), (title, answers)
        for number, (answer, phrase) in enumerate(zip(answers, questions), 1):
            label = "B" if word == "Bonus" else str(k + 1)
            assert answer.startswith(f"{label}.{number} ") and phrase.lower() in answer.lower().replace("&quot;", '"')
    cells = [tuple(re.findall(r"<td>([^<]*)</td>", row)) for row in re.findall(r"<tr>(<td>.*?)</tr>", html)]
    results = all_years_run / "results"
    if year == "2022":
        table, names, shown = results / "dann" / "accuracy_table.csv", ("svhn", "usps"), ("source_only", "dann")
        assert "DigitUNet(" in html and "the reverse process of the first" in html
    else:
        table, names, shown = (
            results / "dann" / "accuracy_table_2021.csv",
            ("usps", "svhn_to_mnistm", "usps_to_svhn"),
            ("source_only", "dann", "dsn"),
        )
        assert "Generator(" in html and "Discriminator(" in html  # the ACGAN printed
        assert "its FID with Inception is not computed" in html  # no weights configured: no number
        assert "its Inception Score with torchvision&#x27;s ImageNet Inception v3 is not computed" in html
        acgan = next(csv.DictReader(open(results / "acgan" / "summary" / "comparison.csv")))
        assert ("accuracy, evaluation classifier (%)", f"{float(acgan['acc_eval_classifier']):,.1f}", "") in cells
    faces = [r["method"] for r in csv.DictReader(open(results / "face_gan" / year / "summary.csv"))]
    gans = {"2022": ["dcgan", "sngan"], "2021": ["sngan"]}[year]  # problem 1: A and B (face_gan_improved); one GAN
    assert faces == gans + ["real_val", "real_train", "lfw"]
    shown_gans = [c[0] for c in cells if c and c[0] in ("DCGAN", "WGAN-GP", "SAGAN", "LSGAN", "SNGAN")]
    assert shown_gans == [{"dcgan": "DCGAN", "sngan": "SNGAN"}[m] for m in gans]
    if year == "2022":
        assert "Method A is DCGAN; method B, the improvement, is SNGAN" in html
    dann = {(r["scenario"], r["setting"]): r for r in csv.DictReader(open(table))}
    titles = {"source_only": "Trained on source", "dann": "Adaptation (DANN)", "dsn": "Adaptation (DSN)"}
    for setting in shown:
        cell = [f"{float(dann[(s, setting)]['mean']):.1f} ± {float(dann[(s, setting)]['sd']):.1f}" for s in names]
        assert (titles[setting], *cell) in cells, (setting, cell)  # one seed in the tiny config: no "(n=...)"
    if year == "2021":  # DSN only in the bonus: its table, not problem 3's
        dsn_rows = [c for c in cells if c and c[0] == "Adaptation (DSN)"]
        assert len(dsn_rows) == 1
    assert html.count("data:image/png;base64,") == {"2022": 13, "2021": 16}[year]
    assert (all_years_run / "report" / f"hw2_report_{year}.pdf").read_bytes().startswith(b"%PDF")


def test_year_report_without_its_results_names_the_missing_file(all_years_run, tmp_path):
    """A results folder that lacks one file of a year's report: one error line naming it, no report."""
    import json
    import shutil

    import yaml
    from conftest import assert_one_line_error, run_script

    from dlcv_hw2.settings import deep_merge, preset_settings, resolve_config

    config = {}
    resolve_config(config, os.path.join(REPO, "config.yaml"))
    config = deep_merge(config, yaml.safe_load(open(TINY)))
    # as the rule passes it, with the classifier the run was given (the report names it when it is absent)
    preset = json.dumps(dict(preset_settings(config), _name="demo", _official_classifier=CLASSIFIER), sort_keys=True)
    results = tmp_path / "results"
    shutil.copytree(all_years_run / "results", results, symlinks=True)
    html, pdf = tmp_path / "report.html", tmp_path / "report.pdf"
    args = ["--results", results, "--preset-json", preset, "--html", html, "--pdf", pdf]
    for missing, year, scenarios in (
        ("dann/accuracy_table_2021.csv", "2021", ["usps"]),
        ("acgan/summary/grids.png", "2021", []),
        ("ddpm/sweep.csv", "2022", []),
        ("face_gan/2022/summary.csv", "2022", ["svhn"]),
        ("face_gan/2021/first32.png", "2021", []),
    ):
        shutil.move(results / missing, tmp_path / "aside")
        proc = run_script("build_report", "--document", year, "--scenarios", *scenarios, *args)
        assert_one_line_error(proc, f"{results / missing} is missing")
        assert not html.exists() and not pdf.exists()
        shutil.move(tmp_path / "aside", results / missing)
    jobs, _ = _report_jobs(all_years_run, "report/hw2_report_2021.html")
    proc = run_script(
        "build_report",
        "--document",
        "2021",
        "--scenarios",
        "usps",
        "svhn_to_mnistm",
        "usps_to_svhn",
        "--runtime-jobs",
        *jobs,
        *args,
    )
    assert proc.returncode == 0, proc.stderr
    assert html.read_bytes() == (all_years_run / "report" / "hw2_report_2021.html").read_bytes()


def test_the_course_baselines_stand_only_beside_official_classifier_figures(all_years_run, tmp_path):
    """The ACGAN paragraph of 2021 states 70 / 80 % only beside the official classifier's accuracy; without
    that classifier the report says why its evaluations were skipped instead."""
    import csv
    import shutil

    from dlcv_hw2 import paths
    from dlcv_hw2.methods.generators import GAN, of_kind
    from dlcv_hw2.report.blocks import Paragraph
    from dlcv_hw2.report.sections import generators

    folder = paths.generator(of_kind(GAN), "summary")
    results = tmp_path / "results"
    shutil.copytree(all_years_run / "results" / folder, results / folder)
    preset = {"_official_classifier": "/nowhere/Classifier.pth"}
    table = results / folder / "comparison.csv"
    rows = list(csv.DictReader(open(table)))

    def said():
        scores = generators.answers(str(results), preset, alone=of_kind(GAN))["scores"]
        return " ".join(b.text for b in scores if isinstance(b, Paragraph))

    if HAS_OFFICIAL:
        text = said()
        assert "By the official classifier" in text and "(2021's baselines: 70 / 80 %)" in text
        assert "skipped" not in text
    kept = [k for k in rows[0] if "official" not in k]  # as a run without Classifier.pth writes it
    with open(table, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=kept, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    text = said()
    assert "By the evaluation classifier" in text and "baselines: 70 / 80" not in text
    assert (
        "The official evaluations were skipped: the course's digit classifier was not found at "
        "/nowhere/Classifier.pth" in text
    )


@pytest.mark.parametrize(
    "target, rule",
    [
        ("report/hw2_report.html", "report"),
        ("report/hw2_report_2022.html", "year_report"),
        ("report/hw2_report_2021.html", "year_report"),
    ],
)
def test_each_report_reads_only_the_files_its_rule_asks_for(all_years_run, tmp_path, target, rule):
    """The report's own command, as Snakemake plans it, run with every file it opens recorded: each results
    file it reads (the benchmark records aside, which the runtime chapter reads by its --runtime-jobs) is
    an input of its rule, or lies in an input folder. A section reading a file its rule's inputs left out
    could read a stale one."""
    import shlex

    proc = snakemake(all_years_run, target, "-n", "-p", "--nolock", "--forcerun", rule, "--cores", "2")
    assert proc.returncode == 0, proc.stderr[-3000:]
    job = proc.stdout[proc.stdout.index(f"rule {rule}:") :]
    inputs = re.search(r"^\s+input: (.*)$", job, re.M).group(1).split(", ")
    shell = next(line for line in job.splitlines() if "build_report.py" in line)
    command = shlex.split(shell.split("Shell command:", 1)[-1])
    command = command[: command.index(">")]  # the log redirection
    for flag, name in (("--html", "r.html"), ("--pdf", "r.pdf")):
        command[command.index(flag) + 1] = str(tmp_path / name)
    log = tmp_path / "opened.txt"
    audit = os.path.join(REPO, "tests", "audit_reads.py")
    ran = subprocess.run([command[0], audit, str(log), *command[1:]], cwd=all_years_run, capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr[-3000:]
    root = os.path.realpath(all_years_run)
    read = set()
    for path in log.read_text().splitlines():
        rel = os.path.relpath(os.path.realpath(os.path.join(root, path)), root)
        if rel.startswith("results/") and not rel.startswith("results/benchmarks/"):
            read.add(rel)
    assert len(read) > 10 and any(p.endswith(".png") for p in read)  # the figures are read too
    unasked = sorted(p for p in read if not any(p == i or p.startswith(i.rstrip("/") + "/") for i in inputs))
    assert unasked == [], unasked
