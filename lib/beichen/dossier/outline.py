"""The 核查报告's outline: its title, its parts (one page each) with their headings, the name of its
PDF, and the data files it reads beside the edition's (departures.yml, the finding passages)."""
from __future__ import annotations

from pathlib import Path


TITLE = "核查报告"
DEPARTURES = Path("meta") / "departures.yml"
# The chapter whose narrative holds the finding passages (finding-<check_id>) of the audit.
FINDINGS_CHAPTER = "check"  # data/narrative/<year>/check.md: the 核查报告's passages, not the report's

PAGES = [  # file name (ASCII) → heading
    ("index", "核查报告"),
    ("audit", "一、数据核查"),
    ("departures", "二、与原报告及上年版的差异"),
    ("changes", "三、与上年版相比变化的数字"),
    ("provenance", "四、数字来源"),
    ("gaps", "五、缺失数据与待补充文字"),
    ("inputs", "六、输入文件校验值与构建信息"),
    ("claims", "七、表述核查与处理决定"),
]
# The parts of the 核查报告 of a plan with no source report (its data are the plan's own, entered
# year by year): the same parts without the comparison with a source, numbered on.
SOURCE_ONLY = ("departures",)
NUMERALS = "一二三四五六七八九十"


def page_list(with_source: bool) -> list[tuple[str, str]]:
    """(file name, heading) of each page: PAGES, or without the source's parts, renumbered."""
    if with_source:
        return PAGES
    kept = [(name, heading.split("、", 1)[-1]) for name, heading in PAGES if name not in SOURCE_ONLY]
    return [kept[0]] + [(name, f"{NUMERALS[n - 1]}、{heading}") for n, (name, heading) in enumerate(kept[1:], 1)]


def pdf_name(year: int) -> str:
    return f"dossier-{year}.pdf"
