# Sourced by the hw2_*.sh grading scripts: the repository folder and the Python to run.
# The repository's .venv is used when it exists, else python3; HW2_PYTHON overrides both.
here="$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)"
py="${HW2_PYTHON:-}"
if [ -z "$py" ] && [ -x "$here/.venv/bin/python" ]; then py="$here/.venv/bin/python"; fi
py="${py:-python3}"

usage_unless() {  # usage_unless WANTED GOT USAGE: one error line and exit 2 on a wrong argument count
    if [ "$1" -ne "$2" ]; then
        echo "error: usage: $3 (got $2 argument(s))" >&2
        exit 2
    fi
}
