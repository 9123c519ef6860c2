"""The workflow on a real Slurm cluster (issue 7): a single-node cluster on this machine (slurmctld,
slurmd, slurmdbd on MariaDB, munge), a tiny-config target run through profiles/slurm and Snakemake's
SLURM executor, checked against Slurm's own accounting and against a local run of the same target.

Needs root (the daemons) and Debian's slurm-wlm, slurmdbd, mariadb-server and munge, which the
fixture installs with apt-get when they are missing. Where that is impossible the test is skipped
with the reason; the cluster is stopped at the end, also after a failure.
"""

import hashlib
import os
import re
import shutil
import subprocess

import pytest
from conftest import REPO, SNAKEMAKE, TINY

HERE = os.path.join(REPO, "tests", "slurm")
PACKAGES = ("slurm-wlm", "slurmdbd", "mariadb-server", "munge")
BINARIES = ("slurmctld", "slurmd", "slurmdbd", "sacct", "sacctmgr", "mariadbd", "munged")
SYSTEM_CONF = "/etc/slurm/slurm.conf"
TARGET = "results/ddpm/samples"  # data -> cache -> DDPM training -> export -> sampling: 5 jobs
GPU_RULES = {"train_ddpm", "sample_ddpm"}


def _have_binaries():
    return all(shutil.which(b) or os.path.exists(f"/usr/sbin/{b}") for b in BINARIES)


def _install():
    if not shutil.which("apt-get"):
        pytest.skip(f"Slurm is not installed and there is no apt-get to install {' '.join(PACKAGES)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *PACKAGES]):
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=1200)
        if proc.returncode != 0:
            pytest.skip(f"could not install Slurm ({' '.join(cmd)}): {proc.stderr.strip()[-300:]}")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    if os.geteuid() != 0:
        pytest.skip("starting slurmctld, slurmd, slurmdbd and munged needs root")
    if not _have_binaries():
        _install()
    if os.path.lexists(SYSTEM_CONF):
        pytest.skip(f"{SYSTEM_CONF} exists: this machine has its own Slurm setup, which the test leaves alone")
    if subprocess.run(["pgrep", "-x", "slurmctld"], capture_output=True).returncode == 0:
        pytest.skip("a slurmctld already runs on this machine")
    root = tmp_path_factory.mktemp("slurm")
    env = dict(os.environ, SLURM_CONF=str(root / "slurm.conf"))
    try:
        proc = subprocess.run(
            ["bash", os.path.join(HERE, "start_cluster.sh"), str(root), "16800"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if proc.returncode != 0:
            pytest.skip(f"the Slurm services did not start: {(proc.stderr or proc.stdout).strip()[-400:]}")
        # Inside a job the executor's job-step plugin drops SLURM_* variables (SLURM_CONF too), so srun
        # finds the cluster the way it does on a real one: through /etc/slurm/slurm.conf.
        os.makedirs(os.path.dirname(SYSTEM_CONF), exist_ok=True)
        os.symlink(root / "slurm.conf", SYSTEM_CONF)
        yield env
    finally:
        subprocess.run(["bash", os.path.join(HERE, "stop_cluster.sh"), str(root)], capture_output=True, timeout=120)
        if os.path.islink(SYSTEM_CONF) and os.readlink(SYSTEM_CONF) == str(root / "slurm.conf"):
            os.remove(SYSTEM_CONF)


def _profile(tmp_path):
    """profiles/slurm as a user would edit it for this cluster: partition and account names."""
    text = open(os.path.join(REPO, "profiles", "slurm", "config.yaml")).read()
    text = text.replace("slurm_partition=cpu", "slurm_partition=hw2")
    text = text.replace("slurm_partition: gpu", "slurm_partition: hw2")
    text = text.replace("#  - slurm_account=my_account", "  - slurm_account=hw2")
    assert all(f"{key}hw2" in text for key in ("slurm_partition=", "slurm_partition: ", "slurm_account="))
    text += "slurm-init-seconds-before-status-checks: 2\n"  # a tiny run: poll sooner than a real one needs
    d = tmp_path / "profile"
    d.mkdir()
    (d / "config.yaml").write_text(text)
    return d


def _digests(root):
    out = {}
    for sub in (TARGET, "checkpoints/ddpm.pt", "results/ddpm/model.pt", "results/cache/mnistm/train.pt"):
        path = root / sub
        files = (
            sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            if path.is_dir()
            else [path]
        )
        for f in files:
            out[str(f.relative_to(root))] = hashlib.sha256(f.read_bytes()).hexdigest()
    return out


def test_tiny_target_runs_as_slurm_jobs_and_matches_a_local_run(cluster, tiny_run, tmp_path):
    """The local run is the suite's tiny run of `all` (the same tiny config, two cores), which holds the target."""
    work = tmp_path / "slurm_run"
    common = ["-s", os.path.join(REPO, "Snakefile"), "--configfile", TINY]
    proc = subprocess.run(
        [SNAKEMAKE, TARGET, "--profile", str(_profile(tmp_path)), "-d", str(work), *common],
        capture_output=True,
        text=True,
        env=cluster,
        timeout=1200,
    )
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-4000:]

    # which Slurm job ran which rule, from Snakemake's log
    rule_of, current = {}, None
    for line in log.splitlines():
        m = re.match(r"rule (\w+):", line.strip())
        if m:
            current = m.group(1)
        m = re.search(r"submitted with SLURM jobid (\d+)", line)
        if m:
            rule_of[m.group(1)] = current
    assert sorted(rule_of.values()) == sorted(
        ["demo_domain", "cache_split", "train_ddpm", "export_ddpm_checkpoint", "sample_ddpm"]
    ), rule_of

    # Slurm's accounting saw every one of them finish, GPU rules with a GPU
    acct = subprocess.run(
        ["sacct", "-n", "-X", "-P", "-o", "JobID,State,AllocTRES", "-j", ",".join(rule_of)],
        capture_output=True,
        text=True,
        env=cluster,
        check=True,
    ).stdout
    rows = {r.split("|")[0]: r.split("|") for r in acct.strip().splitlines()}
    assert sorted(rows) == sorted(rule_of), acct
    for jobid, (_, state, tres) in rows.items():
        assert state == "COMPLETED", (rule_of[jobid], state)
        assert ("gres/gpu=1" in tres) == (rule_of[jobid] in GPU_RULES), (rule_of[jobid], tres)

    on_slurm, here = _digests(work), _digests(tiny_run)
    assert len(on_slurm) == 1000 + 3 and on_slurm == here
