# Sourced by the hw2_*.sh grading scripts (top level, past_years/<year>/, or the root of a hand-in that
# `snakemake handin` writes): the repository folder, the checkpoints folder, the download script beside the
# running script (named when a checkpoint is missing) and the Python to run. The repository's .venv is used when it exists, else python3
# (the TAs' machine); HW2_PYTHON overrides both. HW2_CHECKPOINTS replaces the folder checkpoints/ (the
# tests run the scripts on the checkpoints of a run elsewhere); HW2_<MODEL>_CHECKPOINT replaces one file.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ckpts="${HW2_CHECKPOINTS:-$here/checkpoints}"
script_dir="$(cd "$(dirname "$0")" && pwd)"
case "$script_dir" in  # the download script beside the running one, as the user would type it from the root
    "$here") download="hw2_download.sh" ;;
    "$here"/*) download="${script_dir#"$here"/}/hw2_download.sh" ;;
    *) download="$script_dir/hw2_download.sh" ;;
esac
py="${HW2_PYTHON:-}"
if [ -z "$py" ] && [ -x "$here/.venv/bin/python" ]; then py="$here/.venv/bin/python"; fi
py="${py:-python3}"
# Without the .venv (a bare python3 with the packages), the library is found in the repository itself.
export PYTHONPATH="$here${PYTHONPATH:+:$PYTHONPATH}"

usage_unless() {  # usage_unless USAGE WANTED "$@": one error line and exit 2 on a wrong or empty argument
    local usage="$1" wanted="$2"
    shift 2
    if [ "$wanted" -ne "$#" ]; then
        echo "error: usage: $usage (got $# argument(s))" >&2
        exit 2
    fi
    local i=1 arg
    for arg in "$@"; do
        if [ -z "$arg" ]; then
            echo "error: usage: $usage (argument $i is an empty string)" >&2
            exit 2
        fi
        i=$((i + 1))
    done
}

predict_2021() {  # predict_2021 METHOD SCRIPT_NAME TEST_DIR TARGET OUT_CSV: hw2_p3.sh (dann) and hw2_bonus.sh (dsn)
    local method="$1" name="$2"
    shift 2
    usage_unless "bash $name TEST_DIR TARGET OUT_CSV" 3 "$@"
    case "$2" in
        mnistm|usps|svhn) ;;
        *) echo "error: TARGET must be mnistm, usps or svhn, not '$2'" >&2; exit 2 ;;
    esac
    exec "$py" "$here/workflow/scripts/predict_dann.py" --folder "$1" --out "$3" --domain "$2" \
        --scenario-set 2021 --method "$method" --checkpoints "$ckpts" --download "$download"
}

require_checkpoint() {  # require_checkpoint PATH: one error line and exit 2 when PATH is missing
    if [ ! -f "$1" ]; then
        echo "error: checkpoint $1 is missing; run 'bash $download' first" >&2
        exit 2
    fi
}

sample_faces() {  # sample_faces SCRIPT_NAME OUT_DIR: 2021's hw2_p1.sh and 2022's hw2_1.sh
    local name="$1"
    shift
    usage_unless "bash $name OUT_DIR" 1 "$@"
    local ckpt="${HW2_FACE_GAN_CHECKPOINT:-$ckpts/face_gan.pt}"
    require_checkpoint "$ckpt"
    exec "$py" "$here/workflow/scripts/sample_face_gan.py" --model "$ckpt" --out "$1"
}

sample_ddpm_digits() {  # sample_ddpm_digits SCRIPT_NAME OUT_DIR: hw2_1.sh (2023), 2022's hw2_2.sh
    local name="$1"
    shift
    usage_unless "bash $name OUT_DIR" 1 "$@"
    local ckpt="${HW2_DDPM_CHECKPOINT:-$ckpts/ddpm.pt}"
    require_checkpoint "$ckpt"
    exec "$py" "$here/workflow/scripts/sample_ddpm.py" --model "$ckpt" --out "$1"
}

predict_svhn_usps() {  # predict_svhn_usps SCRIPT_NAME TEST_IMAGE_DIR OUT_CSV: hw2_3.sh (2023), 2022's hw2_3.sh
    local name="$1"
    shift
    usage_unless "bash $name TEST_IMAGE_DIR OUT_CSV" 2 "$@"
    local domain=()
    if [ -n "${HW2_DOMAIN:-}" ]; then
        case "$HW2_DOMAIN" in
            svhn|usps) domain=(--domain "$HW2_DOMAIN") ;;
            *) echo "error: HW2_DOMAIN must be svhn or usps, not '$HW2_DOMAIN'" >&2; exit 2 ;;
        esac
    fi
    exec "$py" "$here/workflow/scripts/predict_dann.py" --folder "$1" --out "$2" \
        --checkpoints "$ckpts" --download "$download" "${domain[@]}"
}
