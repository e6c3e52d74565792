"""The appendix on method and data: sources, and every data table shown whole and downloadable."""
from __future__ import annotations

import dataclasses

from beichen.render.tables import data_table
from beichen.model.edition import Edition

SOURCE_REPORT = "《北辰区工业经济“十四五”规划后评估报告》（2024年）"

DATA_FILES = {
    "indicators.csv": "评价指标目录（维度、单位、方向）",
    "indicator_values.csv": "评价指标的基数、目标、实际值及原报告所载完成度",
    "metrics.csv": "其他统计数字（成果、工程、风险、建议目标）",
    "chains.csv": "九条产业链的企业数、产值、增速和原报告所载占比",
}


def sources_text(edition: Edition) -> str:
    lines = [f"数据取自{SOURCE_REPORT}及其后各年度补录的数据。每一行数据的“来源”列注明其在原报告中的章节"
             "（如“一(二)表”）；原报告第四、五部分标题误印为“二、”“三、”，本报告按顺序记为四、五。"
             "下表各数据文件可下载（UTF-8 编码 CSV）：", ""]
    for name, what in DATA_FILES.items():
        lines.append(f"- [{name}](../_static/data/{name})：{what}")
    return "\n".join(lines)


# Codes in the data files, in words for the reader of the appendix (the CSV downloads keep the codes).
CODE_WORDS = {
    "higher": "越大越好", "lower": "越小越好",
    "base": "基数", "target": "目标", "actual": "实际值", "stated_completion_pct": "原报告所载完成度（%）",
    "stated_sum": "原报告所载合计", "stated_count": "原报告所载个数", "stated_share_pct": "原报告所载占比",
    "stated_share_min_pct": "原报告所载占比（下限）", "stated_growth_pct": "原报告所载增速",
    "stated_growth_min_pct": "原报告所载增速（下限）", "stated_gap_pp": "原报告所载差距（个百分点）",
    "stated_change_pp": "原报告所载变化（个百分点）", "stated_multiple": "原报告所载倍数",
    "stated_multiple_min": "原报告所载倍数（下限）", "stated_rank": "原报告所载排名",
    "stated_avg_annual_increase_min": "原报告所载年均增量（下限）",
}


def _in_words(frame, columns):
    frame = frame.copy()
    for column in columns:
        frame[column] = [CODE_WORDS.get(v, v) for v in frame[column]]
    return frame


def data_tables(edition: Edition) -> list[tuple[str, object]]:
    data = edition.data
    data = dataclasses.replace(data, indicators=_in_words(data.indicators, ["direction"]),
                               indicator_values=_in_words(data.indicator_values, ["kind"]),
                               metrics=_in_words(data.metrics, ["kind"]))
    return [
        ("附表1 评价指标目录（indicators.csv）", data_table(data.indicators, {
            "indicator_id": "标识", "dimension": "维度", "name": "名称", "unit": "单位", "direction": "方向"})),
        ("附表2 评价指标数值（indicator_values.csv）", data_table(data.indicator_values, {
            "indicator_id": "标识", "year": "年份", "kind": "类型", "value": "数值", "source": "来源"})),
        ("附表3 产业链（chains.csv）", data_table(data.chains, {
            "name": "产业链", "year": "年份", "enterprises": "企业数", "output_100m_yuan": "产值（亿元）",
            "yoy_growth_pct": "同比增长（%）", "stated_share_pct": "原报告占比（%）", "source": "来源"})),
        ("附表4 其他统计数字（metrics.csv）", data_table(data.metrics, {
            "name": "名称", "year": "年份", "value": "数值", "unit": "单位", "kind": "类型", "source": "来源"})),
    ]
