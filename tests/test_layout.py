"""The library's shape: groups by concern whose imports point one way (README, "Layout").

core -> data -> models -> methods -> metrics -> report -> handin: a module may import from its own group
and from groups to its left, never from one to its right. ``settings.py`` (with the schema) sits above
them all: scripts and the workflow pass the library typed settings objects, so no group imports it.
"""

import ast
import os

import pytest
from conftest import REPO

ORDER = ("core", "data", "models", "methods", "metrics", "report", "handin")
TOP_LEVEL = {"__init__.py", "settings.py", "course.py", "paths.py"}


def imported_modules(path, module):
    """Absolute names of every dlcv_hw2 module a file imports (function-level imports too)."""
    is_pkg = path.endswith("__init__.py")
    here = module.split(".") if is_pkg else module.split(".")[:-1]
    out = []
    for node in ast.walk(ast.parse(open(path).read())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [f"{target}.{a.name}" for a in node.names]  # `from pkg import module`
            out.append((node.lineno, target, names))
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name, []) for a in node.names]
    return [(line, t, n) for line, t, n in out if t == "dlcv_hw2" or t.startswith("dlcv_hw2.")]


def group_of(name):
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ORDER else None


def backward_arrows(package_dir):
    """Every import that points from a group to one on its right, or from a group to settings, as
    "file:line imports module"."""
    root = os.path.dirname(package_dir)
    found = []
    for dirpath, _, files in os.walk(package_dir):
        for f in sorted(files):
            if not f.endswith(".py"):
                continue
            path = os.path.join(dirpath, f)
            module = os.path.relpath(path, root)[:-3].replace(os.sep, ".").removesuffix(".__init__")
            own = group_of(module)
            if own is None:
                continue
            for line, target, names in imported_modules(path, module):
                candidates = [target] + (names if target == "dlcv_hw2" else [])
                for t in candidates:
                    g = group_of(t)
                    if t == "dlcv_hw2.settings" or (g and ORDER.index(g) > ORDER.index(own)):
                        found.append(f"{os.path.relpath(path, root)}:{line} imports {t}")
    return found


def test_the_library_imports_point_one_way():
    assert backward_arrows(os.path.join(REPO, "dlcv_hw2")) == []


def test_only_settings_lives_beside_the_groups():
    package = os.path.join(REPO, "dlcv_hw2")
    loose = sorted(f for f in os.listdir(package) if f.endswith(".py") and f not in TOP_LEVEL)
    groups = sorted(d for d in os.listdir(package) if os.path.isdir(os.path.join(package, d)) and d != "__pycache__")
    assert loose == [] and groups == sorted(ORDER)


def test_the_course_module_sits_below_every_group():
    """course.py, the course's years, is read by every group and by the grading path: it imports the
    standard library only, so the TAs' machine can read it and no group's import can loop through it."""
    import sys

    for module in ("course.py", "paths.py"):  # and the results paths, which the rules and the report read
        tree = ast.parse(open(os.path.join(REPO, "dlcv_hw2", module)).read())
        imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and not n.level}
        relative = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level]
        assert relative == [] and imported <= set(sys.stdlib_module_names), (module, imported)


@pytest.mark.parametrize(
    "code, arrow",
    [
        ("from ..methods.ddpm import train", "dlcv_hw2/data/leak.py:1 imports dlcv_hw2.methods.ddpm"),
        ("from .. import settings", "dlcv_hw2/data/leak.py:1 imports dlcv_hw2.settings"),
        (
            "def f():\n    from dlcv_hw2.report.figures import plot",
            "dlcv_hw2/data/leak.py:2 imports dlcv_hw2.report.figures",
        ),
        ("from ..core.cli import UserError\nfrom .images import decode_image", None),
    ],
)
def test_a_backward_arrow_is_named(code, arrow, tmp_path):
    for group in ORDER:
        (tmp_path / "dlcv_hw2" / group).mkdir(parents=True)
    (tmp_path / "dlcv_hw2" / "data" / "leak.py").write_text(code + "\n")
    assert backward_arrows(str(tmp_path / "dlcv_hw2")) == ([arrow] if arrow else [])


def test_each_method_is_named_in_its_registry_and_the_schema_follows_it():
    """The schema states a method's settings; its enums and sections must name exactly the registries'
    methods, so no second list of names can drift from them."""
    from dlcv_hw2 import settings
    from dlcv_hw2.methods.face_gan import FACE_GANS
    from dlcv_hw2.methods.generators import DIGIT_GENERATORS
    from dlcv_hw2.methods.uda import UDA_METHODS

    top = settings.schema()["properties"]
    assert top["face_gan_graded"]["enum"] == list(FACE_GANS)
    assert top["face_gan_improved"]["enum"] == [m for m in FACE_GANS if m != "dcgan"]  # method B improves on A
    dann = settings.properties(settings.section_schema("dann"))
    assert dann["methods"]["items"]["enum"] == list(UDA_METHODS)
    sections = settings.properties(settings.section_schema("preset"))
    for method in [*FACE_GANS, *DIGIT_GENERATORS]:
        assert method in sections, method
    defs = settings.schema()["definitions"]
    assert defs["face_gan"]["allOf"] == [{"$ref": "#/definitions/gan"}]  # the face GANs' family is a GAN family
    for method in FACE_GANS:  # each face GAN states only how it differs from the face-GAN family
        assert defs[method]["allOf"] == [{"$ref": "#/definitions/face_gan"}], method


def test_no_library_module_is_over_400_lines():
    """A module past 400 lines holds more than one concern: split it (the report's sections, the demo's
    strokes, the metrics' extractors were)."""
    long = {}
    for dirpath, _, files in os.walk(os.path.join(REPO, "dlcv_hw2")):
        for f in (f for f in files if f.endswith(".py")):
            path = os.path.join(dirpath, f)
            with open(path, encoding="utf-8") as fh:
                n = sum(1 for _ in fh)
            if n > 400:
                long[os.path.relpath(path, REPO)] = n
    assert long == {}
