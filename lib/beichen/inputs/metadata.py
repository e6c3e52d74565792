"""Report-specific lists kept beside the data (data/meta/report.yml, data/meta/audit.yml), checked
against the data when loaded: a list naming an indicator, metric or chain the data doesn't have
fails validation with the file, the place in it and the unknown id, like any data error.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

META_DIR = Path("meta")
REPORT_META = META_DIR / "report.yml"
AUDIT_META = META_DIR / "audit.yml"
CLAIMS_META = META_DIR / "claims.yml"


def read_yaml(data_dir: Path, relative: Path, problems: list[str]) -> dict:
    path = Path(data_dir) / relative
    if not path.exists():
        problems.append(f"{relative.as_posix()}: 文件不存在")
        return {}
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        problems.append(f"{relative.as_posix()}: 不是合法的 YAML（{err.__class__.__name__}）")
        return {}
    if not isinstance(raw, dict):
        problems.append(f"{relative.as_posix()}: 应为“键: 值”格式")
        return {}
    return raw


class IdChecker:
    """Checks every id a metadata file names against the ids the data knows."""

    def __init__(self, file: Path, indicators: set[str], metrics: set[str], chains: set[str],
                 problems: list[str]):
        self.file, self.problems = file.as_posix(), problems
        self.known = {"indicator": indicators, "metric": metrics, "chain": chains}

    def need(self, kind: str, value: Any, where: str) -> None:
        if kind == "figure":  # a metric or an indicator
            if value not in self.known["metric"] | self.known["indicator"]:
                self.problems.append(f"{self.file}: {where}: “{value}” 不是已知的指标或统计数字"
                                     f"（indicators.csv 的 indicator_id 或 metrics.csv 的 metric_id）")
            return
        if value not in self.known[kind]:
            file = {"indicator": "indicators.csv 的 indicator_id", "metric": "metrics.csv 的 metric_id",
                    "chain": "chains.csv 的 chain_id"}[kind]
            self.problems.append(f"{self.file}: {where}: “{value}” 不在 {file} 中")

    def ref(self, spec: Any, where: str) -> None:
        """A figure reference {metric: id[, year: base]} or {indicator: id[, kind: …]}."""
        if not isinstance(spec, dict) or not ({"metric", "indicator"} & set(spec)):
            self.problems.append(f"{self.file}: {where}: 应为 {{metric: id}} 或 {{indicator: id, kind: …}}，实为 “{spec}”")
            return
        if "metric" in spec:
            self.need("metric", spec["metric"], where)
        else:
            self.need("indicator", spec["indicator"], where)
            if spec.get("kind", "actual") not in ("actual", "base", "target"):
                self.problems.append(f"{self.file}: {where}: kind “{spec.get('kind')}” 应为 actual、base 或 target")

    def items(self, raw: dict, key: str) -> list:
        value = raw.get(key)
        if not isinstance(value, list):
            self.problems.append(f"{self.file}: 缺少列表 {key}")
            return []
        return value

    def fields(self, entry: Any, where: str, *names: str) -> bool:
        if not isinstance(entry, dict):
            self.problems.append(f"{self.file}: {where}: 应为“键: 值”，实为 “{entry}”")
            return False
        missing = [n for n in names if n not in entry]
        if missing:
            self.problems.append(f"{self.file}: {where}: 缺少 {'、'.join(missing)}")
            return False
        return True


def check_report_meta(raw: dict, ids: IdChecker) -> None:
    for i, chain in enumerate(ids.items(raw, "lead_chains")):
        ids.need("chain", chain, f"lead_chains 第{i + 1}项")
    for i, ind in enumerate(ids.items(raw, "key_indicators")):
        ids.need("indicator", ind, f"key_indicators 第{i + 1}项")
    for key in ("before_after", "ladder"):
        for i, entry in enumerate(ids.items(raw, key)):
            if ids.fields(entry, f"{key} 第{i + 1}项", "figure", "label"):
                ids.need("figure", entry["figure"], f"{key} 第{i + 1}项")
    tables = raw.get("figure_tables") or {}
    for name, figures in tables.items():
        for i, figure in enumerate(figures or []):
            ids.need("metric", figure, f"figure_tables.{name} 第{i + 1}项")
    snapshot = raw.get("snapshot") or {}
    for i, figure in enumerate(snapshot.get("table") or []):
        ids.need("metric", figure, f"snapshot.table 第{i + 1}项")
    for i, entry in enumerate(snapshot.get("chart") or []):
        if ids.fields(entry, f"snapshot.chart 第{i + 1}项", "figure", "label"):
            ids.need("metric", entry["figure"], f"snapshot.chart 第{i + 1}项")
    for i, entry in enumerate(ids.items(raw, "recommendation_targets")):
        if ids.fields(entry, f"recommendation_targets 第{i + 1}项", "target", "current"):
            ids.need("metric", entry["target"], f"recommendation_targets 第{i + 1}项")
            ids.need("figure", entry["current"], f"recommendation_targets 第{i + 1}项")


def check_audit_meta(raw: dict, ids: IdChecker) -> None:
    for i, e in enumerate(ids.items(raw, "parts_totals")):
        where = f"parts_totals 第{i + 1}项"
        if ids.fields(e, where, "id", "item", "stated", "parts", "source", "edition"):
            ids.ref(e["stated"], where)
            for part in e["parts"]:
                ids.ref(part, where)
    for i, e in enumerate(ids.items(raw, "named_counts")):
        where = f"named_counts 第{i + 1}项"
        if ids.fields(e, where, "id", "metric", "names", "edition"):
            ids.need("metric", e["metric"], where)
    for i, e in enumerate(ids.items(raw, "same_quantities")):
        where = f"same_quantities 第{i + 1}项"
        if ids.fields(e, where, "id", "item", "first", "second", "edition"):
            ids.ref(e["first"], where)
            ids.ref(e["second"], where)
    check_contradiction_meta(raw, ids)
    for i, e in enumerate(ids.items(raw, "claims")):
        where = f"claims 第{i + 1}项"
        if not ids.fields(e, where, "id", "type", "item", "source", "words", "edition"):
            continue
        if e["type"] == "status":
            if ids.fields(e, where, "indicator", "accepts"):
                ids.need("indicator", e["indicator"], where)
        elif e["type"] == "multiple":
            if ids.fields(e, where, "new", "old"):
                ids.ref(e["new"], where)
                ids.ref(e["old"], where)
        elif e["type"] != "overall":
            ids.problems.append(f"{ids.file}: {where}: type “{e['type']}” 应为 overall、status 或 multiple")


def check_contradiction_meta(raw: dict, ids: IdChecker) -> None:
    """The classes of contradiction (lib/beichen/audit/contradictions.py); each list is optional."""
    def entries(key):
        value = raw.get(key) or []
        if not isinstance(value, list):
            ids.problems.append(f"{ids.file}: {key} 应为列表")
            return []
        return list(enumerate(value, start=1))

    for i, e in entries("increases"):
        where = f"increases 第{i}项"
        if ids.fields(e, where, "id", "item", "increase", "level", "source", "words", "edition"):
            for key in ("increase", "level", "base"):
                if key in e:
                    ids.ref(e[key], f"{where} {key}")
    for i, e in entries("plausible_shares"):
        where = f"plausible_shares 第{i}项"
        if not ids.fields(e, where, "id", "item", "figure", "source", "words", "edition"):
            continue
        ids.ref(e["figure"], where)
        if "same_measure" in e:
            ids.ref(e["same_measure"], where)
            if not isinstance(e.get("max_pp_per_year"), (int, float)):
                ids.problems.append(f"{ids.file}: {where}: max_pp_per_year 应为数字")
        elif ids.fields(e, where, "at_least_chains", "total"):
            for chain in e["at_least_chains"]:
                ids.need("chain", chain, where)
            ids.ref(e["total"], where)
    for i, e in entries("tensions"):
        where = f"tensions 第{i}项"
        if not ids.fields(e, where, "id", "item", "problem", "achievement", "evidence", "holds", "edition"):
            continue
        for key in ("problem", "achievement"):
            ids.fields(e[key], f"{where} {key}", "source", "words")
        ids.ref(e["evidence"], where)
        holds = e["holds"]
        if holds == "reached":
            if "indicator" not in e["evidence"]:
                ids.problems.append(f"{ids.file}: {where}: holds: reached 须配合 evidence: {{indicator: id}}")
        elif not (isinstance(holds, dict) and isinstance(holds.get("at_least"), (int, float))):
            ids.problems.append(f"{ids.file}: {where}: holds 应为 reached 或 {{at_least: 数字}}，实为 “{holds}”")
    for i, e in entries("text_tensions"):
        where = f"text_tensions 第{i}项"
        if ids.fields(e, where, "id", "item", "quotes", "edition"):
            quotes = e["quotes"] if isinstance(e["quotes"], list) else []
            if len(quotes) < 2:
                ids.problems.append(f"{ids.file}: {where}: quotes 应列出至少两处原文")
            for n, q in enumerate(quotes, start=1):
                ids.fields(q, f"{where} quotes 第{n}处", "source", "words")
    for i, e in entries("named_chains"):
        ids.fields(e, f"named_chains 第{i}项", "id", "chain", "source", "words", "edition")
    aliases = raw.get("chain_aliases") or {}
    if not isinstance(aliases, dict):
        ids.problems.append(f"{ids.file}: chain_aliases 应为“简称: 产业链名称”")
    for i, e in entries("exceeded_claims"):
        where = f"exceeded_claims 第{i}项"
        if not ids.fields(e, where, "id", "item", "subjects", "source", "words", "edition"):
            continue
        for subject in e["subjects"]:
            if isinstance(subject, dict) and "name" in subject:
                continue
            ids.ref(subject, where)


def load_metadata(data_dir: Path, indicators: set[str], metrics: set[str], chains: set[str],
                  problems: list[str]) -> dict[str, dict]:
    """{"report": …, "audit": …}; problems are appended to `problems`."""
    out = {}
    for key, relative, check in (("report", REPORT_META, check_report_meta), ("audit", AUDIT_META, check_audit_meta)):
        raw = read_yaml(data_dir, relative, problems)
        if raw:
            check(raw, IdChecker(relative, indicators, metrics, chains, problems))
        out[key] = raw
    # The claims ledger's words (optional: a plan without it has only the data's own names).
    raw = read_yaml(data_dir, CLAIMS_META, problems) if (Path(data_dir) / CLAIMS_META).exists() else {}
    if raw:
        check_claims_meta(raw, IdChecker(CLAIMS_META, indicators, metrics, chains, problems))
    out["claims"] = raw
    return out


def check_claims_meta(raw: dict, ids: IdChecker) -> None:
    """data/meta/claims.yml: aliases and changes name known quantities; the rules have their types."""
    quantities = ids.known["indicator"] | ids.known["metric"] | ids.known["chain"]
    for words, quantity in (raw.get("aliases") or {}).items():
        if quantity not in quantities:
            ids.problems.append(f"{ids.file}: aliases “{words}”: “{quantity}” 不是已知的指标、统计数字或产业链")
    for metric, spec in (raw.get("changes_of") or {}).items():
        ids.need("metric", metric, f"changes_of {metric}")
        if not isinstance(spec, dict) or spec.get("quantity") not in quantities or spec.get("kind") != "increase":
            ids.problems.append(f"{ids.file}: changes_of {metric}: 应为 {{quantity: 已知的指标或统计数字, kind: increase}}，实为 “{spec}”")
    if not isinstance(raw.get("doubling", 2.0), (int, float)):
        ids.problems.append(f"{ids.file}: doubling 应为数字，实为 “{raw.get('doubling')}”")
    for key in ("negated_words", "superlatives"):
        if not isinstance(raw.get(key) or {}, dict):
            ids.problems.append(f"{ids.file}: {key} 应为“键: 值”")
