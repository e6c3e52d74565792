"""`make docx` (issue 26): the edition as an editable Word draft in the 公文 style of the PDF.

Expected values: page and type from GB/T 9704-2012 as latex/beichen-report.sty sets them (A4; text block
156 × 225 mm, 37 mm from the top, 28 mm from the binding edge; 仿宋 三号 = 16 pt on a 29 pt pitch);
words from the source report (/work/shared/source/000_bca0e5e0cc621ee0.txt, 一、 and its first passage).
"""
import json
import re
import subprocess

import pytest
from docx import Document
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from beichen.paths import NARRATIVE_DIR
from beichen.word import reviewed, draft as word
from tests.conftest import count_chart_outputs


@pytest.fixture(scope="session")
def draft_2024(built_2024, tmp_path_factory):
    target = tmp_path_factory.mktemp("word") / "report-2024.docx"
    manifest = word.make_docx(2024, built_2024.book, NARRATIVE_DIR, target)
    return target, manifest


def test_bookmark_names_are_words_names():
    # Word: a bookmark name starts with a letter, has letters, digits, “_”, and at most 40 characters.
    assert word.bookmark_name("01_targets", "quality_1") == "bc_01_quality_1"
    long = word.bookmark_name("02_industry", "chain_" + "x" * 60 + "_1")
    assert len(long) == 40 and re.fullmatch(r"[A-Za-z]\w*", long)


@pytest.mark.build
def test_page_and_type_as_the_pdf(draft_2024):
    doc = Document(str(draft_2024[0]))
    s = doc.sections[0]
    def mm(length):   # Word keeps page sizes in twips (1/1440 inch): 210 mm is 11906 of them
        return round(length / Mm(1), 1)

    assert (mm(s.page_width), mm(s.page_height)) == (210, 297)
    assert (mm(s.top_margin), mm(s.left_margin)) == (37, 28)
    assert mm(s.page_width - s.left_margin - s.right_margin) == 156
    assert mm(s.page_height - s.top_margin - s.bottom_margin) == 225
    body = doc.styles["Body Text"]
    assert body.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋" and body.font.size == Pt(16)
    assert body.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert body.paragraph_format.line_spacing == Pt(29)
    # a chart's paragraph is not held to the 29 pt pitch (LibreOffice and Word would clip the picture to it)
    figure = [p for p in doc.paragraphs if p._p.xpath(".//w:drawing")]
    assert figure and all(p.style.paragraph_format.line_spacing_rule != WD_LINE_SPACING.EXACTLY for p in figure)
    assert doc.styles["Heading 1"].element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    assert doc.styles["Heading 2"].element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体"
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert "一、“十四五”总体目标指标完成情况" in headings


@pytest.mark.build
def test_page_numbers_draft_mark_and_toc(draft_2024):
    doc = Document(str(draft_2024[0]))
    s = doc.sections[0]
    for footer in (s.footer, s.even_page_footer):
        xml = footer._element.xml
        assert 'w:instr="PAGE"' in xml and "— " in footer.paragraphs[0].text
    # 2024 has no sign-off (data/meta/signoff.yml): a 征求意见稿, marked at the head of every page.
    assert draft_2024[1]["status"] == "征求意见稿"
    assert all(h.paragraphs[0].text == "征求意见稿" for h in (s.header, s.even_page_header, s.first_page_header))
    assert 'TOC \\o "1-3"' in doc.element.body.xml


@pytest.mark.build
def test_tables_captions_and_charts(draft_2024, built_2024):
    doc = Document(str(draft_2024[0]))
    directives = 0
    for nb in sorted((built_2024.book / "chapters").glob("*.ipynb")):
        directives += json.loads(nb.read_text(encoding="utf-8")).__repr__().count("```{table}")
    assert len(doc.tables) == directives > 0
    captions = [p.text for p in doc.paragraphs if p.style.name == "Table Caption"]
    assert "表1-1 核心指标完成亮点" in captions and len(captions) == directives
    pictures = doc.element.body.findall(".//" + qn("wp:docPr"))
    assert len(pictures) == count_chart_outputs(built_2024.book)
    assert all(p.get("descr", "").startswith("图") for p in pictures)   # alt text: the chart's caption


@pytest.mark.build
def test_every_printed_paragraph_is_anchored(draft_2024):
    target, manifest = draft_2024
    paragraphs = reviewed.read(target).paragraphs
    placed = {n: a for n, a in manifest["anchors"].items()}
    body = [p for p in paragraphs if p.original.strip() and p.style not in ("Title", "Subtitle", "Author", "Date",
                                                                            "TOCHeading")]
    assert all(p.anchors for p in body), [p.original[:20] for p in body if not p.anchors][:5]
    quality = [p for p in paragraphs if "bc_01_quality_1" in p.anchors]
    assert quality[0].original.startswith("制造业增加值占比超目标。2024年北辰区规模以上工业总产值达1389.9亿元")
    spans = placed["bc_01_quality_1"]["paragraphs"][0]["placed"]["spans"]
    figures = [quality[0].original[s:e] for s, e, kind, _ in spans if kind == "figure"]
    assert "1389.9亿元" in figures and "303.89亿元" in figures   # numbers are the data's, not the text's
    assert reviewed.read(target).properties["beichen-fingerprint"] == manifest["fingerprint"]


@pytest.mark.pdf
def test_libreoffice_opens_and_sets_it(draft_2024, tmp_path):
    from tests import _libreoffice

    pdf = _libreoffice.to_pdf(draft_2024[0], tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) > 20
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    for family in ("FandolFang", "FandolHei", "FandolKai"):   # 仿宋 body, 黑体 and 楷体 headings
        assert family in fonts
    text = subprocess.run(["pdftotext", "-f", "3", "-l", "3", str(pdf), "-"], capture_output=True, text=True).stdout
    assert re.search(r"—\s*3\s*—", text)   # the page number field, set by LibreOffice as “— 3 —”
