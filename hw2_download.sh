#!/usr/bin/env bash
# Makes checkpoints/{ddpm,dann_svhn,dann_usps}.pt available for hw2_1.sh and hw2_3.sh: keeps local
# ones, else downloads those listed in checkpoints/manifest.tsv (sha256-verified; Google Drive links
# through gdown). Never trains: on your own machine, `bash hw2_download.sh --train` trains what is
# neither here nor hosted. Extra arguments go to workflow/scripts/fetch_checkpoints.py.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/envs/grading_common.sh"
exec "$py" "$here/workflow/scripts/fetch_checkpoints.py" "$@"
