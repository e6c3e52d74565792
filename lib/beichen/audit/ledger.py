"""All findings of an edition, with the analyst's resolutions: the one list the build, the status
(征求意见稿 / 定稿) and the 核查报告 read.

Two sources of findings:
- the data audit (lib/beichen/audit/checks.py): every check whose verdict is 不一致;
- the claims ledger (lib/beichen/audit/claims.py): statements of the built text that contradict a figure
  of the edition model or another statement (read from the executed chapters, so only after the
  chapters ran; without the book only the audit's findings are known).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from beichen.audit import checks as audit
from beichen.audit.findings import ACTIONS, RESOLUTIONS, Finding, Resolution, load_resolutions, resolve
from beichen.paths import folder_shown


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
    """(findings with their resolutions attached, stale resolutions) of the edition.

    With `book` (the staged book, after the chapters ran): the claims of its printed text join the
    audit's findings, and the book is made to follow the analyst's decisions (review_book) — so
    call it once per build, on the staged book, before Sphinx reads it. Without: the audit's only."""
    if book is not None:
        review = review_book(edition, data_dir, book, checks)
        return review.findings, review.stale
    checks = audit.run_audit(edition) if checks is None else checks
    return resolve(audit_findings(checks), load_resolutions(data_dir, edition.year))


# --- the edition follows the analyst's decisions ----------------------------------------------------------

def _forms(text: str) -> list[tuple[str, str]]:
    """A text as each output of a staged notebook may hold it: raw, escaped for MyST, for HTML, in JSON."""
    import html
    import json

    from beichen.render import escape

    return [text, escape.myst(text), html.escape(text, quote=False), json.dumps(text, ensure_ascii=False)[1:-1]]


def _edit(source: str, old: str, new: str) -> tuple[str, int]:
    """Replace every form of `old` in `source` by the same form of `new`; (result, replacements made)."""
    count = 0
    pairs = dict.fromkeys(zip(_forms(old), _forms(new)))  # each form once
    for o, n in pairs:
        if o in source and not (o in n and n in source):  # a note already added is not added again
            count += source.count(o)
            source = source.replace(o, n)
    return source, count


def edition_text(resolution: Resolution) -> tuple[str, str] | None:
    """(words the edition prints, what it prints instead) for a decision that changes the text."""
    if resolution.action == "replace":
        return resolution.text, resolution.replacement
    if resolution.action == "remove":
        return resolution.text, ""
    if resolution.action == "keep" and resolution.text:
        return resolution.text, f"{resolution.text}（注：{resolution.note}）"
    return None


def apply_resolutions(book: Path, resolutions: list[Resolution]) -> dict[str, int]:
    """Make the staged book say what the analyst decided: in every chapter's outputs and headings,
    the decision's words replaced, removed or followed by its note. {finding id: places changed}."""
    import json

    import yaml

    book = Path(book)
    edits = [(r, pair) for r in resolutions if (pair := edition_text(r))]
    done = {r.finding: 0 for r, _ in edits}
    if not edits:
        return done
    config_path = book / "_config.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    subs = config.get("parse", {}).get("myst_substitutions") or {}
    for key, value in subs.items():
        for r, (old, new) in edits:
            value, n = _edit(str(value), old, new)
            done[r.finding] += n
        subs[key] = value
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for path in sorted((book / "chapters").glob("*.ipynb")) + sorted(book.glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        changed = False
        for cell in nb["cells"]:
            places = [cell] if cell["cell_type"] == "markdown" else []
            for out in cell.get("outputs", []):
                places += [out["data"]] if "data" in out else []
            for place in places:
                for key in (["source"] if place is cell else [k for k in place if k.startswith("text/")]):
                    text = "".join(place[key]) if isinstance(place[key], list) else place[key]
                    for r, (old, new) in edits:
                        text, n = _edit(text, old, new)
                        if n:
                            done[r.finding] += n
                            changed = True
                    place[key] = text
        if changed:
            path.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return done


@dataclass
class Review:
    """What the build found in an edition and what it did about it."""

    findings: list[Finding]
    stale: list[Resolution]
    applied: dict[str, int]
    claims: list = field(default_factory=list)
    printed: str = ""        # the edition's printed text after the decisions (one block a line)

    @property
    def open(self) -> list[Finding]:
        return [f for f in self.findings if f.open]


def review_book(edition, data_dir: Path, book: Path, checks: list | None = None) -> Review:
    """Find the edition's findings in the staged book, apply the analyst's decisions to it, and check
    that the result says what was decided: every changed text gone (or noted), no decision about
    something the edition does not say, and no new contradiction made by a change. A decision that
    cannot be followed is a ResolutionError naming its entry."""
    from beichen.audit import claims as claim_ledger
    from beichen.audit.edition_text import read_book
    from beichen.audit.findings import ResolutionError

    before = read_book(book)
    found_claims, claim_found = claim_ledger.ledger(edition, before)
    checks = audit.run_audit(edition) if checks is None else checks
    findings, stale = resolve(merge(audit_findings(checks), claim_found, edition), load_resolutions(data_dir, edition.year))
    shown_before = "\n".join(b.text for b in before)
    # A decision carried from an earlier edition acts only where this edition prints its words.
    resolutions = [f.resolution for f in findings if f.resolution is not None
                   and not (f.resolution.carried and f.resolution.text and f.resolution.text not in shown_before)]
    applied = apply_resolutions(book, resolutions)
    # Followed is what the built text shows, whichever way it came about (this build's edit, or a
    # narrative passage the analyst already rewrote): replaced words gone and their replacement
    # printed, removed words gone, a kept statement followed by its note.
    after = read_book(book)
    printed = "\n".join(b.text for b in after)
    shown = f"{folder_shown(data_dir)}/{RESOLUTIONS.as_posix()}"
    for r in resolutions:
        rest = printed.replace(r.replacement, "") if r.replacement else printed
        if r.action in ("replace", "remove") and r.text in rest:
            raise ResolutionError(f"{shown}: 第{r.line}行（{r.finding}）: 处理后本版仍印有“{r.text}”")
        if r.action == "replace" and r.replacement not in printed:
            raise ResolutionError(f"{shown}: 第{r.line}行（{r.finding}）: 本版既无“{r.text}”也无“{r.replacement}”，"
                                  "无法改写；请按本版实际印出的文字填写 text")
        if r.action == "keep" and r.text and f"（注：{r.note}）" not in printed:
            raise ResolutionError(f"{shown}: 第{r.line}行（{r.finding}）: 本版中没有“{r.text}”，注文无处可加")
    new = {f.finding_id for f in claim_ledger.ledger(edition, after)[1]} - {f.finding_id for f in claim_found}
    if new:
        raise ResolutionError(f"{shown}: 按处理决定改写后出现新的矛盾：{'、'.join(sorted(new))}")
    return Review(findings, stale, applied, found_claims, printed)


EDITION = "本版"
_QUOTE = re.compile(r"“((?:[^“”]|“[^“”]*”)+)”")


def false_statements(text: str, printed: str) -> list[str]:
    """Sentences of the 核查报告's own text that speak of the edition (“本版…”) but cannot be checked
    against its printed text or are contradicted by it: such a sentence must quote the words the
    edition prints (“…”), and every quote must be in `printed` (whitespace ignored)."""
    flat = re.sub(r"\s+", "", printed)
    out = []
    for sentence in re.split(r"(?<=[。；])", re.sub(r"[*>]", "", text)):
        if EDITION not in sentence:
            continue
        quotes = _QUOTE.findall(sentence)
        if not quotes:
            out.append(f"“{sentence.strip()}”：说的是本版，但未引出本版印出的文字，无法核对")
        for q in quotes:
            if re.sub(r"\s+", "", q) not in flat:
                out.append(f"“{sentence.strip()}”：本版未印“{q}”")
    return out


def merge(audit_found: list[Finding], claim_found: list[Finding], edition) -> list[Finding]:
    """One finding per contradiction: a claim finding about the quantity and kind of an audit entry
    (data/meta/audit.yml: an increase, a multiple or a status claim) joins the audit's finding."""
    links = audit_links(edition)
    by_id = {f.finding_id: f for f in audit_found}
    out = list(audit_found)
    for f in claim_found:
        target = by_id.get(links.get(f.finding_id, ""))
        if target is None:
            out.append(f)
            continue
        merged = replace(target, detail=f"{target.detail}。本版正文（按处理决定改写前）：{f.detail}",
                         places=tuple(dict.fromkeys(target.places + f.places)))
        out[out.index(target)] = merged
        by_id[target.finding_id] = merged
    return out


def audit_links(edition) -> dict[str, str]:
    """{claim finding id: audit finding id} from the audit registry's entries that speak of one
    quantity's increase, multiple or status."""
    raw = edition.data.meta.get("audit") or {}
    links = {}
    for e in raw.get("increases") or []:
        level = e.get("level") or {}
        q = level.get("indicator") or level.get("metric")
        links[f"claim-increase-{q}"] = f"audit-{e['id']}"
    for e in raw.get("claims") or []:
        if e.get("type") == "multiple":
            q = (e.get("new") or {}).get("indicator") or (e.get("new") or {}).get("metric")
            links[f"claim-multiple-{q}"] = f"audit-{e['id']}"
        elif e.get("type") == "status":
            links.setdefault(f"claim-status-{e.get('indicator')}", f"audit-{e['id']}")
    return links
