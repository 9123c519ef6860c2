#!/usr/bin/env bash
# Problem 3 grading script: bash hw2_3.sh TEST_IMAGE_DIR OUT_CSV
# Predicts every image of the folder with the DANN model of the domain named in the path (svhn or
# usps; set HW2_DOMAIN to override) and writes image_name,label. CPU or GPU, from any directory.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ "$#" -ne 2 ]; then
    echo "error: usage: bash hw2_3.sh TEST_IMAGE_DIR OUT_CSV (got $# argument(s))" >&2
    exit 2
fi
py="${HW2_PYTHON:-}"
[ -z "$py" ] && [ -x "$here/.venv/bin/python" ] && py="$here/.venv/bin/python"
py="${py:-python3}"
domain=()
[ -n "${HW2_DOMAIN:-}" ] && domain=(--domain "$HW2_DOMAIN")
exec "$py" "$here/workflow/scripts/predict_dann.py" --folder "$1" --out "$2" \
    --checkpoints "${HW2_CHECKPOINTS:-$here/checkpoints}" "${domain[@]}"
