"""Per-year qualitative passages, kept in data/narrative/<year>/<chapter>.md.

A chapter file holds passages separated by marker lines ``<!-- passage: name -->``. Each
passage is a Jinja2 template: figures are never typed into it but looked up with
``{{ v("metric_or_indicator_id") }}`` (prints value, unit and — if older than the report
year — its year), or taken from values the chapter computed (``{{ d.name }}``).
Also available: ``num(id)`` bare number, ``cn(id)`` small count in characters (“三”),
``v_at(id, year)`` a given year's value, ``value(id[, year])`` the Value object,
``ind(id)`` an indicator view, ``k.<name>`` derived figures (lib/derived.py),
``s.<builder>`` sentence builders (lib/sentences.py), ``chain(id)`` a chain's data sentence.
An unknown id or placeholder is an error, not a blank. A passage missing for a year shows
PENDING in place and is listed by the build, so the chapter still builds.
"""
from __future__ import annotations

import re
from pathlib import Path

import jinja2

from beichen import formatting as fmt
from beichen.render import sentences
from beichen.model.derived import derived_figures
from beichen.paths import NARRATIVE_DIR
from beichen.model.edition import Edition

PENDING = "本年度文字待补充"
MARKER = re.compile(r"^<!--\s*passage:\s*([\w-]+)\s*-->\s*$", re.MULTILINE)
# `make new-year` copies last year's passages as stubs, each opening with this line; until the
# analyst has revised a passage and deleted the line, it counts as missing (shown as PENDING),
# so last year's wording is never published as this year's.
STUB = re.compile(r"^<!--\s*待更新")


class NarrativeError(ValueError):
    """A passage refers to a figure or placeholder that does not exist."""


def parse_passages(text: str) -> dict[str, str]:
    """Split a chapter's narrative file into {passage name: template text}."""
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
        self._env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False,
                                       keep_trailing_newline=False)

    def _v(self, figure_id: str, kind: str = "actual") -> str:
        return self.edition.lookup(figure_id, kind).text

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
        value = self.edition.lookup(figure_id, kind)
        return fmt.MISSING if value.missing else fmt.vintage(fmt.chinese_numeral(value.value), value.year,
                                                             self.edition.year)

    def _num(self, figure_id: str, kind: str = "actual") -> str:
        """The bare number, for phrases such as “超{{ num('x') }}个” where the unit is in the text."""
        value = self.edition.lookup(figure_id, kind)
        return fmt.vintage(fmt.number(value.value), value.year, self.edition.year) if not value.missing else fmt.MISSING

    def _derived(self) -> "_Namespace":
        if self._derived_cache is None:
            self._derived_cache = _Namespace(derived_figures(self.edition))
        return self._derived_cache

    def _chain(self, chain_id: str) -> str:
        """The data sentence of one industrial chain (firms, output, growth, share)."""
        chains = self.edition.chains().set_index("chain_id")
        if chain_id not in chains.index:
            raise KeyError(f"unknown chain {chain_id!r} in chains.csv for {self.edition.year}")
        row = chains.loc[chain_id]
        total = self.edition.metric("above_scale_industrial_output")
        if total.missing:
            return f"{row['name']}，{fmt.MISSING}"
        return sentences.chain_sentence(row["name"], row["enterprises"], row["output_100m_yuan"],
                                        total.value, row["yoy_growth_pct"])

    def render(self, name: str, **computed) -> str:
        """Render passage `name`; `computed` values are available as ``d.<key>``."""
        if name not in self.passages or STUB.match(self.passages[name]):
            label = f"{self.chapter}/{name}"
            if label not in self.pending:
                self.pending.append(label)
            return f"**【{PENDING}】**"
        try:
            template = self._env.from_string(self.passages[name])
            return template.render(v=self._v, num=self._num, d=_Namespace(computed),
                                   v_at=self._v_at, cn=self._cn, value=self._value, k=_Lazy(self._derived), ind=self.edition.indicator, s=sentences,
                                   chain=self._chain, year=self.edition.year).strip()
        except (jinja2.UndefinedError, KeyError) as err:
            raise NarrativeError(f"{self.path}: passage {name!r}: {err}") from None
        except jinja2.TemplateSyntaxError as err:
            raise NarrativeError(f"{self.path}: passage {name!r}: line {err.lineno}: {err.message}") from None


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
