"""The plan under evaluation, as data (data/meta/plan.yml): its name, period, thresholds and words.

Every year the code needs (base year, target year, which editions exist, which year's snapshot an
edition carries) and every status word it prints comes from here, so the same code evaluates the
“十四五” plan (2021–2025) and the next one (“十五五”, 2026–2030) with nothing but a new plan file.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from beichen.errors import BuildError
from beichen.formatting import round_half_up

PLAN_FILE = Path("meta") / "plan.yml"

STATUS_KEYS = ("exceeded", "reached_early", "reached", "near", "behind")
SCHEDULE_KEYS = ("ahead", "on_time", "behind")


class PlanError(ValueError):
    """data/meta/plan.yml is missing a key or holds a value of the wrong kind."""


@dataclass(frozen=True)
class Plan:
    name: str
    previous_name: str
    base_year: int
    target_year: int
    report_title: str
    dimensions: tuple[str, ...]
    author: str             # the issuing body: cover, PDF metadata, every page's footer, the 核查报告
    near_target_pct: float
    schedule_band_pp: float
    target_step_min_pct: float
    status_words: dict[str, str]
    missed_word: str        # the final evaluation's word for a target not met (未完成)
    schedule_words: dict[str, str]
    snapshot_year_offset: int
    snapshot_months: str
    # Before the target year, an indicator below near_target_pct whose progress keeps pace with the
    # plan period (快于/符合序时进度) — not 滞后 (status_words.on_track, optional; "" without it).
    on_track_word: str = ""

    # -- names ------------------------------------------------------------------------------
    @property
    def quoted(self) -> str:
        """The plan's name as printed: “十四五”."""
        return f"“{self.name}”"

    @property
    def previous_quoted(self) -> str:
        return f"“{self.previous_name}”"

    # -- years ------------------------------------------------------------------------------
    @property
    def first_edition(self) -> int:
        return self.base_year + 1

    @property
    def last_edition(self) -> int:
        return self.target_year

    @property
    def period_text(self) -> str:
        """“2021—2025年”."""
        return f"{self.first_edition}—{self.target_year}年"

    def check_edition_year(self, year: int) -> None:
        """Refuse a year outside the plan's evaluation editions, in Chinese with the fix."""
        if not self.first_edition <= int(year) <= self.last_edition:
            raise BuildError(f"年份 {year} 超出{self.quoted}规划评估范围 {self.first_edition}–{self.last_edition}，"
                             f"无法处理该年度；请改用 {self.first_edition}–{self.last_edition} 之间的年份")

    def is_final(self, year: int) -> bool:
        """The edition of the target year is the final (终期) evaluation: results, no projection."""
        return int(year) >= self.target_year

    def elapsed_share(self, year: int) -> float:
        """Share of the plan period elapsed by the end of `year` (序时进度), 0–1: 2024 → 4/5 = 0.8.

        Years before the base count as 0 and after the target as 1 (a figure can be older or newer
        than the period)."""
        year = min(max(int(year), self.base_year), self.target_year)
        return (year - self.base_year) / (self.target_year - self.base_year)

    def years_since_base(self, year: int) -> int:
        return int(year) - self.base_year

    def snapshot_year(self, edition_year: int) -> int:
        """The year of the in-year snapshot the edition carries (2024 edition → 2025年1-10月)."""
        return int(edition_year) + self.snapshot_year_offset

    def snapshot_period(self, edition_year: int) -> str:
        """“2025年1-10月”."""
        return f"{self.snapshot_year(edition_year)}年{self.snapshot_months}"

    # -- words ------------------------------------------------------------------------------
    def status_word(self, completion_pct: float, year: int, schedule: str = "") -> str:
        """Status of an indicator against its target, in national practice.

        Before the target year: > 100%: 超额完成; = 100%: 提前完成; ≥ near_target_pct: 接近目标; otherwise
        滞后. In (or after) the target year the plan has ended and a target is met or not: `final_word`.
        Completion is compared as printed (one decimal).
        """
        if int(year) >= self.target_year:
            return self.final_word(completion_pct)
        c = round(float(completion_pct), 1)
        words = self.status_words
        if c > 100.0:
            return words["exceeded"]
        if c == 100.0:
            return words["reached_early"]
        if c >= self.near_target_pct:
            return words["near"]
        # In year one a five-year target is 20% of the way: behind the target is not behind the plan.
        if self.on_track_word and schedule in (self.schedule_words["ahead"], self.schedule_words["on_time"]):
            return self.on_track_word
        return words["behind"]

    def final_word(self, completion_pct: float) -> str:
        """The final (target-year) evaluation's verdict: 超额完成 above 100%, 完成 at 100%, otherwise
        未完成 — in the target year a target is met or not; “接近” and “提前” are words of a plan under way.
        Completion is compared as printed (one decimal), like `status_word`."""
        c = round(float(completion_pct), 1)
        if c > 100.0:
            return self.status_words["exceeded"]
        if c == 100.0:
            return self.status_words["reached"]
        return self.missed_word

    def final_order(self) -> list[str]:
        return [self.status_words["exceeded"], self.status_words["reached"], self.missed_word]

    def reached_words(self) -> tuple[str, ...]:
        """The status words that mean the target is reached."""
        return tuple(self.status_words[k] for k in ("exceeded", "reached_early", "reached"))

    def status_order(self) -> list[str]:
        words = [self.status_words[k] for k in STATUS_KEYS]
        if self.on_track_word:
            words.insert(words.index(self.status_words["behind"]), self.on_track_word)
        return words + [self.missed_word]

    def schedule_verdict(self, progress: float, elapsed: float) -> str:
        """快于/符合/慢于序时进度: progress (0–1) against the elapsed share (0–1), ± the band.

        Compared as printed (percentages to one decimal), so a progress exactly the band behind is
        符合 (58.0% against 60.0%: −2.0 points, within ±2), not 慢于 by a floating-point hair."""
        diff_pp = round_half_up(round_half_up(float(progress) * 100.0, 1) - round_half_up(float(elapsed) * 100.0, 1), 1)
        if diff_pp > self.schedule_band_pp:
            return self.schedule_words["ahead"]
        if diff_pp < -self.schedule_band_pp:
            return self.schedule_words["behind"]
        return self.schedule_words["on_time"]

    def schedule_order(self) -> list[str]:
        return [self.schedule_words[k] for k in SCHEDULE_KEYS]


def _need(raw: dict, key: str, kind, where: str):
    if key not in raw or raw[key] is None:
        raise PlanError(f"{where}: 缺少 {key}")
    value = raw[key]
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise PlanError(f"{where}: {key} 的值 “{value}” 应为整数年份")
    if kind is float and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise PlanError(f"{where}: {key} 的值 “{value}” 应为数字")
    if kind is str and (not isinstance(value, str) or not value.strip()):
        raise PlanError(f"{where}: {key} 的值 “{value}” 应为非空文字")
    if kind is dict and not isinstance(value, dict):
        raise PlanError(f"{where}: {key} 应为一组“键: 值”")
    if kind is list and (not isinstance(value, list) or not all(isinstance(v, str) and v for v in value)):
        raise PlanError(f"{where}: {key} 应为文字列表")
    return value


def load_plan(data_dir: Path | str) -> Plan:
    """Read and check data/meta/plan.yml; a problem names the file and the key."""
    path = Path(data_dir) / PLAN_FILE
    where = f"{PLAN_FILE.as_posix()}"
    if not path.exists():
        raise PlanError(f"{where}: 文件不存在（规划定义：名称、基期、目标年、阈值、状态用语）")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        raise PlanError(f"{where}: 不是合法的 YAML（{err.__class__.__name__}）") from None
    if not isinstance(raw, dict):
        raise PlanError(f"{where}: 应为“键: 值”格式")
    rules = _need(raw, "rules", dict, where)
    words = _need(raw, "status_words", dict, where)
    schedule = _need(raw, "schedule_words", dict, where)
    snapshot = _need(raw, "snapshot", dict, where)
    for key in STATUS_KEYS:
        _need(words, key, str, f"{where} status_words")
    for key in SCHEDULE_KEYS:
        _need(schedule, key, str, f"{where} schedule_words")
    missed = _need(raw, "missed_word", str, where)
    if "issuing_body" in raw:  # one issuing body everywhere (issue 20): no second name to drift apart
        raise PlanError(f"{where}: issuing_body 已并入 author（封面、PDF 信息、网站页脚和核查报告统一署 author），"
                        f"请删去 issuing_body，需要时改写 author")
    base, target = _need(raw, "base_year", int, where), _need(raw, "target_year", int, where)
    if target <= base:
        raise PlanError(f"{where}: target_year {target} 应晚于 base_year {base}")
    return Plan(
        name=_need(raw, "name", str, where), previous_name=_need(raw, "previous_name", str, where),
        base_year=base, target_year=target,
        report_title=_need(raw, "report_title", str, where),
        dimensions=tuple(_need(raw, "dimensions", list, where)), author=_need(raw, "author", str, where),
        near_target_pct=float(_need(rules, "near_target_pct", float, f"{where} rules")),
        schedule_band_pp=float(_need(rules, "schedule_band_pp", float, f"{where} rules")),
        target_step_min_pct=float(_need(rules, "target_step_min_pct", float, f"{where} rules")),
        status_words={k: words[k] for k in STATUS_KEYS}, missed_word=missed,
        schedule_words={k: schedule[k] for k in SCHEDULE_KEYS},
        snapshot_year_offset=_need(snapshot, "year_offset", int, f"{where} snapshot"),
        snapshot_months=_need(snapshot, "months", str, f"{where} snapshot"),
        on_track_word=_need(words, "on_track", str, f"{where} status_words") if "on_track" in words else "",
    )
