# Shared names: the chosen preset (every setting filled in), where the data lives, the interpreter,
# and every input function of the rules.
import hashlib
import json
import os
import shlex
import sys

from dlcv_hw2.data import scenarios
from dlcv_hw2.data.digits import layout_of
from dlcv_hw2.data.faces import face_split_dir
from dlcv_hw2 import course, paths
from dlcv_hw2.methods.face_gan import FACE_GANS
from dlcv_hw2.methods.generators import DIFFUSION, DIGIT_GENERATORS, GAN, of_kind
from dlcv_hw2.methods.uda import SECTION as UDA_SECTION, UDA_METHODS
from dlcv_hw2.settings import gpu_resource, preset_settings, properties, section_schema
from snakemake.exceptions import WorkflowError


def results(path):
    """A results path (dlcv_hw2/paths.py) as the rules write it: under results/."""
    return f"{paths.RESULTS}/{path}"


PRESET = preset_settings(config)  # {section: {key: value}}, the schema's defaults filled in
DEMO = config["data_root"] == ""
DATA_ROOT = results(paths.demo_data()) if DEMO else config["data_root"]
PY = sys.executable  # the interpreter that runs snakemake: the project's one environment (.venv)
SCRIPTS = os.path.join(workflow.basedir, "workflow", "scripts")


def official_classifier(path):
    """The course's Classifier.pth: a relative path is looked up in the working directory, then at the
    repository root, where the course template puts it."""
    if os.path.isabs(path) or os.path.isfile(path):
        return path
    return os.path.join(workflow.basedir, path)


CLASSIFIER = official_classifier(config["official_classifier"])
HAVE_CLASSIFIER = os.path.isfile(CLASSIFIER)
FACE_DIR = os.path.join(DATA_ROOT, "face")
# the two digit generators, each named once (DIGIT_GENERATORS): its key is also its problem (course.PROBLEMS),
# its settings section and its results folder
DDPM = of_kind(DIFFUSION)  # problem 1 of 2023
DIGIT_GAN = of_kind(GAN)  # the ACGAN, problem 2 of 2021
FACE_GAN_METHODS = list(FACE_GANS)  # dcgan, wgan_gp, sagan ...: each a settings section of its own
FACE_GAN_METHODS_PATTERN = "|".join(FACE_GAN_METHODS)
DEMO_FACE_FOLDERS = course.FACE_FOLDERS[PRESET["demo_data"]["layout"]]  # face/train and the FID split
HAVE_FACES = (not DEMO) and os.path.isfile(os.path.join(FACE_DIR, "UNet.pt"))
HAVE_MNISTM = "mnistm" in config["domains"]
JUDGES = ["eval_classifier"] + (["official_classifier"] if HAVE_CLASSIFIER else [])  # of generated digits
DANN_SCENARIOS = scenarios.configured(config["scenarios"], config["domains"])  # names: svhn, svhn_to_mnistm ...
DANN_METHODS = PRESET[UDA_SECTION]["methods"]
ASSIGNMENT = str(config["assignment"])  # the year `all` builds
STUDENT_ID = config["student_id"]  # when set, `all` also writes hw2_<student_id>.pdf
YEARS = sorted(course.YEARS)  # every HW2 year (dlcv_hw2/course.py), oldest first
FACE_GAN_YEARS = "|".join(y.name for y in course.face_gan_years())  # the years whose problem 1 is a face GAN
PAST_YEARS = "|".join(y for y in YEARS if y != course.DEFAULT)  # the years whose report is report/hw2_report_<year>
OWN_SCENARIO_YEARS = "|".join(y for y in YEARS if not course.year(y).config_scenarios)  # problem 3 in its own set


def year_face_gans(year):
    """The face GANs a year's problem 1 asks for (course.py: a role is a setting naming a method, or a
    method), in the registry's order; the face_gans target trains every method."""
    named = {config.get(role, role) for role in course.year(year).face_gans}
    return [m for m in FACE_GAN_METHODS if m in named]


def uda_plan(year):
    """(scenario names, methods) of a year's problem 3: the configured ones, or the year's own scenario set
    with its own methods (a bonus's too) beside the configured ones."""
    entry = course.year(year)
    if entry.config_scenarios:
        return DANN_SCENARIOS, DANN_METHODS
    names = scenarios.configured(year, config["domains"])
    return names, [m for m in UDA_METHODS if m in DANN_METHODS or m in entry.uda_methods]


def uda_table(year):
    """The accuracy table of a year's problem 3."""
    return results(paths.uda_table("" if course.year(year).config_scenarios else year))


def uda_runs(wildcards):
    """(scenario, method, metrics.json) of every run an accuracy table reads: of the configured scenarios,
    or of the year's own (dann_table_year; dann_table has no year: the default's, the configured ones)."""
    names, methods = uda_plan(getattr(wildcards, "year", course.DEFAULT))
    return [
        (s, m, results(paths.uda_run(s, m, seed, "metrics.json")))
        for s in names
        for m in methods
        for seed in PRESET[UDA_SECTION]["seeds"]
    ]


FIRST_SEED = PRESET[UDA_SECTION]["seeds"][0]  # whose DANN / DSN run the t-SNE and the grading checkpoints use
# Job priorities, for runs with fewer cores than ready jobs. First the demo domains and demo faces:
# each takes `workers` cores (every core of the demo's 2), so they run at the very start, while all
# are free. Had a one-core job started first, each would wait for two free cores, and the trainings
# behind them with it (2021's all started the demo faces 6.5 min late so). Snakemake's scheduler adds
# up the priorities of the jobs it starts together, so theirs (100) is above any set of one-core jobs'
# (up to 33 jobs at PRIORITY_DATA, so on up to 33 cores).
# Then the other data jobs, then the longest trainings (the DDPM, the face GANs), then the other long
# ones (ACGAN); the many short jobs fill the other cores meanwhile instead of leaving one idle at the
# end (BENCHMARKS.md, "Each year's all").
PRIORITY_EVERY_CORE = 100
PRIORITY_DATA = 3
PRIORITY_LONGEST = 2
PRIORITY_LONG = 1
JOB_THREADS = config["job_threads"]  # torch threads of every training / sampling job, whatever --cores says
GPU = gpu_resource(config["device"])  # 1: torch jobs take turns on the GPU; 0: they run side by side

if not DEMO and not os.path.isdir(os.path.join(DATA_ROOT, "digits")):
    raise ValueError(f"data_root {DATA_ROOT!r} has no digits/ folder (expected the course's hw2_data layout)")
if not HAVE_CLASSIFIER:
    print(
        f"warning: official classifier {CLASSIFIER!r} not found; official evaluations are skipped",
        file=sys.stderr,
    )


wildcard_constraints:
    domain="mnistm|svhn|usps",
    scenario="|".join(scenarios.ALL),
    generator="|".join(DIGIT_GENERATORS),
    split="train|val|test",


def script(name):
    """Absolute path of a workflow script, so the workflow also runs with --directory elsewhere."""
    return os.path.join(SCRIPTS, f"{name}.py")


def settings(section):
    """A preset section's settings of one run, as the JSON a script's --settings takes: without the
    `x-workflow` keys (the plan of runs, e.g. dann.seeds), so that a longer seed or method list adds
    runs and reruns none of those it keeps."""
    plan = {k for k, p in properties(section_schema(section)).items() if p.get("x-workflow")}
    return json.dumps({k: v for k, v in PRESET[section].items() if k not in plan})


def settings_key(section, *extra):
    """A short, stable name for a set of settings (a config section and any further values)."""
    return hashlib.sha256(json.dumps([section, *extra], sort_keys=True).encode()).hexdigest()[:12]


def with_official(inputs):
    if HAVE_CLASSIFIER:
        inputs["official"] = CLASSIFIER
    return inputs


def ddpm_metrics_inputs(wildcards):
    inputs = {
        "eval_classifier": results(paths.generator(DDPM, "accuracy_eval_classifier.csv")),
        "eval_classifier_metrics": rules.train_eval_classifier.output.metrics,
    }
    if HAVE_CLASSIFIER:
        inputs["official"] = results(paths.generator(DDPM, "accuracy_official_classifier.csv"))
    return inputs


def ddpm_sweep_inputs(wildcards):
    return with_official(
        {
            "model": rules.train_ddpm.output.model,
            "eval_classifier": rules.train_eval_classifier.output.model,
            "reference": results(paths.cache("mnistm", "val")),
        }
    )


INCEPTION_FILES = {"weights": "inception_weights", "imagenet_weights": "imagenet_inception_weights"}


def inception_weights_input(wildcards):
    """The Inception weights files configured (a missing file then stops the run); not `download`."""
    return {k: config[key] for k, key in INCEPTION_FILES.items() if config[key] not in ("", "download")}


def inception_option(wildcards, input):
    """generative_metrics.py's Inception options: each weights file the rule has as an input, or download."""
    options = []
    for k, key in INCEPTION_FILES.items():
        value = input[k] if k in input.keys() else config[key]
        if value:
            options.append(f"--{key.replace('_', '-')} {shlex.quote(value)}")
    return " ".join(options)


def generator_files(generator):
    """Every file compare_generators.py reads of a digit generator (whose folder --generator names)."""
    names = ["loss.csv", "sampling_time.json", "generative_metrics.json", "model.pt", "samples"]
    names += [f"accuracy_{judge}.csv" for judge in JUDGES]
    return {f"{generator}_{n.split('.')[0]}": results(paths.generator(generator, n)) for n in names}


def compare_generators_inputs(wildcards):
    """Every file compare_generators.py reads, of every digit generator."""
    files = {"real": rules.digit_metrics_real.output[0]}
    for generator in DIGIT_GENERATORS:
        files.update(generator_files(generator))
    return files


def generator_options(generators):
    """compare_generators.py's --generator NAME=FOLDER of each of ``generators``."""
    return " ".join(f"--generator {g}={results(paths.generator(g))}" for g in generators)


def ddim_grid_inputs(wildcards):
    if HAVE_FACES:
        return {"unet": os.path.join(FACE_DIR, "UNet.pt"), "noise": os.path.join(FACE_DIR, "noise")}
    return {"model": rules.train_ddpm.output.model}


def domain_dir(domain):
    return os.path.join(DATA_ROOT, "digits", domain)


def layout(domain):
    """The course layout of a domain: the demo's configured one, or what the folder holds."""
    return PRESET["demo_data"]["layout"] if DEMO else layout_of(domain_dir(domain))


def face_folder(split):
    """The folder of face images of a split: train/, and val/ (2022) or test/ (2021) for the FID split;
    the demo's as its layout says, the course's as the folder holds."""
    if DEMO:
        return os.path.join(FACE_DIR, DEMO_FACE_FOLDERS[split == "val"])
    return face_split_dir(FACE_DIR, split)


def holdout_args(wildcards):
    """build_cache.py's options for a domain of train/ and test/ folders (val held out of train); none for a
    domain with its own val split."""
    if layout(wildcards.domain) != course.SPLIT_FOLDERS:
        return ""
    return f"--val-holdout {config['val_holdout']} --seed {config['seed']}"


def dann_inputs(wildcards):
    """A training run's caches: the scenario's source train split, the target's train and val splits,
    and the target's labelled test split where the layout has one (2021), which the table then reports."""
    source, target = scenarios.pair(wildcards.scenario)
    inputs = {
        "source": results(paths.cache(source, "train")),
        "target_train": results(paths.cache(target, "train")),
        "target_val": results(paths.cache(target, "val")),
    }
    if layout(target) == course.SPLIT_FOLDERS:
        inputs["target_test"] = results(paths.cache(target, "test"))
    return inputs


TSNE_METHODS = {UDA_METHODS[m].tsne: m for m in UDA_METHODS if UDA_METHODS[m].tsne}  # by figure stem


def tsne_inputs(wildcards):
    """The first seed's model of the method whose t-SNE figures these are, and both domains' val caches."""
    source, target = scenarios.pair(wildcards.scenario)
    return {
        "model": results(paths.uda_run(wildcards.scenario, TSNE_METHODS[wildcards.stem], FIRST_SEED, "model.pt")),
        "source": results(paths.cache(source, "val")),
        "target": results(paths.cache(target, "val")),
    }


def data_targets():
    """The digit caches of every domain, and the official classifier's MNIST-M val accuracy when it is there."""
    targets = expand(results(paths.cache("{domain}", "{split}")), domain=config["domains"], split=["train", "val"])
    if HAVE_CLASSIFIER and HAVE_MNISTM:
        targets.append(results(paths.data("official_classifier_mnistm_val.csv")))
    return targets


def dann_targets(names, methods, table):
    """Domain adaptation in the scenarios ``names`` by ``methods``: the table, the t-SNE figures and the
    grading checkpoints of DANN (and DSN)."""
    if not names:
        return []
    targets = [table]
    for method in (m for m in methods if UDA_METHODS[m].tsne):
        targets += expand(rules.tsne.output.both, scenario=names, stem=UDA_METHODS[method].tsne)
        targets += expand(rules.export_dann_checkpoint.output, scenario=names, method=method)
    return targets


def face_gan_targets(year):
    """The face GANs of a year's problem 1 compared (summary, first 32 faces, curves; results/face_gan/<year>/)
    and the graded one exported."""
    summary = expand(rules.year_face_gans.output, year=year)
    return summary + list(rules.export_face_gan_checkpoint.output)


def problem_results(problem, year):
    """What `all` builds for one problem of a year (course.PROBLEMS)."""
    if problem == "face_gans":
        return face_gan_targets(year)
    if problem == "ddim":  # the face UNet's MSE needs the course's faces; the grids fall back on the digit model
        targets = [rules.ddim_mse.output[0]] if HAVE_FACES else []
        return targets + ([rules.ddim_grids.output.eta_grid] if HAVE_FACES or HAVE_MNISTM else [])
    if problem == "uda":
        return dann_targets(*uda_plan(year), uda_table(year))
    if not HAVE_MNISTM:  # the digit generators
        return []
    return {
        DDPM: [rules.ddpm_metrics.output.csv, rules.ddpm_figures.output.grid],
        "generator_comparison": [rules.compare_generators.output.csv, rules.export_acgan_checkpoint.output[0]],
        DIGIT_GAN: list(rules.acgan_summary.output),
    }[problem]


def year_results(year):
    """What `all` builds for an assignment year, except its homework report (which reads these)."""
    targets = data_targets()
    for problem in course.year(year).problems:
        targets += problem_results(problem, year)
    return targets


def year_report(year):
    """A year's homework report, HTML and PDF (none without MNIST-M, whose problems every year has)."""
    if not HAVE_MNISTM:
        return []
    if year == course.DEFAULT:
        return [rules.report.output.html, rules.report.output.pdf]
    return expand(list(rules.year_report.output), year=year)


def hand_in_report():
    """hw2_<student_id>.pdf, when student_id is set and the year has a report."""
    return [course.hand_in_report(STUDENT_ID)] if STUDENT_ID and year_report(ASSIGNMENT) else []


def all_targets(wildcards):
    return year_results(ASSIGNMENT) + year_report(ASSIGNMENT) + hand_in_report()


def handin_inputs(wildcards):
    """What the hand-in of the configured year holds beside the code: its checkpoints (trained when missing)
    and hw2_<student_id>.pdf. Without student_id, one line says how to give it, before anything runs."""
    if not STUDENT_ID:
        raise WorkflowError(
            f"error: the hand-in needs your student ID: snakemake handin --config assignment={ASSIGNMENT} "
            "student_id=YOUR_ID"
        )
    return [*course.year(ASSIGNMENT).checkpoints(), *hand_in_report()]


# The course's Python that `snakemake submission` grades with (config course_python), when it is there.
COURSE_PYTHON = os.path.join(workflow.basedir, config["course_python"]) if config["course_python"] else ""
COURSE_PYTHON = COURSE_PYTHON if os.access(COURSE_PYTHON, os.X_OK) else ""


def all_years_targets(wildcards):
    """Every year's deliverables and report at once (shared jobs run once)."""
    targets = []
    for year in YEARS:
        targets += [t for t in year_results(year) + year_report(year) if t not in targets]
    return targets


FACE_GAN_DOCUMENT = "face_gans"  # the report of the face_gans target (report/documents.py: DOCUMENTS)


def document_reads(name):
    """Every results file report document ``name`` (a year, or FACE_GAN_DOCUMENT) reads, as its sections
    name them (dlcv_hw2/report/documents.py: reads) for this run's plan."""
    from dlcv_hw2.report import documents  # the report's modules, imported only where a report is planned

    if name == FACE_GAN_DOCUMENT:
        run = documents.Run(paths.RESULTS, PRESET, face_gans=tuple(FACE_GAN_METHODS))
    else:
        names, methods = uda_plan(name)
        run = documents.Run(
            paths.RESULTS,
            PRESET,
            names,
            have_faces=HAVE_FACES,
            graded=config["face_gan_graded"],
            uda_methods=tuple(methods),
            face_gans=tuple(year_face_gans(name)),
        )
    return [results(p) for p in documents.reads(name, run)]


def year_report_inputs(wildcards):
    """What the homework report of an earlier year needs: the year's results, and every file it reads."""
    return year_results(wildcards.year) + document_reads(wildcards.year)


def report_inputs(wildcards):
    """What the homework report of the default year needs: the year's results, and every file it reads."""
    return year_results(course.DEFAULT) + document_reads(course.DEFAULT)


def upstream_jobs(files):
    """The jobs that make ``files`` and every job before them, found as Snakemake's DAG finds them (each
    file's producing rule, its wildcards, its inputs, and so on up): the names of their benchmark records
    under results/benchmarks/, without .tsv, sorted. A report's runtime chapter lists exactly these, so it
    does not depend on which other jobs of a run had finished when the report was built."""
    from snakemake.exceptions import WorkflowError
    from snakemake.iocontainers import Wildcards

    prefix = "results/benchmarks/"
    seen, names, todo = set(), set(), [str(f) for f in files]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        makers = [r for r in workflow.rules if r.has_products() and r.is_producer(path)]
        if not makers:  # a source file: the course data, the official classifier
            continue
        if len(makers) > 1:
            raise WorkflowError(f"{path}: made by more than one rule ({', '.join(r.name for r in makers)})")
        wildcards = Wildcards(fromdict=makers[0].get_wildcards(path))
        todo += [str(f) for f in makers[0].expand_input(wildcards)[0]]
        bench = makers[0].expand_benchmark(wildcards)
        if bench:
            assert str(bench).startswith(prefix) and str(bench).endswith(".tsv"), bench
            names.add(str(bench)[len(prefix) : -len(".tsv")])
    return sorted(names)
