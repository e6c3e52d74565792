"""An edition's status: 征求意见稿 (draft for comments) until it is resolved and signed off, then 定稿.

An edition is a 定稿 only when all of these hold:
- every finding of the edition (lib/beichen/audit/ledger.py `edition_findings`) has a resolution
  (data/meta/resolutions.yml);
- no passage of the year's text is pending (the build's notes, lib/beichen/publish/build.py `report_gaps`);
- a sign-off is recorded for the edition in data/meta/signoff.yml (who reviewed, who approved, date);
- if that sign-off names the SHA-256 of the report PDF it approved, the PDF built now has that
  SHA-256 (else the approval was for other bytes).

Otherwise it is a 征求意见稿, and `Status.reasons` says why. The build logs the status, marks
every page of the site (a banner, lib/beichen/site/ui.py) and of the PDF (its cover and the head of
every page, latex/beichen-report.sty), the landing page's entry and the 核查报告's first page.

data/meta/signoff.yml (data/README.md):

    signoffs:
      - edition: 2024
        reviewer: 张三            # 审核人
        approver: 李四            # 签发人
        date: 2025-11-20          # 签发日期，YYYY-MM-DD
        pdf_sha256: 9f86d0…       # 可选：所批准的 report-2024.pdf 的 SHA-256（64位十六进制）
"""
from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from beichen.errors import BuildError
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
        from beichen.model.plan import load_plan

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


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class Status:
    """征求意见稿 or 定稿, and why."""

    year: int
    open_findings: tuple = ()          # lib/beichen/audit/findings.Finding without a resolution
    resolved: int = 0                  # findings with a resolution
    pending: tuple[str, ...] = ()      # passages still to be written
    signoff: SignOff | None = None
    stale: tuple = ()                  # resolutions that match no finding of the edition
    pdf_sha256: str = ""               # of the report PDF built (when it was built)
    pdf_built: bool = False
    problems: tuple[str, ...] = field(default=())  # why a recorded sign-off does not hold
    review_pending: tuple[str, ...] = ()  # the 核查报告's own passages still to be written
    folder: str = "data"               # the plan folder, as named in messages (paths.folder_shown)

    def _file(self, name: str) -> str:
        return f"{self.folder}/meta/{name}.yml"

    @property
    def final(self) -> bool:
        return (not self.open_findings and not self.pending and not self.review_pending
                and self.signoff is not None and not self.problems)

    @property
    def label(self) -> str:
        return FINAL if self.final else DRAFT

    @property
    def reasons(self) -> list[str]:
        """Why the edition is a 征求意见稿 (empty for a 定稿)."""
        if self.final:
            return []
        out = []
        if self.open_findings:
            out.append(f"未解决的核查发现{len(self.open_findings)}项")
        if self.pending:
            out.append(f"待补充文字{len(self.pending)}段")
        if self.review_pending:  # the analyst signs the edition off with a whole 核查报告
            out.append(f"核查报告待补充文字{len(self.review_pending)}段")
        if self.signoff is None:
            out.append(f"尚无审核签发记录（{self._file('signoff')}）")
        elif self.open_findings or self.pending or self.review_pending:
            out.append(f"{self._file('signoff')} 中的签发记录（{self.signoff.summary}）不适用：签发须在核查发现全部解决、文字全部补齐之后")
        out += list(self.problems)
        return out

    def lines(self) -> list[str]:
        """What the build log says about the status."""
        if self.final:
            out = [f"本版为定稿：{self.signoff.summary}"]
            if self.pdf_built:
                out.append(f"    报告PDF SHA-256: {self.pdf_sha256}")
            return out
        out = [f"本版为{DRAFT}：" + "；".join(self.reasons)]
        if self.open_findings:
            out.append(f"  未解决的核查发现{len(self.open_findings)}项（在 {self._file('resolutions')} 中逐项决定后可定稿）:")
            out += [f"    - {finding_line(f)}" for f in self.open_findings]
        if self.pending:
            out.append(f"  待补充文字{len(self.pending)}段:")
            out += [f"    - {p}" for p in self.pending]
        return out

    def stale_lines(self) -> list[str]:
        if not self.stale:
            return []
        return [f"{self._file('resolutions')} 中有{len(self.stale)}条决定不对应本版的任何核查发现（本版已不再这样写）:"] + \
            [f"    - {r.finding}" + (f"（第{r.line}行）" if getattr(r, "line", 0) else "") for r in self.stale]

    def key(self) -> dict:
        """Everything the 核查报告's status block shows (its cache key)."""
        return {"label": self.label, "reasons": self.reasons, "resolved": self.resolved,
                "open": [finding_line(f) for f in self.open_findings], "pending": list(self.pending),
                "signoff": None if self.signoff is None else [self.signoff.reviewer, self.signoff.approver,
                                                              self.signoff.date, self.signoff.pdf_sha256],
                "pdf": [self.pdf_built, self.pdf_sha256]}

    def with_pdf(self, pdf: Path | None) -> "Status":
        """The status once the report PDF is built (None: no PDF in this build): its SHA-256; a
        sign-off that recorded other bytes does not hold."""
        if pdf is None or not Path(pdf).exists():
            return replace(self, pdf_built=False, pdf_sha256="")
        sha = file_sha256(pdf)
        problems = tuple(self.problems)
        if self.signoff is not None and self.signoff.pdf_sha256 and self.signoff.pdf_sha256 != sha \
                and not self.open_findings and not self.pending:
            problems += (f"{self._file('signoff')} 记录的签发所批准的PDF SHA-256为 {self.signoff.pdf_sha256}，本次构建的 "
                         f"report-{self.year}.pdf 为 {sha}：签发批准的是另一份文件，须重新审核签发",)
        return replace(self, pdf_built=True, pdf_sha256=sha, problems=problems)


def finding_line(finding) -> str:
    """One finding in one line: its kind, title and id (the id is what resolutions.yml names)."""
    return f"[{finding.kind}] {finding.title}（{finding.finding_id}）"


def edition_status(year: int, findings: list, pending: list[str], signoffs: dict[int, SignOff],
                   stale: list = (), review_pending: list[str] = (), folder: str = "data") -> Status:
    """The status of the edition of `year` from its findings (with resolutions attached), pending
    passages (the report's, and the 核查报告's own) and the recorded sign-offs."""
    open_ = tuple(f for f in findings if f.open)
    return Status(int(year), open_, len(findings) - len(open_), tuple(dict.fromkeys(pending)),
                  signoffs.get(int(year)), tuple(stale), review_pending=tuple(dict.fromkeys(review_pending)), folder=folder)


# --- staging: what the site and the PDF show --------------------------------------------------------

LATEX_PACKAGE = r"\usepackage{beichen-report}"


def latex_preamble(preamble: str, status: Status) -> str:
    """The book's LaTeX preamble with the status mark set (latex/beichen-report.sty
    \\beichensetstatus) for a 征求意见稿; unchanged for a 定稿."""
    lines = [line for line in (preamble or LATEX_PACKAGE).splitlines() if not line.startswith(r"\beichensetstatus")]
    if not status.final:
        lines.append(rf"\beichensetstatus{{{DRAFT}}}")
    return "\n".join(lines)


def stage(book: Path, status: Status) -> None:
    """Write the status into a staged book's configuration: every page's banner reads
    `beichen_site.status` (lib/beichen/site/ui.py), the PDF its preamble. Rewritten only when it
    changes, so an unchanged book stays unchanged for Sphinx."""
    path = Path(book) / "_config.yml"
    text = path.read_text(encoding="utf-8")
    config = yaml.safe_load(text)
    sphinx = config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx.setdefault("beichen_site", {})["status"] = status.label
    latex = sphinx.setdefault("latex_elements", {})
    latex["preamble"] = latex_preamble(latex.get("preamble", ""), status)
    new = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
    if new != text:
        path.write_text(new, encoding="utf-8")


# --- the 核查报告's block -------------------------------------------------------------------------------

def dossier_block(status: Status, escape=str) -> list[str]:
    """The status block of the 核查报告's first page (MyST lines); `escape` makes data text inert."""
    def grouped(digest: str) -> str:  # in groups of 16, so it wraps on a narrow page (as the 核查报告's tables)
        return " ".join(digest[i:i + 16] for i in range(0, len(digest), 16))

    pdf_name = f"report-{status.year}.pdf"
    if status.final:
        s = status.signoff
        lines = [f"**本版状态：{FINAL}**", "",
                 f"- 审核人：{escape(s.reviewer)}", f"- 签发人：{escape(s.approver)}", f"- 签发日期：{escape(s.date)}",
                 f"- 核查发现：共{status.resolved}项，均已按 {status._file('resolutions')} 的决定处理；待补充文字：无"]
        if status.pdf_built:
            lines.append(f"- 所签发的报告PDF：{pdf_name}")
            lines.append(f"- 该PDF的SHA-256：{grouped(status.pdf_sha256)}" +
                         ("（与签发记录所载的SHA-256一致）" if s.pdf_sha256 else ""))
        else:
            lines.append(f"- 所签发的报告PDF：本次构建未生成 {pdf_name}，无法给出其SHA-256（生成PDF请用 make report）")
        return lines + [""]
    lines = [f"**本版状态：{DRAFT}**（未定稿）", "", "不能定稿的原因：", ""]
    lines += [f"- {escape(r)}" for r in status.reasons]
    if status.open_findings:
        lines += ["", f"未解决的核查发现（{len(status.open_findings)}项，在 {status._file('resolutions')} 中逐项决定）：", ""]
        lines += [f"{n}. {escape(finding_line(f))}" for n, f in enumerate(status.open_findings, start=1)]
    if status.pending:
        lines += ["", f"待补充文字（{len(status.pending)}段）：", ""]
        lines += [f"{n}. {escape(p)}" for n, p in enumerate(status.pending, start=1)]
    return lines + [""]
