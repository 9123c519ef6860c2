#!/usr/bin/env bash
# Problem 3 grading script: bash hw2_3.sh TEST_IMAGE_DIR OUT_CSV
# Predicts every image of the folder with the DANN model of the domain named in the path (svhn or
# usps; set HW2_DOMAIN to override) and writes image_name,label. CPU or GPU, from any directory.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/envs/grading_common.sh"
predict_svhn_usps hw2_3.sh hw2_download.sh "$@"
