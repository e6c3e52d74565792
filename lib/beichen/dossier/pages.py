"""The 核查报告's book: its pages, _toc.yml and _config.yml (the report's print style and what the
核查报告 adds to it) staged into build/<year>/dossier/, and the Sphinx extension the book loads."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from beichen.dossier.outline import TITLE, pdf_name
from beichen.paths import REPO_ROOT

if TYPE_CHECKING:
    from beichen.dossier.document import Dossier


def stage(dossier: Dossier, folder: Path) -> list[str]:
    """Write the dossier's book (pages, _toc, _config with the report's print style) into `folder`;
    of an earlier build in `folder`, Sphinx's output and environment are kept and only the files
    whose bytes changed are rewritten (so Sphinx re-reads those pages alone). Returns those files."""
    from beichen.files import sync_tree

    final = Path(folder)
    folder = final.with_name(final.name + ".next")
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    _stage_pages(dossier, folder)
    changed = sync_tree(folder, final, keep=("_build", "sphinx-html.log", "sphinx-pdf.log"))
    shutil.rmtree(folder)
    return changed


def _stage_pages(dossier: Dossier, folder: Path) -> None:
    for name, text in dossier.pages().items():
        (folder / f"{name}.md").write_text(text + "\n", encoding="utf-8")
    toc = {"format": "jb-book", "root": "index", "chapters": [{"file": n} for n, _ in dossier.page_list[1:]]}
    (folder / "_toc.yml").write_text(yaml.safe_dump(toc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
    plan = dossier.data.plan
    title = f"{plan.report_title}·{TITLE}"
    config["title"] = f"{title}（{dossier.year}年版）"
    config["author"] = plan.author
    config["copyright"] = str(dossier.year)
    config.setdefault("html", {})["extra_footer"] = "工作文件，供审核签发使用，不对外发布"
    config["parse"] = {"myst_enable_extensions": ["colon_fence"]}
    sphinx = config.setdefault("sphinx", {})
    # No charts, no Chinese search; this module as an extension only drops sphinx-thebe's CDN script.
    # The rules of Chinese composition as in the report's PDF (a formula's minus, figure and unit).
    # The site's interface (lib/beichen/site/ui.py): Chinese words, pruned assets, a link to its own PDF.
    sphinx["extra_extensions"] = ["beichen.dossier.pages", "beichen.pdf.composition", "beichen.site.ui"]
    cfg = sphinx.setdefault("config", {})
    cfg["beichen_site"] = {"pdf": pdf_name(dossier.year), "issue_date": dossier.issue_date}
    cfg["release"], cfg["today"] = str(dossier.year), dossier.issue_date
    cfg["html_static_path"], cfg["html_css_files"] = [], []
    # Like the report: no _sources/ copies, no source links, no theme download menu.
    cfg["html_copy_source"], cfg["html_show_sourcelink"] = False, False
    cfg.setdefault("html_theme_options", {})["use_download_button"] = False
    cfg.pop("nb_mime_priority_overrides", None)
    cfg["latex_elements"]["tableofcontents"] = r"\beichentableofcontents"
    cfg["latex_elements"]["preamble"] += "\n" + latex_preamble(plan.report_title)
    cfg["latex_additional_files"] = [*cfg.get("latex_additional_files", []), "latex/beichen-dossier.sty"]
    config.setdefault("latex", {}).setdefault("latex_documents", {})["title"] = title  # the title page adds the year
    (folder / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copytree(REPO_ROOT / "latex", folder / "latex")


def latex_preamble(report_title: str) -> str:
    """What the 核查报告's LaTeX adds to the report's print style: latex/beichen-dossier.sty, and
    the cover's title as two lines, the report's title over “核查报告” (set as one, it broke
    wherever the line was full, after the “·” in 2024). The PDF's properties keep the one-line title."""
    from beichen.render.escape import latex

    title = rf"{latex(report_title)}\texorpdfstring{{\\}}{{·}}{TITLE}"
    return "\n".join([r"\usepackage{beichen-dossier}", rf"\AtBeginDocument{{\title{{{title}}}}}"])


def setup(app):
    """Sphinx extension for the dossier's book: Jupyter Book 1 always loads sphinx-thebe, whose
    inline script names unpkg.com; drop it as the report does (lib/beichen/site/vega_offline.py), with
    no Vega assets (the dossier has no charts)."""
    from beichen.site.vega_offline import _strip_thebe
    from beichen.site.search import exact_incremental_index

    exact_incremental_index()

    app.add_config_value("beichen_strip_thebe", True, "html")
    app.connect("html-page-context", _strip_thebe, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
