"""beichen — shared library of the Beichen industrial-economy plan evaluation report.

Grouped along the data flow, in layers (README.md has the full map). A module imports only from its
own package, from a lower layer, or from the one sibling of its layer that LAYERS allows below
(tests/test_layers.py reads every import, function-level ones included, and holds to it):

    0 core     the modules at the top of lib/beichen/: paths, errors, formatting, files, cli, crash,
               lock, journal (several files replaced together), processes (children that die with the build)
    1 inputs   data in: load and validate data/ and data/meta/, the plan file, the sign-off file, the
               narrative file format, new-year entry sheets, import
    2 model    the one edition model: every figure with its year and provenance
    3 audit    the data audit of the source's stated figures, the edition's status (may use render)
      render   sentences, narrative passages rendered, tables, charts, the chapter toolkit
    4 site     the website (Sphinx extensions, landing page, Jupyter Book runs)
      pdf      the print: LaTeX, layout measures, composition rules
      word     the review round in Word
      dossier  the 核查报告 (may use site, pdf and word)
    5 publish  the build pipeline that runs all of the above: build, caches, incremental rebuilds,
               warm processes, the status staged into the book, `make site`
"""

#: Layer of each package (a module directly in lib/beichen/ is core, layer 0). Higher imports lower.
LAYERS = {"inputs": 1, "model": 2, "audit": 3, "render": 3,
          "site": 4, "pdf": 4, "word": 4, "dossier": 4, "publish": 5}
#: The imports allowed between two packages of one layer (importer, imported); no other sibling pair.
SIBLINGS = {("audit", "render"), ("dossier", "site"), ("dossier", "pdf"), ("dossier", "word")}
