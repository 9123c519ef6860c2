"""The report's registry of documents and its Markdown renderer (the comparison scripts' summaries)."""

import pytest

from dlcv_hw2 import course
from dlcv_hw2.core.cli import UserError
from dlcv_hw2.report import documents
from dlcv_hw2.report.blocks import Code, Figure, Heading, Paragraph, Table, Title, chapter
from dlcv_hw2.report.markdown import render_markdown


def test_the_registry_holds_each_year_and_the_face_gans_and_refuses_another_name():
    assert list(documents.DOCUMENTS) == [*course.YEARS, "face_gans"]
    for name, year in course.YEARS.items():
        assert year.document in documents._YEAR_DOCUMENTS, name
    with pytest.raises(UserError, match="no report document 'hw3'"):
        documents.build("hw3", documents.Run("results", {}))


def test_markdown_numbers_a_document_as_the_html_does():
    doc = [
        Title("T"),
        *chapter("Problem", [("Q", [Table(["", "a|b"], [["x", 1.5]], "cap."), Figure("f.png", "fig.")])]),
        Code("print(1)"),
    ]
    assert render_markdown(doc) == (
        "# T\n\n## Problem\n\n### 1.1 Q\n\n|  | a\\|b |\n|---|---|\n| x | 1.5 |\n\nTable: Table 1.1: cap.\n\n"
        "![Figure 1.1: fig.](f.png)\n\n```\nprint(1)\n```\n"
    )


def test_markdown_of_a_section_alone_keeps_its_captions():
    text = render_markdown([Table(["k", "v"], [["a", "1"]], "the table."), Paragraph("what it shows.")])
    assert text == "| k | v |\n|---|---|\n| a | 1 |\n\nTable: the table.\n\nwhat it shows.\n"
    with pytest.raises(TypeError, match="no Markdown for object"):  # a block no renderer knows
        render_markdown([Heading("x", 2), object()])
