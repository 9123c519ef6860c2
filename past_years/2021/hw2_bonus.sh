#!/usr/bin/env bash
# 2021 bonus grading script: bash hw2_bonus.sh TEST_DIR TARGET OUT_CSV
# Predicts every image of TEST_DIR with the Domain Separation Networks model (the improved UDA model)
# of the 2021 scenario whose target is TARGET (usps: MNIST-M -> USPS, mnistm: SVHN -> MNIST-M,
# svhn: USPS -> SVHN) and writes image_name,label. Checkpoints: checkpoints/dsn_<scenario>.pt of the repository (made by
# `bash hw2_download.sh` of its folder; HW2_CHECKPOINTS names another folder). CPU or GPU, any directory.
set -euo pipefail
# envs/ sits beside it at the root of a hand-in (snakemake handin), two folders up under past_years/<year>/
root="$(dirname "${BASH_SOURCE[0]}")"
[ -f "$root/envs/grading_common.sh" ] || root="$root/../.."
source "$root/envs/grading_common.sh"
predict_2021 dsn hw2_bonus.sh "$@"
