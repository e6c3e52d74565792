"""第二部分 与原报告及上年版的差异 of the 核查报告: every difference between the edition's text
and the source, under the entry of data/meta/departures.yml (or the resolution) that gives its
reason; the departures an edition carries from an earlier one; and what differs from last year's."""
from __future__ import annotations

from pathlib import Path

import yaml

from beichen.dossier.outline import DEPARTURES
from beichen.dossier.wording import _esc, _quoted


def departures(data_dir: Path, year: int) -> list[dict]:
    """The entries of data/meta/departures.yml about the edition of `year`."""
    path = Path(data_dir) / DEPARTURES
    if not path.exists():
        return []
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [e for e in raw.get("departures") or [] if int(e.get("edition", 0)) == int(year)]


def inherited_departures(data_dir: Path, year: int) -> tuple[int | None, list[dict]]:
    """(edition, entries): the departures of the latest earlier edition that has any. A later edition
    is built from the same chapter templates and fixed text, so it carries them; it is not compared
    with the source itself (lib/beichen/audit/departures.py compared_edition)."""
    path = Path(data_dir) / DEPARTURES
    if not path.exists():
        return None, []
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    editions = sorted({int(e.get("edition", 0)) for e in raw.get("departures") or []
                       if int(e.get("edition", 0)) < int(year)})
    return (editions[-1], departures(data_dir, editions[-1])) if editions else (None, [])


def _entry_lines(entries: list[dict]) -> list[str]:
    """departures.yml entries as a numbered list: kind and place, the quoted words, the reason."""
    lines = []
    for n, e in enumerate(entries, start=1):
        what = e.get("where") or "、".join(e.get("units") or []) or e.get("rule") or "—"
        lines += [f"{n}\\.**{_esc(e.get('kind', ''))} {_esc(what)}**", ""]
        lines += [f"   - {word}：{_quoted(e[key])}" for key, word in (("source", "原报告"), ("report", "本版"))
                  if e.get(key)]
        lines += [f"   - 理由：{_esc(e.get('reason', '—'))}", ""]
    return lines


def _found_lines(found) -> list[str]:
    """The departures page's list: every difference found between the edition's text and the source,
    by kind, under the entry (departures.yml line, or resolution) that gives its reason."""
    from beichen.audit.departures import KINDS, RULES, SHOWN

    counts = found.counts()
    lines = [f"本版正文（含封面和网站标题、页脚）与原报告逐段比对，共有差异{sum(counts.values())}处："
             + "、".join(f"{KINDS[k]}{n}处" for k, n in counts.items() if n) + "。每处差异都由"
             f" {SHOWN} 的一条说明（或 data/meta/resolutions.yml 对核查发现的处理）涵盖；有差异无说明、说明缺理由、"
             "或说明与本版不符时，构建即停止。“〔〕”标出不同的文字，“〔分段〕”为本版分段处。", ""]
    number = 0
    for k, word in KINDS.items():
        groups = [(e, [d for d in ds if d.kind == k]) for e, ds in found.by_entry()]
        groups = [(e, ds) for e, ds in groups if ds]
        if not groups:
            continue
        number += 1
        lines += [f"### {number}. {word}（{counts[k]}处）", ""]
        for e, ds in groups:
            rule = f"（{RULES[e.rule]}）" if e.rule else ""
            lines += [f"- **理由**{rule}：{_esc(e.reason)}（{_esc(e.place)}）", ""]
            for d in ds:
                if d.unit:
                    detail = d.detail if len(d.detail) <= 400 else d.detail[:400] + "……"
                    lines.append(f"  - 本版增加“{_esc(d.label)}”（{_esc(d.place)}）" + (f"：{_esc(detail)}" if detail else ""))
                else:
                    source, report = d.shown if any(d.shown) else (d.source, d.report)
                    lines.append(f"  - {_esc(d.source_place)}：“{_esc(source)}”；本版（{_esc(d.place)}）：“{_esc(report)}”")
            lines.append("")
    return lines


class DeparturesSection:
    """The page 与原报告及上年版的差异 (a part of dossier.document.Dossier)."""

    def _departures_count(self) -> str:
        if self.found is None:
            edition, inherited = self.inherited
            if not inherited:
                return f"{len(self.departures)}条说明（未与正文比对）"
            own = f"本版自有说明{len(self.departures)}条" if self.departures else ""
            carried = f"沿用{edition}年版的说明{len(inherited)}条"
            return "，".join(w for w in (carried, own) if w) + "（本版未与原报告逐段比对）"
        counts = self.found.counts()
        from beichen.audit.departures import KINDS
        return f"{sum(counts.values())}处（" + "、".join(f"{KINDS[k]}{n}处" for k, n in counts.items() if n) + "）"

    def departures_page(self) -> str:
        lines = [f"# {self._heading('departures')}", "", "## （一）与原报告的差异", ""]
        edition, inherited = self.inherited
        if self.found is not None:
            lines += _found_lines(self.found)
        elif not self.departures and inherited:
            lines += self._inherited_lines(edition, inherited)
        elif not self.departures:
            lines.append(f"data/meta/departures.yml 中没有{self.year}年版及以前各版的条目。")
        else:
            from beichen.audit.source_text import source_path

            source = source_path(self.data_dir)
            why = (f"原报告原文不在本机（{source}；可用环境变量 BEICHEN_SOURCE 指明），无从比对" if not source.exists() else
                   "逐段比对的是 data/meta/departures.yml 的 compare_edition 所指的版本，且须在构建时进行")
            lines += [f"本版未与原报告逐段比对（{_esc(why)}）；以下为该文件中本版的条目，未经核对。", ""]
            lines += _entry_lines(self.departures)
            if inherited:
                lines += ["", *self._inherited_lines(edition, inherited)]
        lines += ["## （二）与上年版的差异", ""]
        if self.changes is None:
            lines.append("本版为规划期首个评估版本，无上年版。")
        else:
            earlier = departures(self.data_dir, self.year - 1)
            lines.append(f"上年版（{self.year - 1}年版）有与原报告的差异说明{len(earlier)}条；本版数字与上年版不同之处"
                         f"共{len(self.changes)}个，本版修订的往年数字{len(self.revisions)}个，逐项见第三部分。")
        return "\n".join(lines)

    def _inherited_lines(self, edition: int, inherited: list[dict]) -> list[str]:
        """The earlier edition's departures, which this edition carries: its chapters are built from
        the same templates and fixed text; its own year's passages are new text, not the source's."""
        from beichen.audit.departures import compared_edition

        compared = compared_edition(self.data_dir)
        why = (f"逐段比对只对复现原报告的{compared}年版进行" if compared is not None and compared != self.year
               else "本版未与原报告逐段比对")
        return [f"本版未与原报告逐段比对（{_esc(why)}）。本版的章节由与{edition}年版相同的模板和固定文字生成，"
                f"{edition}年版逐段比对所得的与原报告的差异及其说明（{len(inherited)}条）列于下，作为本版沿用的差异。"
                f"各条是对{edition}年版核实的，本版未重新核对：随年份而变的内容（封面的版本年份和成文日期、按本年数据"
                "印出或不印的段落和图表）以本版正文为准；本版新写的年度文字和新录入的数字与上年版的差异见下文和第三部分。",
                "", *_entry_lines(inherited)]
