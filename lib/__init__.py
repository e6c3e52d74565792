"""beichen — shared library of the Beichen 14th-FYP industrial-economy evaluation report.

Modules (a newcomer's map):
    paths         where the repository, data and outputs live
    loading       read data/*.csv and validate them (pandera schemas; clear errors)
    calculations  completion rates, gaps, growth, shares, plan-period progress, status words
    formatting    Chinese number style: 亿元, %, 个百分点, 家/个, vintage “（2023年）”
    values        the edition's view of the data: latest value up to year Y, with its vintage
    sentences     data-driven Chinese sentences for the chapters
    narrative     per-year qualitative passages (Jinja2 templates under data/narrative/)
    tables        formatted report tables (units, decimals, status) for HTML and PDF
    projection    linear projection of each indicator to 2025: reaches the target or not
    audit         the data audit: every stated figure recomputed and judged, with provenance
    charts        Altair charts with the report's visual identity, offline HTML + vector PDF
    chart_data    the tidy frame and takeaway behind each chart
    chapter       what a chapter notebook uses: passages, tables, charts
    chapter_cache data-aware cache: a chapter re-runs only when its inputs changed
    build         the pipeline: validate → papermill per chapter → Jupyter Book → publish
    newyear       `make new-year`: the entry table and text stubs of a new year
    intake        `make import`: read the analyst's entry file (GBK, 39.8%, full-width…) and merge it
    editions      the multi-edition site: landing page, year switcher, `make site`
"""
