#!/usr/bin/env bash
# 2021 problem 1 grading script: bash hw2_p1.sh OUT_DIR
# Writes 1000 faces 0000.png .. 0999.png (64x64 RGB, fixed seed) with the face GAN generator
# checkpoints/face_gan.pt of the repository (the method the face_gan_graded setting names; made by
# `bash hw2_download.sh` of its folder). CPU or GPU, from any directory.
set -euo pipefail
# envs/ sits beside it at the root of a hand-in (snakemake handin), two folders up under past_years/<year>/
root="$(dirname "${BASH_SOURCE[0]}")"
[ -f "$root/envs/grading_common.sh" ] || root="$root/../.."
source "$root/envs/grading_common.sh"
sample_faces hw2_p1.sh "$@"
