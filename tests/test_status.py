"""Draft until signed (lib/beichen/audit/status.py): the sign-off file, the status and where it is shown.

Fast tests here; the builds (2024 as 征求意见稿, a resolved and signed copy as 定稿) are in
tests/test_status_build.py.
"""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

from beichen.audit.findings import Finding, Resolution
from beichen.paths import DATA_DIR, REPO_ROOT
from beichen.audit import status as st
from beichen.publish import status as staging

SIGNED = """\
signoffs:
  - edition: 2024
    reviewer: 张三
    approver: 李四
    date: 2025-11-20
"""


def write_signoff(data_dir: Path, text: str) -> Path:
    path = data_dir / "meta" / "signoff.yml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def meta_copy(tmp_path) -> Path:
    """data/meta alone (the plan is what load_signoffs reads besides signoff.yml)."""
    shutil.copytree(DATA_DIR / "meta", tmp_path / "data" / "meta")
    return tmp_path / "data"


def finding(fid: str, resolved: bool = False) -> Finding:
    resolution = Resolution(fid, 2024, "keep", "理由", note="注") if resolved else None
    return Finding(fid, "数据核查", f"标题{fid}", "细节", (), resolution)


# --- data/meta/signoff.yml ---------------------------------------------------------------------------

def test_the_repository_records_no_sign_off_for_2024():
    assert st.load_signoffs(DATA_DIR) == {}
    raw = yaml.safe_load((DATA_DIR / "meta" / "signoff.yml").read_text(encoding="utf-8"))
    assert raw == {"signoffs": []}


def test_a_sign_off_is_read(meta_copy):
    write_signoff(meta_copy, SIGNED.replace("2025-11-20", "2025-11-20\n    pdf_sha256: " + "AB" * 32))
    signoff = st.load_signoffs(meta_copy)[2024]
    assert (signoff.reviewer, signoff.approver, signoff.date) == ("张三", "李四", "2025-11-20")
    assert signoff.pdf_sha256 == "ab" * 32 and signoff.line == 2


def test_a_missing_file_means_no_sign_off(meta_copy):
    (meta_copy / "meta" / "signoff.yml").unlink(missing_ok=True)
    assert st.load_signoffs(meta_copy) == {}


@pytest.mark.parametrize("change, words", [
    (("date: 2025-11-20", "date: 2025-13-01"), ["date", "“2025-13-01”", "YYYY-MM-DD"]),
    (("date: 2025-11-20", "date: 2025/11/20"), ["date", "“2025/11/20”", "YYYY-MM-DD"]),
    (("date: 2025-11-20", "date: 2025年11月"), ["date", "“2025年11月”", "YYYY-MM-DD"]),
    (("    approver: 李四\n", ""), ["缺少字段“approver”", "签发人"]),
    (("    reviewer: 张三\n", "    reviewer: ''\n"), ["缺少字段“reviewer”", "审核人"]),
    (("edition: 2024", "edition: 2019"), ["edition", "“2019”", "不是已知的版本", "2021–2025"]),
    (("edition: 2024", "edition: 二〇二四"), ["edition", "“二〇二四”", "年份"]),
    (("    approver: 李四\n", "    aprover: 李四\n"), ["未知字段“aprover”", "approver"]),
    (("date: 2025-11-20", "date: 2025-11-20\n    pdf_sha256: abc"), ["pdf_sha256", "“abc”", "64位十六进制"]),
])
def test_a_malformed_entry_names_file_entry_field_value_and_what_was_expected(meta_copy, change, words):
    write_signoff(meta_copy, SIGNED.replace(*change))
    with pytest.raises(st.SignOffError) as err:
        st.load_signoffs(meta_copy)
    message = str(err.value)
    assert message.startswith("data/meta/signoff.yml: 第1条签发记录（第2行）"), message
    for word in words:
        assert word in message, (word, message)


def test_two_sign_offs_of_one_edition(meta_copy):
    write_signoff(meta_copy, SIGNED + SIGNED.split("\n", 1)[1])
    with pytest.raises(st.SignOffError, match=r"第2条签发记录（第6行）: 2024年版的签发记录重复（第2行已有）"):
        st.load_signoffs(meta_copy)


@pytest.mark.parametrize("text, words", [
    ("signoffs:\n  - edition: 2024\n   reviewer: x\n", ["YAML"]),
    ("signoffs: 2024\n", ["应为列表"]),
    ("signoff: []\n", ["未知的键“signoff”"]),
    ("signoffs:\n  - 2024\n", ["第1条", "应为键值对"]),
])
def test_a_malformed_file(meta_copy, text, words):
    write_signoff(meta_copy, text)
    with pytest.raises(st.SignOffError) as err:
        st.load_signoffs(meta_copy)
    assert str(err.value).startswith("data/meta/signoff.yml")
    for word in words:
        assert word in str(err.value)


# --- the status -----------------------------------------------------------------------------------------

SIGNOFF = st.SignOff(2024, "张三", "李四", "2025-11-20")


def test_open_findings_make_a_draft_and_each_is_named():
    s = st.edition_status(2024, [finding("a"), finding("b", resolved=True), finding("c")], [], {})
    assert s.label == st.DRAFT and not s.final and s.resolved == 1
    assert s.reasons[:2] == ["未解决的核查发现2项", "尚无审核签发记录（data/meta/signoff.yml）"]
    log = "\n".join(s.lines())
    assert log.startswith("本版为征求意见稿：未解决的核查发现2项")
    assert "[数据核查] 标题a（a）" in log and "标题c（c）" in log and "标题b" not in log


def test_pending_passages_make_a_draft():
    s = st.edition_status(2024, [], ["02_industry.md 的段落“x”"], {2024: SIGNOFF})
    assert s.label == st.DRAFT
    assert "待补充文字1段" in s.reasons
    assert any("不适用" in r for r in s.reasons), s.reasons  # signed too early: said so
    assert "02_industry.md 的段落“x”" in "\n".join(s.lines())


def test_the_checking_reports_own_pending_passages_make_a_draft():
    # the analyst signs the edition off with the 核查报告: it too must be whole
    s = st.edition_status(2025, [], [], {2025: SIGNOFF}, review_pending=["核查报告：第（3）项发现的说明"])
    assert s.label == st.DRAFT
    assert "核查报告待补充文字1段" in s.reasons and any("不适用" in r for r in s.reasons)


def test_no_sign_off_makes_a_draft():
    s = st.edition_status(2024, [finding("a", resolved=True)], [], {2023: SIGNOFF})
    assert s.label == st.DRAFT and s.reasons == ["尚无审核签发记录（data/meta/signoff.yml）"]


def test_resolved_and_signed_is_final():
    s = st.edition_status(2024, [finding("a", resolved=True)], [], {2024: SIGNOFF})
    assert s.final and s.label == st.FINAL and s.reasons == []
    assert s.lines() == ["本版为定稿：审核人张三，签发人李四，签发日期2025-11-20"]


def test_the_pdf_approved_must_be_the_pdf_built(tmp_path):
    pdf = tmp_path / "report-2024.pdf"
    pdf.write_bytes(b"%PDF-1.5 the approved bytes")
    sha = hashlib.sha256(pdf.read_bytes()).hexdigest()
    signed = st.SignOff(2024, "张三", "李四", "2025-11-20", sha)
    same = st.edition_status(2024, [], [], {2024: signed}).with_pdf(pdf)
    assert same.final and same.pdf_built and same.pdf_sha256 == sha
    pdf.write_bytes(b"%PDF-1.5 other bytes")
    other = st.edition_status(2024, [], [], {2024: signed}).with_pdf(pdf)
    assert not other.final and other.label == st.DRAFT
    assert any("签发批准的是另一份文件" in r and sha in r for r in other.reasons), other.reasons
    # no SHA-256 recorded: any PDF of a final edition is the one the 核查报告 names
    unpinned = st.edition_status(2024, [], [], {2024: SIGNOFF}).with_pdf(pdf)
    assert unpinned.final and unpinned.pdf_sha256 == hashlib.sha256(pdf.read_bytes()).hexdigest()
    # no PDF built (HTML only): final, and the 核查报告 says the PDF was not built
    html_only = st.edition_status(2024, [], [], {2024: signed}).with_pdf(None)
    assert html_only.final and not html_only.pdf_built
    assert any("未生成 report-2024.pdf" in line for line in st.dossier_block(html_only))


def test_dossier_block_draft_and_final(tmp_path):
    draft = st.edition_status(2024, [finding("a")], ["p1"], {})
    text = "\n".join(st.dossier_block(draft))
    assert "**本版状态：征求意见稿**" in text and "1. [数据核查] 标题a（a）" in text and "1. p1" in text
    pdf = tmp_path / "report-2024.pdf"
    pdf.write_bytes(b"%PDF")
    sha = hashlib.sha256(b"%PDF").hexdigest()
    final = st.edition_status(2024, [finding("a", True)], [], {2024: SIGNOFF}).with_pdf(pdf)
    text = "\n".join(st.dossier_block(final))
    assert "**本版状态：定稿**" in text
    for word in ("审核人：张三", "签发人：李四", "签发日期：2025-11-20", "report-2024.pdf"):
        assert word in text
    assert sha in text.replace(" ", "")


def test_the_status_is_staged_into_the_book_config(tmp_path):
    book = tmp_path / "book"
    book.mkdir()
    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
    (book / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    draft = st.edition_status(2024, [finding("a")], [], {})
    staging.stage(book, draft)
    staged = yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["config"]
    assert staged["beichen_site"]["status"] == "征求意见稿"
    assert staged["latex_elements"]["preamble"].splitlines() == [staging.LATEX_PACKAGE, r"\beichensetstatus{征求意见稿}"]
    before = (book / "_config.yml").read_bytes()
    staging.stage(book, draft)  # the same status: the same bytes
    assert (book / "_config.yml").read_bytes() == before
    staging.stage(book, st.edition_status(2024, [], [], {2024: SIGNOFF}))
    staged = yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["config"]
    assert staged["beichen_site"]["status"] == "定稿"
    assert staged["latex_elements"]["preamble"] == staging.LATEX_PACKAGE


def test_the_print_style_defines_the_mark():
    sty = (REPO_ROOT / "latex" / "beichen-report.sty").read_text(encoding="utf-8")
    assert r"\newcommand\beichensetstatus" in sty and "shipout/background" in sty
    assert r"\beichenstatus" in (REPO_ROOT / "latex" / "beichen-titlepage.ltx").read_text(encoding="utf-8")


# --- where it is shown ------------------------------------------------------------------------------------

def test_contents_page_and_landing_page_say_draft_or_final(tmp_path):
    from beichen.site import landing as editions
    from beichen.site.contents_page import write_edition_index

    book, html_dir = tmp_path / "book", tmp_path / "html"
    book.mkdir(), html_dir.mkdir()
    (book / "_toc.yml").write_text("format: jb-book\nroot: chapters/00_summary\n", encoding="utf-8")
    for label, banner in (("征求意见稿", True), ("定稿", False)):
        config = {"title": "报告（2024年）", "sphinx": {"config": {"beichen_site": {"status": label}}}}
        (book / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        page = write_edition_index(html_dir, 2024, book).read_text(encoding="utf-8")
        assert ('aria-label="版本状态"' in page and "征求意见稿" in page) == banner
    page = editions.landing_page([{"year": 2025, "status": "征求意见稿"}, {"year": 2024, "status": "定稿"}], "报告")
    assert '<span class="status draft">征求意见稿</span>' in page
    assert '<span class="status final">定稿</span>' in page


def test_every_page_gets_the_banner_through_the_theme_announcement(tmp_path):
    from types import SimpleNamespace

    from beichen.site import ui as site_ui

    def config_for(status):
        return SimpleNamespace(templates_path=[], html_static_path=[], html_theme_options={}, html_context={},
                               beichen_site={"status": status}, html_favicon=None, html_use_index=True,
                               html_copy_source=True)

    app = SimpleNamespace(srcdir=str(tmp_path))
    draft = config_for("征求意见稿")
    site_ui._on_config_inited(app, draft)
    assert "征求意见稿" in draft.html_theme_options["announcement"]
    assert "本版尚未审核签发" in draft.html_theme_options["announcement"]
    final = config_for("定稿")
    site_ui._on_config_inited(app, final)
    assert "announcement" not in final.html_theme_options
    css = (tmp_path / site_ui.STATIC_DIR / "beichen-ui.css").read_text(encoding="utf-8")
    assert ".bd-header-announcement" in css


def contrast(a: str, b: str) -> float:
    def lum(h):
        c = [int(h[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_banner_colours_have_contrast():
    from beichen.render.identity import BRAND
    from beichen.site.assets import read

    draft_css = read("draft.css")
    assert "#fff4dc" in draft_css and "#3d1a00" in draft_css and "var(--beichen-brand)" in draft_css
    assert contrast("#3d1a00", "#fff4dc") >= 4.5
    assert contrast("#ffffff", BRAND) >= 4.5  # the mark: white on the brand colour
    assert contrast("#1d5c2e", "#ffffff") >= 4.5  # the landing page's 定稿 label


def test_make_validate_checks_the_sign_offs(data_copy, capsys):
    from beichen.inputs import validate

    write_signoff(data_copy, SIGNED.replace("edition: 2024", "edition: 2030"))
    assert validate.main([str(data_copy)]) == 1
    out = capsys.readouterr().out
    assert "data/meta/signoff.yml: 第1条签发记录（第2行）: 字段“edition”的值“2030”不是已知的版本" in out
    write_signoff(data_copy, SIGNED)
    assert validate.main([str(data_copy)]) == 0
