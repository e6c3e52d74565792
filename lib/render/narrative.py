"""Per-year qualitative passages, kept in data/narrative/<year>/<chapter>.md.

A chapter file holds passages separated by marker lines ``<!-- passage: name -->``. Each
passage is a Jinja2 template: figures are never typed into it but looked up with
``{{ v("metric_or_indicator_id") }}`` (prints value, unit and — if older than the report
year — its year), or taken from values the chapter computed (``{{ d.name }}``).
Also available: ``num(id)`` bare number, ``cn(id)`` small count in characters (“三”),
``v_at(id, year)`` a given year's value, ``value(id[, year])`` the Value object,
``ind(id)`` an indicator view, ``k.<name>`` derived figures (lib/derived.py),
``s.<builder>`` sentence builders (lib/sentences.py), ``c(id)`` a chain's figures (firms, output,
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
from beichen.paths import NARRATIVE_DIR
from beichen.model.edition import Edition

PENDING = "本年度文字待补充"
MARKER = re.compile(r"^<!--\s*passage:\s*([\w-]+)\s*-->\s*$", re.MULTILINE)
# `make new-year` copies last year's passages as stubs, each opening with this line; until the
# analyst has revised a passage and deleted the line, it counts as missing (shown as PENDING),
# so last year's wording is never published as this year's.
STUB = re.compile(r"^<!--\s*待更新")
# Lines of last year's text that a new-year stub carries for reference: never rendered, so deleting
# the 待更新 line alone leaves an empty passage (shown as pending), never last year's words.
REFERENCE_PREFIX = "参考｜"


# Passages named title_<key> are heading subtitles of that year (“（一）完成情况：五大维度均现显著突破”):
# templates write ``{{ title_<key> }}`` after a heading's fixed part and the build substitutes the
# year's text (a MyST substitution), or nothing when the year has none.
TITLE_PREFIX = "title_"
TITLE_IN_TEMPLATE = re.compile(r"\{\{\s*(title_\w+)\s*\}\}")


def markdown_text(text: str) -> str:
    """Plain text made safe for inline MyST: markup characters are escaped, lines joined."""
    return escape.myst(" ".join(str(text).split()))


def year_titles(narrative_dir: Path | str, year: int) -> dict[str, str]:
    """{title_<key>: the year's words} of every title passage the year has written (stubs left out)."""
    found: dict[str, str] = {}
    folder = Path(narrative_dir) / str(year)
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        for name, body in parse_passages(path.read_text(encoding="utf-8")).items():
            if name.startswith(TITLE_PREFIX) and not STUB.match(body) and body.strip():
                found[name] = " ".join(body.split())
    return found


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


class NarrativeError(ValueError):
    """A passage refers to a figure or placeholder that does not exist, reaches for what a
    template may not touch, or holds markup a passage may not carry."""


class _Sandbox(template_limits.BoundedSandbox):
    """Jinja2's immutable sandbox (no dunder attributes, no mutation of lists and dicts), and
    no way from a figure to the machine: attributes holding modules, paths, data frames or the
    raw data tables are refused too (``ind('x').edition.data.data_dir.write_text(…)``).

    Bounded work (lib/render/template_limits.py): numbers, sizes and steps a passage may compute, and
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


def passage_reader(narrative_dir: Path | str, year: int):
    """(chapter, name) → the passage's text in narrative_dir/<year>/<chapter>.md now, or None: what a
    rebuild compares with the text a chapter rendered (lib/model/reads.py)."""
    parsed: dict[str, dict[str, str]] = {}

    def read(chapter: str, name: str) -> str | None:
        if chapter not in parsed:
            path = Path(narrative_dir) / str(year) / f"{chapter}.md"
            parsed[chapter] = parse_passages(path.read_text(encoding="utf-8")) if path.exists() else {}
        return parsed[chapter].get(name)

    return read


def parse_passages(text: str) -> dict[str, str]:
    """Split a chapter's narrative file into {passage name: template text}; reference lines
    (“参考｜…”, last year's text in a stub) are dropped."""
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(REFERENCE_PREFIX))
    parts = MARKER.split(text)
    passages = {}
    for name, body in zip(parts[1::2], parts[2::2]):
        if name in passages:
            raise NarrativeError(f"passage {name!r} appears twice")
        passages[name] = body.strip()
    return passages


class Narrative:
    """The passages of one chapter for one edition, rendered against its figures."""

    def __init__(self, edition: Edition, chapter: str, narrative_dir: Path | str = NARRATIVE_DIR):
        self.edition = edition
        self.chapter = chapter
        self.path = Path(narrative_dir) / str(edition.year) / f"{chapter}.md"
        self.passages = parse_passages(self.path.read_text(encoding="utf-8")) if self.path.exists() else {}
        self.pending: list[str] = []
        self._derived_cache = None
        self._env = _Sandbox(undefined=jinja2.StrictUndefined, autoescape=False,
                             keep_trailing_newline=False, finalize=escape.myst)
        self._lines = _passage_lines(self.path.read_text(encoding="utf-8")) if self.path.exists() else {}

    def _v(self, figure_id: str, kind: str = "actual") -> str:
        """A figure where it stands: number, unit and — when older than the edition — its year, once."""
        value = self.edition.lookup(figure_id, kind)
        if value.stale:
            self._render_state["stale_figures"].append(f"{value.label}（{value.year}年）")
        return value.text

    def _in_phrase(self, figure_id: str, kind: str):
        """A count that sits inside a phrase (连续三年, 18项指标, 20余家) takes no year label, so it must be
        of the edition's own year: an older one stops the passage (it would state last year's fact as
        this year's)."""
        value = self.edition.lookup(figure_id, kind)
        if value.stale:
            raise _StaleInPhrase(f"{value.label}仍为{value.year}年的数（句中计数不能注明年份）")
        return value

    def _v_at(self, figure_id: str, year: int, kind: str = "actual") -> str:
        """A metric's value in one given year, without vintage marker: “16个” for first_sets in 2020."""
        return self.edition.metric(figure_id, kind, year=year).plain

    def _value(self, figure_id: str, year: int | None = None, kind: str = "actual"):
        """The Value object itself, for sentence builders: ``s.multiple_since(value('x'), value('x', 2020))``."""
        if year is None:
            return self.edition.lookup(figure_id, kind)
        return self.edition.metric(figure_id, kind, year=year)

    def _cn(self, figure_id: str, kind: str = "actual") -> str:
        """A small count in Chinese characters, as prose writes it: “连续三年”, “全市第一”."""
        value = self._in_phrase(figure_id, kind)
        return fmt.MISSING if value.missing else fmt.chinese_numeral(value.value)

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
        label = f"{self.chapter}/{name}" + (f"：{why}" if why else "")
        if label not in self.pending:
            self.pending.append(label)
        return f"**【{PENDING}】**"

    def render(self, name: str, **computed) -> str:
        """Render passage `name`; `computed` values are available as ``d.<key>``.

        A passage is pending (shown as 本年度文字待补充 and listed by the build) when the year has none,
        when it is still a stub, when a count inside a phrase is of an earlier year, or when it writes
        the edition's year (“{{ year }}年…”) next to a figure of an earlier year.

        It runs in Jinja2's sandbox with every printed value escaped for MyST, and neither its text
        nor what it renders may carry raw HTML, directives or substitutions (lib/render/escape.py):
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
        self._render_state = {"stale_figures": [], "year_used": False}
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
        return text


def _passage_lines(text: str) -> dict[str, int]:
    """{passage name: line number in the file where its text starts}."""
    lines = {}
    for match in MARKER.finditer(text):
        lines[match.group(1)] = text.count("\n", 0, match.end()) + 2
    return lines


class _StaleInPhrase(Exception):
    """A count inside a phrase is older than the edition."""


# Derived chain counts that templates write inside a phrase (lib/model/derived.py).
_CHAIN_COUNTS_IN_PHRASE = ("chains_count", "over_100_count")


class _PhraseCount(DerivedFigure):
    """A derived count printed inside a phrase: without a year label, so an earlier year's stops the
    passage (“5条（2024年）超百亿元产业链” would misplace the label, “5条” would pass 2024 off as now)."""

    def __str__(self) -> str:
        if self.stale:
            raise _StaleInPhrase(f"{self.inputs[0].label}仍为{self.year}年的数（句中计数不能注明年份）")
        return self.text


def _chain_growth(growth) -> str:
    """A chain's growth as passages print it after “同比增长”/“同比”: the rate (“3.6%”); a decline carries
    its word (“下降5.9%”), never a minus sign after “增长”."""
    if growth.missing or growth.value >= 0:
        return growth.plain
    return fmt.growth(growth.value, None)


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
