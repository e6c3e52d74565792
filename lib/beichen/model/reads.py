"""What a chapter read of the edition model, value by value, so a rebuild can tell whether it changed.

A chapter's output is a function of its template, the library code it ran, the pinned packages,
and what it asked the edition model and its narrative for. `Reads` records the asking: every
outermost query on an `Edition` (``metric("x")``, ``indicator("y")``, ``chains()``, a data table
or a metadata list read directly) with the SHA-256 of its answer, and every narrative passage
rendered with the SHA-256 of its text. To decide whether the chapter must run again, `replay`
asks the same questions of the new data and compares the answers: a figure entered for a later
edition is not in an earlier edition's view (`as_of_edition`), so it changes none of its answers.

Answers are hashed, not stored: a `Value` by every field (number, year, unit, provenance, label,
qualifier), an indicator view by its values, a frame by its CSV text.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from typing import Any, Callable

import pandas as pd

ABSENT = "<absent>"


def _canonical(obj: Any) -> Any:
    """A JSON-able form of an answer that changes whenever the answer does."""
    if obj is None or isinstance(obj, (str, bool, int)):
        return obj
    if isinstance(obj, float):
        return repr(obj)
    if isinstance(obj, pd.DataFrame):
        return {"frame": obj.to_csv(lineterminator="\n")}
    if isinstance(obj, pd.Series):
        return {"series": obj.to_csv(lineterminator="\n")}
    if isinstance(obj, (list, tuple)):
        return [_canonical(x) for x in obj]
    if isinstance(obj, dict):
        return {str(k): _canonical(v) for k, v in obj.items()}
    if dataclasses.is_dataclass(obj):
        # The plan is a dependency of every chapter on its own (its file): not repeated in each view.
        return {f.name: _canonical(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.name != "plan"}
    if hasattr(obj, "item"):  # numpy scalar
        return _canonical(obj.item())
    return repr(obj)


def digest(obj: Any) -> str:
    text = json.dumps(_canonical(obj), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Queries whose answer is not one figure, in the analyst's words.
_QUERY_WORDS = {"chains": "产业链数据", "chains_year": "产业链数据的年份", "indicator_ids": "评价指标目录",
                "indicators": "评价指标", "has_metric": "统计指标目录", "metric_name": "统计指标名称",
                "metric_row": "统计指标数据行", "metric_is_target": "统计指标类别",
                "target_indicator": "建议目标所属的评价指标",
                "sources": "数据来源单位"}


def _label(result: Any, query: str, args: tuple) -> str:
    """What the answer is, in the analyst's words, for “重算：…”."""
    label = getattr(result, "label", "") or getattr(result, "name", "")
    if isinstance(label, str) and label:
        return label
    words = _QUERY_WORDS.get(query, query)
    return f"{words}（{'、'.join(map(str, args))}）" if args else words


class Reads:
    """The questions one chapter asked of the edition model and of its narrative, with answer digests."""

    def __init__(self):
        self.entries: dict[str, dict] = {}
        self.depth = 0  # inside a recorded query: its own lookups are part of it, not recorded apart

    def note(self, year: int, query: str, args: tuple, kwargs: dict, result: Any, label: str = "") -> None:
        key = json.dumps([int(year), query, list(args), kwargs], ensure_ascii=False, sort_keys=True)
        if key not in self.entries:
            self.entries[key] = {"digest": digest(result), "label": label or _label(result, query, args)}

    def note_passage(self, chapter: str, name: str, text: str | None) -> None:
        key = json.dumps([0, "passage", [chapter, name], {}], ensure_ascii=False)
        self.entries.setdefault(key, {"digest": digest(text), "label": f"{chapter}.md 的段落“{name}”"})

    def to_json(self) -> list[dict]:
        return [{"key": key, **value} for key, value in sorted(self.entries.items())]


def recorded(method: Callable) -> Callable:
    """Record an outermost query on an Edition that has `reads` (a chapter's edition); others run as is."""
    name = method.__name__

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        reads = self.reads
        if reads is None or reads.depth:
            return method(self, *args, **kwargs)
        reads.depth += 1
        try:
            result = method(self, *args, **kwargs)
        finally:
            reads.depth -= 1
        reads.note(self.year, name, args, kwargs, result)
        return result

    return wrapper


class RecordingData:
    """An edition's data view that records which table or metadata list a chapter reads directly
    (``edition.data.metrics``, ``edition.data.meta["report"]["ladder"]``)."""

    def __init__(self, data, reads: Reads, year: int):
        self._data, self._reads, self._year = data, reads, year

    def __getattr__(self, name: str):
        value = getattr(self._data, name)
        if name == "meta":
            return _RecordingMeta(value, self._reads, self._year)
        if isinstance(value, pd.DataFrame):
            self._reads.note(self._year, "data", (name,), {}, value, label=f"数据表 {name}.csv")
        return value


class _RecordingMeta:
    """data.meta: {file: {key: …}}; reading meta[file][key] records that list alone."""

    def __init__(self, meta: dict, reads: Reads, year: int):
        self._meta, self._reads, self._year = meta, reads, year

    def __getitem__(self, file: str):
        return _RecordingMetaFile(file, self._meta[file], self._reads, self._year)

    def get(self, file: str, default=None):
        return self[file] if file in self._meta else default


class _RecordingMetaFile:
    def __init__(self, file: str, content: dict, reads: Reads, year: int):
        self._file, self._content, self._reads, self._year = file, content, reads, year

    def _note(self, key: str, value) -> None:
        self._reads.note(self._year, "meta", (self._file, key), {}, value,
                         label=f"data/meta/{self._file}.yml 的 {key}")

    def __getitem__(self, key: str):
        value = self._content[key]
        self._note(key, value)
        return value

    def get(self, key: str, default=None):
        value = self._content.get(key, default)
        self._note(key, self._content.get(key))
        return value

    def __contains__(self, key: str) -> bool:
        self._note(key, self._content.get(key))
        return key in self._content


def answer(edition, query: str, args: list, kwargs: dict, passage: Callable | None = None) -> Any:
    """Ask `edition` (or, for a passage, `passage(chapter, name)`) the recorded question again."""
    if query == "passage":
        return passage(*args) if passage else ABSENT
    view = edition.raw_data
    if query == "data":
        return getattr(view, args[0])
    if query == "meta":
        return view.meta.get(args[0], {}).get(args[1])
    return getattr(edition, query)(*args, **kwargs)


def replay(entries: list[dict], edition, passage: Callable | None = None, answers: dict | None = None) -> list[str]:
    """Ask the recorded questions of `edition` (the new data) again; the labels of those whose
    answer changed, in recorded order. A question that now fails counts as changed. `passage`
    (chapter, name) → the passage's text now (the narrative is the render layer's to read);
    `answers`: digests already worked out for these keys (shared by the chapters of one build)."""
    changed = []
    answers = {} if answers is None else answers
    for entry in entries:
        if entry["key"] not in answers:
            year, query, args, kwargs = json.loads(entry["key"])
            target = edition if year in (0, edition.year) else edition.as_of(year)
            try:
                answers[entry["key"]] = digest(answer(target, query, args, kwargs, passage))
            except Exception:  # e.g. an indicator no longer in the catalogue: the chapter must run to say so
                answers[entry["key"]] = ABSENT
        now = answers[entry["key"]]
        if now != entry["digest"] and entry["label"] not in changed:
            changed.append(entry["label"])
    return changed
