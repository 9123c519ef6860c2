#!/usr/bin/env bash
# Build .venv-course: the course's grading environment, the pins of envs/course_packages.tsv and nothing
# of this project (the grading scripts find the library through PYTHONPATH, as on the TAs' machine).
# Run a grading script in it with HW2_PYTHON, e.g.
#     bash envs/course_env.sh && HW2_PYTHON=.venv-course/bin/python bash hw2_1.sh out/
# The course's Python is 3.10: COURSE_PYTHON, else a python3.10 on PATH or under pyenv, else the
# machine's python3 with the list's py311 column where 3.10 releases have no wheel. torch 2.0.1 from
# PyPI brings its CUDA 11.7 libraries (about 2.5 GB to download; it runs on the CPU too).
# Idempotent: a second run with the same list and Python returns at once. COURSE_VENV moves the venv.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
list="$here/envs/course_packages.tsv"
venv="${COURSE_VENV:-$here/.venv-course}"

runs() { [ -n "$1" ] && "$1" -c 'import sys, venv' >/dev/null 2>&1; }
python=""
for candidate in "${COURSE_PYTHON:-}" "$(command -v python3.10 || true)" \
    "$(ls -d "$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"/versions/3.10*/bin/python3.10 2>/dev/null | tail -n 1)" \
    /usr/bin/python3.10 "$(command -v python3 || true)"; do
    if runs "$candidate"; then python="$candidate"; break; fi
done
[ -n "$python" ] || { echo "course_env: error: no Python found (set COURSE_PYTHON)" >&2; exit 1; }
version="$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
if [ "$version" != "3.10" ]; then
    echo "course_env: warning: no Python 3.10 here; using $python ($version) and the py311 column of $list" >&2
fi
# package==version per row (the py311 column instead where this is not 3.10); an empty version: any release
requirements="$(awk -F'\t' -v v="$version" '!/^#/ && NF >= 3 && $1 != "package" {
    pin = (v != "3.10" && $4 != "") ? $4 : $2; print (pin == "" ? $1 : $1 "==" pin) }' "$list")"

stamp="$venv/.course-packages.sha256"
want="$( (cat "$list"; echo "$python $version") | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && "$venv/bin/python" -c "import torch" 2>/dev/null; then
    echo "course_env: $venv is up to date"
    exit 0
fi
rm -rf "$venv"
echo "course_env: creating $venv with $("$python" --version 2>&1)"
"$python" -m venv "$venv"
echo "course_env: installing $(echo "$requirements" | tr '\n' ' ')(wheels only)"
# shellcheck disable=SC2086
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --only-binary=:all: $requirements
echo "$want" > "$stamp"
"$venv/bin/python" -c 'import torch, torchvision, numpy, PIL; print("course_env: done: torch", torch.__version__,
    "torchvision", torchvision.__version__, "numpy", numpy.__version__, "Pillow", PIL.__version__)'
