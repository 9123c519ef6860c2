#!/usr/bin/env bash
# Problem 3 grading script: bash hw2_3.sh TEST_IMAGE_DIR OUT_CSV
# Predicts every image of the folder with the DANN model of the domain named in the path (svhn or
# usps; set HW2_DOMAIN to override) and writes image_name,label. CPU or GPU, from any directory.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/envs/grading_common.sh"
usage_unless "bash hw2_3.sh TEST_IMAGE_DIR OUT_CSV" 2 "$@"
domain=()
if [ -n "${HW2_DOMAIN:-}" ]; then
    case "$HW2_DOMAIN" in
        svhn|usps) domain=(--domain "$HW2_DOMAIN") ;;
        *) echo "error: HW2_DOMAIN must be svhn or usps, not '$HW2_DOMAIN'" >&2; exit 2 ;;
    esac
fi
exec "$py" "$here/workflow/scripts/predict_dann.py" --folder "$1" --out "$2" \
    --checkpoints "${HW2_CHECKPOINTS:-$here/checkpoints}" "${domain[@]}"
