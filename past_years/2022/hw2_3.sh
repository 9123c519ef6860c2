#!/usr/bin/env bash
# 2022 problem 3 grading script: bash hw2_3.sh TEST_IMAGE_DIR OUT_CSV
# DANN MNIST-M -> SVHN / USPS as in 2023: predicts every image of the folder with the model of the
# folder's domain (a path component holding svhn or usps, else the images' channels; HW2_DOMAIN overrides)
# from checkpoints/dann_{svhn,usps}.pt
# (made by `bash hw2_download.sh` of its folder) and writes image_name,label. From any directory.
set -euo pipefail
# envs/ sits beside it at the root of a hand-in (snakemake handin), two folders up under past_years/<year>/
root="$(dirname "${BASH_SOURCE[0]}")"
[ -f "$root/envs/grading_common.sh" ] || root="$root/../.."
source "$root/envs/grading_common.sh"
predict_svhn_usps hw2_3.sh "$@"
