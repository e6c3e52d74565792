"""Per-year qualitative passages, kept in data/narrative/<year>/<chapter>.md.

A chapter file holds passages separated by marker lines ``<!-- passage: name -->``. Each
passage is a Jinja2 template: figures are never typed into it but looked up with
``{{ v("metric_or_indicator_id") }}`` (prints value, unit and — if older than the report
year — its year), or taken from values the chapter computed (``{{ d.name }}``).
Also available: ``num(id)`` bare number, ``cn(id)`` count in characters (“三”, “近千” with 近 in the text),
``v_at(id, year)`` a given year's value, ``value(id[, year])`` the Value object,
``ind(id)`` an indicator view, ``k.<name>`` derived figures (lib/beichen/model/derived.py),
``s.<builder>`` sentence builders (lib/beichen/render/sentences.py), ``c(id)`` a chain's figures (firms, output,
growth, share).
An unknown id or placeholder is an error, not a blank. A passage missing for a year shows
PENDING in place and is listed by the build, so the chapter still builds.
"""
from __future__ import annotations

import re
from pathlib import Path

import jinja2
import jinja2.sandbox

from beichen import formatting as fmt
from beichen.render import escape
from beichen.render import sentences
from beichen.render import template_limits
from beichen.model.derived import DerivedFigure, derived_figures
# The file format is the inputs' (lib/beichen/inputs/narrative.py); these are the names the rendering reads.
from beichen.inputs.narrative import STUB, TITLE_PREFIX, NarrativeError, parse_passages, passage_lines, year_titles
from beichen.paths import NARRATIVE_DIR
from beichen.model.edition import Edition

PENDING = "本年度文字待补充"
# How a pending passage shows: bold in a paragraph; where Markdown emphasis cannot stand (a table
# cell, a caption) the same words in their brackets, as plain text (`plain_text`).
PENDING_PLAIN = f"【{PENDING}】"
PENDING_MARK = f"**{PENDING_PLAIN}**"


# Passages named title_<key> are the year's words in a heading. Templates write ``{{ title_<key> }}``
# and the build substitutes them (MyST substitutions) in one of two ways:
# - a subtitle after the heading's fixed part (“（一）完成情况” + “：五大维度均现显著突破”), nothing when
#   the year has none;
# - a whole heading (“1.” + “超百亿元产业链支撑作用凸显”) for the keys data/meta/report.yml lists under
#   `headings`, which give the plain heading printed while the year's text is pending (“超百亿元产业链”).
# Either way last year's words never stand over this year's section: a stub counts as none.
from beichen.render.outline import TITLE_IN_TEMPLATE  # noqa: E402  (one home: the templates' reader)


def markdown_text(text: str) -> str:
    """Plain text made safe for inline MyST: markup characters are escaped, lines joined."""
    return escape.myst(" ".join(str(text).split()))


def heading_subtitles(narrative_dir: Path | str, year: int, keys: set[str],
                      whole: dict[str, str] | None = None) -> dict[str, str]:
    """The MyST substitution of every title key the templates use (escaped): “：subtitle”, or “” where
    the year has none; for the keys of `whole` (report.yml `headings`: key → plain heading), the year's
    whole heading, or the plain heading while the year's text is pending."""
    whole = whole or {}
    found = year_titles(narrative_dir, year)
    out = {}
    for key in sorted(keys | set(found) | set(whole)):
        if key in whole:
            out[key] = markdown_text(found.get(key) or whole[key])
        else:
            out[key] = "：" + markdown_text(found[key]) if key in found else ""
    return out


def plain_text(text: str) -> str:
    """A passage as printed outside a paragraph (a table cell, a caption, a heading): the pending mark
    without its emphasis, so that no literal “**” is printed."""
    return str(text).replace(PENDING_MARK, PENDING_PLAIN)


# --- what a passage is, in the report's words (for the list of passages still to write) ----------

# Passage families whose names end in an id: what the id names, and the word for the passage.
_FAMILY_WORDS = {"merit_": "突出成效", "chain_": "", TITLE_PREFIX: "标题"}
_NUMERAL = re.compile(r"^([一二三四五六七八九十]+、)(.*)$")
_SECTION = re.compile(r"^(（[一二三四五六七八九十]+）)(.*)$")
_ITEM = re.compile(r"^(\d+\.)(.*)$")
_PASSAGE_CALL = re.compile(r"passage\(\s*(f?)\"([^\"]*)\"")
_SECTION_CALL = re.compile(r"outline\.passages\(\s*ed,\s*\"(\w+)\"\)")
_TABLE_NUMBER = re.compile(r"[\"'](表\d+-\d+)")


def _heading_words(text: str, headings: dict[str, str]) -> str:
    """A template heading as the reader sees it without the year's words: “（一）完成情况”, or the
    plain heading of a whole-heading key (“1.超百亿元产业链”)."""
    return TITLE_IN_TEMPLATE.sub(lambda m: headings.get(m.group(1), ""), text).strip()


def passage_places(chapter: str, headings: dict[str, str] | None = None,
                   chapters_dir: Path | None = None, data=None) -> list[tuple[re.Pattern, str, str, int, int]]:
    """Where each passage of a chapter template stands: (name pattern, place “一、（二）”, the innermost
    heading's words, its position among the passages of that place, how many share it), read from
    chapters/<chapter>.ipynb (headings of markdown cells, ``passage("…")`` calls of code cells, and the
    passages of report.yml a cell asks for with ``outline.passages(ed, "…")``). With the plan's `data`,
    the template as the build runs it for that plan (lib/beichen/render/outline.py: one section per dimension …)."""
    import json

    from beichen.paths import CHAPTERS_DIR
    from beichen.render import outline

    path = Path(chapters_dir or CHAPTERS_DIR) / f"{chapter}.ipynb"
    if not path.exists():
        return []
    headings = headings or {}
    template = json.loads(path.read_text(encoding="utf-8"))
    if data is not None and outline.is_template(template):
        template = outline.expand_notebook(template, data)
    report = (data.meta.get("report") or {}) if data is not None else {}
    cells = template.get("cells", [])
    levels = {1: ("", ""), 2: ("", ""), 3: ("", "")}   # level → (number, words)
    innermost, found = 1, []
    for cell in cells:
        source = "".join(cell.get("source", []))
        if cell.get("cell_type") == "markdown":
            for line in source.splitlines():
                marks = len(line) - len(line.lstrip("#"))
                if 1 <= marks <= 3 and line[marks:marks + 1] == " ":
                    words = _heading_words(line[marks:], headings)
                    # a "1." section right under a chapter (五's recommendations) is numbered as an item
                    match = {1: _NUMERAL, 2: _SECTION, 3: _ITEM}[marks].match(words) or (
                        _ITEM.match(words) if marks == 2 else None)
                    levels[marks] = (match.group(1), match.group(2)) if match else ("", words)
                    for deeper in range(marks + 1, 4):
                        levels[deeper] = ("", "")
                    innermost = marks
                    for key in TITLE_IN_TEMPLATE.findall(line):   # “二、（一）1.超百亿元产业链 小标题”
                        place = "".join(levels[level][0] for level in range(1, marks))
                        found.append((re.compile(re.escape(key) + "$"), place,
                                      words + (" 章标题" if marks == 1 else " 小标题"), 1, 1))
            continue
        table = _TABLE_NUMBER.search(source)
        place = "".join(levels[level][0] for level in range(1, innermost + 1))
        what = levels[innermost][1] if innermost > 1 else ""
        calls = _PASSAGE_CALL.findall(source)
        for section in _SECTION_CALL.findall(source):  # a section's passages as report.yml lists them
            calls += [("", name) for name in outline.section_passages(report, section)]
        for fstring, name in calls:
            pattern = re.escape(name)
            if fstring:
                pattern = re.sub(r"\\\{[^}]*\\\}", r"(\\w+)", pattern)
            # a family of passages filling a table's column is named by the table (“表1-1 突出成效”)
            detail = table.group(1) if table and fstring else what
            found.append((re.compile(pattern + "$"), place, detail, 0, 0))
    # the position of each literal passage among those of its place (“第2段”)
    counts: dict[str, int] = {}
    for i, (pattern, place, what, _, _) in enumerate(found):
        if found[i][3] == 0 and "(" not in pattern.pattern:
            counts[place] = counts.get(place, 0) + 1
            found[i] = (pattern, place, what, counts[place], 0)
    return [(pattern, place, what, n, counts.get(place, 1) if n else 1) for pattern, place, what, n, _ in found]


def passage_label(chapter: str, name: str, edition: Edition | None = None, what: str = "",
                  chapters_dir: Path | None = None, order: list[str] | None = None) -> str:
    """A passage named as the report's reader would find it: chapter, section and what the passage is
    (“一、（二）表1-1 突出成效：制造业增加值占GDP比重”, “二、（一）1.超百亿元产业链：新材料产业链”,
    “二、导语”), never a file or passage id. `what` overrides the description (the 核查报告's own
    passages are described by the 核查报告)."""
    if chapter == "check":
        return f"核查报告：{what or _check_words(name, edition, order or [])}"
    headings = (edition.data.meta["report"].get("headings") or {}) if edition is not None else {}
    data = edition.raw_data if edition is not None else None
    for pattern, place, heading, n, of in passage_places(chapter, headings, chapters_dir, data):
        match = pattern.match(name)
        if not match:
            continue
        if what:
            return f"{place}{what}"
        if match.groups():
            family = next((f for f in _FAMILY_WORDS if name.startswith(f)), "")
            subject = _figure_words(match.group(1), edition)
            word = _FAMILY_WORDS.get(family, "")
            return f"{place}{heading}{' ' if heading and word else ''}{word}：{subject}"
        if not heading:   # a chapter's lead-in; or a numbered section's text (五、1.), its heading the year's words
            numbered = bool(_ITEM.match(place.split("、", 1)[-1]))
            return f"{place}{('' if numbered else '导语') if of == 1 else f'第{n}段'}"
        return f"{place}{heading}{'' if of == 1 else f' 第{n}段'}"
    return f"{_chapter_numeral(chapter)}{what or '其他文字'}"


def _chapter_numeral(chapter: str) -> str:
    """“一、” for 01_…, from the chapter file's number (the 摘要 00 has none)."""
    number = int(chapter[:2]) if chapter[:2].isdigit() else 0
    return f"{fmt.chinese_numeral(number)}、" if 0 < number <= 10 else ""


def _figure_words(figure_id: str, edition: Edition | None) -> str:
    """The Chinese name of an indicator, metric or chain id (the id itself only without an edition)."""
    if edition is None:
        return figure_id
    data = edition.raw_data
    indicators = data.indicators.set_index("indicator_id")["name"]
    if figure_id in indicators.index:
        return str(indicators[figure_id])
    chains = data.chains.drop_duplicates("chain_id").set_index("chain_id")["name"]
    if figure_id in chains.index:
        return str(chains[figure_id])
    metrics = edition.all_data.metrics.drop_duplicates("metric_id").set_index("metric_id")["name"]
    return str(metrics[figure_id]) if figure_id in metrics.index else figure_id


def _check_words(name: str, edition: Edition | None, order: list[str]) -> str:
    """A 核查报告 passage described: its opening, or the finding by its number in the file and the
    figure it is about where its name says (“核查发现第1条：“小巨人”企业”)."""
    if not name.startswith("finding-"):
        return {"audit_intro": "导语", "findings_lead": "核查发现导语"}.get(name, "说明文字")
    findings = [n for n in order if n.startswith("finding-")]
    number = f"第{findings.index(name) + 1}条" if name in findings else ""
    subject = name.removeprefix("finding-").split("-")[0]
    words = _figure_words(subject, edition)
    return f"核查发现{number}" + (f"：{words}" if words != subject else "")


class _Sandbox(template_limits.BoundedSandbox):
    """Jinja2's immutable sandbox (no dunder attributes, no mutation of lists and dicts), and
    no way from a figure to the machine: attributes holding modules, paths, data frames or the
    raw data tables are refused too (``ind('x').edition.data.data_dir.write_text(…)``).

    Bounded work (lib/beichen/render/template_limits.py): numbers, sizes and steps a passage may compute, and
    the seconds one render may take, so that a passage cannot hang or exhaust the build.

    Every printed value is escaped for MyST (`finalize`): a name or source from the data shows
    as text, never as markup.
    """

    def is_safe_attribute(self, obj, attr, value):
        import types

        import pandas as pd

        from beichen.inputs.loading import ReportData

        if isinstance(obj, types.ModuleType) and obj is not sentences:
            return False
        if isinstance(value, (types.ModuleType, Path, pd.DataFrame, pd.Series, ReportData, Edition)):
            return False
        if isinstance(obj, (Path, pd.DataFrame, pd.Series, ReportData)):
            return False
        return super().is_safe_attribute(obj, attr, value)


class Narrative:
    """The passages of one chapter for one edition, rendered against its figures."""

    def __init__(self, edition: Edition, chapter: str, narrative_dir: Path | str = NARRATIVE_DIR):
        self.edition = edition
        self.chapter = chapter
        self.path = Path(narrative_dir) / str(edition.year) / f"{chapter}.md"
        self.passages = parse_passages(self.path.read_text(encoding="utf-8")) if self.path.exists() else {}
        self.pending: list[str] = []
        # Targets (kind “target”) the year's rendered passages cite, in order: what chapter 五's table of
        # recommended targets lists, so that it never shows a target the year's text does not contain.
        self.cited_targets: list[str] = []
        self._derived_cache = None
        self._env = _Sandbox(undefined=jinja2.StrictUndefined, autoescape=False,
                             keep_trailing_newline=False, finalize=escape.myst)
        self._lines = passage_lines(self.path.read_text(encoding="utf-8")) if self.path.exists() else {}
        self._list_pending_titles()

    def _list_pending_titles(self) -> None:
        """The chapter's heading passages (title_*) the year has not written yet are listed like any
        pending passage: the heading then shows its plain words (`heading_subtitles`), not last year's."""
        for name, body in self.passages.items():
            if name.startswith(TITLE_PREFIX) and (not body or STUB.match(body)):
                if self.edition.reads is not None:  # the list changes when the passage is written
                    self.edition.reads.note_passage(self.chapter, name, body)
                self._pending(name)

    def _cite(self, figure_id: str, kind: str) -> None:
        if kind == "target":
            self._render_state["targets"].append(figure_id)

    def _v(self, figure_id: str, kind: str = "actual") -> str:
        """A figure where it stands: number, unit and — when older than the edition — its year, once."""
        self._cite(figure_id, kind)
        value = self.edition.lookup(figure_id, kind)
        if value.stale:
            self._render_state["stale_figures"].append(f"{value.label}（{value.year}年）")
        return value.text

    def _in_phrase(self, figure_id: str, kind: str):
        """A count that sits inside a phrase (连续三年, 18项指标, 20余家) takes no year label, so it must be
        of the edition's own year: an older one stops the passage (it would state last year's fact as
        this year's)."""
        self._cite(figure_id, kind)
        value = self.edition.lookup(figure_id, kind)
        if value.stale:
            raise _StaleInPhrase(f"{value.label}仍为{value.year}年的数（句中计数不能注明年份）")
        return value

    def _v_at(self, figure_id: str, year: int, kind: str = "actual") -> str:
        """A metric's value in one given year, without vintage marker: “16个” for a count of 16 in 2020."""
        self._cite(figure_id, kind)
        return self.edition.metric(figure_id, kind, year=year).plain

    def _value(self, figure_id: str, year: int | None = None, kind: str = "actual"):
        """The Value object itself, for sentence builders: ``s.multiple_since(value('x'), value('x', 2020))``."""
        self._cite(figure_id, kind)
        if year is None:
            return self.edition.lookup(figure_id, kind)
        return self.edition.metric(figure_id, kind, year=year)

    def _cn(self, figure_id: str, kind: str = "actual") -> str:
        """A count in Chinese characters, as prose writes it: a small one (“连续三年”, “全市第一”), or a
        round one of 百/千/万 (“近千名”: a figure qualified 近/超 in the data drops the leading 一)."""
        value = self._in_phrase(figure_id, kind)
        if value.missing:
            return fmt.MISSING
        if value.value >= 100:
            return fmt.chinese_round(value.value, bare_one=value.qualifier in ("近", "超"))
        return fmt.chinese_numeral(value.value)

    def _num(self, figure_id: str, kind: str = "actual") -> str:
        """The bare number, for phrases such as “超{{ num('x') }}个” where the unit is in the text."""
        value = self._in_phrase(figure_id, kind)
        return fmt.number(value.value) if not value.missing else fmt.MISSING

    def _derived(self) -> "_Namespace":
        if self._derived_cache is None:
            figures = derived_figures(self.edition)
            # A count of chains sits inside the analyst's phrase (“培育形成{{ k.over_100_count }}超百亿元
            # 产业链”), where no year label can stand: the plan's number of chains has no year, and the
            # over-100 count of an earlier year stops the passage, as `_in_phrase` does.
            for name in _CHAIN_COUNTS_IN_PHRASE:
                figures[name] = _PhraseCount(**vars(figures[name]))
            self._derived_cache = _Namespace(figures)
        return self._derived_cache

    def _chain(self, chain_id: str) -> "_Namespace":
        """One industrial chain's figures at its latest year (labelled “（2024年）” when older than the
        edition) for a passage: ``c.firms`` “115家”, ``c.output`` “425.1亿元”, ``c.growth`` “3.6%”
        (a decline with its word: “下降5.9%”; 暂无数据 if not stated), ``c.change`` “增长3.6%”/“下降5.9%”,
        ``c.share`` of 规上工业总产值 of the same year (computed), ``c.year``."""
        chains = self.edition.chains()
        rows = chains[chains["chain_id"] == chain_id]
        if rows.empty:
            raise KeyError(f"unknown chain {chain_id!r} in chains.csv for {self.edition.year}")
        row = rows.iloc[0]  # keeps the data's row index: the value cites its line
        firms, output = self.edition.chain_value(row, "enterprises"), self.edition.chain_value(row, "output_100m_yuan")
        growth = self.edition.chain_value(row, "yoy_growth_pct")
        # the share is of 规上工业总产值 of the chain's own year (暂无数据 without it), labelled like the output
        share = self.edition.chain_share(row)
        return _Namespace({"firms": firms.text, "output": fmt.vintage(fmt.yi(output.value, None), output.year, self.edition.year),
                           "growth": _chain_growth(growth), "change": fmt.growth(growth.value, None),
                           "share": share.text, "year": output.year, "name": row["name"]})

    def _pending(self, name: str, why: str = "") -> str:
        """The pending mark; the passage is listed by its place in the report (`passage_label`)."""
        label = (passage_label(self.chapter, name, self.edition, order=list(self.passages))
                 + (f"（{why}）" if why else ""))
        if label not in self.pending:
            self.pending.append(label)
        return PENDING_MARK

    def render(self, name: str, **computed) -> str:
        """Render passage `name`; `computed` values are available as ``d.<key>``.

        A passage is pending (shown as 本年度文字待补充 and listed by the build) when the year has none,
        when it is still a stub, when a count inside a phrase is of an earlier year, or when it writes
        the edition's year (“{{ year }}年…”) next to a figure of an earlier year.

        It runs in Jinja2's sandbox with every printed value escaped for MyST, and neither its text
        nor what it renders may carry raw HTML, directives or substitutions (lib/beichen/render/escape.py):
        a passage that tries fails the build, naming file, passage and line."""
        if self.edition.reads is not None:  # a chapter's rebuild depends on this passage's text
            self.edition.reads.note_passage(self.chapter, name, self.passages.get(name))
        if name not in self.passages or not self.passages[name] or STUB.match(self.passages[name]):
            return self._pending(name)
        source = self.passages[name]
        first = self._lines.get(name, 1)
        problems = escape.markup_problems(source, first, template=True)
        if problems:
            raise NarrativeError("\n".join(f"{self.path}: 第{line}行（段落 {name}）: {what}" for line, what in problems))
        self._render_state = {"stale_figures": [], "year_used": False, "targets": []}
        state = self._render_state
        where = f"{self.path}: 段落 {name}（第{first}行起）"
        try:
            # Compiling is bounded too: Jinja folds constant expressions while it compiles.
            with template_limits.budget():
                template = self._env.from_string(source)
                text = template.render(v=self._v, num=self._num, d=_Namespace(computed),
                                       v_at=self._v_at, cn=self._cn, value=self._value, k=_Lazy(self._derived),
                                       ind=self.edition.indicator, s=sentences, c=self._chain,
                                       year=_EditionYear(self.edition.year, state)).strip()
                text = _rise_before_decline(text)
        except template_limits.LimitExceeded as err:
            raise NarrativeError(f"{where}: 模板的计算超出限制，已拒绝: {err}") from None
        except template_limits.RenderTimeout:
            raise NarrativeError(f"{where}: 渲染超过{template_limits.time_limit():g}秒，已中止"
                                 f"（时限见环境变量 {template_limits.TIMEOUT_ENV}）") from None
        except RecursionError:
            raise NarrativeError(f"{where}: 模板递归过深（宏调用自身？），已拒绝") from None
        except (ArithmeticError, TypeError) as err:  # 1/0, 'x' * 'y': the passage's fault, said with its name
            raise NarrativeError(f"{where}: 模板计算出错: {type(err).__name__}: {err}") from None
        except _StaleInPhrase as err:
            return self._pending(name, str(err))
        except jinja2.sandbox.SecurityError as err:
            raise NarrativeError(f"{where}: 模板访问了不允许访问的内容，已拒绝: {err}") from None
        except (jinja2.UndefinedError, KeyError) as err:
            raise NarrativeError(f"{self.path}: passage {name!r}: {err}") from None
        except jinja2.TemplateSyntaxError as err:
            raise NarrativeError(f"{self.path}: passage {name!r}: line {err.lineno}: {err.message}") from None
        problems = escape.markup_problems(text)
        if problems:  # e.g. {% raw %}{{ … }}{% endraw %}: a substitution Sphinx would evaluate
            raise NarrativeError("\n".join(f"{self.path}: 段落 {name}（第{first}行起）渲染结果: {what}"
                                            for _, what in problems))
        if state["year_used"] and state["stale_figures"]:
            return self._pending(name, f"段落写明{self.edition.year}年，但引用了" + "、".join(state["stale_figures"]))
        self.cited_targets += [t for t in dict.fromkeys(state["targets"]) if t not in self.cited_targets]
        return text


class _StaleInPhrase(Exception):
    """A count inside a phrase is older than the edition."""


# Derived chain counts that templates write inside a phrase (lib/beichen/model/derived.py).
_CHAIN_COUNTS_IN_PHRASE = ("chains_count", "over_100_count")


class _PhraseCount(DerivedFigure):
    """A derived count printed inside a phrase: without a year label, so an earlier year's stops the
    passage (“5条（2024年）超百亿元产业链” would misplace the label, “5条” would pass 2024 off as now)."""

    def __str__(self) -> str:
        if self.stale:
            raise _StaleInPhrase(f"{self.inputs[0].label}仍为{self.year}年的数（句中计数不能注明年份）")
        return self.text


# Marks a rendered decline so that a rising verb written just before it goes (see `_rise_before_decline`).
_DECLINE = "\ue000"
_RISE_BEFORE_DECLINE = re.compile(f"(?:增长|增加|提高|上升)?{_DECLINE}")


def _chain_growth(growth) -> str:
    """A chain's growth as passages print it after “同比增长”/“同比”: the rate (“3.6%”); a decline carries
    its word (“下降5.9%”), never a minus sign after “增长”."""
    if growth.missing or growth.value >= 0:
        return growth.plain
    return _DECLINE + fmt.growth(growth.value, None)


def _rise_before_decline(text: str) -> str:
    """“同比增长{{ c(…).growth }}” was written for a year of growth (2024's text is the next year's
    draft): over a decline it reads “同比下降5.9%”, not “同比增长下降5.9%”."""
    return _RISE_BEFORE_DECLINE.sub("", text)


class _EditionYear:
    """The edition's year in a passage; notes that the passage states it."""

    def __init__(self, year: int, state: dict):
        self._year, self._state = year, state

    def __str__(self) -> str:
        self._state["year_used"] = True
        return str(self._year)

    def __int__(self) -> int:
        return self._year


class _Lazy:
    """The derived figures, computed on first use: a passage that uses none needs none of their inputs."""

    def __init__(self, make):
        self._make = make

    def __getattr__(self, key: str):
        return getattr(self._make(), key)


class _Namespace:
    """Attribute access to computed values that fails loudly on an unknown name."""

    def __init__(self, values: dict):
        self._values = values

    def __getattr__(self, key: str):
        try:
            return self._values[key]
        except KeyError:
            raise KeyError(f"placeholder d.{key} is not provided by the chapter "
                           f"(provided: {sorted(self._values)})") from None
