"""The audit registry's per-figure rules (meta/audit.yml `metric_rules`) checked against the plan's
catalogue: an input check, run with the others that know the plan before any chapter runs
(lib/beichen/inputs/plans.py), and again by the audit that applies the rules (lib/beichen/audit/checks.py)."""
from __future__ import annotations


def _rule_refs(spec) -> list[dict]:
    """The figure references of one rule (or reference list), for checking their ids."""
    if isinstance(spec, list):
        return [r for item in spec for r in _rule_refs(item)]
    if not isinstance(spec, dict):
        return []
    if any(k in spec for k in ("metric", "indicator", "chains")):
        return [spec]
    return [r for key in ("parts", "rows", "part", "whole", "new", "old", "figures", "others")
            for r in _rule_refs(spec.get(key))]


def metric_rule_problems(raw: dict, indicators: set[str], metrics: set[str], chains: set[str],
                         file: str = "meta/audit.yml") -> list[str]:
    """Every id of `metric_rules` that is not in the plan's catalogue, and every rule that is not one
    of the documented kinds, each named by its key — to be refused before any chapter runs."""
    problems = []
    for metric_id, spec in (raw or {}).items():
        where = f"{file}: metric_rules.{metric_id}"
        if metric_id not in metrics:
            problems.append(f"{where}: “{metric_id}” 不是本规划的统计数字（不在 metrics.csv 的 metric_id 中）；"
                            "改正：改为其中已有的标识，或删去这条规则")
        if not isinstance(spec, dict) or spec.get("rule") not in RULE_KINDS:
            problems.append(f"{where}: rule 应为 {'、'.join(RULE_KINDS)} 之一；改正：按 data/meta/audit.yml 的说明填写")
            continue
        named = [("metric", r["metric"], metrics) for r in _rule_refs(spec) if "metric" in r]
        named += [("indicator", r["indicator"], indicators) for r in _rule_refs(spec) if "indicator" in r]
        named += [("chain", c, chains) for r in _rule_refs(spec) if "chains" in r for c in r.get("ids") or []]
        if spec.get("rule") == "rank":
            named.append(("chain", spec.get("chain"), chains))
        words = {"metric": "metrics.csv 的 metric_id", "indicator": "indicators.csv 的 indicator_id",
                 "chain": "chains.csv 的 chain_id"}
        for kind, ident, known in named:
            if ident not in known:
                problems.append(f"{where}: “{ident}” 不在 {words[kind]} 中；改正：改为已有的标识")
    return problems


RULE_KINDS = ("total", "count", "share", "ratio", "growth", "rank", "each_at_least")
