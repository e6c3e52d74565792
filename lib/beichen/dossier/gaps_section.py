"""第五部分 缺失数据与待补充文字 of the 核查报告: the missing figures and pending passages, counted
as the landing page and the build log count them, and the 核查报告's own passages still to write."""
from __future__ import annotations

from pathlib import Path

from beichen import formatting as fmt
from beichen.dossier.outline import FINDINGS_CHAPTER
from beichen.dossier.wording import _bullets
from beichen.paths import folder_shown


def gap_summary(gaps: dict) -> dict:
    """The build's notes (lib/beichen/publish/build.py report_gaps) as every place counts them: distinct
    missing figures (one missing in two chapters is one) and pending passages. The landing page, the
    build log and the 核查报告 print the same counts."""
    missing = list(dict.fromkeys(gaps.get("missing", [])))
    pending = list(dict.fromkeys(gaps.get("pending", [])))
    return {"missing": missing, "pending": pending}


def own_pending(narrative_dir: Path, year: int) -> list[str]:
    """The 核查报告's own passages of the year (narrative/<year>/check.md) still to write: a new
    year's stubs (待更新) or empty passages. Until written, the 核查报告 shows the latest earlier
    edition's finding passages; they are counted apart from the report's pending passages."""
    from beichen.inputs.narrative import STUB, parse_passages
    from beichen.render.narrative import passage_label

    path = Path(narrative_dir) / str(year) / f"{FINDINGS_CHAPTER}.md"
    if not path.exists():
        return []
    passages = parse_passages(path.read_text(encoding="utf-8"))
    return [passage_label(FINDINGS_CHAPTER, name, order=list(passages))   # named in words, never by id
            for name, body in passages.items() if not body.strip() or STUB.match(body)]


class GapsPage:
    """The page 缺失数据与待补充文字 (a part of dossier.document.Dossier)."""

    def _pending_count(self) -> str:
        """The report's pending passages, and the 核查报告's own apart (they are not the report's)."""
        report = f"{len(self.summary['pending'])}段"
        own = len(self.own_pending)
        return f"报告正文{report}，核查报告本身另有{own}段" if own else report

    def gaps_page(self) -> str:
        missing, pending = self.summary["missing"], self.summary["pending"]
        own = self.own_pending
        lines = [f"# {self._heading('gaps')}", "",
                 f"缺失数据{len(missing)}项（报告中显示“{fmt.MISSING}”），报告正文待补充文字{len(pending)}段"
                 "（报告中显示“本年度文字待补充”）。网站首页和构建日志的计数与此相同。"
                 + (f"另有核查报告本身的待补充文字{len(own)}段（见下文（三）），不计入报告正文的计数。" if own else ""), "",
                 "## （一）缺失数据", "", _bullets(missing) if missing else "无。", "",
                 "## （二）待补充文字", "", _bullets(pending) if pending else "无。"]
        if own:
            lines += ["", "## （三）核查报告本身的待补充文字", "",
                      f"{folder_shown(self.data_dir)}/narrative/{self.year}/{FINDINGS_CHAPTER}.md 中以下{len(own)}段尚未按{self.year}年撰写"
                      "（仍有“待更新”行或为空），第一部分的"
                      + ("“原报告不一致之处”" if self.with_source else "不一致之处") + "在写好之前沿用最近一版的文字：", "",
                      _bullets(own)]
        return "\n".join(lines)
