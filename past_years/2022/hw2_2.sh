#!/usr/bin/env bash
# 2022 problem 2 grading script: bash hw2_2.sh OUT_DIR
# The conditional DDPM of 2022 is 2023's problem 1: writes 1000 images 0_001.png .. 9_100.png (28x28
# RGB, fixed seed) with checkpoints/ddpm.pt (made by `bash hw2_download.sh` of its folder), exactly
# as the top-level hw2_1.sh does. CPU or GPU, from any directory.
set -euo pipefail
# envs/ sits beside it at the root of a hand-in (snakemake handin), two folders up under past_years/<year>/
root="$(dirname "${BASH_SOURCE[0]}")"
[ -f "$root/envs/grading_common.sh" ] || root="$root/../.."
source "$root/envs/grading_common.sh"
sample_ddpm_digits hw2_2.sh "$@"
