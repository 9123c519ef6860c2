"""The reports' typed blocks, and the numbering of their sections, tables and figures.

A document is a list of blocks. Numbers are computed here, never written into the text: a chapter
(a :class:`Heading` of level 1) is numbered by its position, or by its own ``label`` ("B" for a bonus);
its questions (level 2) become "1.1 ...", "1.2 ..."; its tables and figures "Table 1.1", "Figure 1.2",
each counted within the chapter. The renderers (html.py, pdf.py) draw what :func:`numbered` gives.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Title:
    text: str


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1: a chapter (a problem); 2: a question of it
    label: str = None  # a chapter's own number ("B"); None: its position


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Code:
    text: str


@dataclass(frozen=True)
class Figure:
    path: str
    caption: str


@dataclass(frozen=True)
class Table:
    header: list
    rows: list
    caption: str


@dataclass(frozen=True)
class Numbered:
    """A block as drawn: a heading's full text ("1.2 Accuracy"), a caption's ("Table 1.2: ...")."""

    block: object
    text: str = ""


def numbered(doc: list) -> list:
    """Every block of ``doc`` with its computed number (see the module's docstring)."""
    out, chapter, counts = [], None, {}
    position = 0
    for block in doc:
        if isinstance(block, Heading) and block.level == 1:
            position += 1
            chapter = block.label or str(position)
            counts = {"question": 0, "Table": 0, "Figure": 0}
            out.append(Numbered(block, block.text))
        elif isinstance(block, Heading):
            counts["question"] += 1
            out.append(Numbered(block, f"{chapter}.{counts['question']} {block.text}"))
        elif isinstance(block, (Table, Figure)):
            kind = "Table" if isinstance(block, Table) else "Figure"
            if chapter is None:
                raise ValueError(f"{kind.lower()} {block.caption!r} comes before the first chapter")
            counts[kind] += 1
            out.append(Numbered(block, f"{kind} {chapter}.{counts[kind]}: {block.caption}"))
        else:
            out.append(Numbered(block, getattr(block, "text", "")))
    return out


def chapter(title: str, questions: list, label: str = None, intro: list = ()) -> list:
    """A chapter: its heading, ``intro`` blocks, then per question its heading and answer blocks
    (``questions``: [(question, [blocks])])."""
    blocks = [Heading(title, 1, label), *intro]
    for question, answer in questions:
        blocks += [Heading(question, 2), *answer]
    return blocks
