#!/usr/bin/env bash
# 2022 problem 3 grading script: bash hw2_3.sh TEST_IMAGE_DIR OUT_CSV
# DANN MNIST-M -> SVHN / USPS as in 2023: predicts every image of the folder with the model of the
# folder's domain (a path component holding svhn or usps, else the images' channels; HW2_DOMAIN overrides)
# from checkpoints/dann_{svhn,usps}.pt
# (made by `bash past_years/2022/hw2_download.sh`) and writes image_name,label. From any directory.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../envs/grading_common.sh"
predict_svhn_usps hw2_3.sh past_years/2022/hw2_download.sh "$@"
