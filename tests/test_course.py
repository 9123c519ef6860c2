"""The course's years have one home, dlcv_hw2/course.py: the schema's year choices agree with it, its
entries are consistent with the grading scripts on disk, and no other module of the library or the
workflow spells a year (issue 42)."""

import io
import os
import re
import tokenize

import pytest
from conftest import REPO

from dlcv_hw2 import course, settings

YEAR_LITERAL = re.compile(r"(?<![0-9])(?:%s)(?![0-9])" % "|".join(course.YEARS))  # a course year
HOME = os.path.join("dlcv_hw2", "course.py")
# REFERENCES: publication years, not course years
BIBLIOGRAPHY = os.path.join("dlcv_hw2", "report", "sections", "appendix.py")


def _code_strings_and_numbers(text: str):
    """(line, token) of every string and number of Python (or Snakemake) source that is not a docstring:
    comments are not tokens of this kind, and a string standing alone as a statement is a docstring."""
    tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    for i, tok in enumerate(tokens):
        if tok.type not in (tokenize.STRING, tokenize.NUMBER):
            continue
        if tok.type == tokenize.STRING:
            before = next((t for t in reversed(tokens[:i]) if t.type not in (tokenize.NL, tokenize.COMMENT)), None)
            after = next((t for t in tokens[i + 1 :] if t.type not in (tokenize.NL, tokenize.COMMENT)), None)
            alone = (before is None or before.type in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)) and (
                after is None or after.type in (tokenize.NEWLINE, tokenize.ENDMARKER, tokenize.DEDENT)
            )
            if alone:
                continue
        yield tok.start[0], tok.string


def year_literals(path: str, text: str = None) -> list:
    """``file:line: token`` of every year spelled in code (not in comments or docstrings) of one file."""
    text = open(path, encoding="utf-8").read() if text is None else text
    rel = os.path.relpath(path, REPO)
    found = []
    for line, token in _code_strings_and_numbers(text):
        if rel == BIBLIOGRAPHY and _in_references(text, line):
            continue
        if YEAR_LITERAL.search(token):
            found.append(f"{rel}:{line}: {token.strip()[:60]}")
    return found


def _in_references(text: str, line: int) -> bool:
    lines = text.splitlines()
    start = next(i for i, s in enumerate(lines) if s.startswith("REFERENCES = {")) + 1
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("}")) + 1
    return start <= line <= end


def _sources():
    roots = [os.path.join(REPO, "dlcv_hw2"), os.path.join(REPO, "workflow")]
    yield os.path.join(REPO, "Snakefile")
    for root in roots:
        for dirpath, _, files in os.walk(root):
            for f in sorted(files):
                if f.endswith((".py", ".smk")) and os.path.relpath(os.path.join(dirpath, f), REPO) != HOME:
                    yield os.path.join(dirpath, f)


def test_no_module_but_the_course_spells_a_year():
    found = [hit for path in _sources() for hit in year_literals(path)]
    assert found == [], "\n".join(found)


@pytest.mark.parametrize(
    "code, hits",
    [
        ('x = "2021"\n', ["2021"]),
        ("if year == 2022:\n    pass\n", ["2022"]),
        ('name = f"face_gan/2022/summary.csv"\n', ["face_gan/2022/summary.csv"]),
        ('f(table="accuracy_table_2021.csv")\n', ['"accuracy_table_2021.csv"']),
        ('"""The 2021 problem 2."""\nx = 1  # 2023 in a comment\n', []),
        ('def f():\n    """Docstring of 2022."""\n    return 20221\n', []),
        ('x = "problem 2, 28 x 28, 1000 images"\n', []),
    ],
)
def test_a_year_in_code_is_found_and_one_in_a_comment_or_docstring_is_not(code, hits, tmp_path):
    path = tmp_path / "mod.py"
    path.write_text(code)
    found = year_literals(str(path))
    assert len(found) == len(hits), found
    for hit, want in zip(found, hits):
        assert want.strip('"') in hit


def test_the_schema_offers_exactly_the_course_years_and_layouts():
    top = settings.schema()["properties"]
    years = sorted(course.YEARS)
    assert sorted({str(v) for v in top["assignment"]["enum"]}) == years
    assert str(top["assignment"]["default"]) == course.DEFAULT
    sets = {str(v) for alt in top["scenarios"]["oneOf"] if "enum" in alt for v in alt["enum"]}
    assert sets == set(course.SCENARIO_SETS)
    layout = settings.properties(settings.section_schema("demo_data"))["layout"]
    assert layout["enum"] == list(course.LAYOUTS) and layout["default"] == course.DATA_FOLDER


@pytest.mark.parametrize("name", list(course.YEARS))
def test_each_year_entry_matches_the_repository(name):
    year = course.year(name)
    assert os.path.isfile(os.path.join(REPO, year.download))
    assert set(year.problems) <= set(course.PROBLEMS) and year.layout in course.LAYOUTS
    for script in year.grading:
        assert os.path.isfile(os.path.join(REPO, script.path)), script.path
        assert os.path.dirname(script.path) == year.folder
    assert len({s.name for s in year.grading}) == len(year.grading)  # names unique within the year
    from dlcv_hw2.report import documents

    assert callable(getattr(documents, year.document))
    for metric in ("face_detection_rate", "fid_inception", "is_imagenet"):
        base = year.baseline(metric)
        assert base is None or ("face_gans" in year.problems and base.source)
    if year.name != course.DEFAULT:
        assert len(year.questions) == len(year.problems) + ("dsn" in year.uda_methods)  # the bonus
    with pytest.raises(ValueError, match="unknown HW2 year"):
        course.year("1999")


# The methods, each named in its registry only: a rule or a report module that spells one (a word of a
# string in code, e.g. "results/face_gan/sagan" or "dsn") special-cases it. The face GANs and the UDA methods
# are handled alike; each digit generator has rules and a section of its own, which name it by its kind
# (DIGIT_GENERATORS: of_kind). Paths of the workflow's own files (an include of workflow/rules/dann.smk) are
# names of files, not of methods.
def _registry_names() -> list:
    from dlcv_hw2.methods.face_gan import FACE_GANS
    from dlcv_hw2.methods.generators import DIGIT_GENERATORS
    from dlcv_hw2.methods.uda import UDA_METHODS

    return sorted({*FACE_GANS, *UDA_METHODS, *DIGIT_GENERATORS}, key=len, reverse=True)


def method_names(path: str, names: list, text: str = None) -> list:
    """``file:line: token`` of every registry name spelled as a word of a string in code of one file."""
    text = open(path, encoding="utf-8").read() if text is None else text
    word = re.compile(r"(?<![A-Za-z0-9_])(?:%s)(?![A-Za-z0-9_])" % "|".join(map(re.escape, names)))
    found = []
    for line, token in _code_strings_and_numbers(text):
        if word.search(token) and not re.fullmatch(r"[rf]?[\"'][\w/.-]+\.(smk|py)[\"']", token):
            found.append(f"{os.path.relpath(path, REPO)}:{line}: {token.strip()[:60]}")
    return found


def _rules_and_reports():
    yield os.path.join(REPO, "Snakefile")
    for root in (os.path.join(REPO, "workflow", "rules"), os.path.join(REPO, "dlcv_hw2", "report")):
        for dirpath, _, files in os.walk(root):
            yield from (os.path.join(dirpath, f) for f in sorted(files) if f.endswith((".smk", ".py")))


def test_no_rule_or_report_module_spells_a_method_name():
    names = _registry_names()
    found = [hit for path in _rules_and_reports() for hit in method_names(path, names)]
    assert found == [], "\n".join(found)


@pytest.mark.parametrize(
    "code, hits",
    [
        ('x = "results/face_gan/sagan/model.pt"\n', 1),
        ("if m == 'dsn':\n    pass\n", 1),
        ('out = "checkpoints/acgan.pt"\n', 1),  # a digit generator
        ('x = settings("ddpm_sampling")\n', 0),  # a word of its own
        ('x = f"--method {m}=results/{m}"\n', 0),
        ('include: "workflow/rules/dann.smk"\n', 0),
        ('x = script("train_dann")\n', 0),  # a word of its own: train_dann, not dann
        ('"""Trains dann and dsn."""\n', 0),  # a docstring
        ("# sagan\n", 0),
    ],
)
def test_a_method_name_in_code_is_found_and_one_in_a_file_name_or_docstring_is_not(code, hits, tmp_path):
    path = tmp_path / "rules.smk"
    path.write_text(code)
    assert len(method_names(str(path), _registry_names())) == hits
