# Sourced by the hw2_*.sh grading scripts (top level and past_years/<year>/): the repository folder and
# the Python to run. The repository's .venv is used when it exists, else python3; HW2_PYTHON overrides both.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
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
