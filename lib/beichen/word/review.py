"""`make review YEAR=… FILE=reviewed.docx [APPLY=1]`: the reviewers' work brought back.

Each tracked insertion or deletion and each comment is placed on its passage by the bookmark `make docx`
put around it, or by its text when a reviewer's editing lost the bookmark. A change within the analyst's
own words of a narrative passage becomes an edit of narrative/<year>/<file>.md, shown as a diff and written
with APPLY=1 — every such edit or none. A change that touches a figure, a sentence the program built, a
table, a caption or a heading is never written into any text: it is listed with where the figure comes
from and what to change instead. Every item is recorded in meta/review-<year>.yml (reviewer, date, passage,
text, decision 采纳/部分采纳/未采纳/待处理 and reason), which the 核查报告 shows as its 意见处理 table; the
analyst's own decisions there are kept when the file is brought back again.
"""
from __future__ import annotations

import csv
import difflib
import hashlib
import json
import re
from pathlib import Path

import yaml

from beichen.word import reviewed as reader
from beichen.word.draft import docx_dir, manifest_path

_ID = re.compile(r"\(\s*['\"](\w+)['\"]")


class ReviewError(RuntimeError):
    """A reviewed file that cannot be brought back as it is (another edition, an older draft)."""


def check_draft(path: Path, props: dict, manifest: dict | None, year: int, current: Path) -> None:
    name = Path(path).name
    if manifest is None:
        raise ReviewError(f"尚无 {year} 年版的 Word 稿：请先运行 make docx YEAR={year}，把生成的稿件发出征求意见，再导回审阅后的文件。")
    if "beichen-fingerprint" not in props:
        raise ReviewError(f"《{name}》不是 make docx 生成的 Word 稿（没有版本指纹），无法对应到报告的段落："
                          f"请把意见转录到 {current}（make docx YEAR={year} 生成）后再导回。")
    if props.get("beichen-year") != str(year):
        raise ReviewError(f"《{name}》是 {props.get('beichen-year')} 年版的 Word 稿，不是 {year} 年版："
                          f"请用 make review YEAR={props.get('beichen-year')} FILE=… 导回，或检查发出的文件。")
    if props["beichen-fingerprint"] != manifest["fingerprint"]:
        raise ReviewError(f"《{name}》来自较早的一稿（版本指纹 {props['beichen-fingerprint']}），与当前 {year} 年版 Word 稿"
                          f"（{manifest['fingerprint']}）的文字或数字不同，逐段对应会出错，未导入任何内容。"
                          f"请把其中的修改和批注转录到最新的 {current}（make docx YEAR={year} 生成）后再导回。")


def locate(para, manifest: dict) -> tuple[str | None, dict | None, str]:
    """(anchor, manifest paragraph, how found) of a reviewed paragraph: its bookmark; else its text."""
    anchors = manifest["anchors"]
    for name in para.anchors:
        for mp in anchors.get(name, {}).get("paragraphs", []):
            if mp["text"] == para.original:
                return name, mp, "书签"
    everything = [(n, mp) for n, a in anchors.items() for mp in a.get("paragraphs", [])]
    for name, mp in everything:
        if mp["text"] == para.original and para.original.strip():
            return name, mp, "文字匹配"
    scored = [(difflib.SequenceMatcher(None, mp["text"], para.original).ratio(), n, mp) for n, mp in everything]
    best = max(scored, default=(0, None, None), key=lambda x: x[0])
    return (best[1], best[2], "文字近似") if best[0] >= 0.75 else (None, None, "未找到")


def figure_source(expression: str, data_dir: Path, year: int) -> str:
    """Where the figures of a placeholder come from: the data rows of the edition's year."""
    found = []
    for figure in _ID.findall(expression):
        for path in sorted(Path(data_dir).glob("*.csv")):
            with path.open(encoding="utf-8-sig", newline="") as handle:
                for line, row in enumerate(csv.DictReader(handle), start=2):
                    if figure in row.values() and str(row.get("year", year)) == str(year):
                        found.append(f"{path.name} 第{line}行（{figure}）")
    return "；".join(found) or f"占位符 {expression}"


def classify(change, anchor: str | None, mp: dict | None, info: dict | None, data_dir: Path, year: int):
    """(editable?, reason/what to do): a change inside the passage's own words, or why it is not."""
    if mp is None:
        return False, "找不到对应段落（书签和文字都对不上），请人工核对"
    if info["kind"] in ("table", "figure") or mp.get("in_table"):
        return False, "表格、图及其标题由数据生成：请改数据文件中对应的行，或 meta/report.yml 中的表题"
    if info["kind"] == "heading":
        return False, "标题来自章节模板或 narrative 的 title_ 段：请在对应文件中修改"
    placed = mp.get("placed")
    if not placed:
        return False, "该句由程序根据数据生成（不是文字底稿中的段落）：请改数据或规划文字（meta/）"
    lo, hi = change.start, change.end
    for start, end, kind, what in placed["spans"]:
        touches = (start < hi and lo < end) if hi > lo else (start < lo < end)
        if kind == "resolution" and touches:
            return False, (f"改动涉及“{mp['text'][start:end]}”：这几个字是按处理决定改写后印出的（{what}），"
                           "请改 meta/resolutions.yml 中该条的 with")
        if kind == "figure" and touches:
            return False, f"改动涉及数字“{mp['text'][start:end]}”：数字由数据生成，请改 {figure_source(what, data_dir, year)}"
    return True, f"{placed['file']} 的 {placed['passage']} 段"


def decide(changes, anchor, mp, info, data_dir: Path, year: int) -> list[tuple[object, bool, str]]:
    """(change, editable?, reason) for each change of one paragraph. An insertion at the edge of a refused
    deletion is its other half (Word saves a replacement as a deletion and an insertion): refused with it,
    so a figure's replacement never lands beside the figure as text."""
    out = [(c, *classify(c, anchor, mp, info, data_dir, year)) if c.kind != "comment" else (c, False, "")
           for c in changes]
    refused = [(c, why) for c, ok, why in out if c.kind == "delete" and not ok]
    for n, (c, ok, why) in enumerate(out):
        half = [w for d, w in refused if c.kind == "insert" and d.start <= c.start <= d.end]
        if ok and half:
            out[n] = (c, False, half[0] + "（与该处删除为同一处替换）")
    return out


def source_edit(change, placed: dict) -> tuple[set[int], dict[int, str]]:
    """A change in printed characters as template positions: (deleted positions, insertions by position).
    A paragraph break becomes a blank line (a new paragraph of the same passage)."""
    deleted, inserted = set(), {}
    for start, end, kind, offsets in placed["spans"]:
        if kind != "literal":
            continue
        if change.kind == "delete":
            deleted |= {offsets[i - start] for i in range(max(change.start, start), min(change.end, end))}
        elif start <= change.start < end or change.start == end:
            at = offsets[change.start - start] if change.start < end else offsets[-1] + 1
            # A reviewer's words are text in the passage, never markup or template code (escape.myst).
            inserted[at] = inserted.get(at, "") + ("\n\n" if change.text == "\n" else inert(change.text))
            break
    return deleted, inserted


def inert(text: str) -> str:
    """Inserted words as literal text of a passage: Markdown marks escaped (escape.myst), braces
    included, so that no “{{”, “{%” or “{#” reaches Jinja as code; each prints as itself."""
    from beichen.render import escape

    return escape.myst(text)


def edited(source: str, deleted: set[int], inserted: dict[int, str]) -> str:
    return "".join(inserted.get(i, "") + ("" if i in deleted else ch) for i, ch in enumerate(source)) \
        + inserted.get(len(source), "")


def replace_paragraph(text: str, passage: str, old: str, new: str) -> str | None:
    """The file's text with one paragraph of one passage replaced; None if it is no longer there."""
    marker = re.search(rf"^<!--\s*passage:\s*{re.escape(passage)}\s*-->\s*$", text, re.M)
    if not marker:
        return None
    following = re.search(r"^<!--\s*passage:", text[marker.end():], re.M)
    end = marker.end() + following.start() if following else len(text)
    at = text.find(old, marker.end(), end)
    return None if at < 0 else text[:at] + new + text[at + len(old):]


def item_id(change, anchor: str | None) -> str:
    key = f"{change.kind}|{anchor}|{change.start}|{change.text}|{change.author}|{change.date}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def bring_back(year: int, file: Path, data_dir: Path, narrative_dir: Path, review_dir: Path, apply: bool,
               log=print) -> dict:
    """Place every change and comment of `file`; propose (and with `apply`, write) the passage edits;
    record every item in meta/review-<year>.yml. Returns {items, diffs, written}."""
    current = docx_dir(review_dir, year) / f"report-{year}.docx"
    mpath = manifest_path(current)
    manifest = json.loads(mpath.read_text(encoding="utf-8")) if mpath.exists() else None
    doc = reader.read(Path(file))
    check_draft(file, doc.properties, manifest, year, current)
    items, edits = [], {}   # edits: (file, passage, source) → (deleted, inserted)
    for para in doc.paragraphs:
        if not para.changes:
            continue
        anchor, mp, how = locate(para, manifest)
        info = manifest["anchors"].get(anchor) if anchor else None
        for change, ok, why in decide(para.changes, anchor, mp, info, data_dir, year):
            item = {"id": item_id(change, anchor), "审阅人": change.author, "日期": change.date[:10],
                    "类型": {"insert": "插入", "delete": "删除", "comment": "批注"}[change.kind],
                    "位置": anchor or "", "定位": how, "原文": (change.quoted if change.kind == "comment" else
                                                         para.original[max(0, change.start - 12):change.end + 12]),
                    "内容": change.text}
            if change.kind == "comment":
                item.update(处理="待处理", 理由="批注：由起草组研究后填写处理意见")
            else:
                if ok:
                    placed = mp["placed"]
                    d, i = source_edit(change, placed)
                    slot = edits.setdefault((placed["file"], placed["passage"], placed["source"]), (set(), {}))
                    slot[0].update(d)
                    for k, v in i.items():
                        slot[1][k] = slot[1].get(k, "") + v
                    item.update(处理="采纳" if apply else "待定", 理由=f"改入 narrative/{year}/{why}")
                else:
                    item.update(处理="未采纳", 理由=why)
            items.append(item)
    diffs, new_files = propose(edits, Path(narrative_dir) / str(year), year)
    written = []
    if apply and new_files:
        write_together(Path(narrative_dir) / str(year), new_files)
        written = sorted(new_files)
    record(Path(data_dir) / "meta" / f"review-{year}.yml", items, Path(file).name)
    return {"items": items, "diffs": diffs, "written": written}


def propose(edits: dict, folder: Path, year: int) -> tuple[list[str], dict[str, str]]:
    """The new text of every narrative file a passage edit touches, and its diff; all or nothing: a
    passage changed since the draft was made stops the whole proposal."""
    texts: dict[str, str] = {}
    for (name, passage, source), (deleted, inserted) in sorted(edits.items()):
        text = texts.get(name) or (folder / name).read_text(encoding="utf-8")
        new = replace_paragraph(text, passage, source, edited(source, deleted, inserted))
        if new is None:
            raise ReviewError(f"narrative/{year}/{name} 的 {passage} 段在生成 Word 稿之后已改动，审阅意见无法对应："
                              f"请重新 make docx YEAR={year}，把意见转录到新稿后再导回（未改动任何文件）。")
        texts[name] = new
    diffs = []
    for name, new in texts.items():
        old = (folder / name).read_text(encoding="utf-8")
        diffs.append("".join(difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                                  f"narrative/{year}/{name}", f"narrative/{year}/{name}（审阅后）")))
    return diffs, texts


def write_together(folder: Path, texts: dict[str, str]) -> None:
    """Every edited narrative file or none (lib/beichen/journal.py, as `make import` does for data)."""
    import tempfile

    from beichen import journal

    with tempfile.TemporaryDirectory() as tmp:
        staged = {}
        for name, text in texts.items():
            (Path(tmp) / name).write_text(text, encoding="utf-8")
            staged[name] = Path(tmp) / name
        journal.replace_together(folder, staged)


def record(path: Path, items: list[dict], source: str) -> None:
    """meta/review-<year>.yml: every comment and change; an analyst's decision already there is kept."""
    old = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    kept = {i["id"]: i for i in (old or {}).get("意见", [])}
    for item in items:
        before = kept.get(item["id"])
        if before and before.get("处理") not in ("待定", "待处理") and item["处理"] in ("待定", "待处理"):
            item.update(处理=before["处理"], 理由=before.get("理由", ""))
        item["来源文件"] = source
        kept[item["id"]] = item
    path.parent.mkdir(parents=True, exist_ok=True)
    head = ("# 征求意见的处理（make review 写入；“处理”可改为 采纳/部分采纳/未采纳 并写明理由，"
            "重新导回时保留）。核查报告的“意见处理”表即此文件。\n")
    path.write_text(head + yaml.safe_dump({"意见": list(kept.values())}, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
