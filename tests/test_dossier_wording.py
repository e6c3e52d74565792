"""How the 核查报告 sets text (lib/beichen/dossier/wording.py): escaping, nested quotations."""
from __future__ import annotations

from beichen.dossier import document as dz
from beichen.dossier import wording
from _dossier_fixtures import dossier_2024  # noqa: F401  (fixtures)


def test_a_line_break_in_a_reason_cannot_start_a_code_block_or_drop_lines(report_data, data_copy):
    """Issue 21: a newline in a departure's reason dropped lines and turned the rest into a code block.
    The reason is one line of text on the page, every word of it kept."""
    from markdown_it import MarkdownIt

    path = data_copy / "meta" / "departures.yml"
    reason = "第一行\n\n```\n第二行 `代码`\n    第三行缩进\n- 第四行"
    path.write_text(path.read_text(encoding="utf-8") + "  - edition: 2024\n    kind: removed\n    where: 一(一)1\n"
                    "    source: 某段\n    reason: |\n" + "".join(f"      {line}\n" for line in reason.splitlines()),
                    encoding="utf-8")
    page = dz.Dossier(report_data, 2024, data_copy, data_copy / "narrative", {"missing": [], "pending": []},
                      "2025年11月").departures_page()
    tokens = MarkdownIt("commonmark").parse(page)
    assert not [t for t in tokens if t.type in ("fence", "code_block", "html_block")]
    text = " ".join(t.content for t in tokens if t.type == "inline")
    line = next(t.content for t in tokens if t.type == "inline" and "第一行" in t.content)
    for word in ("第一行", "第二行", "第三行缩进", "第四行"):
        assert word in line, word
    assert "第四行" in text


def test_a_quotation_inside_a_quotation_takes_single_marks():
    """GB/T 15834-2011 4.1.3: a quotation inside a quotation in ‘’, one inside that in “” again."""
    assert wording.nest_quotes("改写：““小巨人”企业累计20家”改为“19家”") == "改写：“‘小巨人’企业累计20家”改为“19家”"
    assert wording.nest_quotes("“甲‘乙“丙”乙’甲”") == "“甲‘乙“丙”乙’甲”"          # already right: unchanged
    assert wording.nest_quotes("“甲“乙“丙”乙”甲”") == "“甲‘乙“丙”乙’甲”"          # three levels
    assert wording.nest_quotes("一行“甲”\n二行“乙“丙”乙”") == "一行“甲”\n二行“乙‘丙’乙”"  # line by line
    # marks that do not pair up (an excerpt cut inside a quotation): left as they are
    assert wording.nest_quotes("原报告：“…筑牢基础。") == "原报告：“…筑牢基础。"
    assert wording.nest_quotes("甲”乙“丙") == "甲”乙“丙"


def test_the_pages_nest_their_quotations(dossier_2024):
    for name, page in dossier_2024.pages().items():
        for line in page.split("\n"):
            depth = 0
            for ch in line:
                if ch == "“":
                    assert depth % 2 == 0, (name, line)   # never “ directly inside “
                depth += ch in "“‘"
                depth -= ch in "”’"


def test_no_table_cell_holds_markdown_emphasis(dossier_2024):
    for name, page in dossier_2024.pages().items():
        rows = [line for line in page.split("\n") if line.startswith("| ")]
        assert not any("\\*\\*" in row or "**" in row for row in rows), name
