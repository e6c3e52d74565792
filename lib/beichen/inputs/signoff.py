"""The sign-off file, data/meta/signoff.yml: who reviewed and who approved each edition, and when
(its format: data/README.md "meta/signoff.yml"). What a sign-off makes of an edition (征求意见稿 or
定稿) is the audit's verdict, lib/beichen/audit/status.py; this module only reads and checks the file.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from beichen.errors import BuildError
from beichen.inputs.plan import load_plan
from beichen.paths import folder_shown

SIGNOFF = Path("meta") / "signoff.yml"

DRAFT, FINAL = "征求意见稿", "定稿"
FIELDS = {"edition": "版本年份", "reviewer": "审核人", "approver": "签发人", "date": "签发日期",
          "pdf_sha256": "所批准PDF的SHA-256"}
REQUIRED = ("edition", "reviewer", "approver", "date")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")


class SignOffError(BuildError):
    """data/meta/signoff.yml cannot be used as it stands."""


@dataclass(frozen=True)
class SignOff:
    """Who reviewed and who approved an edition, and when (data/meta/signoff.yml)."""

    edition: int
    reviewer: str
    approver: str
    date: str                 # YYYY-MM-DD
    pdf_sha256: str = ""      # the approved report PDF's SHA-256, if recorded
    line: int = 0             # its entry's line in signoff.yml

    @property
    def summary(self) -> str:
        return f"审核人{self.reviewer}，签发人{self.approver}，签发日期{self.date}"


class _PlainLoader(yaml.SafeLoader):
    """YAML without implicit dates: a date is read as the text typed, so a bad one (2025-13-01)
    is reported with its entry rather than as a YAML parser error."""


_PlainLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def load_signoffs(data_dir: Path, plan=None) -> dict[int, SignOff]:
    """The sign-offs recorded in data/meta/signoff.yml, by edition year (none when the file is
    missing). A malformed entry is a SignOffError naming the file, the entry (and its line), the
    field, the value and what was expected. `plan` (default: data_dir's) bounds the edition years."""
    path = Path(data_dir) / SIGNOFF
    shown = f"{folder_shown(data_dir)}/{SIGNOFF.as_posix()}"
    if not path.exists():
        return {}
    if plan is None:
        plan = load_plan(data_dir)
    text = path.read_text(encoding="utf-8")
    try:
        raw = yaml.load(text, Loader=_PlainLoader) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"第{mark.line + 1}行" if mark is not None else ""
        raise SignOffError(f"{shown}: {where}不是有效的 YAML（{getattr(err, 'problem', '') or err}）") from None
    if not isinstance(raw, dict):
        raise SignOffError(f"{shown}: 应为以“signoffs:”开头的键值对，实为 {type(raw).__name__}")
    unknown = sorted(set(raw) - {"signoffs"})
    if unknown:
        raise SignOffError(f"{shown}: 未知的键“{unknown[0]}”；文件只应有“signoffs”（签发记录的列表）")
    entries = raw.get("signoffs") or []
    if not isinstance(entries, list):
        raise SignOffError(f"{shown}: “signoffs”应为列表（每条以“- edition:”开头），实为“{entries}”")
    lines = [n for n, line in enumerate(text.splitlines(), start=1)
             if re.match(r"^\s*-\s+\w+\s*:", line) and not line.lstrip().startswith("#")]
    out: dict[int, SignOff] = {}
    for n, entry in enumerate(entries, start=1):
        line = lines[n - 1] if n <= len(lines) else 0
        where = f"{shown}: 第{n}条签发记录" + (f"（第{line}行）" if line else "")
        if not isinstance(entry, dict):
            raise SignOffError(f"{where}: 应为键值对（edition、reviewer、approver、date），实为“{entry}”")
        extra = sorted(set(map(str, entry)) - set(FIELDS))
        if extra:
            raise SignOffError(f"{where}: 未知字段“{extra[0]}”；可用字段：" +
                               "、".join(f"{k}（{v}）" for k, v in FIELDS.items()))
        for key in REQUIRED:
            if not _text(entry.get(key)):
                raise SignOffError(f"{where}: 缺少字段“{key}”（{FIELDS[key]}）")
        edition_text = _text(entry["edition"])
        if not re.fullmatch(r"\d{4}", edition_text):
            raise SignOffError(f"{where}: 字段“edition”的值“{edition_text}”无效；应为版本年份，如 {plan.first_edition}")
        edition = int(edition_text)
        if not plan.first_edition <= edition <= plan.last_edition:
            raise SignOffError(f"{where}: 字段“edition”的值“{edition}”不是已知的版本；{plan.quoted}规划的评估版本为"
                               f"{plan.first_edition}–{plan.last_edition}年版")
        date = _text(entry["date"])
        try:
            ok = bool(DATE.match(date)) and datetime.date.fromisoformat(date) is not None
        except ValueError:
            ok = False
        if not ok:
            raise SignOffError(f"{where}: 字段“date”（签发日期）的值“{date}”无效；应为 YYYY-MM-DD 格式的日期，如 "
                               f"{edition + 1}-11-20")
        sha = _text(entry.get("pdf_sha256")).lower()
        if sha and not SHA256.match(sha):
            raise SignOffError(f"{where}: 字段“pdf_sha256”的值“{_text(entry.get('pdf_sha256'))}”无效；应为64位十六进制的"
                               f"SHA-256（如 sha256sum report-{edition}.pdf 所示），或不填")
        if edition in out:
            first = out[edition].line
            raise SignOffError(f"{where}: {edition}年版的签发记录重复" + (f"（第{first}行已有）" if first else ""))
        out[edition] = SignOff(edition, _text(entry["reviewer"]), _text(entry["approver"]), date, sha, line)
    return out
