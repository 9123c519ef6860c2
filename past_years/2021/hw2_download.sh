#!/usr/bin/env bash
# 2021: makes the checkpoints of the 2021 grading scripts (of the repository) available: face_gan.pt
# for hw2_p1.sh, acgan.pt for hw2_p2.sh, dann_<scenario>.pt for hw2_p3.sh and dsn_<scenario>.pt for hw2_bonus.sh, the scenarios
# being usps (MNIST-M -> USPS), svhn_to_mnistm and usps_to_svhn. As the top-level hw2_download.sh does
# for the 2023 scripts: keeps local copies, else downloads those checkpoints/manifest.tsv lists
# (sha256-verified); never trains unless given --train. Extra arguments go to fetch_checkpoints.py.
set -euo pipefail
# envs/ sits beside it at the root of a hand-in (snakemake handin), two folders up under past_years/<year>/
root="$(dirname "${BASH_SOURCE[0]}")"
[ -f "$root/envs/grading_common.sh" ] || root="$root/../.."
source "$root/envs/grading_common.sh"
exec "$py" "$here/workflow/scripts/fetch_checkpoints.py" --year 2021 "$@"
