"""第七部分 表述核查与处理决定 of the 核查报告: every finding of the edition (the audit's and the
claims ledger's) with what the edition does about it, and the reviewers' comments brought back by
`make review` with what was done with each."""
from __future__ import annotations

from beichen.dossier.outline import NUMERALS
from beichen.dossier.wording import _esc, _reason
from beichen.paths import folder_shown
from beichen.render.tables import markdown_table


class ClaimsSection:
    """The page 表述核查与处理决定 (a part of dossier.document.Dossier)."""

    def claims_page(self) -> str:
        """Every finding of the edition with what the edition does about it, and the claims ledger's
        coverage: how many statements of each kind it tied to a figure, and what it cannot see."""
        from beichen.audit import claims as ledger_rules

        lines = [f"# {self._heading('claims')}", ""]
        if self.review is None:
            return "\n".join(lines + ["本次构建未读取正文（无表述核查结果）。"])
        findings = self.review.findings
        counts: dict[str, int] = {}
        for c in self.review.claims:
            counts[c.kind] = counts.get(c.kind, 0) + 1
        lines += ["构建时从本版正文（标题、段落、表格各行、图题、图中文字和图示说明）读出每一处断言数字、比较或判断的表述，"
                  "与所说的数量挂钩，并按版本数据逐一核对："
                  + "、".join(f"{ledger_rules.KIND_WORDS[k]}{n}处" for k, n in counts.items()) + "；"
                  "另核对同一页中自称“并非预测”而又称“预测”的用语，以及表中判断用语是否在计算方法中定义。"
                  "同一数量的两处表述数值不同、用词与数字不符（如3.1倍称“翻倍”），均列为核查发现。", "",
                  f"**无法核对的表述**：用数据和 {folder_shown(self.data_dir)}/meta/claims.yml 均未收录的名称指称的数量；"
                  "与全市或外地的比较（如“位居全市第一”）；定性判断（如“协同效应显著”），由核查人员通读判断，"
                  f"其中前后矛盾者登记在 {folder_shown(self.data_dir)}/meta/audit.yml 的 text_tensions。", "",
                  f"## （一）核查发现及本版的处理（共{len(findings)}项，未处理{sum(f.open for f in findings)}项）", ""]
        if not findings:
            lines.append("无。")
        for n, f in enumerate(findings, start=1):
            r = f.resolution
            # A heading of the level under （一） (“1.”), kept with what follows it in print; as a
            # Markdown list its numbers hung into the margin by their width.
            lines += [f"### {n}.{_esc(f.title)}", "",
                      f"发现（{_esc(f.kind)}）：{_esc(f.detail)}", "",
                      "本版的处理：" + (f"{_esc(r.summary)}" if r else "**尚未处理**（本版因此为征求意见稿）"), "",
                      *([f"{_reason(r)}（{folder_shown(self.data_dir)}/meta/resolutions.yml 第{r.line}行）", ""] if r else [])]
        if self.review.stale:
            lines += ["## （二）不对应任何核查发现的处理决定", ""]
            lines += [f"- {_esc(r.finding)}（第{r.line}行）：本版已无此发现，该条决定未用" for r in self.review.stale]
        return "\n".join(lines + self._comments_section(3 if self.review.stale else 2))

    def _comments_section(self, n: int) -> list[str]:
        """（n）征求意见处理: the reviewers' comments and changes brought back by `make review` and what was
        done with each (lib/beichen/word/decisions.py); nothing while the edition has none recorded."""
        from beichen.word import decisions

        if not decisions.load(self.data_dir, self.year):
            return []
        return ["", *decisions.page_lines(self.data_dir, self.year, f"## （{NUMERALS[n - 1]}）征求意见处理",
                                          f"{self._part('claims')}-1", markdown_table, folder_shown(self.data_dir))]
