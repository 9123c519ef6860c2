#!/usr/bin/env bash
# Create (or refresh) the project's virtual environment .venv with the pinned packages, and install
# the project's library (dlcv_hw2, pyproject.toml) into it in editable mode.
# Idempotent: a second run with unchanged requirements and pyproject.toml returns in about a second.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
req="$here/envs/requirements.txt"
venv="$here/.venv"
python="${PYTHON:-python3.11}"
command -v "$python" >/dev/null 2>&1 || python=python3
# The tests render the PDF report with poppler's pdftoppm (Debian poppler-utils); install it when we can.
if ! command -v pdftoppm >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "setup: installing poppler-utils (pdftoppm, pdftotext) for the report tests"
        if ! { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; }; then
            echo "setup: warning: apt-get could not install poppler-utils; the PDF report test will be skipped" >&2
        fi
    else
        echo "setup: warning: pdftoppm is missing (install poppler-utils); the PDF report test will be skipped" >&2
    fi
fi
stamp="$venv/.requirements.sha256"
want="$(cat "$req" "$here/pyproject.toml" | sha256sum | cut -d' ' -f1)"
installed_here() {  # the library imports from this checkout (an editable install of this very folder)
    [ "$("$venv/bin/python" -c 'import dlcv_hw2, os; print(os.path.dirname(os.path.dirname(dlcv_hw2.__file__)))' 2>/dev/null)" = "$here" ]
}
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && "$venv/bin/python" -c "import torch, snakemake" 2>/dev/null \
    && installed_here; then
    echo "setup: .venv is up to date"
    exit 0
fi
if [ ! -x "$venv/bin/python" ]; then
    echo "setup: creating $venv with $("$python" --version)"
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
echo "setup: installing pinned packages (torch takes about 2 minutes the first time)"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
echo "setup: installing the project (editable) from $here"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -e "$here"
installed_here || { echo "setup: error: dlcv_hw2 does not import from $here after the install" >&2; exit 1; }
echo "$want" > "$stamp"
echo "setup: done"
