"""The reports as a PDF, written with fpdf2 (pure Python; the DejaVu fonts matplotlib ships): every chapter
starts a new page, no heading or caption is left alone at the foot of a page, and the same document
gives the same bytes (no timestamp)."""

import os

from .blocks import Code, Figure, Heading, Paragraph, Table, Title, numbered


def _font_path(name="DejaVuSans.ttf"):
    import matplotlib

    return os.path.join(matplotlib.get_data_path(), "fonts", "ttf", name)


class _Writer:
    """Draws one block after the other on an fpdf2 document."""

    def __init__(self):
        from fpdf import FPDF

        pdf = FPDF(format="A4", unit="mm")
        pdf.creation_date = None  # no timestamp: the same results give the same bytes
        pdf.add_font("DejaVu", "", _font_path("DejaVuSans.ttf"))
        pdf.add_font("DejaVu", "B", _font_path("DejaVuSans-Bold.ttf"))
        pdf.add_font("DejaVuMono", "", _font_path("DejaVuSansMono.ttf"))
        pdf.set_auto_page_break(True, margin=15)
        pdf.set_margins(18, 15, 18)
        pdf.add_page()
        self.pdf = pdf
        self.width = pdf.w - pdf.l_margin - pdf.r_margin

    def room(self) -> float:
        return self.pdf.h - self.pdf.b_margin - self.pdf.get_y()

    def lines(self, text: str, font: tuple, height: float, align: str = "L", after: float = 0) -> None:
        self.pdf.set_font(*font)
        self.pdf.multi_cell(self.width, height, text, new_x="LMARGIN", new_y="NEXT", align=align)
        if after:
            self.pdf.ln(after)

    def title(self, block, text):
        self.lines(text, ("DejaVu", "B", 18), 10)

    def heading(self, block, text):
        if block.level == 1:
            self.pdf.add_page()
            self.lines(text, ("DejaVu", "B", 15), 8, after=2)
            return
        if self.room() < 40:  # no heading at the foot of a page
            self.pdf.add_page()
        self.pdf.ln(2)
        self.lines(text, ("DejaVu", "B", 12), 7)

    def paragraph(self, block, text):
        self.lines(text, ("DejaVu", "", 10), 5, after=2)

    def code(self, block, text):
        self.lines(text, ("DejaVuMono", "", 6), 2.8, after=2)

    def figure(self, block, text):
        from PIL import Image

        pdf = self.pdf
        with Image.open(block.path) as im:
            w_px, h_px = im.size
        w = min(self.width, w_px * 0.25)  # 0.25 mm per pixel, at most the text width
        h = w * h_px / w_px
        max_h = pdf.h - pdf.t_margin - pdf.b_margin - 12
        if h > max_h:
            w, h = w * max_h / h, max_h
        room = self.room() - 10
        if h > room >= 0.6 * h:  # shrink a little rather than leave a heading alone at a page end
            w, h = w * room / h, room
        elif h > room:
            pdf.add_page()
        pdf.image(block.path, x=pdf.l_margin + (self.width - w) / 2, w=w, h=h)
        self.lines(text, ("DejaVu", "", 8), 4, align="C", after=2)

    def table(self, block, text):
        pdf = self.pdf
        pdf.set_font("DejaVu", "", 8)
        if self.room() < 25:  # the caption goes above the table, as in the HTML, never alone at a page foot
            pdf.add_page()
        self.lines(text, ("DejaVu", "", 8), 4, align="C", after=1)
        with pdf.table(text_align="LEFT", first_row_as_headings=any(block.header), line_height=4.5) as t:
            if any(block.header):
                t.row([str(h) for h in block.header])
            for row in block.rows:
                t.row([str(c) for c in row])
        pdf.ln(2)


DRAW = {
    Title: _Writer.title,
    Heading: _Writer.heading,
    Paragraph: _Writer.paragraph,
    Code: _Writer.code,
    Figure: _Writer.figure,
    Table: _Writer.table,
}


def render_pdf(doc: list, path: str) -> int:
    """Write the PDF; returns the page count."""
    writer = _Writer()
    for n in numbered(doc):
        DRAW[type(n.block)](writer, n.block, n.text)
    writer.pdf.output(path)
    return writer.pdf.pages_count
