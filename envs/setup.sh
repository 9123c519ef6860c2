#!/usr/bin/env bash
# Create (or refresh) the project's virtual environment .venv with the pinned packages.
# Idempotent: a second run with unchanged requirements returns in about a second.
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
want="$(sha256sum "$req" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && "$venv/bin/python" -c "import torch, snakemake" 2>/dev/null; then
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
echo "$want" > "$stamp"
echo "setup: done"
