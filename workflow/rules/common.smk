# Shared settings: the chosen preset, where the digit data lives, the interpreter, targets of `all`.
import json
import os
import sys

PRESET = config["presets"][config["preset"]]
DEMO = config["data_root"] == ""
DATA_ROOT = "results/hw2_data" if DEMO else config["data_root"]
PY = sys.executable  # the interpreter that runs snakemake (the project's virtual environment)
SCRIPTS = os.path.join(workflow.basedir, "workflow", "scripts")
ENV = "../../envs/hw2.yaml"
CLASSIFIER = config["official_classifier"]
HAVE_CLASSIFIER = os.path.isfile(CLASSIFIER)
DANN_SCENARIOS = [d for d in ("svhn", "usps") if d in config["domains"]] if "mnistm" in config["domains"] else []

if not DEMO and not os.path.isdir(os.path.join(DATA_ROOT, "digits")):
    raise ValueError(f"data_root {DATA_ROOT!r} has no digits/ folder (expected the course's hw2_data layout)")
if not HAVE_CLASSIFIER:
    print(f"warning: official classifier {CLASSIFIER!r} not found; official evaluations are skipped",
          file=sys.stderr)

wildcard_constraints:
    domain="mnistm|svhn|usps",
    split="train|val|test",


def script(name):
    """Absolute path of a workflow script, so the workflow also runs with --directory elsewhere."""
    return os.path.join(SCRIPTS, f"{name}.py")


def cli_args(section, list_keys=()):
    """A config section as command-line flags: {'batch_size': 8} -> '--batch-size 8'."""
    parts = []
    for key, value in section.items():
        flag = f"--{key.replace('_', '-')}"
        if key in list_keys:
            parts.append(f"{flag} {' '.join(map(str, value))}")
        elif isinstance(value, bool):
            parts.append(f"{flag} {int(value)}")
        elif key != "seeds":
            parts.append(f"{flag} {value}")
    return " ".join(parts)


def settings_key(section, *extra):
    """A short, stable name for a set of settings (a config section and any further values)."""
    import hashlib

    return hashlib.sha256(json.dumps([section, *extra], sort_keys=True).encode()).hexdigest()[:12]


def with_official(inputs):
    if HAVE_CLASSIFIER:
        inputs["official"] = CLASSIFIER
    return inputs


def ddpm_metrics_inputs(wildcards):
    inputs = {"eval": "results/ddpm/accuracy_eval.csv", "evalc": "results/eval_classifier/metrics.json"}
    if HAVE_CLASSIFIER:
        inputs["official"] = "results/ddpm/accuracy_official.csv"
    return inputs


def ddpm_sweep_inputs(wildcards):
    return with_official({"model": "results/ddpm/model.pt", "evalc": "results/eval_classifier/model.pt"})


def ddim_grid_inputs(wildcards):
    if HAVE_FACES:
        return {"unet": os.path.join(FACE_DIR, "UNet.pt"), "noise": os.path.join(FACE_DIR, "noise")}
    return {"model": "results/ddpm/model.pt"}


def domain_dir(domain):
    return os.path.join(DATA_ROOT, "digits", domain)


def result_targets(wildcards):
    """Everything `all` builds except the homework report (which reads these)."""
    targets = expand("results/cache/{domain}/{split}.pt", domain=config["domains"], split=["train", "val"])
    if HAVE_CLASSIFIER and "mnistm" in config["domains"]:
        targets.append("results/data/official_classifier_mnistm_val.csv")
    if "mnistm" in config["domains"]:
        targets += ["results/ddpm/accuracy.csv", "results/ddpm/figures/grid.png"]
    if HAVE_FACES:
        targets.append("results/ddim/mse.csv")
    if HAVE_FACES or "mnistm" in config["domains"]:
        targets.append("results/ddim/figures/eta_grid.png")
    if DANN_SCENARIOS:
        targets.append("results/dann/accuracy_table.csv")
        targets += expand("results/dann_{scenario}/tsne.png", scenario=DANN_SCENARIOS)
        targets += expand("checkpoints/dann_{scenario}.pt", scenario=DANN_SCENARIOS)
    return targets


def all_targets(wildcards):
    homework = ["report/hw2_report.html", "report/hw2_report.pdf"] if "mnistm" in config["domains"] else []
    return result_targets(wildcards) + homework


def report_inputs(wildcards):
    files = list(result_targets(wildcards))
    if "mnistm" in config["domains"]:
        files += ["results/ddpm/model.pt", "results/ddpm/loss.csv", "results/ddpm/sweep.csv",
                  "results/ddpm/sampling_time.json", "results/eval_classifier/metrics.json"]
        files += expand("results/ddpm/figures/{name}.png", name=["reverse_process", "loss", "accuracy_vs_guidance",
                                                                 "accuracy_vs_steps", "time_vs_steps"])
    files += expand("results/ddim/figures/{name}.png", name=["interpolation_slerp", "interpolation_linear"])
    files.append("results/ddim/grid_stats.csv")
    files += expand("results/dann_{scenario}/tsne_{by}.png", scenario=DANN_SCENARIOS, by=["digit", "domain"])
    return files
