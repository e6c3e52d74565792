"""beichen — shared library of the Beichen industrial-economy plan evaluation report.

Grouped along the data flow (README.md has the full map):
    inputs   data in: load and validate data/ and data/meta/, new-year entry sheets, import
    model    the one edition model: the plan's rules, every figure with its year and provenance
    audit    the data audit of the source's stated figures
    render   sentences, narrative passages, tables, charts, the chapter toolkit
    publish  the build pipeline, PDF, chapter cache, multi-edition site, Sphinx extensions
and at the top: paths, errors, formatting (Chinese number style).
"""
