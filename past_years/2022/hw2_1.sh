#!/usr/bin/env bash
# 2022 problem 1 grading script: bash hw2_1.sh OUT_DIR
# Writes 1000 faces 0000.png .. 0999.png (64x64 RGB, fixed seed) with the face GAN generator
# checkpoints/face_gan.pt of the repository (the method the face_gan_graded setting names; made by
# `bash past_years/2022/hw2_download.sh`). CPU or GPU, from any directory.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../envs/grading_common.sh"
sample_faces hw2_1.sh 2022 "$@"
