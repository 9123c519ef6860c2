"""The reports as one self-contained HTML page (figures embedded as base64 PNG)."""

import base64
import html

from .blocks import Code, Figure, Heading, Paragraph, Table, Title, numbered

CSS = """body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;padding:.2em .6em;text-align:left}
th{background:#eee}img{max-width:100%}figure{margin:1em 0}figcaption,caption{font-size:.9em;color:#555}
pre{font-size:.75em;background:#f6f6f6;padding:.5em;overflow-x:auto}"""


def _element(block, text: str) -> str:
    esc = html.escape
    if isinstance(block, Title):
        return f"<h1>{esc(text)}</h1>"
    if isinstance(block, Heading):
        tag = f"h{block.level + 1}"  # the title is the page's h1
        return f"<{tag}>{esc(text)}</{tag}>"
    if isinstance(block, Paragraph):
        return f"<p>{esc(text)}</p>"
    if isinstance(block, Code):
        return f"<pre>{esc(text)}</pre>"
    if isinstance(block, Figure):
        with open(block.path, "rb") as f:
            data = base64.b64encode(f.read()).decode("ascii")
        return (
            f"<figure><img src='data:image/png;base64,{data}' alt='{esc(text)}'>"
            f"<figcaption>{esc(text)}</figcaption></figure>"
        )
    if isinstance(block, Table):
        head = "".join(f"<th>{esc(str(h))}</th>" for h in block.header)
        rows = ["<tr>" + "".join(f"<td>{esc(str(c))}</td>" for c in row) + "</tr>" for row in block.rows]
        return "\n".join([f"<table><caption>{esc(text)}</caption><tr>{head}</tr>", *rows, "</table>"])
    raise TypeError(f"no HTML for {type(block).__name__}")


def render_html(doc: list) -> str:
    title = next(b.text for b in doc if isinstance(b, Title))
    out = [
        "<!DOCTYPE html>",
        "<html lang='en'><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>",
    ]
    out += [_element(n.block, n.text) for n in numbered(doc)]
    out.append("</body></html>")
    return "\n".join(out) + "\n"
