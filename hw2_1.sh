#!/usr/bin/env bash
# Problem 1 grading script: bash hw2_1.sh OUT_DIR
# Writes 1000 images 0_001.png .. 9_100.png (28x28 RGB, fixed seed) with checkpoints/ddpm.pt
# (made by `bash hw2_download.sh`). CPU or GPU, from any directory.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/envs/grading_common.sh"
sample_ddpm_digits hw2_1.sh "$@"
