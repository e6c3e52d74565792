"""The report's charts: one visual identity, one function per chart type.

Every chart function takes a tidy ``pandas.DataFrame`` (column contract in its
docstring) plus the figure's caption and takeaway sentence, and returns a
:class:`ReportChart`. Displaying a ``ReportChart`` in a notebook produces one
output that carries

* ``text/html`` – a ``<figure>`` whose chart is drawn by the *locally vendored*
  ``vegaEmbed`` (see :mod:`beichen.site.vega_offline`; no CDN), with caption,
  takeaway and alt text (``role="img"`` + ``aria-label``);
* ``application/pdf`` – a vector rendering by vl-convert, picked by myst-nb's
  LaTeX builder (caption and takeaway are drawn under the chart, because the PDF
  gets only the image);
* ``image/png`` – a raster fallback (scale 2);
* ``text/plain`` – the caption, so nothing prints ``alt.Chart(...)``.

Binary mime types are returned base64-encoded (``str``), which is exactly what
nbformat stores and what myst-nb decodes with ``a2b_base64``.

Numbers are formatted with :mod:`beichen.formatting` so charts and prose agree.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import altair as alt
import pandas as pd

from beichen.model import formulas as calc
from beichen import formatting as fmt
from beichen.paths import REPO_ROOT
from beichen.render.identity import FONT_STACK  # the report's font stack, defined once

__all__ = [
    "FONT_STACK", "NAVY", "BLUE_GREY", "LIGHT", "ACCENT", "STATUS_COLORS", "SCHEDULE_COLORS", "status_palette", "schedule_palette", "THEME_NAME",
    "ReportChart", "ChartNumbering", "chart_numbering", "theme_config", "set_caption_mode",
    "completion_chart", "progress_chart", "chains_chart", "chain_growth_chart",
    "before_after_chart", "ladder_chart", "snapshot_chart",
]

# ---------------------------------------------------------------------------
# Visual identity
# ---------------------------------------------------------------------------

NAVY = "#1f3a5f"        # primary data colour
BLUE_GREY = "#6b7f95"   # secondary data colour
LIGHT = "#c5d0db"       # context / "other" bars, base-year values
ACCENT = "#0f7c8a"      # one accent: annotations, the reference that matters
INK = "#2b2b2b"         # text
MUTED = "#6e6e6e"       # secondary text, rules
GRID = "#e4e8ec"

GREEN = "#2e7d4f"
AMBER = "#d99a1e"
RED = "#b23a30"
NA_GREY = "#9aa3ab"

#: Colour of each status the plan's rules can give (keys of plan.yml's status_words), so every
#: word the rules produce has one; chart_data puts the colour in the frame (`status_palette`).
STATUS_COLORS: dict[str, str] = {
    "exceeded": GREEN,
    "reached_early": "#4f9a6a",
    "reached": GREEN,
    "near": AMBER,
    "behind": RED,
}
#: Colour of each schedule verdict (keys of plan.yml's schedule_words).
SCHEDULE_COLORS: dict[str, str] = {"ahead": NAVY, "on_time": "#5b7f95", "behind": RED}


def status_palette(plan) -> dict[str, str]:
    """The plan's status words → colours (the final evaluation's 未完成 red, like 滞后); 暂无数据 grey."""
    return {**{plan.status_words[k]: c for k, c in STATUS_COLORS.items()}, plan.missed_word: RED,
            **({plan.on_track_word: SCHEDULE_COLORS["on_time"]} if plan.on_track_word else {}),
            fmt.MISSING: NA_GREY}


def schedule_palette(plan) -> dict[str, str]:
    """The plan's schedule words (快于/符合/慢于序时进度) → colours; 暂无数据 grey."""
    return {**{plan.schedule_words[k]: c for k, c in SCHEDULE_COLORS.items()}, fmt.MISSING: NA_GREY}


def _domain_range(words, colors) -> tuple[list[str], list[str]]:
    """Scale domain and range from the frame's own (word, colour) pairs, in order of appearance."""
    pairs = dict(zip(words, colors))
    return list(pairs), list(pairs.values())

THEME_NAME = "beichen"

#: Who prints the figure caption.
#: "self"   – the chart does: <figcaption>"图1-1 caption"</figcaption> + takeaway in HTML,
#:            caption and takeaway drawn under the chart in the PDF/PNG image;
#: "sphinx" – the notebook cell does (cell metadata ``mystnb: figure: {caption, name}``,
#:            numbered by Sphinx numfig in HTML and as LaTeX \caption): the chart then
#:            emits only the chart (+ takeaway line in HTML) and a caption-less image.
CAPTION_MODES = ("self", "sphinx")
CAPTION_MODE = "self"
WIDTH = 560          # plot width in px (= pt in the PDF); fits a 16 cm text block
BAR_STEP = 26        # px per bar in horizontal bar charts
FONT_SIZE = 12


def theme_config() -> dict:
    """The Vega-Lite ``config`` of the report theme."""
    return {
        "font": FONT_STACK,
        "background": "white",
        "padding": 8,
        "view": {"stroke": None, "continuousWidth": WIDTH, "continuousHeight": 300},
        "title": {"font": FONT_STACK, "fontSize": 14, "fontWeight": "bold", "color": INK,
                  "subtitleFont": FONT_STACK, "subtitleFontSize": 12,
                  "subtitleColor": MUTED, "anchor": "start"},
        "axis": {"labelFont": FONT_STACK, "titleFont": FONT_STACK,
                 "labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE,
                 "titleFontWeight": "normal", "labelColor": INK, "titleColor": INK,
                 "gridColor": GRID, "domainColor": "#9aa6b2", "tickColor": "#9aa6b2",
                 "labelLimit": 260},
        "axisBand": {"grid": False, "ticks": False, "domain": False, "labelPadding": 6},
        "legend": {"labelFont": FONT_STACK, "titleFont": FONT_STACK,
                   "labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE,
                   "titleFontWeight": "normal", "orient": "bottom", "labelLimit": 300,
                   "symbolType": "square"},
        "header": {"labelFont": FONT_STACK, "titleFont": FONT_STACK,
                   "labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE,
                   "labelColor": INK},
        "text": {"font": FONT_STACK, "fontSize": FONT_SIZE, "color": INK},
        "mark": {"color": NAVY},
        "bar": {"color": NAVY},
        "range": {"category": [NAVY, BLUE_GREY, ACCENT, LIGHT, AMBER, GREEN, RED]},
    }


@alt.theme.register(THEME_NAME, enable=True)
def _beichen_theme() -> alt.theme.ThemeConfig:
    return alt.theme.ThemeConfig({"config": theme_config()})


# ---------------------------------------------------------------------------
# Figure numbering
# ---------------------------------------------------------------------------

@dataclass
class ChartNumbering:
    """Counter of the figures of one chapter: "图{chapter}-{n}"."""

    chapter: int | str
    count: int = 0

    def next(self) -> str:
        self.count += 1
        return f"图{self.chapter}-{self.count}"

    __call__ = next


def set_caption_mode(mode: str) -> None:
    """Set the default caption mode ("self" or "sphinx", see :data:`CAPTION_MODE`)."""
    global CAPTION_MODE
    if mode not in CAPTION_MODES:
        raise ValueError(f"caption_mode 应为 {CAPTION_MODES} 之一，而不是 {mode!r}")
    CAPTION_MODE = mode


def chart_numbering(chapter: int | str) -> ChartNumbering:
    """A fresh figure counter for a chapter: ``fig = chart_numbering(1); fig()`` → "图1-1"."""
    return ChartNumbering(chapter)


def _resolve_number(number: str | ChartNumbering | None) -> str:
    if isinstance(number, ChartNumbering):
        return number.next()
    return number or ""


# ---------------------------------------------------------------------------
# Rendering (vl-convert)
# ---------------------------------------------------------------------------

_FONT_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto")


@lru_cache(maxsize=1)
def _vlc():
    """Import vl-convert once, with the Noto CJK directory and the print face registered.

    vl-convert already scans system fonts; registering the Debian fonts-noto-cjk
    directory explicitly keeps "Noto Sans CJK SC" available in unusual setups. The Fandol
    fallback face lives in TeX's tree, which no system scan sees (see _fallback_face_dir).
    """
    import vl_convert as vlc

    for d in _FONT_DIRS + tuple(d for d in [_fallback_face_dir()] if d):
        if Path(d).is_dir():
            try:
                vlc.register_font_directory(d)
            except Exception:  # pragma: no cover - font registration is best effort
                pass
    return vlc


# -- the document's face for chart text in print -------------------------------------------------
#: The print style, whose \beichen@pick lines name the office's fonts and the Fandol fallback.
PRINT_STYLE = REPO_ROOT / "latex" / "beichen-report.sty"
#: Which of the style's faces sets chart text: 黑体, the document's sans face (headings, table heads).
PRINT_FACE_MACRO = "heifile"


def _style_pick(macro: str = PRINT_FACE_MACRO) -> tuple[list[str], str]:
    """The candidates (fontconfig names) and the fallback file the print style picks the face from."""
    text = PRINT_STYLE.read_text(encoding="utf-8")
    # \beichen@pick{role}\beichen@heifile{candidates}{fallback file}{fallback name} (the role and the
    # name are for the log: latex/beichen-report.sty)
    m = re.search(r"\\beichen@pick(?:\{[^}]*\})?\\beichen@" + macro + r"\{([^}]*)\}\{([^}]*)\}", text)
    if not m:
        raise ValueError(f"{PRINT_STYLE.name} 中找不到 \\beichen@{macro} 的字体候选")
    return [c.strip() for c in m.group(1).split(",") if c.strip()], m.group(2).strip()


@lru_cache(maxsize=1)
def _fallback_face_dir() -> str | None:
    """A private folder holding the style's fallback face (FandolHei-Regular.otf, found by kpsewhich)
    alone, for vl-convert to register; removed when the process ends.

    Alone, because Fandol's bold file declares the same family and weight as its regular one and
    vl-convert would take either for regular text; bold chart text is then set in the regular
    face, as the document fakes its bold 黑体."""
    import atexit
    import shutil
    import subprocess
    import tempfile

    _, fallback = _style_pick()
    try:
        path = subprocess.run(["kpsewhich", fallback], capture_output=True, text=True, check=False).stdout.strip()
    except OSError:  # no TeX: the print face falls back to Noto (print_font_stack)
        return None
    if not path:
        return None
    folder = tempfile.mkdtemp(prefix="beichen-chart-font-")
    atexit.register(shutil.rmtree, folder, True)
    Path(folder, Path(path).name).symlink_to(path)
    return folder


@lru_cache(maxsize=1)
def print_face() -> str:
    """The family chart text is set in on paper: the first of the print style's candidates that
    fontconfig has (as fontspec decides for the document), else the style's Fandol fallback."""
    import subprocess

    candidates, fallback = _style_pick()
    for name in candidates:
        try:
            if subprocess.run(["fc-list", "-q", f":family={name}"], check=False).returncode == 0:
                return name
        except OSError:  # no fontconfig: nothing beyond the fallback can be found
            break
    return fallback.rsplit(".", 1)[0].replace("-Regular", "")


def print_font_stack() -> str:
    """The print face, then Noto CJK for any character it lacks (Fandol covers GB 2312 only)."""
    return f'"{print_face()}", {FONT_STACK}'


@lru_cache(maxsize=1)
def format_locale() -> dict:
    """d3-format locale for Chinese (¥ currency, "," thousands)."""
    loc = dict(_vlc().get_format_locale("zh-CN"))
    loc["minus"] = "-"  # the ASCII minus the prose (beichen.formatting) uses
    return loc


NO_LINE_START = "）)，。、；：！？”’》」』】"


def _wrap(text: str, width_px: float, font_px: float = FONT_SIZE) -> list[str]:
    """Break text into lines that fit width_px (CJK: one em per char, Latin ~0.55em)."""
    if not text:
        return []
    lines, cur, cur_w = [], "", 0.0
    for ch in text:
        w = font_px if ord(ch) > 0x2E80 else font_px * 0.55
        # Chinese line breaking: closing brackets and punctuation never start a line.
        if cur and cur_w + w > width_px and ch not in NO_LINE_START:
            lines.append(cur)
            cur, cur_w = "", 0.0
        cur += ch
        cur_w += w
    if cur:
        lines.append(cur)
    return lines


# ---------------------------------------------------------------------------
# The chart object
# ---------------------------------------------------------------------------

_EMITTED_IDS: dict[str, int] = {}


@dataclass
class ReportChart:
    """A numbered report figure: the Altair chart plus caption, takeaway and alt text."""

    chart: alt.TopLevelMixin
    number: str
    caption: str
    takeaway: str = ""
    alt_text: str = ""
    width_px: int = WIDTH
    #: "self" or "sphinx"; None → the module default :data:`CAPTION_MODE`.
    caption_mode: str | None = None
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def mode(self) -> str:
        mode = self.caption_mode or CAPTION_MODE
        if mode not in CAPTION_MODES:
            raise ValueError(f"caption_mode 应为 {CAPTION_MODES} 之一，而不是 {mode!r}")
        return mode

    # -- specs ---------------------------------------------------------------
    @property
    def spec(self) -> dict:
        """Vega-Lite spec (dict) for the web, themed, no title (the figcaption is HTML)."""
        if "spec" not in self._cache:
            with alt.theme.enable(THEME_NAME):
                spec = self.chart.to_dict()
            spec.setdefault("config", {})
            # make the spec self-contained even if another theme was active
            for k, v in theme_config().items():
                spec["config"].setdefault(k, v)
            self._cache["spec"] = spec
        return self._cache["spec"]

    @property
    def print_spec(self) -> dict:
        """Spec for PDF/PNG: caption and takeaway drawn under the chart (Chinese style).

        In "sphinx" caption mode the image carries no caption (LaTeX adds \\caption).
        """
        spec = json.loads(json.dumps(self.spec))
        if self.mode == "sphinx":
            return spec
        title_lines = _wrap(self.title_text, self.width_px, 13)
        sub_lines = _wrap(self.takeaway, self.width_px, FONT_SIZE)
        if title_lines:
            title: dict[str, Any] = {
                "text": title_lines, "orient": "bottom", "anchor": "middle",
                "fontSize": 13, "fontWeight": "bold", "color": INK, "offset": 12,
                "font": FONT_STACK,
            }
            if sub_lines:
                title.update(subtitle=sub_lines, subtitleFontSize=FONT_SIZE,
                             subtitleColor=MUTED, subtitleFont=FONT_STACK,
                             subtitlePadding=6)
            spec["title"] = title
        return spec

    @property
    def title_text(self) -> str:
        return f"{self.number} {self.caption}".strip()

    @property
    def element_id(self) -> str:
        digest = hashlib.sha1(json.dumps(self.spec, sort_keys=True, default=str)
                              .encode()).hexdigest()[:8]
        num = "".join(c if c.isascii() and c.isalnum() else "-" for c in self.number)
        num = "-".join(p for p in num.split("-") if p)
        return f"report-chart-{num + '-' if num else ''}{digest}"

    # -- renderings ----------------------------------------------------------
    def to_pdf(self) -> bytes:
        """The print figure: vector PDF whose text is PRINT_FONT_BP once LaTeX scales it to
        the text block's width (every chart is placed at \\linewidth, so all charts print at
        the same width and with one text size)."""
        key = f"pdf-{self.mode}"
        if key not in self._cache:
            self._cache[key] = print_pdf(self.print_spec)
        return self._cache[key]

    def to_png(self, scale: float = 2) -> bytes:
        key = f"png{scale}-{self.mode}"
        if key not in self._cache:
            self._cache[key] = _vlc().vegalite_to_png(
                self.print_spec, scale=scale, format_locale=format_locale())
        return self._cache[key]

    def to_svg(self) -> str:
        return _vlc().vegalite_to_svg(self.print_spec, format_locale=format_locale())

    def to_web_svg(self) -> str:
        """The web chart as drawn at its designed width, without a title (the page's figcaption
        gives it): the image a browser prints in place of the interactive chart."""
        if "web-svg" not in self._cache:
            self._cache["web-svg"] = _vlc().vegalite_to_svg(self.spec, format_locale=format_locale())
        return self._cache["web-svg"]

    def to_html(self, image: str | None = None) -> str:
        """The web figure: local vegaEmbed, figcaption, takeaway, alt text. With `image` (the URL
        of :meth:`to_web_svg`'s file, relative to the page), the figure also holds that image for
        printing: a chart is drawn when it nears the screen, and printing does not wait for that
        (lib/beichen/site/assets/charts.css shows the image on paper, never on screen)."""
        key = f"html-{self.mode}-{image}"
        if key in self._cache:
            return self._cache[key]
        el = self.element_id
        # the same chart shown twice in one kernel gets "-2", "-3"… (deterministic per run)
        seen = _EMITTED_IDS.get(el, 0)
        _EMITTED_IDS[el] = seen + 1
        if seen:
            el = f"{el}-{seen + 1}"
        # "$schema" is only an identifier, but it is an external URL in the page: drop it
        # and tell vega-embed the mode instead.
        web_spec = {k: v for k, v in self.spec.items() if k != "$schema"}
        spec_json = json.dumps(web_spec, ensure_ascii=False, separators=(",", ":"))
        opts = {
            "mode": "vega-lite",
            "renderer": "svg",
            "actions": {"export": True, "source": False, "compiled": False, "editor": False},
            "formatLocale": format_locale(),
            "i18n": {"SVG_ACTION": "下载 SVG", "PNG_ACTION": "下载 PNG",
                     "CLICK_TO_VIEW_ACTIONS": "导出图表"},
            # exported files are named after the figure ("图1-1 核心指标完成度.svg")
            "downloadFileName": "".join("-" if c in '/\\:*?"<>|' else c for c in self.title_text) or "图表",
        }
        opts_json = json.dumps(opts, ensure_ascii=False, separators=(",", ":"))
        # "</" would end the <script> element early; "<!--" confuses the HTML parser.
        safe = lambda s: s.replace("</", "<\\/").replace("<!--", "<\\!--")  # noqa: E731
        alt_attr = html.escape(self.alt_text or self.title_text, quote=True)
        num = html.escape(self.number)
        cap = html.escape(self.caption)
        take = (f'<span class="report-chart-takeaway">{html.escape(self.takeaway)}</span>'
                if self.takeaway else "")
        if self.mode == "self":
            open_tag, close_tag = f'<figure class="report-figure" id="{el}-figure">', "</figure>"
            caption = (f'<figcaption><span class="report-chart-caption">'
                       f'<span class="report-chart-number">{num}</span> {cap}</span>'
                       f'{take}</figcaption>\n')
        else:  # myst-nb wraps the output in a numbered <figure> with the cell's caption
            open_tag, close_tag = f'<div class="report-figure" id="{el}-figure">', "</div>"
            caption = (f'<p class="report-chart-takeaway">{html.escape(self.takeaway)}</p>\n'
                       if self.takeaway else "")
        printed = (f'<img class="report-chart-print" src="{html.escape(image, quote=True)}" alt="" '
                   f'loading="lazy">' if image else "")
        html_text = (
            f'{open_tag}\n{printed}'
            f'<div class="report-chart" id="{el}" role="img" aria-label="{alt_attr}">'
            f'<p class="report-chart-fallback">{alt_attr}</p></div>\n'
            f'{caption}'
            f"<script>(function(){{var spec={safe(spec_json)};var opts={safe(opts_json)};"
            f"function draw(){{var el=document.getElementById({json.dumps(el)});"
            f"if(!el)return;if(window.beichenCharts){{window.beichenCharts.draw(el,spec,opts);return;}}"
            f"if(typeof window.vegaEmbed!=='function'){{"
            f"console.warn('vegaEmbed (local _static/vega) not loaded');return;}}"
            f"el.innerHTML='';window.vegaEmbed(el,spec,opts).then(function(r){{"
            f"var s=el.querySelector('svg');if(s){{s.setAttribute('aria-hidden','true');}}}})"
            f".catch(function(e){{console.error(e);}});}}"
            f"if(document.readyState==='loading'){{document.addEventListener('DOMContentLoaded',draw);}}"
            f"else{{draw();}}}})();</script>\n"
            f"{close_tag}"
        )
        self._cache[key] = html_text
        return html_text

    def _repr_mimebundle_(self, include=None, exclude=None):
        makers = {
            "text/plain": lambda: self.title_text,
            "text/html": self.to_html,
            "application/pdf": lambda: base64.b64encode(self.to_pdf()).decode("ascii"),
            "image/png": lambda: base64.b64encode(self.to_png()).decode("ascii"),
        }
        wanted = [m for m in makers
                  if (not include or m in include) and not (exclude and m in exclude)]
        return {m: makers[m]() for m in wanted}

    def __repr__(self) -> str:  # plain Python REPL, logs
        return f"<ReportChart {self.title_text}>"

    def save(self, path: str | Path) -> Path:
        """Write .pdf / .png / .svg / .html (standalone, needs local vegaEmbed) / .json."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix == ".pdf":
            path.write_bytes(self.to_pdf())
        elif suffix == ".png":
            path.write_bytes(self.to_png())
        elif suffix == ".svg":
            path.write_text(self.to_svg(), encoding="utf-8")
        elif suffix == ".json":
            path.write_text(json.dumps(self.spec, ensure_ascii=False, indent=1), encoding="utf-8")
        elif suffix in (".html", ".htm"):
            path.write_text(self.to_html(), encoding="utf-8")
        else:
            raise ValueError(f"不支持的图表格式：{path.suffix}（可用 .pdf .png .svg .json .html）")
        return path


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

# -- print size ---------------------------------------------------------------------------------
#: Text size of every chart on paper: 五号 (10.5 bp), the size of table notes in 公文 practice;
#: the body is 三号 (15.75 bp) and tables 小四 (12 bp).
PRINT_FONT_BP = 10.5
#: Width the chart is printed at: the 156 mm text block (latex/beichen-report.sty), in bp.
PRINT_WIDTH_BP = 156 * 72 / 25.4
_FONT_KEYS = ("fontSize", "labelFontSize", "titleFontSize", "subtitleFontSize")


def _pdf_width(pdf: bytes) -> float:
    m = re.search(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]", pdf)
    if not m:
        raise ValueError("vl-convert PDF without a MediaBox")
    return float(m.group(3)) - float(m.group(1))


def _set_font_sizes(node, size: float):
    """Every font size in a Vega-Lite spec (config, marks, axes, legends, titles) set to size."""
    if isinstance(node, dict):
        return {k: (size if k in _FONT_KEYS and isinstance(v, (int, float)) else _set_font_sizes(v, size))
                for k, v in node.items()}
    if isinstance(node, list):
        return [_set_font_sizes(v, size) for v in node]
    return node


#: Fills for the categories of a colour scale in print, told apart in black and white by
#: lightness alone (steps of at least a fifth of the grey scale, every bar outlined): a mid
#: grey, then hollow (white), then a light and a dark grey, then black.
PRINT_FILLS = ["#8c8c8c", "#ffffff", "#d2d2d2", "#454545", "#000000"]
PRINT_INK = "#000000"
#: Name of a layer drawn on screen only: a background that on paper, in grey, would read as data
#: (the 0–100% track behind the progress bars took the grey of “快于序时进度”).
SCREEN_ONLY = "screen_only"
_FONT_FIELDS = ("font", "labelFont", "titleFont", "subtitleFont")


def _mark_type(node: dict) -> str:
    mark = node.get("mark")
    return mark.get("type", "") if isinstance(mark, dict) else (mark or "")


def _for_print_layer(layers: list) -> list:
    """Draw order for print: reference rules first (behind the bars), then the marks, then the
    texts; screen-only backgrounds left out."""
    layers = [l for l in layers if not (isinstance(l, dict) and l.get("name") == SCREEN_ONLY)]
    rules = [l for l in layers if _mark_type(l) == "rule"]
    texts = [l for l in layers if _mark_type(l) == "text"]
    rest = [l for l in layers if l not in rules and l not in texts]
    return rules + rest + texts


def _print_mark(mark) -> dict:
    """A mark as printed: bars outlined, filled with the first print grey unless white; rules,
    ticks and texts black."""
    mark = dict(mark) if isinstance(mark, dict) else {"type": mark}
    white = str(mark.get("color", mark.get("fill", ""))).lower() in ("#ffffff", "white", "#fff")
    if mark.get("type") in ("bar", "rect", "arc", "area"):
        mark.update(stroke=PRINT_INK, strokeWidth=0.6)
        if ("color" in mark or "fill" in mark) and not white:
            mark["color"] = mark["fill"] = PRINT_FILLS[0]
    elif mark.get("type") in ("tick", "rule", "text", "line", "point"):
        mark["color"] = PRINT_INK
    return mark


def for_print(node):
    """The spec as printed in black and white, in the document's face: colour scales become grey
    fills and hollow bars with outlines (the legend's swatches too), coloured marks and texts
    black, rules behind the bars, no grid (value labels give the figures; a grid line would run
    through them), screen-only layers left out, every font the print face (print_font_stack)."""
    if isinstance(node, list):
        return [for_print(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: (print_font_stack() if k in _FONT_FIELDS and isinstance(v, str) else for_print(v))
           for k, v in node.items()}
    if out.get("mark") is not None:
        out["mark"] = _print_mark(out["mark"])
        color = out.get("encoding", {}).get("color")
        if isinstance(color, dict) and isinstance(color.get("scale"), dict) and "range" in color["scale"]:
            n = len(color["scale"]["range"])
            color["scale"]["range"] = (PRINT_FILLS * (n // len(PRINT_FILLS) + 1))[:n]
    if isinstance(out.get("layer"), list):
        out["layer"] = _for_print_layer(out["layer"])
    if "config" in out and isinstance(out["config"], dict):
        legend = dict(out["config"].get("legend", {}))
        legend.update(symbolStrokeColor=PRINT_INK, symbolStrokeWidth=0.6, labelColor=PRINT_INK)
        out["config"]["legend"] = legend
        out["config"]["axis"] = {**out["config"].get("axis", {}), "grid": False}
    return out


def _rewrap_facet_headers(spec: dict, font_px: float) -> dict:
    """Facet headers written as "line|line" (see before_after_chart) wrapped again for the
    print font size, so that a panel's header does not run into its neighbour's."""
    facet = spec.get("facet") if isinstance(spec, dict) else None
    column = facet.get("column") if isinstance(facet, dict) else None
    header = (column or {}).get("header") or {}
    if not (column and "split(datum.value, '|')" in str(header.get("labelExpr", ""))):
        return spec
    width = (spec.get("spec") or {}).get("width")
    if not isinstance(width, (int, float)):
        return spec
    field_name = column["field"]

    def rewrap(value: str) -> str:
        # the name's lines are joined and wrapped again; the change lines ("增加16个", "为1.6倍",
        # "翻倍") stay as they are
        parts = str(value).split("|")
        name = "".join(p for p in parts if not p.startswith(("增加", "减少", "为", "翻倍")))
        rest = [p for p in parts if p.startswith(("增加", "减少", "为", "翻倍"))]
        return "|".join(_wrap(name, width + 8, font_px) + rest)

    out = json.loads(json.dumps(spec))
    for rows in list(out.get("datasets", {}).values()) + [out.get("data", {}).get("values", [])]:
        for row in rows or []:
            if isinstance(row, dict) and field_name in row:
                row[field_name] = rewrap(row[field_name])
    if isinstance(out["facet"]["column"].get("sort"), list):
        out["facet"]["column"]["sort"] = [rewrap(v) for v in out["facet"]["column"]["sort"]]
    return out


# -- reference lines clear of the labels ----------------------------------------------------------
#: Space kept between a label and a reference line cut around it (px of the chart).
KNOCKOUT_PAD = 3.0
#: Shortest piece of a cut line kept (px): shorter stubs between labels would read as dots.
KNOCKOUT_MIN_PIECE = 14.0


def _text_box(item: dict) -> tuple[float, float, float, float]:
    """A generous box (x0, y0, x1, y1) of a scenegraph text item: one em a CJK or full-width
    character, 0.62 em any other (the widest of the print faces' digits and Latin letters)."""
    size = float(item.get("fontSize", FONT_SIZE))
    text = "".join(item["text"]) if isinstance(item.get("text"), list) else str(item.get("text", ""))
    width = sum(size if ord(ch) > 0x2E80 else size * 0.62 for ch in text)
    x = float(item.get("x", 0)) + float(item.get("dx", 0))
    y = float(item.get("y", 0)) + float(item.get("dy", 0))
    x0 = {"left": x, "center": x - width / 2}.get(item.get("align", "left"), x - width)
    y0 = {"top": y, "middle": y - size / 2, "bottom": y - size}.get(item.get("baseline", "alphabetic"),
                                                                     y - size * 0.88)
    return x0, y0, x0 + width, y0 + size


def _segments(top: float, bottom: float, blocked: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """[top, bottom] less the blocked intervals, pieces shorter than KNOCKOUT_MIN_PIECE left out."""
    out, y = [], top
    for b0, b1 in sorted(blocked):
        if b0 > y:
            out.append((y, min(b0, bottom)))
        y = max(y, b1)
    if y < bottom:
        out.append((y, bottom))
    return [(a, b) for a, b in out if b - a >= KNOCKOUT_MIN_PIECE]


def _knock_out_rules(spec: dict) -> dict:
    """A layered chart's vertical reference lines (a target, a threshold) cut where a value label
    stands on them, KNOCKOUT_PAD clear of it: the label reads whole, the line goes on above and below.

    The labels' places come from vl-convert's scenegraph of the spec; a cut line is redrawn as
    pieces at fixed pixel positions, so only a rule layer whose x scale has a fixed domain is cut
    (its removal cannot move the scale)."""
    if not isinstance(spec.get("layer"), list):
        return spec
    marks = {}

    def walk(node):
        for item in node.get("items", []) if isinstance(node, dict) else []:
            if isinstance(item, dict) and item.get("role") == "mark":
                marks[item.get("name")] = item
            walk(item)
    walk(_vlc().vegalite_to_scenegraph(spec, format_locale=format_locale())["scenegraph"])
    boxes = [_text_box(t) for m in marks.values() if m.get("marktype") == "text" for t in m.get("items", [])]
    layers = []
    for i, layer in enumerate(spec["layer"]):
        x = layer.get("encoding", {}).get("x", {}) if isinstance(layer, dict) else {}
        rules = marks.get(f"layer_{i}_marks", {})
        if rules.get("marktype") != "rule" or not (x.get("scale") or {}).get("domain") or "y" in layer.get("encoding", {}):
            layers.append(layer)
            continue
        pieces = []
        for r in rules.get("items", []):
            rx, top, bottom = float(r["x"]), float(r.get("y", 0)), float(r.get("y2", 0))
            blocked = [(b[1] - KNOCKOUT_PAD, b[3] + KNOCKOUT_PAD) for b in boxes
                       if b[0] - KNOCKOUT_PAD < rx < b[2] + KNOCKOUT_PAD]
            pieces += [(rx, a, b) for a, b in _segments(min(top, bottom), max(top, bottom), blocked)]
        mark = layer["mark"] if isinstance(layer.get("mark"), dict) else {"type": "rule"}
        layers += [{"data": {"values": [{}]}, "mark": mark,
                    "encoding": {"x": {"value": rx}, "y": {"value": a}, "y2": {"value": b}}}
                   for rx, a, b in pieces]
    return {**spec, "layer": layers}


#: Set by the build (lib/beichen/publish/build.py) for the chapters' kernels: a folder of print PDFs already
#: made, by the SHA-256 of what makes them (spec, fonts size rule, vl-convert version, locale).
CHART_CACHE_ENV = "BEICHEN_CHART_CACHE"


def print_pdf(spec: dict, rounds: int = 8) -> bytes:
    """print_pdf_uncached, or the same bytes from the build's chart cache: a chapter re-run because
    one of its sentences changed keeps its charts without the ~1 s of renderings each takes."""
    from importlib.metadata import version

    from beichen.files import cached, code_digest

    source = {"spec": spec, "rounds": rounds, "font": PRINT_FONT_BP, "width": PRINT_WIDTH_BP,
              "locale": format_locale(), "vl-convert": version("vl-convert-python"),
              "face": print_font_stack(),   # the document's 黑体 when installed, else Fandol
              "code": code_digest(__name__)}  # the print transforms (for_print …) live in this module
    return cached(CHART_CACHE_ENV, source, ".pdf", lambda: print_pdf_uncached(spec, rounds),
                  lambda data: data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF"))


def print_pdf_uncached(spec: dict, rounds: int = 8) -> bytes:
    """vl-convert PDF of spec with all text at PRINT_FONT_BP on paper.

    LaTeX scales the chart to PRINT_WIDTH_BP, so a font of f px prints at f x 442/W, W being
    the chart's own width, which itself grows with the font (labels set at a fixed place
    right of the plot grow the chart about as fast as the font): a secant search on f settles
    it to 0.02 bp in a few renderings."""
    def render(size: float) -> tuple[bytes, float]:
        size = round(size, 3)
        printed_spec = _knock_out_rules(_rewrap_facet_headers(_set_font_sizes(for_print(spec), size), size))
        pdf = _vlc().vegalite_to_pdf(printed_spec, format_locale=format_locale())
        return pdf, size * PRINT_WIDTH_BP / _pdf_width(pdf) - PRINT_FONT_BP

    s0 = PRINT_FONT_BP * 560 / PRINT_WIDTH_BP
    pdf, f0 = render(s0)
    best = (abs(f0), pdf)
    s1 = s0 * PRINT_FONT_BP / (f0 + PRINT_FONT_BP)
    for _ in range(rounds):
        pdf, f1 = render(s1)
        if abs(f1) < best[0]:
            best = (abs(f1), pdf)
        if abs(f1) < 0.02:
            break
        slope = (f1 - f0) / (s1 - s0) if s1 != s0 else 0.0
        s0, f0 = s1, f1
        s1 = s1 - f1 / slope if slope > 0 else s1 * PRINT_FONT_BP / (f1 + PRINT_FONT_BP)
    return best[1]


def _require(df: pd.DataFrame, columns: Iterable[str], chart: str) -> pd.DataFrame:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{chart}: 数据缺少列 {missing}；现有列 {list(df.columns)}")
    if df.empty:
        raise ValueError(f"{chart}: 数据为空")
    return df.copy()


def _isnan(x) -> bool:
    try:
        return x is None or math.isnan(float(x))
    except (TypeError, ValueError):
        return False


def _signed_pct(x, decimals: int | None = None) -> str:
    """Signed percentage as stated in the source: 3.6 → "+3.6%", -0.3 → "-0.3%"."""
    if _isnan(x):
        return fmt.MISSING
    text = fmt.percent(x, decimals)
    return text if text.startswith("-") or float(x) == 0 else f"+{text}"


def _bar_height(n: int) -> int:
    return max(60, n * BAR_STEP)


def _tip(channel, **kwargs) -> alt.Tooltip:
    """The tooltip line of a field an axis or legend draws, named with that axis' or legend's own
    title (its field's name where it has none): one source of the words, so that the tooltip never
    says “超百亿” where the legend says “超百亿元产业链”."""
    d = channel.to_dict()
    return alt.Tooltip(field=d["field"], type=d["type"], title=d.get("title") or d["field"], **kwargs)


def _make(chart, number, caption, takeaway, alt_text, default_alt) -> ReportChart:
    return ReportChart(chart=chart, number=_resolve_number(number), caption=caption,
                       takeaway=takeaway or "", alt_text=alt_text or default_alt)


# ---------------------------------------------------------------------------
# Chart types
# ---------------------------------------------------------------------------

def completion_chart(df: pd.DataFrame, caption: str, takeaway: str = "", *,
                     number: str | ChartNumbering | None = None,
                     alt_text: str | None = None) -> ReportChart:
    """Completion rate of each core indicator, horizontal bars with a 100% rule.

    Columns: ``name`` (indicator), ``completion_pct`` (actual/target × 100, computed by
    the edition model), ``status`` (the plan's status word) and ``color`` (`status_palette`).
    Bars are sorted by completion rate, highest first; a missing rate prints 暂无数据. An optional
    ``label`` (the rate as the text prints it, with the actual's year when older than the edition:
    “90.5%（2023年）”) is the value label, tooltip and alt text; without it, the rate alone.
    """
    d = _require(df, ["name", "completion_pct", "status", "color"], "completion_chart")
    d["completion_pct"] = pd.to_numeric(d["completion_pct"], errors="coerce").astype(float)
    d = d.sort_values("completion_pct", ascending=False, na_position="last")
    given = d["label"] if "label" in d.columns else pd.Series([None] * len(d), index=d.index)
    d["label"] = [g if isinstance(g, str) and g else fmt.percent(v) for g, v in zip(given, d["completion_pct"])]
    d["status"] = d["status"].fillna("暂无数据").astype(str)
    d["x_label"] = d["completion_pct"].fillna(0.0)
    order = list(d["name"])
    present, colors = _domain_range(d["status"], d["color"].fillna(NA_GREY))
    xmax = max(100.0, float(d["completion_pct"].max(skipna=True) or 0)) * 1.12

    y = alt.Y("name:N", sort=order, title=None)
    x_scale = alt.Scale(domain=[0, xmax], nice=False)
    base = alt.Chart(d)
    x = alt.X("completion_pct:Q", title="完成度（%）", scale=x_scale,
              axis=alt.Axis(format=".0f", labelExpr="datum.label + '%'"))
    color = alt.Color("status:N", title="完成情况", scale=alt.Scale(domain=present, range=colors),
                      legend=alt.Legend(orient="bottom"))
    bars = base.mark_bar(height={"band": 0.68}).encode(
        y=y, x=x, color=color,
        tooltip=[alt.Tooltip("name:N", title="指标"), _tip(x, format=".1f"),
                 alt.Tooltip("label:N", title="完成度（所属年份）"), _tip(color)],
    )
    text = base.mark_text(align="left", dx=4, baseline="middle", fontSize=11).encode(
        y=y, x=alt.X("x_label:Q", scale=x_scale), text="label:N")
    rule_df = pd.DataFrame({"x": [100.0], "t": ["目标值 100%"]})
    rule = alt.Chart(rule_df).mark_rule(color=INK, strokeDash=[4, 3], strokeWidth=1.2).encode(
        x=alt.X("x:Q", scale=x_scale))
    rule_text = alt.Chart(rule_df).mark_text(
        align="left", dx=4, dy=-6, fontSize=11, color=INK, baseline="bottom"
    ).encode(x=alt.X("x:Q", scale=x_scale), y=alt.value(0), text="t:N")
    chart = alt.layer(rule, bars, text, rule_text).properties(
        width=WIDTH - 200, height=_bar_height(len(d)))
    default_alt = "横向条形图：" + caption + "。" + "；".join(
        f"{n} {l}，{s}" for n, l, s in zip(d["name"], d["label"], d["status"])) + "。虚线为100%目标线。"
    return _make(chart, number, caption, takeaway, alt_text, default_alt)


def progress_chart(df: pd.DataFrame, caption: str, takeaway: str = "", *,
                   number: str | ChartNumbering | None = None,
                   alt_text: str | None = None) -> ReportChart:
    """Progress base → actual → target of each indicator against the plan period.

    Columns: ``name``, ``unit``, ``base``, ``actual``, ``target``, ``actual_year``, and the edition
    model's ``progress_pct``, ``elapsed_pct`` (序时进度), ``schedule`` (its verdict) with ``color``
    (`schedule_palette`), ``base_year``, ``target_year``. Nothing is recomputed here, so the chart
    says what the table and the text say. With ``report_year`` (the edition's), an actual of an
    earlier year is labelled with its year, in the value label and the alt text.
    Each indicator is normalised: its base value is 0%, its target 100%. A bar shows the
    progress made by ``actual_year``; a tick marks the time elapsed (序时进度) at that year.
    """
    d = _require(df, ["name", "unit", "base", "actual", "target", "actual_year", "progress_pct",
                      "elapsed_pct", "schedule", "color", "base_year", "target_year"], "progress_chart")
    base_year, target_year = int(d["base_year"].iloc[0]), int(d["target_year"].iloc[0])
    d["progress_pct"] = pd.to_numeric(d["progress_pct"], errors="coerce").astype(float)
    d = d.sort_values("progress_pct", ascending=False, na_position="last")
    u = d["unit"].fillna("").astype(str)
    d["基期值"] = [fmt.value_with_unit(v, un) for v, un in zip(d["base"], u)]
    d["实际值"] = [fmt.value_with_unit(v, un) for v, un in zip(d["actual"], u)]
    d["目标值"] = [fmt.value_with_unit(v, un) for v, un in zip(d["target"], u)]
    d["年份"] = [f"{int(y)}年" for y in d["actual_year"]]
    d["进度"] = (list(d["progress_text"]) if "progress_text" in d.columns
                else [fmt.percent(v) for v in d["progress_pct"]])
    d["序时进度"] = [fmt.percent(v) for v in d["elapsed_pct"]]
    d["状态"] = d["schedule"].astype(str)
    # “已超出目标2.8个百分点” already says where the target stands: the actual alone follows it.
    report_year = d["report_year"] if "report_year" in d.columns else d["actual_year"]
    d["older"] = [f"{int(y)}年" if int(y) < int(r) else "" for y, r in zip(d["actual_year"], report_year)]
    actual = [f"{o}{act}" for o, act in zip(d["older"], d["实际值"])]  # “2023年49.8%”
    d["label"] = [f"{p}（{act}）" if p.startswith("已超出") else f"{p}（{act}，目标{tg}）"
                  for p, act, tg in zip(d["进度"], actual, d["目标值"])]
    lo = min(0.0, float(d["progress_pct"].min(skipna=True) or 0.0))
    hi = max(100.0, float(d["progress_pct"].max(skipna=True) or 0.0))
    hi = math.ceil(hi / 50.0) * 50.0
    x_scale = alt.Scale(domain=[lo, hi], nice=False)
    # a tick every 50% up to 200%, beyond that every 100%: more labels would not fit the narrow plot
    # at print size, and vl-convert would keep the ones it hides as invisible text in the PDF
    step = 50 if hi - lo <= 200 else 100
    state_domain, state_range = _domain_range(d["状态"], d["color"].fillna(NA_GREY))
    order = list(d["name"])
    y = alt.Y("name:N", sort=order, title=None)
    progress_words = "规划目标进度"  # the axis' title and the tooltip's word for the figure it draws
    color = alt.Color("状态:N", title=None, scale=alt.Scale(domain=state_domain, range=state_range))
    tips = [alt.Tooltip("name:N", title="指标"), alt.Tooltip("基期值:N"),
            alt.Tooltip("实际值:N"), alt.Tooltip("年份:N", title="实际值年份"),
            alt.Tooltip("目标值:N"), alt.Tooltip("进度:N", title=progress_words),
            alt.Tooltip("序时进度:N"), _tip(color)]
    base = alt.Chart(d)
    track = alt.Chart(d).transform_calculate(t0="0", t1="100").mark_bar(
        color="#eef1f4", height={"band": 0.68}).encode(
        y=y, x=alt.X("t0:Q", scale=x_scale), x2="t1:Q").properties(name=SCREEN_ONLY)  # grey on paper = data
    bars = base.mark_bar(height={"band": 0.68}).encode(
        y=y,
        x=alt.X("progress_pct:Q", scale=x_scale,
                title=f"{progress_words}（%，{base_year}年基期值=0，{target_year}年目标值=100）",
                axis=alt.Axis(values=list(range(int(math.floor(lo / step) * step), int(hi) + 1, step)),
                              labelExpr="datum.label + '%'")),
        color=color, tooltip=tips)
    tick = base.mark_tick(color=AMBER, thickness=3, size=BAR_STEP * 0.9).encode(
        y=y, x=alt.X("elapsed_pct:Q", scale=x_scale), tooltip=tips)
    plot_w = WIDTH - 330
    # value labels in a fixed column right of the plot, clear of bars, ticks and rules
    text = base.mark_text(align="left", baseline="middle", fontSize=11).encode(
        y=y, x=alt.value(plot_w + 10), text="label:N")
    hundred = alt.Chart(pd.DataFrame({"x": [100.0]})).mark_rule(
        color=INK, strokeDash=[4, 3]).encode(x=alt.X("x:Q", scale=x_scale))
    key = alt.Chart(pd.DataFrame({"t": ["短竖线为序时进度，虚线为规划目标（100%）"]})).mark_text(
        align="left", baseline="bottom", fontSize=11, color=MUTED).encode(
        x=alt.value(0), y=alt.value(-6), text="t:N")
    chart = alt.layer(track, bars, tick, hundred, text, key).properties(
        width=plot_w, height=_bar_height(len(d)))
    default_alt = ("进度条形图：" + caption + "。基期值记为0%，目标值记为100%，橙色短线为序时进度。"
                   + "；".join(f"{n} {p}（{o + '数据，' if o else ''}{s}）"
                              for n, p, o, s in zip(d["name"], d["进度"], d["older"], d["状态"])) + "。")
    return _make(chart, number, caption, takeaway, alt_text, default_alt)


def chains_chart(df: pd.DataFrame, caption: str, takeaway: str = "", *,
                 combined_share_pct: float | None = None,
                 number: str | ChartNumbering | None = None,
                 alt_text: str | None = None,
                 threshold_100m_yuan: float = 100.0, class_name: str | None = "超百亿元产业链") -> ReportChart:
    """Output of each industrial chain, sorted, chains above 100亿元 highlighted.

    Columns: ``name``, ``output_100m_yuan`` (亿元), ``share_pct`` (share of the same year's total,
    computed by the caller; empty without one), ``group`` (超百亿/特色/新兴), ``over_100`` (bool);
    optional ``note``: the year of a chain older than the edition (“2024年”), shown in its label.
    ``combined_share_pct`` – combined share of the highlighted chains (caller computes),
    printed as an annotation, e.g. “5条超百亿元产业链合计占80.8%”.
    """
    d = _require(df, ["name", "output_100m_yuan", "share_pct", "group", "over_100"],
                 "chains_chart")
    d["output_100m_yuan"] = pd.to_numeric(d["output_100m_yuan"]).astype(float)
    d = d.sort_values("output_100m_yuan", ascending=False)
    d["over_100"] = d["over_100"].astype(bool)
    # Without a class of large chains (class_name None) every bar is one colour and no threshold is drawn.
    hi_label, lo_label = (class_name, "其他产业链") if class_name else ("", "产业链")
    d["类别"] = [hi_label if o else lo_label for o in d["over_100"]]
    notes = d["note"] if "note" in d.columns else [""] * len(d)
    d["label"] = [_chain_label(v, s, n) for v, s, n in zip(d["output_100m_yuan"], d["share_pct"], notes)]
    d = _drop_label_inputs(d)
    n_over = int(d["over_100"].sum())
    order = list(d["name"])
    # room for the labels right of the bars; a year in them (“（2024年，23.3%）”) needs more
    xmax = float(d["output_100m_yuan"].max()) * (1.5 if any(notes) else 1.35)
    x_scale = alt.Scale(domain=[0, xmax], nice=False)
    y = alt.Y("name:N", sort=order, title=None)
    base = alt.Chart(d)
    x = alt.X("output_100m_yuan:Q", title="产值（亿元）", scale=x_scale, axis=alt.Axis(format=",.0f"))
    # the legend's words (类别: “超百亿元产业链”, “其他产业链”) are the tooltip's, not the data's group
    color = alt.Color("类别:N", title=None,
                      scale=(alt.Scale(domain=[hi_label, lo_label], range=[NAVY, LIGHT]) if class_name
                             else alt.Scale(domain=[lo_label], range=[NAVY])))
    bars = base.mark_bar(height={"band": 0.68}).encode(
        y=y, x=x, color=color,
        tooltip=[alt.Tooltip("name:N", title="产业链"), _tip(color), _tip(x, format=",.1f"),
                 alt.Tooltip("share_pct:Q", title="占比（%）", format=".1f")])
    text = base.mark_text(align="left", dx=4, baseline="middle", fontSize=11).encode(
        y=y, x=alt.X("output_100m_yuan:Q", scale=x_scale), text="label:N")
    rule_df = pd.DataFrame({"x": [threshold_100m_yuan], "t": [f"{fmt.number(threshold_100m_yuan)}亿元"]})
    rule = alt.Chart(rule_df).mark_rule(color=MUTED, strokeDash=[4, 3]).encode(
        x=alt.X("x:Q", scale=x_scale))
    rule_text = alt.Chart(rule_df).mark_text(
        align="left", dx=3, baseline="bottom", dy=-4, fontSize=11, color=MUTED).encode(
        x=alt.X("x:Q", scale=x_scale), y=alt.value(0), text="t:N")
    layers = [bars, text, rule, rule_text] if class_name else [bars, text]
    note = None
    if combined_share_pct is not None and not _isnan(combined_share_pct) and n_over:
        note = f"{n_over}条{class_name}合计占{fmt.percent(combined_share_pct)}"
        # on the last (shortest) row: its value label ends far left, so the note never runs
        # into a label, also at the larger print size
        anchor_row = order[-1]
        ann = pd.DataFrame({"name": [anchor_row], "x": [xmax * 0.98], "t": [note]})
        layers.append(alt.Chart(ann).mark_text(
            align="right", baseline="middle", fontSize=13, fontWeight="bold", color=ACCENT
        ).encode(y=y, x=alt.X("x:Q", scale=x_scale), text="t:N"))
    chart = alt.layer(*layers).properties(width=WIDTH - 160, height=_bar_height(len(d)))
    default_alt = ("横向条形图：" + caption + "，按产值从高到低排列。"
                   + "；".join(f"{n} {l}" for n, l in zip(d["name"], d["label"]))
                   + "。" + (note + "。" if note else ""))
    return _make(chart, number, caption, takeaway, alt_text, default_alt)


def _drop_label_inputs(d: pd.DataFrame) -> pd.DataFrame:
    """The chart's data without the columns only its labels read (a chart's spec holds what it draws)."""
    return d.drop(columns=[c for c in ("note", "year") if c in d.columns])


def _chain_label(output: float, share_pct, note: str = "") -> str:
    """A chain bar's label: “425.1亿元（30.6%）”; an older chain's “324.4亿元（2024年，23.3%）”; without a
    share of the same year's total, the output (and year) alone."""
    parts = [p for p in (note, "" if _isnan(share_pct) else fmt.percent(share_pct)) if p]
    return fmt.yi(output) + (f"（{'，'.join(parts)}）" if parts else "")


def chain_growth_chart(df: pd.DataFrame, caption: str, takeaway: str = "", *,
                       number: str | ChartNumbering | None = None,
                       alt_text: str | None = None) -> ReportChart:
    """Year-on-year output growth of the chains whose growth the source states.

    Columns: ``name``, ``yoy_growth_pct``; optional ``note`` (“2024年”: an older chain's year, in
    its label). Rows without a growth rate are left out
    (and named in the alt text). Bars sorted high → low, negative bars red, zero line.
    """
    d = _require(df, ["name", "yoy_growth_pct"], "chain_growth_chart")
    d["yoy_growth_pct"] = pd.to_numeric(d["yoy_growth_pct"], errors="coerce").astype(float)
    missing = list(d.loc[d["yoy_growth_pct"].isna(), "name"])
    d = d.dropna(subset=["yoy_growth_pct"]).sort_values("yoy_growth_pct", ascending=False)
    if d.empty:
        raise ValueError("chain_growth_chart: 没有任何产业链给出增速")
    notes = d["note"] if "note" in d.columns else [""] * len(d)
    d["label"] = [_signed_pct(v) + (f"（{n}）" if n else "") for v, n in zip(d["yoy_growth_pct"], notes)]
    d = _drop_label_inputs(d)
    d["方向"] = ["增长" if v >= 0 else "下降" for v in d["yoy_growth_pct"]]
    d["align"] = ["left" if v >= 0 else "right" for v in d["yoy_growth_pct"]]
    lo = min(0.0, float(d["yoy_growth_pct"].min()))
    hi = max(0.0, float(d["yoy_growth_pct"].max()))
    pad = (hi - lo) * (0.4 if any(notes) else 0.22) or 1.0   # labels with a year (“+3.6%（2024年）”) are longer
    x_scale = alt.Scale(domain=[lo - (pad if lo < 0 else 0), hi + pad], nice=False)
    order = list(d["name"])
    y = alt.Y("name:N", sort=order, title=None)
    base = alt.Chart(d)
    x = alt.X("yoy_growth_pct:Q", title="产值同比增速（%）", scale=x_scale,
              axis=alt.Axis(labelExpr="datum.label + '%'"))
    bars = base.mark_bar(height={"band": 0.68}).encode(
        y=y, x=x,
        color=alt.Color("方向:N", legend=None,
                        scale=alt.Scale(domain=["增长", "下降"], range=[NAVY, RED])),
        tooltip=[alt.Tooltip("name:N", title="产业链"), _tip(x, format="+.1f")])
    pos = base.transform_filter("datum.yoy_growth_pct >= 0").mark_text(
        align="left", dx=4, baseline="middle", fontSize=11).encode(
        y=y, x=alt.X("yoy_growth_pct:Q", scale=x_scale), text="label:N")
    neg = base.transform_filter("datum.yoy_growth_pct < 0").mark_text(
        align="right", dx=-4, baseline="middle", fontSize=11).encode(
        y=y, x=alt.X("yoy_growth_pct:Q", scale=x_scale), text="label:N")
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color=INK, strokeWidth=1).encode(
        x=alt.X("x:Q", scale=x_scale))
    chart = alt.layer(bars, pos, neg, zero).properties(width=WIDTH - 200,
                                                      height=_bar_height(len(d)))
    default_alt = ("横向条形图：" + caption + "。" + "；".join(
        f"{n} {l}" for n, l in zip(d["name"], d["label"])) + "。"
        + (f"未公布增速：{'、'.join(map(str, missing))}。" if missing else ""))
    return _make(chart, number, caption, takeaway, alt_text, default_alt)


def _moved_to(delta: float) -> str:
    """The verb between two levels, by the sign of the change: 增至 / 降至 / 持平于."""
    return "增至" if delta > 0 else "降至" if delta < 0 else "持平于"


def before_after_chart(df: pd.DataFrame, caption: str, takeaway: str = "", *,
                       number: str | ChartNumbering | None = None,
                       alt_text: str | None = None) -> ReportChart:
    """Before/after (e.g. 2020 vs 2024) counts as small multiples of paired bars.

    Columns: ``name``, ``unit``, ``value_before``, ``value_after``, ``year_before``,
    ``year_after``. Each indicator gets its own panel and scale (442 and 16 do not share
    an axis); the panel header gives the increase and the multiple.
    """
    d = _require(df, ["name", "unit", "value_before", "value_after", "year_before",
                      "year_after"], "before_after_chart")
    rows = []
    order = []
    for r in d.itertuples(index=False):
        vb, va = float(r.value_before), float(r.value_after)
        unit = "" if pd.isna(r.unit) else str(r.unit)
        delta = va - vb
        head = f"{r.name}（{unit}）" if unit else str(r.name)
        change = (f"{'增加' if delta >= 0 else '减少'}{fmt.value_with_unit(abs(delta), unit)}"
                  + (("，翻倍" if fmt.multiple(va / vb) == "翻倍" else f"，为{fmt.multiple(va / vb)}") if vb else ""))
        order.append((head, change))
        for year, v, which in ((r.year_before, vb, "before"), (r.year_after, va, "after")):
            rows.append({"panel": (head, change), "name": r.name, "year": f"{int(year)}年",
                         "value": v, "which": which,
                         "label": fmt.value_with_unit(v, unit)})
    ncol = len(order)
    panel_w = max(70, min(110, (WIDTH - 20) // max(ncol, 1) - 14))
    # Panel headers wrap to the panel width (long Chinese names would overlap their neighbours).
    wrapped = {key: "|".join(_wrap(key[0], panel_w + 8, 11) + key[1].split("，")) for key in order}
    order = [wrapped[key] for key in order]
    for row in rows:
        row["panel"] = wrapped[row["panel"]]
    long = pd.DataFrame(rows)
    years = sorted(set(long["year"]))
    base = alt.Chart().encode(
        x=alt.X("year:N", title=None, sort=years,
                axis=alt.Axis(labelAngle=0, ticks=False, domain=True)),
        y=alt.Y("value:Q", title=None, axis=None, scale=alt.Scale(zero=True)),
    )
    # Colour by before/after, not by year: in a later edition an indicator's latest value may be
    # older than another's (2024 next to 2025), and each panel's axis names its own years.
    bars = base.mark_bar(width={"band": 0.62}).encode(
        color=alt.Color("which:N", title=None, legend=None,
                        scale=alt.Scale(domain=["before", "after"], range=[LIGHT, NAVY])),
        tooltip=[alt.Tooltip("name:N", title="指标"), alt.Tooltip("year:N", title="年份"),
                 alt.Tooltip("label:N", title="数值")])
    text = base.mark_text(baseline="bottom", dy=-3, fontSize=11).encode(text="label:N")
    chart = alt.layer(bars, text, data=long).properties(width=panel_w, height=170).facet(
        column=alt.Column("panel:N", sort=order, title=None,
                          header=alt.Header(labelExpr="split(datum.value, '|')",
                                            labelFontSize=11, labelLineHeight=15,
                                            labelOrient="top", labelLimit=0)),
        spacing=14,
    ).resolve_scale(y="independent", x="independent")
    default_alt = ("分组柱形图：" + caption + "。" + "；".join(
        f"{r.name}由{fmt.value_with_unit(r.value_before, '' if pd.isna(r.unit) else r.unit)}"
        f"（{int(r.year_before)}年）{_moved_to(float(r.value_after) - float(r.value_before))}"
        f"{fmt.value_with_unit(r.value_after, '' if pd.isna(r.unit) else r.unit)}（{int(r.year_after)}年）"
        for r in d.itertuples(index=False)) + "。")
    rc = _make(chart, number, caption, takeaway, alt_text, default_alt)
    rc.width_px = max(WIDTH, ncol * (panel_w + 14))
    return rc


def ladder_chart(df: pd.DataFrame, caption: str, takeaway: str = "", *,
                 number: str | ChartNumbering | None = None,
                 alt_text: str | None = None, unit: str = "家") -> ReportChart:
    """The enterprise ladder: one funnel per cultivation path.

    Columns: ``path`` (path name), ``step`` (1, 2, … within the path), ``name``
    (enterprise tier), ``value`` (count; NaN → dashed placeholder “暂无数据”); optional ``label``
    (the figure as the text prints it, without its year) and ``note`` (“2024年”: the year of a tier
    older than the edition). Funnels are centred bars on a shared scale, paths side by side. An older
    tier's year stands in its row label (“科技型中小企业（2024年）”), tooltip and alt text: the value
    label inside a bar stays short enough to fit it, also at print size.
    """
    d = _require(df, ["path", "step", "name", "value"], "ladder_chart")
    d["value"] = pd.to_numeric(d["value"], errors="coerce").astype(float)
    d = d.sort_values(["path", "step"], kind="stable")
    paths = list(dict.fromkeys(df["path"]))
    vmax = float(d["value"].max(skipna=True) or 1.0)
    placeholder = vmax * 0.18
    d["has_value"] = d["value"].notna()
    d["w"] = d["value"].fillna(placeholder)
    d["x0"] = -d["w"] / 2
    d["x1"] = d["w"] / 2
    # A given label (the figure as printed: qualifiers, measure word) wins over the bare count.
    given = d["label"] if "label" in d.columns else pd.Series([None] * len(d), index=d.index)
    d["label"] = [g if isinstance(g, str) and g else (fmt.count(v, unit) if not _isnan(v) else fmt.MISSING)
                  for g, v in zip(given, d["value"])]
    notes = [n if isinstance(n, str) else "" for n in (d["note"] if "note" in d.columns else [""] * len(d))]
    d["dated"] = [f"{n}（{note}）" if note else n for n, note in zip(d["name"], notes)]
    d["figure"] = [f"{lab}（{note}）" if note and lab != fmt.MISSING else lab for lab, note in zip(d["label"], notes)]
    # a value label fits inside a bar of at least 30% of the widest (“184家” overflowed 24% in print)
    d["inside"] = d["w"] >= vmax * 0.3
    d["row"] = [f"{int(s)}. {n}" for s, n in zip(d["step"], d["dated"])]
    x_scale = alt.Scale(domain=[-vmax / 2 * 1.05, vmax / 2 * 1.05], nice=False)
    x = alt.X("x0:Q", scale=x_scale, axis=None)
    y = alt.Y("row:N", sort=alt.SortField("step"), title=None,
              axis=alt.Axis(labelExpr="substring(datum.label, indexof(datum.label, ' ') + 1)",
                            labelLimit=0))  # a tier's name with its year (“科技型中小企业（2024年）”) uncut
    tips = [alt.Tooltip("path:N", title="培育路径"), alt.Tooltip("name:N", title="梯队"),
            alt.Tooltip("figure:N", title="数量")]
    panel_w = max(180, (WIDTH - 40) // max(len(paths), 1) - 120)

    def funnel(path: str) -> alt.LayerChart:
        base = alt.Chart()
        bars = base.transform_filter("datum.has_value").mark_bar(
            height={"band": 0.72}, color=NAVY).encode(y=y, x=x, x2="x1:Q", tooltip=tips)
        ghost = base.transform_filter("!datum.has_value").mark_bar(
            height={"band": 0.72}, fill="white", stroke=NA_GREY, strokeDash=[4, 3]).encode(
            y=y, x=x, x2="x1:Q", tooltip=tips)
        zero = alt.X("xm:Q", scale=x_scale, axis=None)
        inside = base.transform_filter("datum.inside && datum.has_value").transform_calculate(
            xm="0").mark_text(color="white", fontWeight="bold", baseline="middle").encode(
            y=y, x=zero, text="label:N")
        outside = base.transform_filter("!datum.inside || !datum.has_value").transform_calculate(
            xm="datum.x1").mark_text(align="left", dx=5, baseline="middle").encode(
            y=y, x=alt.X("xm:Q", scale=x_scale, axis=None), text="label:N",
            color=alt.condition("datum.has_value", alt.value(INK), alt.value(MUTED)))
        return alt.layer(bars, ghost, inside, outside, data=d[d["path"] == path]).properties(
            width=panel_w, height={"step": 40},
            title=alt.TitleParams(path, fontSize=13, fontWeight="bold", color=NAVY, anchor="middle",
                                  limit=0))
    # One chart per path side by side, each with its own rows, not a facet: a facet's independent row
    # scales union the domains of its layers' data forks, and Vega-Lite warns in the browser's console.
    chart = alt.hconcat(*[funnel(p) for p in paths], spacing=24)
    default_alt = ("漏斗图：" + caption + "。" + "；".join(
        f"{p}：" + " → ".join(f"{n} {l}" for n, l in zip(g["name"], g["figure"]))
        for p, g in d.groupby("path", sort=False)) + "。")
    return _make(chart, number, caption, takeaway, alt_text, default_alt)


def snapshot_chart(df: pd.DataFrame, caption: str, takeaway: str = "", *,
                   number: str | ChartNumbering | None = None,
                   alt_text: str | None = None) -> ReportChart:
    """A few signed indicators (e.g. Jan–Oct 2025 growth) as bars around zero.

    Columns: ``label`` (indicator), ``value`` (signed), ``unit`` (e.g. "%").
    Bars keep the input order; negative bars are red.
    """
    d = _require(df, ["label", "value", "unit"], "snapshot_chart")
    d["value"] = pd.to_numeric(d["value"], errors="coerce").astype(float)
    d["unit"] = d["unit"].fillna("").astype(str)

    def lab(v, u):
        if _isnan(v):
            return fmt.MISSING
        text = fmt.with_unit(v, u)
        return text if v < 0 or v == 0 else f"+{text}"

    d["text"] = [lab(v, u) for v, u in zip(d["value"], d["unit"])]
    d["方向"] = ["增长" if v >= 0 else "下降" for v in d["value"].fillna(0)]
    m = float(d["value"].abs().max(skipna=True) or 1.0)
    x_scale = alt.Scale(domain=[-m * 1.7, m * 1.7], nice=False)
    order = list(d["label"])
    units = sorted(set(d["unit"]) - {""})
    x_title = "同比增速（%）" if units == ["%"] else "数值" + (f"（{'、'.join(units)}）" if units else "")
    y = alt.Y("label:N", sort=order, title=None)
    base = alt.Chart(d)
    bars = base.mark_bar(height={"band": 0.55}).encode(
        y=y,
        x=alt.X("value:Q", title=x_title, scale=x_scale,
                axis=alt.Axis(labelExpr="datum.label + '%'" if units == ["%"] else None,
                              tickCount=5)),
        color=alt.Color("方向:N", legend=None,
                        scale=alt.Scale(domain=["增长", "下降"], range=[NAVY, RED])),
        tooltip=[alt.Tooltip("label:N", title="指标"), alt.Tooltip("text:N", title=x_title)])
    pos = base.transform_filter("datum.value >= 0").mark_text(
        align="left", dx=5, baseline="middle", fontWeight="bold").encode(
        y=y, x=alt.X("value:Q", scale=x_scale), text="text:N")
    neg = base.transform_filter("datum.value < 0").mark_text(
        align="right", dx=-5, baseline="middle", fontWeight="bold").encode(
        y=y, x=alt.X("value:Q", scale=x_scale), text="text:N")
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color=INK).encode(
        x=alt.X("x:Q", scale=x_scale))
    chart = alt.layer(bars, pos, neg, zero).properties(width=WIDTH - 200,
                                                      height=max(80, len(d) * 40))
    default_alt = ("条形图：" + caption + "。" + "；".join(
        f"{l} {t}" for l, t in zip(d["label"], d["text"])) + "。")
    return _make(chart, number, caption, takeaway, alt_text, default_alt)
