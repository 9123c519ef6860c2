"""The reports' blocks as Markdown, beside HTML and PDF: a whole document (numbered as blocks.py numbers
it), or the blocks of one section alone (a comparison script's summary.md: the report's own tables, their
captions as given). A table's caption follows it ("Table: ..."), a figure is an image link to its path."""

from .blocks import Code, Figure, Heading, Numbered, Paragraph, Table, Title, numbered


def _cell(value) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _element(block, text: str) -> str:
    if isinstance(block, Title):
        return f"# {text}"
    if isinstance(block, Heading):
        return f"{'#' * (block.level + 1)} {text}"
    if isinstance(block, Paragraph):
        return text
    if isinstance(block, Code):
        return f"```\n{text}\n```"
    if isinstance(block, Figure):
        return f"![{text}]({block.path})"
    if isinstance(block, Table):
        lines = ["| " + " | ".join(_cell(h) for h in block.header) + " |", "|" + "---|" * len(block.header)]
        lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in block.rows]
        return "\n".join(lines) + f"\n\nTable: {text}"
    raise TypeError(f"no Markdown for {type(block).__name__}")


def render_markdown(doc: list) -> str:
    """``doc`` as Markdown, blocks separated by a blank line. Numbered when it has chapters; the blocks of
    a section alone (no chapter heading) keep their captions as given."""
    if any(isinstance(b, Heading) and b.level == 1 for b in doc):
        items = numbered(doc)
    else:
        items = [Numbered(b, b.caption if isinstance(b, (Table, Figure)) else getattr(b, "text", "")) for b in doc]
    return "\n\n".join(_element(n.block, n.text) for n in items) + "\n"
