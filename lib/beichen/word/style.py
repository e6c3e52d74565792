"""The 公文 look of the Word draft, set with python-docx: the same page and type as the PDF
(latex/beichen-report.sty, after GB/T 9704-2012).

Page: A4; text block 156 × 225 mm, 37 mm from the top, 28 mm from the binding edge. Body: 仿宋 三号
(16 pt) on a fixed 29 pt line pitch (22 lines), first line indented two characters. Headings: 一、 黑体,
（一） 楷体, 1. 仿宋 bold, as Word's Heading 1–3 (so the navigation pane and the TOC field work). Captions
黑体 四号. Footer “— 1 —” in 宋体 四号 (a PAGE field), outside edge; header 征求意见稿 while a draft.
Chinese font names go to w:eastAsia, which python-docx's font.name does not set (it sets ascii/hAnsi):
those few attributes are set on python-docx's own elements.
"""
from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

FANG, HEI, KAI, SONG, TITLE = "仿宋", "黑体", "楷体", "宋体", "方正小标宋_GBK"
LATIN = "Times New Roman"
BODY_PT, PITCH_PT = 16, 29          # 三号 on the PDF's 29 bp pitch
CAPTION_PT, CAPTION_PITCH = 14, 22  # 四号, as the PDF's \small
CELL_PT, CELL_PITCH = 12, 18        # 小四 in tables
DRAFT_MARK = "征求意见稿"

# style → (east-Asian font, size, bold, line pitch, first-line indent in characters, alignment)
STYLES = {
    "Normal": (FANG, BODY_PT, False, PITCH_PT, 0, None),
    "Body Text": (FANG, BODY_PT, False, PITCH_PT, 2, WD_ALIGN_PARAGRAPH.JUSTIFY),
    "First Paragraph": (FANG, BODY_PT, False, PITCH_PT, 2, WD_ALIGN_PARAGRAPH.JUSTIFY),
    "Compact": (FANG, CELL_PT, False, CELL_PITCH, 0, None),
    "Heading 1": (HEI, BODY_PT, False, PITCH_PT, 2, None),
    "Heading 2": (KAI, BODY_PT, False, PITCH_PT, 2, None),
    "Heading 3": (FANG, BODY_PT, True, PITCH_PT, 2, None),
    "Title": (TITLE, 22, False, 34, 0, WD_ALIGN_PARAGRAPH.CENTER),
    "Subtitle": (KAI, BODY_PT, False, PITCH_PT, 0, WD_ALIGN_PARAGRAPH.CENTER),
    "Author": (FANG, BODY_PT, False, PITCH_PT, 0, WD_ALIGN_PARAGRAPH.CENTER),
    "Date": (FANG, BODY_PT, False, PITCH_PT, 0, WD_ALIGN_PARAGRAPH.CENTER),
    "TOC Heading": (HEI, BODY_PT, False, PITCH_PT, 0, WD_ALIGN_PARAGRAPH.CENTER),
    "Table Caption": (HEI, CAPTION_PT, False, CAPTION_PITCH, 0, WD_ALIGN_PARAGRAPH.CENTER),
    "Image Caption": (HEI, CAPTION_PT, False, CAPTION_PITCH, 0, WD_ALIGN_PARAGRAPH.CENTER),
    "Captioned Figure": (FANG, BODY_PT, False, None, 0, WD_ALIGN_PARAGRAPH.CENTER),
    "Figure": (FANG, BODY_PT, False, None, 0, WD_ALIGN_PARAGRAPH.CENTER),
}


def set_fonts(rpr_owner, east_asian: str, latin: str = LATIN) -> None:
    """A style's or run's fonts: `latin` for Latin letters and digits, `east_asian` for Chinese."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)   # a theme font would win over the names above


def report_styles(reference: Path) -> None:
    """Give pandoc's reference document the report's styles (pandoc copies them into the output)."""
    doc = Document(str(reference))
    for name, (font, size, bold, pitch, indent, align) in STYLES.items():
        try:
            style = doc.styles[name]
        except KeyError:
            style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        set_fonts(style.element, font)
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        fmt = style.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        if pitch:
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt(pitch)
        else:   # a picture's line grows with it (an exact pitch inherited from Normal would clip the chart)
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        fmt.first_line_indent = Pt(size * indent) if indent else Pt(0)   # 0, not inherited from Body Text
        if align is not None:
            fmt.alignment = align
        if name.startswith("Heading"):
            fmt.keep_with_next = True
    rpr = doc.styles["Normal"].element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:   # w:lang is the last of the run properties pandoc's Normal style has
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")   # Chinese text is zh-CN: Simplified glyph forms where a font has several
    doc.styles["Heading 1"].paragraph_format.page_break_before = True
    doc.styles["TOC Heading"].paragraph_format.page_break_before = True
    doc.styles["Table Caption"].paragraph_format.keep_with_next = True
    doc.styles["Title"].paragraph_format.space_before = Pt(PITCH_PT * 6)
    doc.styles["Author"].paragraph_format.space_before = Pt(PITCH_PT * 8)
    doc.save(str(reference))


def _page(section) -> None:
    """A4 with the PDF's text block: 156 × 225 mm, top 37 mm, binding edge 28 mm (GB/T 9704)."""
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(297 - 37 - 225)
    section.left_margin, section.right_margin = Mm(28), Mm(210 - 28 - 156)
    section.header_distance = Mm(20)
    section.footer_distance = Mm(297 - 37 - 225 - 7 - 6)   # the number 7 mm below the text block


def _page_number(paragraph, outside: WD_ALIGN_PARAGRAPH) -> None:
    """“— 1 —”: 宋体 四号 digits between two dashes, a PAGE field (Word counts the pages)."""
    paragraph.alignment = outside
    paragraph.paragraph_format.first_line_indent = None
    for part in ("— ", None, " —"):
        if part is None:
            field = OxmlElement("w:fldSimple")
            field.set(qn("w:instr"), "PAGE")
            run = paragraph.add_run("1")
            run._r.addprevious(field)
            field.append(run._r)
            set_fonts(run._r, SONG)
            run.font.size = Pt(14)
        else:
            run = paragraph.add_run(part)
            set_fonts(run._r, SONG)
            run.font.size = Pt(14)


def _draft_mark(header) -> None:
    paragraph = header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.paragraph_format.first_line_indent = None
    run = paragraph.add_run(DRAFT_MARK)
    set_fonts(run._r, HEI)
    run.font.size = Pt(CAPTION_PT)


def _tables(doc) -> None:
    """Real Word tables with the PDF's rules: a single 0.5 pt line around every cell, full text width."""
    for table in doc.tables:
        props = table._tbl.tblPr
        borders = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            line = OxmlElement(f"w:{edge}")
            line.set(qn("w:val"), "single")
            line.set(qn("w:sz"), "4")
            line.set(qn("w:color"), "000000")
            borders.append(line)
        later = [props.find(qn(f"w:{tag}")) for tag in ("shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption")]
        later = [e for e in later if e is not None]
        if later:   # the schema's order (Word refuses a file whose tblPr children are out of it)
            later[0].addprevious(borders)
        else:
            props.append(borders)
        width = props.find(qn("w:tblW"))
        if width is not None:
            width.set(qn("w:type"), "pct")
            width.set(qn("w:w"), "5000")


def finish(partial: Path, target: Path, status: str, draft: bool) -> None:
    """Page, footer, header and tables on pandoc's output; the title page without a page number."""
    doc = Document(str(partial))
    section = doc.sections[0]
    _page(section)
    section.different_first_page_header_footer = True
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.add_paragraph() if section.footer.paragraphs[0].text else section.footer.paragraphs[0],
                 WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
    if draft:
        for header in (section.header, section.even_page_header, section.first_page_header):
            _draft_mark(header)
    _tables(doc)
    for paragraph in doc.paragraphs:   # pandoc sets a list's items as Compact (table cells' style): body text
        if paragraph.style.name == "Compact":
            paragraph.style = doc.styles["Body Text"]
    # The TOC field is pandoc's, marked dirty: Word and WPS fill it in when the document is opened.
    doc.save(str(target))

