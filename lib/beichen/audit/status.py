"""An edition's status: 征求意见稿 (draft for comments) until it is resolved and signed off, then 定稿.

An edition is a 定稿 only when all of these hold:
- every finding of the edition (lib/beichen/audit/ledger.py `edition_findings`) has a resolution
  (data/meta/resolutions.yml);
- no passage of the year's text is pending (the build's notes, lib/beichen/publish/build.py `report_gaps`);
- a sign-off is recorded for the edition in data/meta/signoff.yml (who reviewed, who approved, date);
- if that sign-off names the SHA-256 of the report PDF it approved, the PDF built now has that
  SHA-256 (else the approval was for other bytes).

Otherwise it is a 征求意见稿, and `Status.reasons` says why. The build logs the status, marks
every page of the site (a banner, lib/beichen/site/ui.py) and of the PDF (its cover and the head of
every page, latex/beichen-report.sty), the landing page's entry and the 核查报告's first page.

data/meta/signoff.yml (data/README.md):

    signoffs:
      - edition: 2024
        reviewer: 张三            # 审核人
        approver: 李四            # 签发人
        date: 2025-11-20          # 签发日期，YYYY-MM-DD
        pdf_sha256: 9f86d0…       # 可选：所批准的 report-2024.pdf 的 SHA-256（64位十六进制）
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path

# The sign-off file is an input (lib/beichen/inputs/signoff.py); its names are part of the status's vocabulary.
from beichen.inputs.signoff import DRAFT, FINAL, SIGNOFF, SignOff, SignOffError, load_signoffs  # noqa: F401

def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class Status:
    """征求意见稿 or 定稿, and why."""

    year: int
    open_findings: tuple = ()          # lib/beichen/audit/findings.Finding without a resolution
    resolved: int = 0                  # findings with a resolution
    pending: tuple[str, ...] = ()      # passages still to be written
    signoff: SignOff | None = None
    stale: tuple = ()                  # resolutions that match no finding of the edition
    pdf_sha256: str = ""               # of the report PDF built (when it was built)
    pdf_built: bool = False
    problems: tuple[str, ...] = field(default=())  # why a recorded sign-off does not hold
    review_pending: tuple[str, ...] = ()  # the 核查报告's own passages still to be written
    folder: str = "data"               # the plan folder, as named in messages (paths.folder_shown)

    def _file(self, name: str) -> str:
        return f"{self.folder}/meta/{name}.yml"

    @property
    def final(self) -> bool:
        return (not self.open_findings and not self.pending and not self.review_pending
                and self.signoff is not None and not self.problems)

    @property
    def label(self) -> str:
        return FINAL if self.final else DRAFT

    @property
    def reasons(self) -> list[str]:
        """Why the edition is a 征求意见稿 (empty for a 定稿)."""
        if self.final:
            return []
        out = []
        if self.open_findings:
            out.append(f"未解决的核查发现{len(self.open_findings)}项")
        if self.pending:
            out.append(f"待补充文字{len(self.pending)}段")
        if self.review_pending:  # the analyst signs the edition off with a whole 核查报告
            out.append(f"核查报告待补充文字{len(self.review_pending)}段")
        if self.signoff is None:
            out.append(f"尚无审核签发记录（{self._file('signoff')}）")
        elif self.open_findings or self.pending or self.review_pending:
            out.append(f"{self._file('signoff')} 中的签发记录（{self.signoff.summary}）不适用：签发须在核查发现全部解决、文字全部补齐之后")
        out += list(self.problems)
        return out

    def lines(self) -> list[str]:
        """What the build log says about the status."""
        if self.final:
            out = [f"本版为定稿：{self.signoff.summary}"]
            if self.pdf_built:
                out.append(f"    报告PDF SHA-256: {self.pdf_sha256}")
            return out
        out = [f"本版为{DRAFT}：" + "；".join(self.reasons)]
        if self.open_findings:
            out.append(f"  未解决的核查发现{len(self.open_findings)}项（在 {self._file('resolutions')} 中逐项决定后可定稿）:")
            out += [f"    - {finding_line(f)}" for f in self.open_findings]
        if self.pending:
            out.append(f"  待补充文字{len(self.pending)}段:")
            out += [f"    - {p}" for p in self.pending]
        return out

    def stale_lines(self) -> list[str]:
        if not self.stale:
            return []
        return [f"{self._file('resolutions')} 中有{len(self.stale)}条决定不对应本版的任何核查发现（本版已不再这样写）:"] + \
            [f"    - {r.finding}" + (f"（第{r.line}行）" if getattr(r, "line", 0) else "") for r in self.stale]

    def key(self) -> dict:
        """Everything the 核查报告's status block shows (its cache key)."""
        return {"label": self.label, "reasons": self.reasons, "resolved": self.resolved,
                "open": [finding_line(f) for f in self.open_findings], "pending": list(self.pending),
                "signoff": None if self.signoff is None else [self.signoff.reviewer, self.signoff.approver,
                                                              self.signoff.date, self.signoff.pdf_sha256],
                "pdf": [self.pdf_built, self.pdf_sha256]}

    def with_pdf(self, pdf: Path | None) -> "Status":
        """The status once the report PDF is built (None: no PDF in this build): its SHA-256; a
        sign-off that recorded other bytes does not hold."""
        if pdf is None or not Path(pdf).exists():
            return replace(self, pdf_built=False, pdf_sha256="")
        sha = file_sha256(pdf)
        problems = tuple(self.problems)
        if self.signoff is not None and self.signoff.pdf_sha256 and self.signoff.pdf_sha256 != sha \
                and not self.open_findings and not self.pending:
            problems += (f"{self._file('signoff')} 记录的签发所批准的PDF SHA-256为 {self.signoff.pdf_sha256}，本次构建的 "
                         f"report-{self.year}.pdf 为 {sha}：签发批准的是另一份文件，须重新审核签发",)
        return replace(self, pdf_built=True, pdf_sha256=sha, problems=problems)


def finding_line(finding) -> str:
    """One finding in one line: its kind, title and id (the id is what resolutions.yml names)."""
    return f"[{finding.kind}] {finding.title}（{finding.finding_id}）"


def edition_status(year: int, findings: list, pending: list[str], signoffs: dict[int, SignOff],
                   stale: list = (), review_pending: list[str] = (), folder: str = "data") -> Status:
    """The status of the edition of `year` from its findings (with resolutions attached), pending
    passages (the report's, and the 核查报告's own) and the recorded sign-offs."""
    open_ = tuple(f for f in findings if f.open)
    return Status(int(year), open_, len(findings) - len(open_), tuple(dict.fromkeys(pending)),
                  signoffs.get(int(year)), tuple(stale), review_pending=tuple(dict.fromkeys(review_pending)), folder=folder)


# --- the 核查报告's block -------------------------------------------------------------------------------

def dossier_block(status: Status, escape=str) -> list[str]:
    """The status block of the 核查报告's first page (MyST lines); `escape` makes data text inert."""
    def grouped(digest: str) -> str:  # in groups of 16, so it wraps on a narrow page (as the 核查报告's tables)
        return " ".join(digest[i:i + 16] for i in range(0, len(digest), 16))

    pdf_name = f"report-{status.year}.pdf"
    if status.final:
        s = status.signoff
        lines = [f"**本版状态：{FINAL}**", "",
                 f"- 审核人：{escape(s.reviewer)}", f"- 签发人：{escape(s.approver)}", f"- 签发日期：{escape(s.date)}",
                 f"- 核查发现：共{status.resolved}项，均已按 {status._file('resolutions')} 的决定处理；待补充文字：无"]
        if status.pdf_built:
            lines.append(f"- 所签发的报告PDF：{pdf_name}")
            lines.append(f"- 该PDF的SHA-256：{grouped(status.pdf_sha256)}" +
                         ("（与签发记录所载的SHA-256一致）" if s.pdf_sha256 else ""))
        else:
            lines.append(f"- 所签发的报告PDF：本次构建未生成 {pdf_name}，无法给出其SHA-256（生成PDF请用 make report）")
        return lines + [""]
    lines = [f"**本版状态：{DRAFT}**（未定稿）", "", "不能定稿的原因：", ""]
    lines += [f"- {escape(r)}" for r in status.reasons]
    if status.open_findings:
        lines += ["", f"未解决的核查发现（{len(status.open_findings)}项，在 {status._file('resolutions')} 中逐项决定）：", ""]
        lines += [f"{n}. {escape(finding_line(f))}" for n, f in enumerate(status.open_findings, start=1)]
    if status.pending:
        lines += ["", f"待补充文字（{len(status.pending)}段）：", ""]
        lines += [f"{n}. {escape(p)}" for n, p in enumerate(status.pending, start=1)]
    return lines + [""]
