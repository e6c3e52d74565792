"""Unit tests of beichen.render.charts: specs, encodings, formats, theme, mime bundle."""
from __future__ import annotations

import base64
import json
import math
import re

import altair as alt
import pandas as pd
import pytest

from beichen.render import charts

NAN = float("nan")


# ---------------------------------------------------------------------------
# sample frames (figures from the source where it states them)
# ---------------------------------------------------------------------------

@pytest.fixture
def completion_df():
    return pd.DataFrame({
        "name": ["规上工业总产值", "制造业增加值占GDP比重", "高新技术企业数量", "研发投入强度", "新指标"],
        "completion_pct": [88.3, 107.6, 119.2, 95.1, NAN],
        "status": ["滞后", "超额完成", "提前完成", "接近目标", "暂无数据"],
        "color": [charts.RED, charts.GREEN, "#4f9a6a", charts.AMBER, charts.NA_GREY],
    })


@pytest.fixture
def progress_df():
    return pd.DataFrame({
        "name": ["制造业增加值占GDP比重", "规上工业总产值", "单位能耗"],
        "unit": ["%", "亿元", "吨标煤/万元"],
        "base": [33.0, 1100.0, 0.50],
        "actual": [39.8, 1389.9, 0.45],
        "target": [37.0, 1600.0, 0.40],
        "actual_year": [2024, 2024, 2023],
        # the edition model's figures: (39.8 − 33) / 4 = 170%; (1389.9 − 1100) / 500 = 58%; 50%
        "progress_pct": [170.0, 57.98, 50.0], "elapsed_pct": [80.0, 80.0, 60.0],
        "schedule": ["快于序时进度", "慢于序时进度", "慢于序时进度"],
        "color": [charts.NAVY, charts.RED, charts.RED], "base_year": 2020, "target_year": 2025,
    })


@pytest.fixture
def chains_df():
    d = pd.DataFrame({
        "name": ["新材料", "高端装备", "食品加工", "汽车及零部件", "生物医药", "电子信息", "新能源"],
        "output_100m_yuan": [201.3, 312.5, 21.7, 268.1, 150.2, 118.0, 62.5],
        "group": ["超百亿", "超百亿", "特色", "超百亿", "超百亿", "超百亿", "新兴"],
    })
    d["share_pct"] = d["output_100m_yuan"] / d["output_100m_yuan"].sum() * 100
    d["over_100"] = d["output_100m_yuan"] > 100
    return d


@pytest.fixture
def growth_df():
    return pd.DataFrame({"name": ["高端装备", "汽车及零部件", "新材料", "食品加工"],
                         "yoy_growth_pct": [8.2, -3.1, NAN, 2.2]})


@pytest.fixture
def before_after_df():
    return pd.DataFrame({
        "name": ["高新技术企业", "首台(套)", "单项冠军", "智能工厂", "绿色工厂"],
        "unit": ["家", "个", "家", "家", "家"],
        "value_before": [442, 16, 8, 10, 19], "value_after": [715, 32, 15, 31, 33],
        "year_before": [2020] * 5, "year_after": [2024] * 5,
    })


@pytest.fixture
def ladder_df():
    return pd.DataFrame({
        "path": ["科技创新"] * 2 + ["专精特新"] * 4,
        "step": [1, 2, 1, 2, 3, 4],
        "name": ["科技型中小企业", "高新技术企业", "创新型中小企业", "专精特新中小企业",
                 "专精特新“小巨人”", "单项冠军"],
        "value": [776, 715, 421, NAN, 19, 15],
    })


@pytest.fixture
def snapshot_df():
    return pd.DataFrame({"label": ["规上工业总产值", "规上工业增加值"],
                         "value": [-0.3, 1.0], "unit": ["%", "%"]})


@pytest.fixture
def all_charts(completion_df, progress_df, chains_df, growth_df, before_after_df,
               ladder_df, snapshot_df):
    fig = charts.chart_numbering(2)
    return [
        charts.completion_chart(completion_df, "核心指标完成率", "两项滞后。", number=fig),
        charts.progress_chart(progress_df, "规划目标进度", "快于序时进度。", number=fig),
        charts.chains_chart(chains_df, "重点产业链产值", "超百亿链条占大头。", number=fig,
                            combined_share_pct=80.8),
        charts.chain_growth_chart(growth_df, "产业链增速", "", number=fig),
        charts.before_after_chart(before_after_df, "2020年与2024年对比", "", number=fig),
        charts.ladder_chart(ladder_df, "企业梯度", "", number=fig),
        charts.snapshot_chart(snapshot_df, "2025年1—10月", "", number=fig),
    ]


# ---------------------------------------------------------------------------
# spec helpers
# ---------------------------------------------------------------------------

def layers(spec: dict) -> list[dict]:
    """All unit specs (with mark) inside a spec, depth first."""
    out = []

    def walk(node):
        if isinstance(node, dict):
            if "mark" in node:
                out.append(node)
            for key in ("layer", "spec", "hconcat", "vconcat", "concat"):
                v = node.get(key)
                if isinstance(v, list):
                    for x in v:
                        walk(x)
                elif isinstance(v, dict):
                    walk(v)
    walk(spec)
    return out


def mark_type(layer: dict) -> str:
    m = layer["mark"]
    return m if isinstance(m, str) else m["type"]


def dataset_rows(spec: dict, layer: dict | None = None) -> list[dict]:
    """Rows of the dataset a layer uses (or the top-level one)."""
    node = layer if layer and "data" in layer else spec
    name = node.get("data", {}).get("name")
    return spec["datasets"][name]


def enc(layer, ch):
    return layer.get("encoding", {}).get(ch, {})


# ---------------------------------------------------------------------------
# theme
# ---------------------------------------------------------------------------

def test_theme_registered_enabled_and_cjk_font_first():
    assert charts.THEME_NAME in alt.theme.names()
    assert alt.theme.active == charts.THEME_NAME
    assert charts.FONT_STACK.startswith('"Noto Sans CJK SC"')
    for f in ("Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "sans-serif"):
        assert f in charts.FONT_STACK
    cfg = charts.theme_config()
    assert cfg["font"] == charts.FONT_STACK
    for part in ("axis", "legend", "title", "header"):
        assert cfg[part]["labelFont" if part != "title" else "font"] == charts.FONT_STACK


def test_every_spec_carries_the_theme_even_if_another_theme_is_active(completion_df):
    with alt.theme.enable("dark"):
        rc = charts.completion_chart(completion_df, "完成率", "")
        spec = rc.spec
    assert spec["config"]["font"] == charts.FONT_STACK


def test_every_status_word_the_rules_give_has_its_colour(report_data):
    palette = charts.status_palette(report_data.plan)
    for word in report_data.plan.status_order():       # 超额完成 … 完成 (the target year) … 滞后
        assert word in palette, word
    assert palette["超额完成"] == charts.GREEN and palette["完成"] == charts.GREEN
    assert palette["接近目标"] == charts.AMBER and palette["滞后"] == charts.RED
    schedule = charts.schedule_palette(report_data.plan)
    assert all(w in schedule for w in report_data.plan.schedule_order())


def test_chart_numbering_counts_per_chapter():
    a, b = charts.chart_numbering(1), charts.chart_numbering(3)
    assert [a(), a(), b(), a.next()] == ["图1-1", "图1-2", "图3-1", "图1-3"]


def test_numbers_follow_call_order(all_charts):
    assert [c.number for c in all_charts] == [f"图2-{i}" for i in range(1, 8)]


# ---------------------------------------------------------------------------
# completion
# ---------------------------------------------------------------------------

def test_completion_chart_encodings_sort_rule_and_colours(all_charts):
    spec = all_charts[0].spec
    ls = layers(spec)
    bar = next(l for l in ls if mark_type(l) == "bar")
    assert enc(bar, "x")["field"] == "completion_pct"
    assert enc(bar, "x")["title"] == "完成度（%）"
    assert enc(bar, "y")["field"] == "name"
    # sorted by completion, highest first, missing last
    assert enc(bar, "y")["sort"] == ["高新技术企业数量", "制造业增加值占GDP比重", "研发投入强度",
                                     "规上工业总产值", "新指标"]
    scale = enc(bar, "color")["scale"]
    colours = dict(zip(scale["domain"], scale["range"]))
    assert colours["超额完成"] == charts.GREEN and colours["滞后"] == charts.RED
    assert colours["接近目标"] == charts.AMBER
    assert enc(bar, "color")["title"] == "完成情况"
    tips = {t["field"]: t for t in enc(bar, "tooltip")}
    assert tips["completion_pct"]["format"] == ".1f" and tips["name"]["title"] == "指标"
    rules = [l for l in ls if mark_type(l) == "rule"]
    assert any(dataset_rows(spec, r)[0]["x"] == 100.0 for r in rules), "100% rule missing"
    labels = [r["label"] for r in dataset_rows(spec, bar)]
    assert "107.6%" in labels and "暂无数据" in labels


def test_completion_chart_rejects_missing_columns():
    with pytest.raises(ValueError, match="completion_pct"):
        charts.completion_chart(pd.DataFrame({"name": ["a"], "status": ["滞后"]}), "x")


# ---------------------------------------------------------------------------
# progress
# ---------------------------------------------------------------------------

def test_progress_chart_shows_the_models_figures_unchanged(progress_df):
    """The chart draws the progress and verdict it is given: nothing is recomputed (a band-less
    recomputation once said 快于 where the table said 符合)."""
    df = progress_df.copy()
    df.loc[1, ["progress_pct", "schedule", "color"]] = [81.0, "符合序时进度", "#5b7f95"]
    spec = charts.progress_chart(df, "进度").spec
    bar = next(l for l in layers(spec) if mark_type(l) == "bar" and enc(l, "color"))
    rows = {r["name"]: r for r in dataset_rows(spec, bar)}
    assert rows["规上工业总产值"]["状态"] == "符合序时进度"
    assert rows["规上工业总产值"]["progress_pct"] == pytest.approx(81.0)


def test_progress_chart_shows_elapsed_tick_and_target_rule(all_charts):
    spec = all_charts[1].spec
    ls = layers(spec)
    marks = [mark_type(l) for l in ls]
    assert "tick" in marks and "rule" in marks
    tick = next(l for l in ls if mark_type(l) == "tick")
    assert enc(tick, "x")["field"] == "elapsed_pct"
    bar = next(l for l in ls if mark_type(l) == "bar" and enc(l, "x").get("field") == "progress_pct")
    assert "规划目标进度" in enc(bar, "x")["title"]
    rows = {r["name"]: r for r in dataset_rows(spec, bar)}
    assert rows["单位能耗"]["实际值"] == "0.45吨标煤/万元"
    assert rows["单位能耗"]["年份"] == "2023年"
    assert rows["规上工业总产值"]["状态"] == "慢于序时进度"


# ---------------------------------------------------------------------------
# chains
# ---------------------------------------------------------------------------

def test_chains_chart_sorted_highlighted_and_annotated(all_charts):
    spec = all_charts[2].spec
    ls = layers(spec)
    bar = next(l for l in ls if mark_type(l) == "bar")
    assert enc(bar, "x")["title"] == "产值（亿元）"
    assert enc(bar, "y")["sort"][:2] == ["高端装备", "汽车及零部件"]
    assert enc(bar, "y")["sort"][-1] == "食品加工"
    scale = enc(bar, "color")["scale"]
    assert scale["range"][0] == charts.NAVY and scale["domain"][0] == "超百亿元产业链"
    rows = dataset_rows(spec, bar)
    assert {r["name"] for r in rows if r["类别"] == "超百亿元产业链"} == {
        "高端装备", "汽车及零部件", "新材料", "生物医药", "电子信息"}
    assert next(r for r in rows if r["name"] == "高端装备")["label"].startswith("312.5亿元（")
    texts = [r.get("t") for l in ls if mark_type(l) == "text" for r in dataset_rows(spec, l)]
    assert "5条超百亿元产业链合计占80.8%" in texts
    assert "100亿元" in texts  # threshold rule label
    assert "5条超百亿元产业链合计占80.8%" in all_charts[2].alt_text


# ---------------------------------------------------------------------------
# growth
# ---------------------------------------------------------------------------

def test_chain_growth_drops_missing_signs_labels_and_has_zero_line(all_charts):
    rc = all_charts[3]
    spec = rc.spec
    ls = layers(spec)
    bar = next(l for l in ls if mark_type(l) == "bar")
    rows = dataset_rows(spec, bar)
    assert [r["name"] for r in rows] == ["高端装备", "食品加工", "汽车及零部件"]
    assert [r["label"] for r in rows] == ["+8.2%", "+2.2%", "-3.1%"]
    assert enc(bar, "x")["title"] == "产值同比增速（%）"
    assert any(mark_type(l) == "rule" and dataset_rows(spec, l)[0]["x"] == 0 for l in ls)
    assert "未公布增速：新材料" in rc.alt_text


# ---------------------------------------------------------------------------
# before/after, ladder, snapshot
# ---------------------------------------------------------------------------

def test_before_after_small_multiples(all_charts):
    spec = all_charts[4].spec
    assert "facet" in spec and spec["resolve"]["scale"]["y"] == "independent"
    rows = spec["datasets"][spec["data"]["name"]]
    hi = [r for r in rows if r["name"] == "高新技术企业"]
    assert [(r["year"], r["value"], r["label"]) for r in hi] == [
        ("2020年", 442.0, "442家"), ("2024年", 715.0, "715家")]
    panel = hi[0]["panel"]
    # header lines: the name (wrapped to the panel width), then the increase and the multiple
    lines = panel.split("|")
    assert "".join(lines[:-2]) == "高新技术企业（家）"
    assert lines[-2:] == ["增加273家", "为1.6倍"]
    smart = next(r for r in rows if r["name"] == "智能工厂")["panel"]
    assert "3.1倍" in smart
    assert spec["facet"]["column"]["sort"][0] == panel


def test_ladder_funnel_paths_and_missing_value(all_charts):
    rc = all_charts[5]
    spec = rc.spec
    # one funnel per path, side by side, each titled with its path and holding its own rows
    assert [part["title"]["text"] for part in spec["hconcat"]] == ["科技创新", "专精特新"]
    assert "facet" not in spec
    rows = [r for part in spec["hconcat"] for r in spec["datasets"][part["data"]["name"]]]
    assert [len(spec["datasets"][part["data"]["name"]]) for part in spec["hconcat"]] == [2, 4]
    by_name = {r["name"]: r for r in rows}
    assert by_name["科技型中小企业"]["label"] == "776家"
    assert by_name["专精特新中小企业"]["label"] == "暂无数据"
    assert by_name["专精特新中小企业"]["has_value"] is False
    # funnel: centred bars
    assert by_name["单项冠军"]["x0"] == -by_name["单项冠军"]["x1"]
    assert "暂无数据" in rc.alt_text and "→" in rc.alt_text


def test_snapshot_around_zero(all_charts):
    spec = all_charts[6].spec
    ls = layers(spec)
    bar = next(l for l in ls if mark_type(l) == "bar")
    rows = dataset_rows(spec, bar)
    assert [r["text"] for r in rows] == ["-0.3%", "+1%"]
    dom = enc(bar, "x")["scale"]["domain"]
    assert dom[0] < 0 < dom[1] and dom[0] == -dom[1]
    assert enc(bar, "x")["title"] == "同比增速（%）"
    assert any(mark_type(l) == "rule" and dataset_rows(spec, l)[0]["x"] == 0 for l in ls)


# ---------------------------------------------------------------------------
# the report-chart object
# ---------------------------------------------------------------------------

def test_chinese_titles_everywhere(all_charts):
    for rc in all_charts:
        text = json.dumps({k: v for k, v in rc.spec.items() if k != "datasets"},
                          ensure_ascii=False)
        titles = re.findall(r'"title":\s*"([^"]*)"', text)
        for t in titles:
            assert re.search(r"[\u4e00-\u9fff]", t), f"{rc.number}: non-Chinese title {t!r}"


def test_mimebundle_keys_and_contents(all_charts):
    rc = all_charts[0]
    bundle = rc._repr_mimebundle_()
    assert set(bundle) == {"text/html", "application/pdf", "image/png", "text/plain"}
    assert bundle["text/plain"] == "图2-1 核心指标完成率"
    assert "alt.Chart" not in bundle["text/plain"]
    # binary types as base64 text, the way nbformat stores them
    assert isinstance(bundle["application/pdf"], str)
    assert base64.b64decode(bundle["application/pdf"]).startswith(b"%PDF")
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG")


def test_mimebundle_respects_include_exclude(all_charts):
    rc = all_charts[6]
    assert set(rc._repr_mimebundle_(include={"text/plain"})) == {"text/plain"}
    assert "image/png" not in rc._repr_mimebundle_(exclude={"image/png"})


def test_html_figure_uses_local_vegaembed_and_is_accessible(all_charts):
    rc = all_charts[2]
    h = rc.to_html()
    assert h.startswith('<figure class="report-figure"')
    assert f'<div class="report-chart" id="{rc.element_id}" role="img" aria-label="' in h
    assert "<figcaption>" in h and "图2-3</span> 重点产业链产值" in h
    assert "超百亿链条占大头。" in h
    assert "window.vegaEmbed(" in h
    assert "http://" not in h and "https://" not in h and "cdn" not in h.lower()
    assert "<script src" not in h
    assert "$schema" not in h
    # the inline script must not be closable by data
    body = h.split("<script>", 1)[1].rsplit("</script>", 1)[0]
    assert "</" not in body


def test_html_escapes_script_terminators(completion_df):
    d = completion_df.copy()
    d.loc[0, "name"] = "</script><b>x</b>"
    rc = charts.completion_chart(d, "标题<i>", "要点&")
    h = rc.to_html()
    body = h.split("<script>", 1)[1].rsplit("</script>", 1)[0]
    assert "</script>" not in body
    assert "标题&lt;i&gt;" in h and "要点&amp;" in h


def test_element_ids_unique(all_charts):
    ids = [rc.element_id for rc in all_charts]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[A-Za-z0-9-]+", i) for i in ids)


def test_alt_text_defaults_describe_the_data(all_charts):
    for rc in all_charts:
        assert rc.alt_text and rc.caption in rc.alt_text


def test_print_spec_has_caption_below_and_pdf_has_cjk_font(all_charts):
    rc = all_charts[1]
    t = rc.print_spec["title"]
    assert t["orient"] == "bottom" and t["text"][0].startswith("图2-2")
    assert "title" not in rc.spec  # the web figure uses <figcaption>
    pdf = rc.to_pdf()
    assert pdf.startswith(b"%PDF")
    # the print face (latex/beichen-report.sty's 黑体; FandolHei here) embedded, not the web's Noto
    assert b"NotoSansCJK" not in pdf
    if charts.print_face() == "FandolHei":   # no office 黑体 installed
        assert b"FandolHei-Regular" in pdf, "chart face not embedded in the PDF"


def test_ipython_display_stores_valid_notebook_output(all_charts):
    """What IPython hands to nbformat decodes to a PDF (as myst-nb's LaTeX builder does)."""
    from binascii import a2b_base64

    import nbformat
    from IPython.core.formatters import DisplayFormatter

    data, _meta = DisplayFormatter().format(all_charts[3])
    out = nbformat.v4.new_output("display_data", data=data)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=[out])])
    nbformat.validate(nb)
    stored = nbformat.reads(nbformat.writes(nb), 4).cells[0].outputs[0].data
    assert a2b_base64(stored["application/pdf"]).startswith(b"%PDF")
    assert stored["text/plain"] == all_charts[3].title_text


# ---------------------------------------------------------------------------
# offline assets (beichen.site.vega_offline)
# ---------------------------------------------------------------------------

def test_write_vega_assets_wrapped_and_idempotent(tmp_path):
    from beichen.site import vega_offline

    js_files = vega_offline.write_vega_assets(tmp_path / "_static")
    assert js_files == ["vega/vega-bundle.js", "vega/report-charts.js"]
    assert "window.beichenCharts" in (tmp_path / "_static" / "vega" / "report-charts.js").read_text(encoding="utf-8")
    bundle = tmp_path / "_static" / "vega" / "vega-bundle.js"
    css = tmp_path / "_static" / "vega" / "report-charts.css"
    assert bundle.stat().st_size > 500_000 and css.is_file()
    text = bundle.read_text(encoding="utf-8")
    first_code_line = text.split("*/", 1)[1].lstrip()
    assert first_code_line.startswith("(function () {")
    assert text.rstrip().endswith("}).call(window);")
    assert re.search(r"window\.vegaEmbed\s*=", text)
    assert "window.vega=" not in text and "window.vegaLite=" not in text
    assert "import " not in text[:200] and "export " not in text[-300:]
    mtime = bundle.stat().st_mtime_ns
    vega_offline.write_vega_assets(tmp_path / "_static")
    assert bundle.stat().st_mtime_ns == mtime, "unchanged assets must not be rewritten"
    assert ".report-chart" in css.read_text(encoding="utf-8")


def test_thebe_scripts_are_recognised():
    from beichen.site import vega_offline

    class JS:
        def __init__(self, filename, **attributes):
            self.filename, self.attributes = filename, attributes

    assert vega_offline._is_thebe(JS("sphinx-thebe.js"))
    assert vega_offline._is_thebe(JS(None, body='const THEBE_JS_URL = "https://unpkg.com/x"'))
    assert not vega_offline._is_thebe(JS("vega/vega-bundle.js"))
    assert not vega_offline._is_thebe(JS("doctools.js"))


def test_sphinx_caption_mode_leaves_caption_to_the_cell(all_charts):
    rc = all_charts[0]
    rc.caption_mode = "sphinx"
    h = rc.to_html()
    assert "<figure" not in h and "<figcaption" not in h
    assert '<div class="report-figure"' in h and "两项滞后。" in h
    assert "title" not in rc.print_spec
    assert rc.to_pdf().startswith(b"%PDF")
    rc.caption_mode = "self"
    assert "<figcaption>" in rc.to_html() and rc.print_spec["title"]["orient"] == "bottom"
    rc.caption_mode = "nonsense"
    with pytest.raises(ValueError):
        rc.to_html()


def test_set_caption_mode_default(completion_df):
    try:
        charts.set_caption_mode("sphinx")
        assert "<figcaption" not in charts.completion_chart(completion_df, "x").to_html()
    finally:
        charts.set_caption_mode("self")
    with pytest.raises(ValueError):
        charts.set_caption_mode("latex")


def test_same_chart_shown_twice_gets_distinct_ids(completion_df):
    a = charts.completion_chart(completion_df, "重复图", "", number="图9-9")
    b = charts.completion_chart(completion_df, "重复图", "", number="图9-9")
    ids = [re.search(r'class="report-chart" id="([^"]+)"', rc.to_html()).group(1) for rc in (a, b)]
    assert ids[0] != ids[1]
    assert a.to_html() == a.to_html()  # stable for one object


def test_before_after_with_mixed_latest_years_renders():
    # In the 2025 edition one indicator may still have only its 2024 value: panels then differ
    # in their years and the chart must still render (it once failed with an invalid colour range).
    import pandas as pd
    from beichen.render import charts

    frame = pd.DataFrame({"name": ["甲", "乙"], "unit": ["家", "个"], "value_before": [10, 5],
                          "value_after": [20, 8], "year_before": [2020, 2020], "year_after": [2025, 2024]})
    chart = charts.before_after_chart(frame, "测试", number="图9-9")
    assert chart.to_pdf()[:4] == b"%PDF"
    assert chart.spec["resolve"]["scale"]["x"] == "independent"


def test_wrapped_labels_never_start_with_closing_punctuation():
    from beichen.render.charts import _wrap

    # 9 characters fit: a plain break would leave “）” alone on the second line.
    assert _wrap("制造业单项冠军（个）", 9 * 11, 11) == ["制造业单项冠军（个）"]
    assert _wrap("首台（套）重大技术装备（个）", 8 * 11, 11) == ["首台（套）重大技", "术装备（个）"]


def test_print_pdf_survives_a_chart_without_figures():
    """A later edition may lack every figure of a chart (the 2025 snapshot): its scale domain
    is then NaN, and the print version must still render."""
    import pandas as pd
    from beichen.render import charts
    spec = {"data": {"values": [{"n": "甲", "v": None, "t": "暂无数据"}]},
            "width": 300, "height": 60,
            "layer": [{"mark": {"type": "bar"},
                       "encoding": {"y": {"field": "n", "type": "nominal"},
                                    "x": {"field": "v", "type": "quantitative",
                                          "scale": {"domain": [float("nan"), float("nan")]}}}},
                      {"mark": {"type": "text", "align": "left", "dx": 4},
                       "encoding": {"y": {"field": "n", "type": "nominal"},
                                    "x": {"field": "v", "type": "quantitative",
                                          "scale": {"domain": [float("nan"), float("nan")]}},
                                    "text": {"field": "t", "type": "nominal"}}}]}
    printed = charts.for_print(spec)
    assert len(printed["layer"]) == 2
    assert charts.print_pdf(spec)[:5] == b"%PDF-"


def test_print_chart_text_is_one_size_and_rules_sit_behind():
    """五号 (10.5 bp) on paper: the chart is printed at the 156 mm text width, so a font of f
    px in a chart W px wide prints at f × 442.2 / W bp."""
    import re
    import pandas as pd
    from beichen.render import charts
    df = pd.DataFrame({"name": ["新材料产业链", "中医药产业链"], "output_100m_yuan": [425.1, 69.2],
                       "share_pct": [30.6, 5.0], "group": ["超百亿", "特色"], "over_100": [True, False]})
    chart = charts.chains_chart(df, "测试", combined_share_pct=30.6, number="图9-1")
    spec = chart.spec
    pdf = charts.print_pdf(spec)
    width = charts._pdf_width(pdf)
    printed = charts.for_print(spec)
    kinds = [charts._mark_type(l) for l in printed["layer"]]
    assert kinds[0] == "rule"                      # the 100亿元 line is drawn first (behind)
    assert kinds.index("bar") < kinds.index("text")
    sizes = set()
    import pymupdf
    page = pymupdf.open(stream=pdf)[0]
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                sizes.add(round(span["size"] * charts.PRINT_WIDTH_BP / width, 1))
    assert sizes == {10.5}, sizes


def test_a_chain_chart_without_a_class_of_large_chains_has_one_colour_and_no_threshold(report_data):
    import dataclasses

    from beichen.model.edition import Edition
    from beichen.render import chart_data as cd

    meta = dict(report_data.meta)
    meta["report"] = {**report_data.meta["report"], "large_chains": None}
    edition = Edition(dataclasses.replace(report_data, meta=meta), 2024)
    frame, takeaway, combined = cd.chains(edition)
    assert combined is None and "超百亿" not in takeaway
    chart = charts.chains_chart(frame, "产业链产值与占比", takeaway, **cd.large_chains_chart_args(edition))
    spec = json.dumps(chart.spec, ensure_ascii=False)
    # (the 十四五 rows keep their own group “超百亿” of chains.csv in the tooltips: data, not a class)
    assert "超百亿元产业链" not in spec and "100亿元" not in spec


# ---------------------------------------------------------------------------
# tooltips in the words of the axes and legends (issue 25)
# ---------------------------------------------------------------------------

def _titled(layer: dict, ch: str):
    """(field, the words an axis or legend gives it) of a channel, or None."""
    e = enc(layer, ch)
    if not isinstance(e, dict) or "field" not in e:
        return None
    guide = e.get("axis" if ch in ("x", "y") else "legend")
    if guide is None and ("axis" in e or "legend" in e):
        return None   # no axis or legend drawn: no words to agree with
    title = (guide or {}).get("title", e.get("title")) if isinstance(guide, dict) else e.get("title")
    return e["field"], title


def tooltip_disagreements(spec: dict) -> list[str]:
    """Where a chart's tooltip names a field other than its axis or legend does, or leaves out the
    field whose words the legend shows (the old 图2-1: tooltip “超百亿”, legend “超百亿元产业链”)."""
    units = layers(spec)
    words = {}
    for u in units:
        for ch in ("x", "y", "color"):
            got = _titled(u, ch)
            if got and isinstance(got[1], str):
                words[got[0]] = got[1]
    out = []
    for u in units:
        tips = enc(u, "tooltip") or []
        if not tips:
            continue
        fields = {t["field"]: t.get("title", t["field"]) for t in tips}
        for field, title in fields.items():
            if field in words and title != words[field]:
                out.append(f"tooltip {title!r} for {field}, the axis or legend says {words[field]!r}")
        color = _titled(u, "color")
        if color and color[0] not in fields:
            out.append(f"tooltip without the legend's field {color[0]!r}")
    return out


def test_every_tooltip_speaks_as_its_axes_and_legend(all_charts):
    for rc in all_charts:
        assert not tooltip_disagreements(rc.spec), rc.number


def test_the_2024_charts_tooltips_speak_as_their_axes_and_legends(edition_2024):
    from test_print_charts import _build

    built = _build(edition_2024)
    assert len(built) == 7
    for number, (rc, _, _) in built.items():
        assert not tooltip_disagreements(rc.spec), f"{number}: {tooltip_disagreements(rc.spec)}"
    # 图2-1: the class of a chain in the legend's own words, “超百亿元产业链”, not the data's “超百亿”
    chains = built["图2-1"][0].spec
    bar = next(l for l in layers(chains) if mark_type(l) == "bar")
    rows = dataset_rows(chains, bar)
    tip_fields = [t["field"] for t in enc(bar, "tooltip")]
    assert "类别" in tip_fields and "group" not in tip_fields
    assert {r["类别"] for r in rows} == {"超百亿元产业链", "其他产业链"}


def test_the_old_tooltips_would_have_disagreed():
    """The rule catches what issue 25 found: a tooltip that names the class with other words."""
    spec = {"layer": [{"mark": "bar", "encoding": {
        "x": {"field": "v", "type": "quantitative", "title": "产值同比增速（%）"},
        "color": {"field": "类别", "type": "nominal", "title": None},
        "tooltip": [{"field": "group", "type": "nominal", "title": "类别"},
                    {"field": "v", "type": "quantitative", "title": "同比增速（%）"}]}}]}
    got = tooltip_disagreements(spec)
    assert len(got) == 2 and "产值同比增速（%）" in got[0] and "类别" in got[1]
