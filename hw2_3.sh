#!/usr/bin/env bash
# Problem 3 grading script: bash hw2_3.sh TEST_IMAGE_DIR OUT_CSV
# Predicts every image of the folder with the DANN model of the domain named in the path (svhn or
# usps; set HW2_DOMAIN to override) and writes image_name,label. CPU or GPU, from any directory.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/envs/grading_common.sh"
usage_unless 2 "$#" "bash hw2_3.sh TEST_IMAGE_DIR OUT_CSV"
domain=()
[ -n "${HW2_DOMAIN:-}" ] && domain=(--domain "$HW2_DOMAIN")
exec "$py" "$here/workflow/scripts/predict_dann.py" --folder "$1" --out "$2" \
    --checkpoints "${HW2_CHECKPOINTS:-$here/checkpoints}" "${domain[@]}"
