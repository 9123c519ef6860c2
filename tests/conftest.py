import functools
import importlib.util
import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(REPO), "shared")
SCRIPTS = os.path.join(REPO, "workflow", "scripts")
CLASSIFIER = os.path.join(SHARED, "official", "Classifier.pth")
pytest_plugins = ["bad_input"]  # the bad-input tables' shared fixtures (built once per session)
SNAKEMAKE = os.path.join(os.path.dirname(sys.executable), "snakemake")
TINY = os.path.join(REPO, "tests", "tiny_config.yaml")


@functools.cache
def load_script(name):
    """A workflow script as a module (its ``main`` and ``build_parser``), loaded from its file."""
    spec = importlib.util.spec_from_file_location(f"workflow_script_{name}", os.path.join(SCRIPTS, f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_script(name, *args, cwd=None, env=None, timeout=600):
    """Run a workflow script (or any executable path) and return the CompletedProcess."""
    cmd = [sys.executable, os.path.join(SCRIPTS, f"{name}.py"), *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=env, timeout=timeout)


def kill_after_epoch(script, epoch, *args):
    """Run a training script and SIGKILL it as soon as it reports ``epoch`` done (the state of that
    epoch is saved before the report); asserts it died of the signal."""
    import signal

    cmd = [sys.executable, "-u", os.path.join(SCRIPTS, f"{script}.py"), *map(str, args)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in proc.stdout:
        if line.startswith(f"epoch {epoch}:"):
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, f"{script} ended before epoch {epoch} was reported"


def assert_one_line_error(proc, *fragments):
    """A user error: non-zero exit, stderr ends with one 'error: ...' line mentioning the fragments."""
    assert proc.returncode != 0, proc.stdout + proc.stderr
    lines = [l for l in proc.stderr.strip().splitlines() if l.strip()]
    assert lines, "no message on stderr"
    assert "Traceback" not in proc.stderr, proc.stderr
    last = lines[-1]
    assert last.startswith("error: "), proc.stderr
    for frag in fragments:
        assert frag in last, f"{frag!r} not in {last!r}"
    return last


def written(path, data=b"x"):
    """``path`` (its folder created) holding ``data`` (text or bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def folder_at(path):
    path.mkdir(parents=True)
    return path


def after(value, *effects):
    """``value``, once ``effects`` are done (files a bad-input case writes before the command runs)."""
    return value


def truncated(src, dst):
    """``dst`` holding the first half of ``src``'s bytes: a download or a copy cut short."""
    data = src.read_bytes()
    return written(dst, data[: len(data) // 2])


def with_config(src, dst, **changes):
    """A copy of the checkpoint ``src`` whose stored settings have ``changes``: a network that no longer
    fits its weights."""
    import torch

    obj = torch.load(src, weights_only=True)
    obj["config"].update(changes)
    torch.save(obj, dst)
    return dst


def saved(path, obj):
    import torch

    torch.save(obj, path)
    return path


def need_shared(path):
    if not os.path.exists(path):
        pytest.skip(f"{path} is absent (only the developers' machines have ../shared)")
    return path


SHARES_THE_TINY_RUN = {"tiny_run", "all_years_run"}
# The groups that took longest in the last measured suite (BENCHMARKS.md, "Test suite"), handed out first
# (pyproject's --no-loadscope-reorder keeps this order): a long group that starts last keeps one worker
# busy while the other idles. The tiny run leads: with all_years it is about a third of the suite's work.
LONGEST_FIRST = (
    "tiny_run",
    "test_workflow",
    "test_gen_metrics",
    "test_face_gan",
    "test_dann",
    "test_uda",
    "test_bad_input_faces",
    "test_acgan",
    "test_bad_input_acgan",
    "test_ddpm",
    "test_faces",
)


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's own, which reads the groups
def pytest_collection_modifyitems(config, items):
    """Groups for pytest-xdist's ``--dist loadgroup`` (the README's test command runs two workers; each
    worker builds the fixtures of the tests it is given). The tests of the tiny run share one group, so
    it is built once; every other module is one group, so each module fixture is built once. The groups
    are handed out in LONGEST_FIRST's order, then the others in collection order."""
    group = {
        item: "tiny_run" if SHARES_THE_TINY_RUN & set(item.fixturenames) else item.module.__name__ for item in items
    }
    for item in items:
        item.add_marker(pytest.mark.xdist_group(group[item]))
    rank = {name: k for k, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(group[item], len(rank)))


@pytest.fixture(scope="session")
def tiny_digits(tmp_path_factory):
    """A tiny demo hw2_data/digits tree with all three domains."""
    from dlcv_hw2.data.demo.digits import write_domain

    root = tmp_path_factory.mktemp("hw2_data")
    for domain in ("mnistm", "svhn", "usps"):
        write_domain(str(root / "digits" / domain), domain, {"train": 40, "val": 20, "test": 10}, seed=7)
    return root


def snakemake(workdir, *args, config=(), timeout=900):
    """The workflow on the tiny config in ``workdir``. Targets and flags in ``args`` come first:
    --config takes every value after it."""
    cmd = [
        SNAKEMAKE,
        *args,
        "-s",
        os.path.join(REPO, "Snakefile"),
        "-d",
        str(workdir),
        "--configfile",
        TINY,
        "--config",
        f"official_classifier={CLASSIFIER}",
        *config,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def small_face_unet(tmp_path_factory):
    """hw2_2.sh's inputs at a small size (dlcv_hw2.faces.write_standin): a reduced-width face UNet (base 32)
    as UNet.pt and three 32x32 noises in noise/."""
    from dlcv_hw2.methods.ddim_faces import write_standin

    root = tmp_path_factory.mktemp("faces")
    write_standin(str(root))
    return root


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory):
    """The whole workflow on the tiny config, from scratch (shared by the test modules; copy it to change it)."""
    workdir = tmp_path_factory.mktemp("tiny_run")
    proc = snakemake(workdir, "all", "--cores", "2")
    assert proc.returncode == 0, proc.stderr[-3000:]
    return workdir


@pytest.fixture(scope="session")
def all_years_run(tiny_run, tmp_path_factory):
    """`snakemake all_years` over a copy of the tiny 2023 run: the jobs the years share are not run again.
    Every year's checkpoints are in its checkpoints/."""
    import shutil

    work = tmp_path_factory.mktemp("all_years") / "run"
    shutil.copytree(tiny_run, work, symlinks=True)
    proc = snakemake(work, "all_years", "--cores", "2")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "rule train_ddpm:" not in proc.stdout + proc.stderr  # built by the 2023 run already
    return work
