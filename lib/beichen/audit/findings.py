"""Findings and their resolutions: what the analyst must decide before an edition is final.

A finding is anything the build found wrong with what an edition says: a data-audit check whose
verdict is 不一致 (lib/beichen/audit/checks.py), or a claim of the edition's text that its figures or another
claim contradict (lib/beichen/audit/claims.py). Each has a stable id, so the analyst's decision about it —
recorded as data in ``data/meta/resolutions.yml`` — finds it again next build:

    resolutions:
      - finding: claim-multiple-<indicator or metric id>
        edition: 2024
        action: replace            # keep | replace | remove
        text: 示范项目数量翻倍      # replace/remove: the words as the edition would print them
        with: 示范项目数量大幅增长  # replace: what the edition prints instead
        note: …                   # keep: the note printed after the statement (to readers)
        reason: …                 # why (shown in the 核查报告 beside the finding)

A finding without a resolution is open; an edition with an open finding is a 征求意见稿.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from beichen.errors import BuildError
from beichen.paths import folder_shown

RESOLUTIONS = Path("meta") / "resolutions.yml"
ACTIONS = {"keep": "保留原文并加注", "replace": "改写", "remove": "删去"}
ACTION_FIELDS = {"keep": ("note",), "replace": ("text", "with"), "remove": ("text",)}


@dataclass(frozen=True)
class Resolution:
    """The analyst's decision about one finding."""

    finding: str
    edition: int
    action: str
    reason: str
    text: str = ""
    replacement: str = ""
    note: str = ""
    line: int = 0            # its entry's line in resolutions.yml
    carried: bool = False    # decided for an earlier edition and carried to this one (none of its own)

    @property
    def summary(self) -> str:
        """What the edition does about the finding, in one clause."""
        carried = f"沿用{self.edition}年版的决定，" if self.carried else ""
        if self.action == "replace":
            return f"{carried}改写：“{self.text}”改为“{self.replacement}”"
        if self.action == "remove":
            return f"{carried}删去：“{self.text}”"
        return f"{carried}保留原文，加注：“{self.note}”"


@dataclass(frozen=True)
class Finding:
    """One thing the edition says that its figures or another statement contradict."""

    finding_id: str
    kind: str                    # e.g. 数字冲突, 用词与数字不符, 数据核查
    title: str                   # one line, Chinese
    detail: str                  # what is wrong, with the figures
    places: tuple[str, ...] = ()  # where each statement stands in the edition (page and section)
    resolution: Resolution | None = field(default=None, compare=False)

    @property
    def open(self) -> bool:
        return self.resolution is None


class ResolutionError(BuildError):
    """data/meta/resolutions.yml cannot be used as it stands."""


def load_resolutions(data_dir: Path, year: int, carry: bool = True) -> dict[str, Resolution]:
    """The resolutions for the edition of `year`, by finding id; a malformed entry is a
    ResolutionError naming the file, entry and field.

    A finding the analyst decided for an earlier edition and not for this one keeps the latest earlier
    decision (`carried`): the same contradiction in the same figures is not decided again every
    year. A decision recorded for this edition replaces it."""
    path = Path(data_dir) / RESOLUTIONS
    if not path.exists():
        return {}
    shown = f"{folder_shown(data_dir)}/{RESOLUTIONS.as_posix()}"
    text = path.read_text(encoding="utf-8")
    raw = yaml.safe_load(text) or {}
    entries = raw.get("resolutions") or []
    if not isinstance(entries, list):
        raise ResolutionError(f"{shown}: “resolutions” 应为列表")
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if line.lstrip().startswith("- finding:")]
    out: dict[str, Resolution] = {}
    earlier: dict[str, Resolution] = {}
    for n, entry in enumerate(entries, start=1):
        where = f"{shown}: 第{n}条" + (f"（第{lines[n - 1]}行）" if n <= len(lines) else "")
        if not isinstance(entry, dict):
            raise ResolutionError(f"{where}: 应为键值对")
        for key in ("finding", "edition", "action", "reason"):
            if not str(entry.get(key, "") or "").strip():
                raise ResolutionError(f"{where}: 缺少“{key}”")
        action = str(entry["action"])
        if action not in ACTIONS:
            raise ResolutionError(f"{where}: action 值 “{action}” 无效；应为 {'、'.join(ACTIONS)} 之一")
        for key in ACTION_FIELDS[action]:
            if not str(entry.get(key, "") or "").strip():
                raise ResolutionError(f"{where}: action 为 {action} 时须填“{key}”")
        try:
            edition = int(entry["edition"])
        except (TypeError, ValueError):
            raise ResolutionError(f"{where}: edition 值 “{entry['edition']}” 应为年份") from None
        finding = str(entry["finding"])
        if edition != int(year):
            if carry and edition < int(year) and (finding not in earlier or earlier[finding].edition < edition):
                earlier[finding] = Resolution(finding, edition, action, str(entry["reason"]),
                                              str(entry.get("text", "") or ""), str(entry.get("with", "") or ""),
                                              str(entry.get("note", "") or ""),
                                              lines[n - 1] if n <= len(lines) else 0, carried=True)
            continue
        if finding in out:
            raise ResolutionError(f"{where}: 对 {finding} 的决定重复（第{out[finding].line}行已有）")
        out[finding] = Resolution(finding, edition, action, str(entry["reason"]), str(entry.get("text", "") or ""),
                                  str(entry.get("with", "") or ""), str(entry.get("note", "") or ""),
                                  lines[n - 1] if n <= len(lines) else 0)
    return {**{f: r for f, r in earlier.items() if f not in out}, **out}


def resolve(findings: list[Finding], resolutions: dict[str, Resolution]) -> tuple[list[Finding], list[Resolution]]:
    """The findings with their resolutions attached, and the resolutions that match no finding
    (stale: the analyst decided about something the edition no longer says)."""
    from dataclasses import replace

    ids = {f.finding_id for f in findings}
    resolved = [replace(f, resolution=resolutions.get(f.finding_id)) for f in findings]
    # a carried decision whose finding is gone is simply not carried further
    stale = [r for fid, r in resolutions.items() if fid not in ids and not r.carried]
    return resolved, stale


def open_findings(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.open]
