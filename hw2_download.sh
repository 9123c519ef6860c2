#!/usr/bin/env bash
# Makes checkpoints/{ddpm,dann_svhn,dann_usps}.pt available for hw2_1.sh and hw2_3.sh: keeps local
# ones, else downloads those listed in checkpoints/manifest.tsv (sha256-verified), else trains them
# with the workflow. Extra arguments go to workflow/scripts/fetch_checkpoints.py (e.g. --no-train).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/envs/grading_common.sh"
exec "$py" "$here/workflow/scripts/fetch_checkpoints.py" "$@"
