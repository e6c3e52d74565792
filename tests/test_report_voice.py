"""The report speaks as the district: no remarks on “the original report”, no file names, ids or
program words; it keeps the source's headings and subtitles; its appendix is short and public."""
import re
import subprocess

import pytest
import yaml
from bs4 import BeautifulSoup

from beichen.paths import DATA_DIR, REPO_ROOT

SOURCE = REPO_ROOT.parent / "shared" / "source" / "000_bca0e5e0cc621ee0.txt"
FORBIDDEN = ["原报告", "本报告", ".csv", "数据核查", "核查结果"]
# ASCII identifiers: snake_case ids, file names, code (R&D, GDP, 5G are ordinary report words).
ASCII_ID = re.compile(r"\b[a-z]+_[a-z0-9_]+\b|\b\w+\.(?:csv|py|ipynb|yml)\b|\bstated_|\bmin\(")
CHAPTER_NUMERALS = "一二三四五"


def _page_text(path) -> str:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article") or soup
    for tag in article(["script", "style"]):
        tag.decompose()
    return " ".join(article.get_text(" ").split())


@pytest.fixture(scope="module")
def page_texts(built_2024):
    pages = sorted((built_2024.html / "chapters").glob("*.html"))
    assert len(pages) == 7
    return {p.stem: _page_text(p) for p in pages}


@pytest.fixture(scope="module")
def pdf_text(built_2024):
    pdf = built_2024.html / "report-2024.pdf"
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def source_headings() -> list[str]:
    """Every heading of the source's chapters, as printed (chapter numbers 四, 五 corrected: the
    source repeats 二、 and 三、), from the source text itself."""
    lines = [l.strip().removeprefix("[bookmark: _GoBack]") for l in SOURCE.read_text(encoding="utf-8").splitlines()]
    headings, chapter = [], 0
    for line in lines:
        if re.match(rf"^[{CHAPTER_NUMERALS}]、", line):
            chapter += 1
            headings.append(CHAPTER_NUMERALS[chapter - 1] + line[1:])
        elif re.match(r"^（[一二三四五]）", line):
            headings.append(line)
        elif re.match(r"^\d\.[^。]{2,24}。?$", line):  # “1.质量效益：实体经济根基持续夯实”, “2.实施评价。”
            headings.append(line.rstrip("。"))
    return headings


def test_the_source_headings_are_found():
    headings = source_headings()
    assert "一、“十四五”总体目标指标完成情况" in headings
    assert "（一）完成情况：五大维度均现显著突破" in headings
    assert "4.数字经济：智能制造与场景应用双突破" in headings
    assert "四、规划实施面临的主要问题和风险挑战" in headings and "五、进一步推进规划实施的对策建议" in headings
    assert len(headings) == 29


@pytest.mark.build
def test_every_heading_and_subtitle_of_the_source_is_in_the_2024_edition(page_texts):
    text = " ".join(page_texts.values())
    missing = [h for h in source_headings() if h not in text.replace(" ", "")]
    assert missing == []


@pytest.mark.build
def test_run_in_subtitles_are_kept_or_listed_as_departures(page_texts):
    """The bold leads of 一(一) (“制造业增加值占比超目标。”) are the source's, or a departure with a reason
    (data/meta/departures.yml, or a resolution that rewrites them: data/meta/resolutions.yml)."""
    departures = yaml.safe_load((DATA_DIR / "meta" / "departures.yml").read_text(encoding="utf-8"))["departures"]
    resolutions = yaml.safe_load((DATA_DIR / "meta" / "resolutions.yml").read_text(encoding="utf-8"))["resolutions"]
    departed = [d.get("source", "") for d in departures] + [r.get("text", "") for r in resolutions
                                                            if r.get("action") in ("replace", "remove")]
    source = SOURCE.read_text(encoding="utf-8")
    part = source[source.index("（一）完成情况"):source.index("（二）主要指标完成情况")]
    leads = [m.group(1) for m in re.finditer(r"^([^\d（\s][^。，；]{3,20})。", part, re.M)]
    assert len(leads) == 10
    text = page_texts["01_targets"].replace(" ", "")
    for lead in leads:
        assert lead in text or any(lead in words for words in departed), lead


@pytest.mark.build
def test_the_report_pages_speak_in_the_districts_voice(page_texts):
    for name, text in page_texts.items():
        for word in FORBIDDEN:
            assert word not in text, (name, word)
        assert not ASCII_ID.findall(text), (name, ASCII_ID.findall(text)[:5])


@pytest.mark.build
@pytest.mark.pdf
def test_the_pdf_speaks_in_the_districts_voice_and_its_appendix_is_short(pdf_text):
    for word in FORBIDDEN:
        assert word not in pdf_text, word
    assert not ASCII_ID.findall(pdf_text), ASCII_ID.findall(pdf_text)[:5]
    pages = pdf_text.split("\f")
    appendix = [i for i, page in enumerate(pages) if "附录" in page and "指标说明" in page]
    assert appendix, "no appendix"
    assert len(pages) - appendix[-1] <= 5  # a few pages: definitions, methods, sources


@pytest.mark.build
def test_progress_that_explodes_is_said_in_points(page_texts):
    # 制造业增加值占比: base 36.6, target 37 (source 一(二)表): (39.8 − 36.6) ÷ 0.4 = 800% is not
    # printed; the target is exceeded by 39.8 − 37 = 2.8 points.
    text = page_texts["01_targets"]
    assert "800.0%" not in text and "已超出目标2.8个百分点" in text
