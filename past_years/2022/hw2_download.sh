#!/usr/bin/env bash
# 2022: makes the checkpoints of the 2022 grading scripts (of the repository) available: face_gan.pt
# for hw2_1.sh (problem 1), ddpm.pt for hw2_2.sh and dann_svhn.pt, dann_usps.pt for hw2_3.sh (2022's
# problems 2 and 3 are 2023's 1 and 3, with the same models). As the top-level hw2_download.sh does:
# keeps local copies, else downloads those checkpoints/manifest.tsv lists (sha256-verified); never
# trains unless given --train. Extra arguments go to fetch_checkpoints.py.
set -euo pipefail
# envs/ sits beside it at the root of a hand-in (snakemake handin), two folders up under past_years/<year>/
root="$(dirname "${BASH_SOURCE[0]}")"
[ -f "$root/envs/grading_common.sh" ] || root="$root/../.."
source "$root/envs/grading_common.sh"
exec "$py" "$here/workflow/scripts/fetch_checkpoints.py" --year 2022 "$@"
