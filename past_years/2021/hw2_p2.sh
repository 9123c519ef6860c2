#!/usr/bin/env bash
# 2021 problem 2 grading script: bash hw2_p2.sh OUT_DIR
# Writes 1000 images 0_001.png .. 9_100.png (28x28 RGB, fixed seed) with the ACGAN generator
# checkpoints/acgan.pt of the repository (made by `bash hw2_download.sh` of its folder). CPU or GPU,
# from any directory.
set -euo pipefail
# envs/ sits beside it at the root of a hand-in (snakemake handin), two folders up under past_years/<year>/
root="$(dirname "${BASH_SOURCE[0]}")"
[ -f "$root/envs/grading_common.sh" ] || root="$root/../.."
source "$root/envs/grading_common.sh"
usage_unless "bash hw2_p2.sh OUT_DIR" 1 "$@"
ckpt="${HW2_ACGAN_CHECKPOINT:-$ckpts/acgan.pt}"
require_checkpoint "$ckpt"
exec "$py" "$here/workflow/scripts/sample_acgan.py" --model "$ckpt" --out "$1"
