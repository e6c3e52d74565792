"""The 核查报告's first page: what the document is, the edition's status (征求意见稿 or 定稿 with
its sign-off), and a summary line per part with the part it is in."""
from __future__ import annotations

from beichen.audit import checks as audit
from beichen.dossier.outline import TITLE
from beichen.dossier.wording import _esc


class IndexPage:
    """The page 核查报告 (index; a part of dossier.document.Dossier)."""

    # index
    def index(self) -> str:
        if not self.with_source:
            return self._own_index()
        counts = audit.verdict_counts(self.checks)
        lines = [
            f"# {TITLE}（{self.year}年版）", "",
            f"本文件是《{self.data.plan.report_title}》{self.year}年版的核查报告，供审核签发使用，"
            "不属于报告正文，不对外发布。报告正文只写采用的数值；每一处与原报告不同的取舍、每个数字的数据来源、"
            "数据核查的全部结果和证据都列在这里。", "",
            # No heading here: in the PDF a section of the root page would swallow the chapters.
            *self._status_block(),
            "**概要**", "",
            f"- 数据核查：共{len(self.checks)}项，" + "，".join(f"{v}{n}项" for v, n in counts.items() if n) + "（见第一部分）",
            f"- 与原报告的差异：{self._departures_count()}（见第二部分）",
            *self._summary_tail(),
        ]
        return "\n".join(lines)

    def _own_index(self) -> str:
        """The index of an edition with no source report: what was checked, part by part."""
        indicators = self.edition.indicators()
        lines = [
            f"# {TITLE}（{self.year}年版）", "",
            f"本文件是《{self.data.plan.report_title}》{self.year}年版的核查报告，供审核签发使用，"
            "不属于报告正文，不对外发布。报告正文只写采用的数值；数据核查的计算和依据、每个数字的数据来源、"
            "缺失数据和待补充文字、输入文件的校验值、正文表述的核查结果都列在这里。", "",
            *self._status_block(),
            "**概要**", "",
            f"- 数据核查：评价指标{len(indicators)}项，逐项复算完成度、进展和序时进度"
            + (f"；另有登记的核查{len(self.checks)}项" if self.checks else "") + self._see("audit"),
            *self._summary_tail(),
        ]
        return "\n".join(lines)

    def _summary_tail(self) -> list[str]:
        """The index's summary lines after the audit's (and the source comparison's), each with its part."""
        return [
            "- 与上年版相比变化的数字：" + ("本版为规划期首个评估版本，无上年版可比" if self.changes is None
                                   else f"{len(self.changes)}个{self._see('changes')}"),
            *([f"- 本版修订的往年数字：{len(self.revisions)}个{self._see('changes')}"] if not self.revisions.empty else []),
            f"- 缺失数据：{len(self.summary['missing'])}项；待补充文字：{self._pending_count()}{self._see('gaps')}",
            f"- 成文日期：{self.issue_date}", "",
            "```{tableofcontents}\n```",
        ]

    def _status_block(self) -> list[str]:
        """征求意见稿 with what keeps it one, or 定稿 with the sign-off and the PDF's SHA-256."""
        from beichen.audit.status import dossier_block

        return dossier_block(self.status, _esc) if self.status is not None else []
