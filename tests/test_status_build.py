"""Draft until signed, on built editions: the 2024 edition as the repository holds it is a 征求意见稿
on every page, PDF page, the landing page and the 核查报告; a copy of the data with every finding
resolved and a sign-off recorded builds as a 定稿 whose 核查报告 names the sign-off and the SHA-256 of
the very PDF built; a sign-off that recorded other bytes does not hold.
"""
from __future__ import annotations

import hashlib
import inspect
import json
import re
from pathlib import Path

import pytest
import yaml

from beichen.audit.ledger import edition_findings
from beichen.inputs.loading import load_all
from beichen.model.edition import Edition
from beichen.paths import DATA_DIR
from beichen.audit import status as st

pytestmark = pytest.mark.build

BANNER = 'aria-label="版本状态"'


def html_pages(edition_dir: Path) -> list[Path]:
    """Every HTML page of the published report (not the 核查报告, wherever it is published)."""
    return [p for p in sorted(edition_dir.rglob("*.html"))
            if not any(part == "check" or part.startswith("_") for part in p.relative_to(edition_dir).parts)]


def dossier_index(site: Path, year: int) -> str:
    """The 核查报告's first page: review/<year>/ beside the site, or (earlier layout) <year>/check/."""
    for path in (site.parent / "review" / str(year) / "index.html", site / str(year) / "check" / "index.html"):
        if path.exists():
            return path.read_text(encoding="utf-8")
    raise AssertionError(f"no 核查报告 beside {site}")


def pdf_pages_text(pdf: Path) -> list[str]:
    pymupdf = pytest.importorskip("pymupdf")
    return [page.get_text() for page in pymupdf.open(str(pdf))]


def build(year: int, data_dir: Path, root: Path, pdf: bool = True, staging: Path | None = None) -> Path:
    """Build into root/site and root/review; the work folder is root/staging unless `staging` (a warm copy) is given."""
    from beichen.publish.build import build_report

    extra = {"review_dir": root / "review"} if "review_dir" in inspect.signature(build_report).parameters else {}
    build_report(year, data_dir, data_dir / "narrative", root / "site", staging or root / "staging", pdf=pdf, **extra)
    return root / "site"


def test_2024_builds_as_a_draft_everywhere(built_2024, report_data):
    edition = built_2024.html
    pages = html_pages(edition)
    assert len(pages) >= 8
    missing = [p.name for p in pages if BANNER not in p.read_text(encoding="utf-8")
               or "征求意见稿" not in p.read_text(encoding="utf-8")]
    assert not missing, f"pages without the 征求意见稿 banner: {missing}"
    assert json.loads((edition / "edition.json").read_text(encoding="utf-8"))["status"] == "征求意见稿"
    assert '<span class="status draft">征求意见稿</span>' in (built_2024.site / "index.html").read_text(encoding="utf-8")
    texts = pdf_pages_text(built_2024.pdf)
    assert "（征求意见稿）" in texts[0], "the cover names the draft"
    # every printed page carries the mark; the pages left blank for two-sided printing (the backs of the
    # cover and of the 目录, issue 24) print nothing at all
    unmarked = [n for n, text in enumerate(texts, start=1) if "征求意见稿" not in text and text.strip()]
    assert not unmarked, f"PDF pages without the mark: {unmarked}"
    assert [n for n, text in enumerate(texts, start=1) if not text.strip()] == [2, 4]
    # The 核查报告 lists exactly the findings still open, and why the edition is a draft.
    findings, _ = edition_findings(Edition(report_data, 2024), DATA_DIR, built_2024.book)
    status = st.edition_status(2024, findings, [], st.load_signoffs(DATA_DIR))
    assert not status.final
    index = dossier_index(built_2024.site, 2024)
    assert "本版状态：征求意见稿" in index
    for f in status.open_findings:
        assert f.finding_id in index, f.finding_id
    if status.open_findings:
        assert f"未解决的核查发现{len(status.open_findings)}项" in index


def add_resolutions_and_signoff(data_dir: Path, book: Path, pdf_sha256: str = "") -> int:
    """Resolve (keep, with a note) every finding open in `book`'s text and record a sign-off."""
    data = load_all(data_dir)
    findings, _ = edition_findings(Edition(data, 2024), data_dir, book)
    path = data_dir / "meta" / "resolutions.yml"
    raw = (yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None) or {}
    entries = list(raw.get("resolutions") or [])
    opened = [f for f in findings if f.open]
    entries += [{"finding": f.finding_id, "edition": 2024, "action": "keep", "note": "经核查，保留原文。",
                 "reason": "测试：逐项保留原文并加注"} for f in opened]
    path.write_text(yaml.safe_dump({"resolutions": entries}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    signoff = {"edition": 2024, "reviewer": "张审核", "approver": "李签发", "date": "2025-11-20"}
    if pdf_sha256:
        signoff["pdf_sha256"] = pdf_sha256
    (data_dir / "meta" / "signoff.yml").write_text(
        yaml.safe_dump({"signoffs": [signoff]}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return len(opened)


def set_pdf_sha256(data_dir: Path, sha: str) -> None:
    path = data_dir / "meta" / "signoff.yml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["signoffs"][0]["pdf_sha256"] = sha
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_resolved_and_signed_builds_as_final_with_the_pdfs_sha256(built_2024, data_copy, tmp_path, capsys,
                                                                  warm_staging):
    add_resolutions_and_signoff(data_copy, built_2024.book)
    site = build(2024, data_copy, tmp_path / "out", staging=warm_staging)
    log = capsys.readouterr().out
    edition = site / "2024"
    pdf = edition / "report-2024.pdf"
    sha = hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert "本版为定稿：审核人张审核，签发人李签发，签发日期2025-11-20" in log, log[-3000:]
    assert sha in log
    assert json.loads((edition / "edition.json").read_text(encoding="utf-8"))["status"] == "定稿"
    assert '<span class="status final">定稿</span>' in (site / "index.html").read_text(encoding="utf-8")
    marked = [p.name for p in html_pages(edition) if BANNER in p.read_text(encoding="utf-8")]
    assert not marked, f"a 定稿 has no draft banner: {marked}"
    assert not any("征求意见稿" in text for text in pdf_pages_text(pdf))
    index = dossier_index(site, 2024)
    assert "本版状态：定稿" in index
    for word in ("审核人：张审核", "签发人：李签发", "签发日期：2025-11-20", "report-2024.pdf"):
        assert word in index, word
    assert sha in re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", index)), "the 核查报告 names the PDF built"

    # The approver records the SHA-256 of that PDF: the same inputs build the same bytes, still a 定稿.
    set_pdf_sha256(data_copy, sha)
    build(2024, data_copy, tmp_path / "out", staging=warm_staging)
    log = capsys.readouterr().out
    assert hashlib.sha256(pdf.read_bytes()).hexdigest() == sha
    assert "本版为定稿" in log and "征求意见稿" not in log
    assert "与签发记录所载的SHA-256一致" in dossier_index(site, 2024)

    # A sign-off of other bytes does not hold: the build says so and the edition is a draft again.
    set_pdf_sha256(data_copy, "0" * 64)
    build(2024, data_copy, tmp_path / "out", staging=warm_staging)
    log = capsys.readouterr().out
    assert "签发批准的是另一份文件" in log and "本版为征求意见稿" in log
    assert json.loads((edition / "edition.json").read_text(encoding="utf-8"))["status"] == "征求意见稿"
    assert all(BANNER in p.read_text(encoding="utf-8") for p in html_pages(edition))
    assert "征求意见稿" in pdf_pages_text(pdf)[0]
    index = dossier_index(site, 2024)
    assert "本版状态：征求意见稿" in index and "签发批准的是另一份文件" in index


def test_a_malformed_signoff_stops_the_build_and_names_the_entry(data_copy, tmp_path):
    from beichen.errors import BuildError

    (data_copy / "meta" / "signoff.yml").write_text(
        "signoffs:\n  - edition: 2024\n    reviewer: 张三\n    approver: 李四\n    date: 2025-02-30\n", encoding="utf-8")
    with pytest.raises(BuildError, match=r"data/meta/signoff.yml: 第1条签发记录（第2行）: 字段“date”.*“2025-02-30”.*YYYY-MM-DD"):
        build(2024, data_copy, tmp_path / "out", pdf=False)
    assert not (tmp_path / "out" / "site" / "2024").exists()
