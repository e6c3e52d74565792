"""All findings of an edition, with the analyst's resolutions: the one list the build, the status
(征求意见稿 / 定稿) and the 核查报告 read.

Two sources of findings:
- the data audit (lib/audit/checks.py): every check whose verdict is 不一致;
- the claims ledger (lib/audit/claims.py): statements of the built text that contradict a figure
  of the edition model or another statement (read from the executed chapters, so only after the
  chapters ran; without the book only the audit's findings are known).
"""
from __future__ import annotations

from pathlib import Path

from beichen.audit import checks as audit
from beichen.audit.findings import Finding, Resolution, load_resolutions, resolve


def audit_findings(checks: list) -> list[Finding]:
    """A finding per audit check judged 不一致."""
    out = []
    for c in checks:
        if c.verdict != audit.MISMATCH:
            continue
        detail = f"原报告{c.source}：{c.stated_text}；核查：{c.computed_text}" + (f"（{c.formula}）" if c.formula else "")
        out.append(Finding(f"audit-{c.check_id}", "数据核查", c.item, detail, (c.source,)))
    return out


def edition_findings(edition, data_dir: Path, book: Path | None = None, checks: list | None = None
                     ) -> tuple[list[Finding], list[Resolution]]:
    """(findings with their resolutions attached, stale resolutions) of the edition. `book`: the
    staged book whose executed chapters hold the built text (lib/audit/claims.py reads it)."""
    checks = audit.run_audit(edition) if checks is None else checks
    found = audit_findings(checks)
    if book is not None:
        from beichen.audit import claims

        found += claims.claim_findings(edition, book)
    return resolve(found, load_resolutions(data_dir, edition.year))
