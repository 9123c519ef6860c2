#!/usr/bin/env bash
# Problem 2 grading script: bash hw2_2.sh NOISE_DIR OUT_DIR UNET_PT
# One NN.png per NN.pt noise (DDIM, 50 uniform steps, eta = 0). CPU or GPU, from any directory.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ "$#" -ne 3 ]; then
    echo "error: usage: bash hw2_2.sh NOISE_DIR OUT_DIR UNET_PT (got $# argument(s))" >&2
    exit 2
fi
py="${HW2_PYTHON:-}"
[ -z "$py" ] && [ -x "$here/.venv/bin/python" ] && py="$here/.venv/bin/python"
py="${py:-python3}"
exec "$py" "$here/workflow/scripts/ddim_faces.py" --noise-dir "$1" --out "$2" --unet "$3"
