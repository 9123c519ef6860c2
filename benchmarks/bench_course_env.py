#!/usr/bin/env python3
"""Every grading script of the three years in the course's environment (a venv with the course's pins,
envs/course_env.sh) beside the project's own (.venv), on the checkpoints of a workflow run; prints one
Markdown row per script with both times and how the answers compare, and writes them as JSON.

    bash envs/course_env.sh
    .venv/bin/python benchmarks/bench_course_env.py --workdir DIR [--course-python .venv-course/bin/python]
        [--face-dir DIR] [--json out.json]

DIR is a run of `snakemake all_years` (its checkpoints/, results/hw2_data/ and the evaluation classifier
results/eval_classifier/model.pt). --face-dir holds hw2_2.sh's noise/ and UNet.pt (default: the small
stand-in of dlcv_hw2.faces.write_standin, since the demo data has no face UNet). The comparisons
(issue 31): hw2_3 and 2021 hw2_p3 / hw2_bonus identical predictions; hw2_1 and 2022 hw2_2 the same
names and an accuracy by the evaluation classifier within 1 point; hw2_2 an MSE under 1 (0-255 scale)
against the own environment's images; the face and ACGAN samplers 1000 images of the right size. Then
every checkpoint loads with torch.load(weights_only=True) under the course's torch, and each year's
hw2_download.sh fetches its checkpoints (file:// URLs) in the course's Python.
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image

from dlcv_hw2 import course
from dlcv_hw2.handin import grading
from dlcv_hw2.methods.ddim_faces import write_standin

REPO = grading.REPO


def eval_accuracy(folder, classifier):
    """The evaluation classifier's accuracy (%) on a folder of D_NNN.png digits (the own environment)."""
    proc = subprocess.run(
        [
            sys.executable,
            os.path.join(REPO, "workflow", "scripts", "evaluate_digits.py"),
            "--folder",
            folder,
            "--classifier",
            classifier,
            "--kind",
            "project",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(proc.stdout.strip().splitlines()[-1].split()[1].rstrip("%"))


def images(folder):
    return {
        n: np.asarray(Image.open(os.path.join(folder, n)).convert("RGB"), dtype=np.float64)
        for n in sorted(os.listdir(folder))
    }


def compare(script, own, course, classifier):
    """(passed, what was compared) for one script's two runs."""
    if script.writes == "csv":
        same = open(own.output).read() == open(course.output).read()
        rows = len(open(own.output).read().splitlines()) - 1
        return same, f"{rows} predictions, {'identical' if same else 'DIFFERENT'}"
    a, b = images(own.output), images(course.output)
    if sorted(a) != sorted(b):
        return False, f"names differ ({len(a)} vs {len(b)} files)"
    if script.writes == "ddim":
        mse = max(float(((a[n] - b[n]) ** 2).mean()) for n in a)
        return mse < 1, f"{len(a)} images, largest MSE {mse:.4f} (0-255)"
    diff = float(np.mean([np.abs(a[n] - b[n]).mean() for n in a]))
    if script.writes == "digits" and script.path.endswith(("hw2_1.sh", "2022/hw2_2.sh")):
        acc_own, acc_course = eval_accuracy(own.output, classifier), eval_accuracy(course.output, classifier)
        ok = abs(acc_own - acc_course) <= 1
        return ok, (
            f"{len(a)} images; eval-classifier accuracy {acc_own:.1f} vs {acc_course:.1f} %; mean |diff| "
            f"{diff:.3f} (0-255)"
        )
    return True, f"{len(a)} images of the right size; mean |diff| {diff:.3f} (0-255)"


def checkpoints_load(python, folder):
    """Every checkpoint of ``folder`` through torch.load(weights_only=True) in ``python``."""
    code = (
        "import glob, os, sys, torch\n"
        "paths = sorted(glob.glob(os.path.join(sys.argv[1], '*.pt')))\n"
        "[torch.load(p, map_location='cpu', weights_only=True) for p in paths]\n"
        "print(len(paths), torch.__version__)\n"
    )
    proc = subprocess.run([python, "-c", code, folder], capture_output=True, text=True)
    return proc.returncode == 0, (proc.stdout.strip() or proc.stderr.strip().splitlines()[-1])


def download(python, year, checkpoints, root):
    """The year's hw2_download.sh in ``python`` into a fresh ``root``, from file:// URLs of ``checkpoints``."""
    os.makedirs(os.path.join(root, "checkpoints"))
    wanted = course.year(year).checkpoints()
    with open(os.path.join(root, "checkpoints", "manifest.tsv"), "w") as f:
        f.write("path\turl\tsha256\n")
        for c in wanted:
            src = os.path.join(checkpoints, os.path.basename(c))
            sha = hashlib.sha256(open(src, "rb").read()).hexdigest()
            f.write(f"{c}\tfile://{os.path.abspath(src)}\t{sha}\n")
    proc = subprocess.run(
        ["bash", os.path.join(REPO, course.year(year).download), "--root", root],
        env={**os.environ, "HW2_PYTHON": python},
        capture_output=True,
        text=True,
        cwd="/",
    )
    got = proc.stdout.count("installed (sha256 verified)")
    return proc.returncode == 0 and got == len(wanted), f"{got} of {len(wanted)} installed" + (
        f"; {proc.stderr.strip()[-300:]}" if proc.returncode else ""
    )


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--course-python", default=os.path.join(REPO, ".venv-course", "bin", "python"))
    ap.add_argument("--face-dir")
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    if not os.path.isfile(args.course_python):
        sys.exit(f"error: {args.course_python} does not exist; build it with: bash envs/course_env.sh")
    work = os.path.abspath(args.workdir)
    checkpoints = os.path.join(work, "checkpoints")
    classifier = os.path.join(work, "results", "eval_classifier", "model.pt")
    rows = []
    print("| year | script | own s | course s | passed | compared |\n|---|---|---|---|---|---|", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        if not args.face_dir:
            args.face_dir = os.path.join(tmp, "face")
            write_standin(args.face_dir)
        inputs = grading.inputs_for(os.path.join(work, "results", "hw2_data"), args.face_dir)
        for year in tuple(course.YEARS):
            for script in course.year(year).grading:
                if grading.missing_inputs(script, inputs):
                    continue
                runs = {}
                for env, python in (("own", sys.executable), ("course", args.course_python)):
                    out = os.path.join(tmp, year, env)
                    os.makedirs(out, exist_ok=True)
                    runs[env] = grading.run(script, inputs, out, checkpoints=checkpoints, python=python)
                failed = [
                    f"{env}: exit {r.returncode}: {r.stderr.strip()[-300:]}"
                    for env, r in runs.items()
                    if r.returncode != 0 or grading.check_output(r, inputs)
                ]
                ok, what = (
                    (False, "; ".join(failed)) if failed else compare(script, runs["own"], runs["course"], classifier)
                )
                rows.append(
                    {
                        "year": year,
                        "script": script.name,
                        "path": script.path,
                        "passed": ok,
                        "own_s": round(runs["own"].seconds, 2),
                        "course_s": round(runs["course"].seconds, 2),
                        "compared": what,
                    }
                )
                print(
                    f"| {year} | {script.path} ({script.name}) | {runs['own'].seconds:.1f} | "
                    f"{runs['course'].seconds:.1f} | {'yes' if ok else 'NO'} | {what} |",
                    flush=True,
                )
        ok, what = checkpoints_load(args.course_python, checkpoints)
        rows.append({"year": "all", "script": "torch.load(weights_only=True)", "passed": ok, "compared": what})
        print(f"| all | every checkpoint, torch.load(weights_only=True) | | | {'yes' if ok else 'NO'} | {what} |")
        for year in tuple(course.YEARS):
            ok, what = download(args.course_python, year, checkpoints, os.path.join(tmp, "download", year))
            rows.append(
                {
                    "year": year,
                    "script": "hw2_download.sh",
                    "path": course.year(year).download,
                    "passed": ok,
                    "compared": what,
                }
            )
            print(
                f"| {year} | {course.year(year).download} (file:// manifest) | | | {'yes' if ok else 'NO'} | {what} |"
            )
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)
    passed = sum(r["passed"] for r in rows)
    print(f"\n{passed} of {len(rows)} passed")
    return 0 if passed == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
