"""The report's visual identity, defined once: the font stack and the brand colour.

Read by the charts (Vega config, lib/beichen/render/charts.py) and by the website, which writes them
into its CSS as custom properties (``--beichen-font``, ``--beichen-brand``: lib/beichen/site/assets.py
``tokens_css``), so every stylesheet, the favicon and the landing pages name the same values.
"""

#: CJK first, so Chinese never falls back to a Latin face (vl-convert and browsers).
FONT_STACK = ('"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", '
              '"PingFang SC", sans-serif')

#: The report's red: the header of the landing pages, links there, the 征求意见稿 mark, the favicon.
BRAND = "#8b1a1a"
