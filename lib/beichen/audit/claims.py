"""The claims ledger: every statement of the built edition that asserts a number, a comparison or a
verdict about a named quantity, tied to that quantity and checked against the edition model.

Read from the printed text (lib/beichen/audit/edition_text.py: headings, paragraphs, table rows, captions,
chart text), so generated sentences and verbatim source passages are checked alike. A claim is
found by its words and tied to the nearest name of a quantity before it in the same clause, else in
the same sentence (names: indicators.csv, metrics.csv, chains.csv, data/meta/claims.yml aliases):

- level       <name>（达/累计/为）N家  = the quantity's figure in the edition (超N: above N)
- increase    新增/增加 N家          = latest − base-year value
- multiple    为N倍, 翻倍            = latest ÷ base-year value (翻倍: rounds to claims.yml doubling)
- growth      较2020年…增长N%, 同比增长N%, 提升N个百分点  = growth since the base year / a chain's
              year-on-year growth / the change in points of a share
- superlative 增幅最大, 规模最大, …   the quantity is the largest of its set (the chart's or table's
              quantities; all chains; all core indicators) by that measure
- status      超额完成, 接近目标, 达标, …  the indicator's status (lib/beichen/inputs/plan.py)
- negated     a word the edition says it does not mean (预测 where it says 并非预测)
- undefined   a verdict word printed in a table's 判断/状态 column that the appendix does not define

Findings, one per contradiction: two claims about one quantity with different values; a claim the
figure does not support (翻倍 for 3.1×, 最大 for what is not the largest, 增长 for a decline);
a negated word asserted; an undefined verdict word.

What it cannot see (listed in the 核查报告): a claim whose subject the text names by a word the
data and claims.yml do not know; comparisons against another region or the city (位居全市第一);
qualitative judgements (协同效应显著), which the analyst reads.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from beichen import formatting as fmt
from beichen.audit.edition_text import Block
from beichen.audit.findings import Finding

_NUM = r"(?P<num>-?\d+(?:\.\d+)?)"
INCREASE = re.compile(r"(?<!年均)(?:新增|增加(?!值))(?P<subj>[^，。；、\d]{0,30}?)(?:超|约|近)?" + _NUM + r"(?P<unit>家|个|项|名|条)")
MULTIPLE = re.compile(r"(?<!增长)(?<!增加)(?:为|是|达)" + _NUM + r"倍|(?P<double>翻倍|翻番|翻一番)")
GROWTH = re.compile(r"(?P<word>增长|提升|提高|下降|减少)" + _NUM + r"(?P<unit>%|个百分点)")
# A status word asserted, not a projection's or a negation's (预计难以达标, 尚未达标, 可达目标).
STATUS = re.compile(r"(?<!预计)(?<!难以)(?<!尚未)(?<![未不可])(?:超额完成|提前完成|接近目标|滞后|双达标|达标|超目标)")
# A level: the number printed right after the quantity's name (“国家级高新技术企业数量715家”, “累计达715家”).
LEVEL = re.compile(r"^(?:数量)?(?:累计达到|累计达|累计|达到|增至|达|为|共|合计)?(?P<q>超|近|约)?" + _NUM + r"(?P<unit>亿元|万元|家|个|项|名|条|%)")
SINCE = re.compile(r"(?:较|与|比)(?P<year>\d{4})年|较“[^”]+”末")
PREVIOUS = re.compile(r"(?:较|与|比)上年")
SENTENCE = re.compile(r"(?<=[。！？])")
REACHED_WORDS = {"超额完成", "提前完成", "达标", "双达标", "超目标", "完成"}


@dataclass(frozen=True)
class Claim:
    """One statement about one quantity."""

    quantity: str            # indicator_id, metric_id or chain_id
    kind: str                # increase | multiple | growth | superlative | status
    words: str               # the words as printed (“翻倍”, “增加273家”)
    block: Block
    value: float | None = None
    decimals: int = 0
    basis: str = ""          # growth: since_base | yoy | points; superlative: its measure

    @property
    def key(self) -> tuple[str, str, str]:
        """What two claims must share to speak of one figure (a level's bound 超/近 is not part of it)."""
        return self.quantity, self.kind, "" if self.kind == "level" else self.basis


# --- names of quantities ----------------------------------------------------------------------------

class Lexicon:
    """The words that name each quantity of the edition, longest first."""

    def __init__(self, edition):
        meta = edition.data.meta.get("claims") or {}
        terms: dict[str, str] = {}

        def add(words: str, quantity: str, short_ok: bool = False):
            words = words.strip()
            if words and (len(words) >= 4 or short_ok):
                terms.setdefault(words, quantity)

        names = {ind.indicator_id: ind.name for ind in edition.indicators()}
        metrics = edition.data.metrics
        names.update(dict(zip(metrics["metric_id"], metrics["name"])))
        for quantity, name in names.items():  # a quantity's own name before another's shortened one
            add(name, quantity)
        for quantity, name in names.items():
            for variant in _variants(name):
                add(variant, quantity)
        self.chains = set()
        for _, row in edition.chains().iterrows():
            add(row["name"], row["chain_id"])
            self.chains.add(row["chain_id"])
        for words, quantity in (meta.get("aliases") or {}).items():
            terms[str(words)] = quantity
            if quantity in set(edition.chains()["chain_id"]):
                self.chains.add(quantity)
        self.changes = {k: v for k, v in (meta.get("changes_of") or {}).items()}
        self.terms = dict(sorted(terms.items(), key=lambda kv: -len(kv[0])))
        self.pattern = re.compile("|".join(re.escape(t) for t in self.terms)) if self.terms else None

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, quantity) of every name in `text`, longest match first, left to right."""
        if self.pattern is None:
            return []
        return [(m.start(), m.end(), self.terms[m.group(0)]) for m in self.pattern.finditer(text)]


def _variants(name: str) -> list[str]:
    """“国家级高新技术企业数量” → also “国家级高新技术企业”; “首台（套）重大技术装备（累计）” → without
    “（累计）”; “…投入占比（研发投入强度）” → both halves."""
    out = [name, name.removesuffix("数量")]
    bare = name.removesuffix("（累计）")  # other brackets qualify the figure (1-10月累计, 目标): kept
    out += [bare, bare.removesuffix("数量")]
    inner = re.search(r"（([^（）]{4,})）$", name)
    if inner:
        out.append(inner.group(1))
    return list(dict.fromkeys(out))


# --- reading claims -----------------------------------------------------------------------------------

def _units(blocks: list[Block]) -> list[tuple[str, Block]]:
    """The texts claims are read from: sentences of paragraphs, headings and chart text; a table row
    as one text (its cells joined), so a cell's subject is its row's name."""
    out: list[tuple[str, Block]] = []
    rows: dict[tuple, list[Block]] = {}
    for b in blocks:
        if b.kind == "table":
            rows.setdefault((b.page, b.table, b.row), []).append(b)
            continue
        for sentence in SENTENCE.split(b.text):
            if sentence.strip():
                out.append((sentence, b))
    for cells in rows.values():
        # a cell under a header “较上年” is read with it: “增加7个” there is a change from the year before
        out.append(("｜".join(("较上年" if "较上年" in c.column and not PREVIOUS.match(c.text) else "") + c.text
                             for c in cells), cells[0]))
    return out


def _clauses(sentence: str) -> list[tuple[int, int]]:
    """(start, end) of the clauses of a sentence: split at ，；： outside brackets."""
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(sentence):
        if ch in "（(“":
            depth += 1
        elif ch in "）)”":
            depth = max(0, depth - 1)
        elif ch in "，；：｜" and depth == 0:
            spans.append((start, i))
            start = i + 1
    spans.append((start, len(sentence)))
    return spans


def _subject(names: list[tuple[int, int, str]], clauses, at: int) -> str | None:
    """The quantity named nearest before position `at` in its clause, else in the sentence before it,
    else the first named after it in its clause."""
    clause = next(((s, e) for s, e in clauses if s <= at <= e), (0, at))
    before = [n for n in names if n[1] <= at]
    inside = [n for n in before if n[0] >= clause[0]]
    if inside:
        return inside[-1][2]
    after = [n for n in names if clause[0] <= n[0] < clause[1] and n[0] >= at]
    if after:
        return after[0][2]
    return before[-1][2] if before else None


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def read_claims(blocks: list[Block], lexicon: Lexicon, meta: dict) -> list[Claim]:
    """Every claim of the blocks."""
    doubling = float(meta.get("doubling", 2.0))
    superlatives = meta.get("superlatives") or {}
    super_re = re.compile("|".join(re.escape(w) for w in superlatives)) if superlatives else None
    claims: list[Claim] = []
    for text, block in _units(blocks):
        names = lexicon.find(text)
        if not names:
            continue
        clauses = _clauses(text)

        def subject(at: int, own: str = "") -> str | None:
            inner = lexicon.find(own)
            # 新增<name>N家: the name inside the claim's own words
            q = inner[-1][2] if inner else _subject(names, clauses, at)
            # A metric that is a change of another quantity speaks of that quantity.
            return lexicon.changes[q]["quantity"] if q in lexicon.changes else q

        for start, end, q in names:
            m = LEVEL.match(text[end:end + 16])
            if m and q not in lexicon.changes and m.group("q") != "约":
                claims.append(Claim(q, "level", text[start:end + m.end()], block, float(m.group("num")),
                                    _decimals(m.group("num")), basis=m.group("q") or ""))
        for m in INCREASE.finditer(text):
            q = subject(m.start(), m.group("subj"))
            if q:
                basis = "previous" if _from_previous(text, clauses, m.start()) else ""
                claims.append(Claim(q, "increase", m.group(0), block, float(m.group("num")), basis=basis))
        for m in MULTIPLE.finditer(text):
            q = subject(m.start())
            if q:
                value, dec = (doubling, 1) if m.group("double") else (float(m.group("num")), _decimals(m.group("num")))
                claims.append(Claim(q, "multiple", m.group(0), block, value, dec))
        for m in GROWTH.finditer(text):
            q = subject(m.start())
            if not q:
                continue
            sign = -1 if m.group("word") in ("下降", "减少") else 1
            value = sign * float(m.group("num"))
            basis = _basis(text, clauses, m.start(), m.group("unit"))
            if basis == "yoy":  # the model has year-on-year growth for chains: the chain named before it
                chains = [n for n in names if n[2] in lexicon.chains and n[1] <= m.start()]
                q = chains[-1][2] if chains else None
            if basis and q:
                claims.append(Claim(q, "growth", m.group(0), block, value, _decimals(m.group("num")), basis))
        for m in (super_re.finditer(text) if super_re else ()):
            q = subject(m.start())
            if q:
                claims.append(Claim(q, "superlative", m.group(0), block, basis=superlatives[m.group(0)]))
        for m in STATUS.finditer(text):
            q = subject(m.start())
            if q:
                claims.append(Claim(q, "status", m.group(0), block))
    return claims


def _from_previous(text: str, clauses, at: int) -> bool:
    """The change at `at` is counted from the year before (“较上年增加7个”): its clause says so first."""
    clause = next(((s, e) for s, e in clauses if s <= at <= e), (0, len(text)))
    return bool(PREVIOUS.search(text[clause[0]:at]))


def _basis(text: str, clauses, at: int, unit: str) -> str:
    """What a growth figure is measured against: points of a share, year on year, or since a year."""
    clause = next(((s, e) for s, e in clauses if s <= at <= e), (0, len(text)))
    if unit == "个百分点":
        if _from_previous(text, clauses, at):
            return "previous"
        return "points" if SINCE.search(text[:at]) else ""
    if "同比" in text[clause[0]:clause[1]]:
        return "yoy"
    since = list(SINCE.finditer(text[:at]))
    return "since_base" if since else ""


# --- what the model says --------------------------------------------------------------------------------

class Model:
    """The edition model's answer for a claim's quantity and measure (None: the model has none)."""

    def __init__(self, edition):
        self.edition = edition
        self.plan = edition.plan
        self.indicators = {i.indicator_id: i for i in edition.indicators()}
        self.chains = {row["chain_id"]: row for _, row in edition.chains().iterrows()}

    def name(self, q: str) -> str:
        if q in self.indicators:
            return self.indicators[q].name
        if q in self.chains:
            return self.chains[q]["name"]
        try:
            return re.sub(r"（累计）$", "", self.edition.metric_name(q))
        except KeyError:
            return q

    def levels(self, q: str):
        """(latest, base-year) Values of a quantity, either None when missing."""
        if q in self.indicators:
            ind = self.indicators[q]
            return (None if ind.actual.missing else ind.actual), (None if ind.base.missing else ind.base)
        if q in self.chains or not self.edition.has_metric(q):
            return None, None
        latest = self.edition.metric(q)
        base = self.edition.metric(q, year=self.plan.base_year)
        return (None if latest.missing else latest), (None if base.missing else base)

    def previous(self, q: str):
        """(latest, the year before the latest's) Values of a quantity, either None when missing."""
        if q in self.indicators:
            ind = self.indicators[q]
            return (None if ind.actual.missing else ind.actual), (ind.previous if ind.previous is not None
                                                                  and not ind.previous.missing else None)
        if q in self.chains or not self.edition.has_metric(q):
            return None, None
        latest = self.edition.metric(q)
        if latest.missing or latest.year is None:
            return None, None
        if self.edition.metric_row(q, "actual", latest.year - 1) is None:  # asked first: no 缺失 noted
            return latest, None
        return latest, self.edition.metric(q, year=latest.year - 1)

    def value(self, claim: Claim) -> tuple[float | None, str]:
        """(the model's value of what the claim measures, the working)."""
        if claim.kind == "growth" and claim.basis == "yoy":
            row = self.chains.get(claim.quantity)
            if row is None or row["yoy_growth_pct"] != row["yoy_growth_pct"]:
                return None, ""
            return float(row["yoy_growth_pct"]), f"{row['name']}同比增长{fmt.number(row['yoy_growth_pct'])}%"
        if claim.basis == "previous" and claim.kind in ("increase", "growth"):
            latest, before = self.previous(claim.quantity)
            if latest is None or before is None:
                return None, ""
            change = latest.value - before.value
            unit = "个百分点" if claim.kind == "growth" else ""
            return change, (f"{latest.plain}（{latest.year}年）− {before.plain}（{before.year}年）"
                            f"= {fmt.number(fmt.round_half_up(change, 2))}{unit}")
        latest, base = self.levels(claim.quantity)
        if claim.kind == "level":
            if latest is None or latest.unit != claim.words[-len(latest.unit):]:
                return None, ""  # another measure of it (a share of an output), or nothing to compare
            return latest.value, f"{self.name(claim.quantity)}为{latest.text}"
        if latest is None or base is None:
            return None, ""
        a, b = latest.value, base.value
        if claim.kind == "increase":
            return a - b, f"{latest.plain}（{latest.year}年）− {base.plain}（{self.plan.base_year}年）= {fmt.number(a - b)}"
        if claim.kind == "multiple" and b:
            return a / b, f"{latest.plain} ÷ {base.plain} = {fmt.number(fmt.round_half_up(a / b, 2), 2)}倍"
        if claim.kind == "growth" and claim.basis == "since_base" and b:
            g = (a / b - 1) * 100
            return g, f"({latest.plain} ÷ {base.plain} − 1) × 100% = {fmt.number(fmt.round_half_up(g, 2), 2)}%"
        if claim.kind == "growth" and claim.basis == "points":
            return a - b, f"{latest.plain} − {base.plain} = {fmt.number(fmt.round_half_up(a - b, 2))}个百分点"
        return None, ""

    def measure(self, q: str, measure: str) -> float | None:
        """A quantity's value of a superlative's measure."""
        if measure == "output":
            row = self.chains.get(q)
            return None if row is None else float(row["output_100m_yuan"])
        if q in self.indicators and measure in ("progress", "completion"):
            ind = self.indicators[q]
            if measure == "progress":  # a ratio that explodes is not printed, nor compared (plan rule)
                return None if ind.progress is None or ind.progress_explodes else ind.progress
            return ind.completion_pct
        if measure == "growth":
            row = self.chains.get(q)
            if row is not None:
                return None if row["yoy_growth_pct"] != row["yoy_growth_pct"] else float(row["yoy_growth_pct"])
            latest, base = self.levels(q)
            if latest is not None and base is not None and base.value:
                return (latest.value / base.value - 1) * 100
        return None

    def family(self, q: str) -> list[str]:
        if q in self.chains:
            return list(self.chains)
        if q in self.indicators:
            return [i for i, v in self.indicators.items() if v.core] or list(self.indicators)
        return [q]


def _tail(words: str) -> str:
    """The number of a level claim as printed, with its bound and unit (“超200个”)."""
    m = re.search(r"(?:超|近|约)?-?\d+(?:\.\d+)?\D*$", words)
    return m.group(0) if m else words


def _agrees(claim: Claim, model: float) -> bool:
    """The claim's number is the model's, rounded as printed (half a unit of its last decimal)."""
    if claim.kind == "multiple":
        return fmt.round_half_up(model, claim.decimals) == claim.value
    if claim.kind == "level" and claim.basis == "超":   # “超90%”: a lower bound
        return model > claim.value
    if claim.kind == "level" and claim.basis == "近":   # “近1000名”: just under
        return claim.value * 0.9 <= model <= claim.value
    return abs(model - claim.value) <= 0.5 * 10 ** (-claim.decimals) + 1e-9


# --- findings -------------------------------------------------------------------------------------------------

def _quoted(claims: list[Claim]) -> str:
    seen = dict.fromkeys(f"“{c.words}”（{c.block.where}）" for c in claims)
    return "；".join(seen)


KIND_WORDS = {"level": "数值", "increase": "增量", "multiple": "倍数", "growth": "增长", "superlative": "最高/最大", "status": "完成状态"}


def value_findings(claims: list[Claim], model: Model) -> list[Finding]:
    groups: dict[tuple, list[Claim]] = {}
    for c in claims:
        if c.kind in ("level", "increase", "multiple", "growth"):
            groups.setdefault(c.key, []).append(c)
    out = []
    for (q, kind, basis), group in groups.items():
        computed, working = model.value(group[0])
        name = model.name(q)
        if computed is not None:
            # A level printed as the data holds it (“超200个”: the data's own bound) agrees with it.
            wrong = [c for c in group if not _agrees(c, computed)
                     and not (c.kind == "level" and _tail(c.words) in working)]
            sign = [c for c in group if c.value is not None and c.value < 0 and c.words.startswith(("增长", "提升", "提高"))]
            if not wrong and not sign:
                continue
            right = [c for c in group if c not in wrong]
            detail = (f"{name}：{_quoted(wrong + sign)}与数据不符，按数据{working}"
                      + (f"；同一数量另有{_quoted(right)}" if right else ""))
            title = f"{name}的{KIND_WORDS[kind]}：用词或数字与数据不符" if not (right and wrong) else \
                f"{name}的{KIND_WORDS[kind]}：两处表述不一致"
        else:
            values = {c.value for c in group}
            if len(values) < 2:
                continue
            detail = f"{name}：{_quoted(group)}，同一数量两种数值，数据中无可据以判断的数字"
            title = f"{name}的{KIND_WORDS[kind]}：两处表述不一致"
        out.append(Finding(f"claim-{kind}-{q}" + (f"-{basis}" if basis and kind == "growth" else ""),
                           "表述与数据", title, detail, tuple(dict.fromkeys(c.block.where for c in group))))
    return out


def superlative_findings(claims: list[Claim], model: Model) -> list[Finding]:
    out = []
    for c in claims:
        if c.kind != "superlative":
            continue
        mine = model.measure(c.quantity, c.basis)
        if mine is None:
            continue
        # Its set: the quantities the same chart or table speaks of, else the quantity's family.
        peers = {p.quantity for p in claims if c.block.table and p.block.table == c.block.table}
        peers = peers if len(peers) > 1 else set(model.family(c.quantity))
        values = {p: v for p in peers if (v := model.measure(p, c.basis)) is not None}
        top = max(values, key=values.get)
        if values[top] > mine + 1e-9:
            out.append(Finding(f"claim-superlative-{c.quantity}-{c.basis}", "表述与数据",
                               f"{model.name(c.quantity)}：“{c.words}”与数据不符",
                               f"{_quoted([c])}；按数据{model.name(top)}为{fmt.number(fmt.round_half_up(values[top], 1))}，"
                               f"高于{model.name(c.quantity)}的{fmt.number(fmt.round_half_up(mine, 1))}",
                               (c.block.where,)))
    return out


def status_findings(claims: list[Claim], model: Model) -> list[Finding]:
    out: dict[str, Finding] = {}
    for c in claims:
        ind = model.indicators.get(c.quantity) if c.kind == "status" else None
        if ind is None or ind.completion_pct is None:
            continue
        words = model.plan.status_words
        wrong = ((c.words in REACHED_WORDS and not ind.reached)
                 or (c.words in (words["near"], words["behind"]) and ind.status != c.words))
        if wrong and f"claim-status-{c.quantity}" not in out:
            group = [x for x in claims if x.kind == "status" and x.quantity == c.quantity]
            out[f"claim-status-{c.quantity}"] = Finding(
                f"claim-status-{c.quantity}", "表述与数据", f"{ind.name}：完成状态的表述与数据不符",
                f"{_quoted(group)}；按数据{ind.actual.text}，目标{ind.target.plain}，完成度{fmt.percent(ind.completion_pct)}，"
                f"为“{ind.status}”", tuple(dict.fromkeys(x.block.where for x in group)))
    return list(out.values())


def negated_findings(blocks: list[Block], meta: dict) -> list[Finding]:
    """A word asserted on a page (heading, caption, table, sentence) that the same page says it does not mean."""
    out = []
    for word, negations in (meta.get("negated_words") or {}).items():
        pages: dict[str, tuple[list[Block], list[Block]]] = {}
        for b in blocks:
            text = b.text
            denied = any(n in text for n in negations)
            for n in negations:
                text = text.replace(n, "")
            said, no = pages.setdefault(b.page, ([], []))
            if word in text:
                said.append(b)
            if denied:
                no.append(b)
        for page, (said, no) in pages.items():
            if said and no:
                out.append(Finding(f"claim-negated-{word}-{page}", "前后表述", f"称“{word}”，又称并非{word}",
                                   f"{'；'.join(dict.fromkeys(f'“{b.text[:40]}”（{b.where}）' for b in said))}；而"
                                   f"{'；'.join(dict.fromkeys(f'“{b.text[:60]}”（{b.where}）' for b in no))}",
                                   tuple(dict.fromkeys(b.where for b in said + no))))
    return out


VERDICT_COLUMNS = re.compile(r"判断|状态")
DEFINED = re.compile(r"(?:为|称|作|记为)“([^”]{2,12})”")


def undefined_verdict_findings(blocks: list[Block]) -> list[Finding]:
    """A verdict word printed in a table's 判断/状态 column that the appendix's methods do not define."""
    defined = {m.group(1) for b in blocks if b.page.endswith("appendix") for m in DEFINED.finditer(b.text)}
    if not defined:
        return []
    used: dict[str, list[Block]] = {}
    for b in blocks:
        if b.kind == "table" and VERDICT_COLUMNS.search(b.column) and b.text not in (fmt.MISSING, "—", ""):
            word = re.sub(r"（.*?）", "", b.text)
            if word not in defined:
                used.setdefault(word, []).append(b)
    return [Finding(f"claim-undefined-{word}", "前后表述", f"判断用语“{word}”未在计算方法中定义",
                    f"“{word}”见{'；'.join(dict.fromkeys(b.where for b in bs))}；计算方法中定义的用语为"
                    f"{'、'.join(f'“{d}”' for d in sorted(defined))}", tuple(dict.fromkeys(b.where for b in bs)))
            for word, bs in used.items()]


def ledger(edition, blocks: list[Block]) -> tuple[list[Claim], list[Finding]]:
    """(every claim of the blocks, the findings they raise)."""
    meta = edition.data.meta.get("claims") or {}
    lexicon = Lexicon(edition)
    model = Model(edition)
    claims = read_claims(blocks, lexicon, meta)
    findings = (value_findings(claims, model) + superlative_findings(claims, model)
                + status_findings(claims, model) + negated_findings(blocks, meta)
                + undefined_verdict_findings(blocks))
    return claims, findings
