"""The course's import guard. Put this folder on PYTHONPATH and Python loads it at start-up (as
``sitecustomize``): from then on a module that one of the project's own files imports must be in the
course's package list (``envs/course_packages.tsv``), in the standard library, or the project's own
``dlcv_hw2``. Any other import stops with an ImportError that names the module and the file that
imported it, and the line is also written to stderr and, when ``COURSE_GUARD_LOG`` names a file,
appended there (so a refusal that the code catches is still seen). What the allowed packages import for
themselves is theirs and is never checked.

The tests and ``snakemake submission`` run every grading script under it. It uses the standard library
only and runs on Python 3.10, the course's version.

Environment:
    COURSE_GUARD_ROOTS   folders whose .py files are the project's (os.pathsep-separated; default: the
                         repository holding this file); files under a virtual environment or a
                         site-packages folder inside them are never the project's
    COURSE_GUARD_LOG     a file to append each refusal to, one line "importer<TAB>module"
"""

import builtins
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
_REPO = os.path.dirname(os.path.dirname(_HERE))
PACKAGE_LIST = os.path.join(_REPO, "envs", "course_packages.tsv")


def course_modules(path=PACKAGE_LIST):
    """The top-level module names the course's package list allows (its ``import`` column)."""
    names = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            package, _version, module = line.rstrip("\n").split("\t")[:3]
            if package != "package":  # the header
                names.add(module)
    return names


ALLOWED = frozenset(course_modules() | set(sys.stdlib_module_names) | {"dlcv_hw2", "__main__"})
ROOTS = tuple(os.path.realpath(r) for r in os.environ.get("COURSE_GUARD_ROOTS", _REPO).split(os.pathsep) if r)
LOG = os.environ.get("COURSE_GUARD_LOG")


def is_project_file(path):
    """A .py file of the project: under one of ROOTS, and not inside a virtual environment or
    site-packages there (the repository's own .venv holds the packages, not the project)."""
    if not path or path.startswith("<"):
        return False
    real = os.path.realpath(path)
    for root in ROOTS:
        if real.startswith(root + os.sep):
            parts = os.path.relpath(real, root).split(os.sep)[:-1]
            return not any(p.startswith(".venv") or p in ("site-packages", "dist-packages") for p in parts)
    return False


def refuse(module, importer):
    message = (
        f"import guard: {importer} imports {module!r}, which is neither in the course's package list "
        f"({PACKAGE_LIST}) nor in the standard library"
    )
    print(message, file=sys.stderr, flush=True)
    if LOG:
        with open(LOG, "a", encoding="utf-8") as f:
            f.write(f"{importer}\t{module}\n")
    raise ModuleNotFoundError(message, name=module)


def check(name, importer):
    top = name.partition(".")[0]
    if top not in ALLOWED and is_project_file(importer):
        refuse(top, importer)


_SELF = os.path.abspath(__file__)
_import = builtins.__import__


def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
    """Every import statement, already-imported modules included: the importer is the file whose
    globals the statement runs in. Relative imports stay inside their own package."""
    if level == 0 and globals:
        check(name, globals.get("__file__"))
    return _import(name, globals, locals, fromlist, level)


class GuardFinder:
    """For ``importlib.import_module`` and other imports that bypass ``__import__``: the importer is
    the first frame outside the import machinery."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        frame = sys._getframe(1)
        while frame is not None:
            filename = frame.f_code.co_filename
            if not (
                filename.startswith("<frozen importlib")
                or filename == _SELF
                or os.path.basename(os.path.dirname(filename)) == "importlib"
            ):
                check(name, filename)
                break
            frame = frame.f_back
        return None  # the ordinary finders do the finding


def install():
    builtins.__import__ = guarded_import
    sys.meta_path.insert(0, GuardFinder)


if __name__ == "sitecustomize":  # Python loaded it at start-up; imported under another name it only defines
    install()
