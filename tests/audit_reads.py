"""Run a Python script with every file it opens recorded (an audit hook on "open"): the report test's
check that a report reads no file its rule did not ask for.

    python audit_reads.py LOG SCRIPT [ARG ...]

LOG gets one opened path per line, written when the script ends (also by an error exit).
"""

import atexit
import os
import runpy
import sys

log, script = sys.argv[1], sys.argv[2]
opened = []


def _hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        opened.append(os.fsdecode(args[0]))


def _write():
    with open(log, "w") as f:
        f.write("".join(f"{path}\n" for path in opened))


atexit.register(_write)
sys.argv = [script, *sys.argv[3:]]
sys.addaudithook(_hook)
runpy.run_path(script, run_name="__main__")
