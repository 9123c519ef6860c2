#!/usr/bin/env bash
# Problem 3 grading script: bash hw2_3.sh TEST_IMAGE_DIR OUT_CSV
# Predicts every image of the folder with the DANN model of its domain and writes image_name,label: the
# domain a path component is or holds (svhn, usps: .../svhn_test/), else the images' (one channel: usps;
# three: svhn), said on stderr; set HW2_DOMAIN to override. Files that are not images are skipped with a
# warning. CPU or GPU, from any directory.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/envs/grading_common.sh"
predict_svhn_usps hw2_3.sh "$@"
