#!/usr/bin/env bash
# Problem 2 grading script: bash hw2_2.sh NOISE_DIR OUT_DIR UNET_PT
# One NN.png per NN.pt noise (DDIM, 50 uniform steps, eta = 0). CPU or GPU, from any directory.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/envs/grading_common.sh"
usage_unless "bash hw2_2.sh NOISE_DIR OUT_DIR UNET_PT" 3 "$@"
exec "$py" "$here/workflow/scripts/ddim_faces.py" --noise-dir "$1" --out "$2" --unet "$3"
