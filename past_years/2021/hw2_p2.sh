#!/usr/bin/env bash
# 2021 problem 2 grading script: bash hw2_p2.sh OUT_DIR
# Writes 1000 images 0_001.png .. 9_100.png (28x28 RGB, fixed seed) with the ACGAN generator
# checkpoints/acgan.pt of the repository (made by `bash past_years/2021/hw2_download.sh` or the
# top-level hw2_download.sh). CPU or GPU, from any directory.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../envs/grading_common.sh"
usage_unless "bash hw2_p2.sh OUT_DIR" 1 "$@"
ckpt="${HW2_ACGAN_CHECKPOINT:-$ckpts/acgan.pt}"
require_checkpoint "$ckpt" past_years/2021/hw2_download.sh
exec "$py" "$here/workflow/scripts/sample_acgan.py" --model "$ckpt" --out "$1"
