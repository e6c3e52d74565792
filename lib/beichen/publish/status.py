"""The edition's status (lib/beichen/audit/status.py) staged into the book the build runs: every page's
banner and the PDF's preamble read it from the staged _config.yml.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from beichen.audit.status import DRAFT, Status

# --- staging: what the site and the PDF show --------------------------------------------------------

LATEX_PACKAGE = r"\usepackage{beichen-report}"


def latex_preamble(preamble: str, status: Status) -> str:
    """The book's LaTeX preamble with the status mark set (latex/beichen-report.sty
    \\beichensetstatus) for a 征求意见稿; unchanged for a 定稿."""
    lines = [line for line in (preamble or LATEX_PACKAGE).splitlines() if not line.startswith(r"\beichensetstatus")]
    if not status.final:
        lines.append(rf"\beichensetstatus{{{DRAFT}}}")
    return "\n".join(lines)


def stage(book: Path, status: Status) -> None:
    """Write the status into a staged book's configuration: every page's banner reads
    `beichen_site.status` (lib/beichen/site/ui.py), the PDF its preamble. Rewritten only when it
    changes, so an unchanged book stays unchanged for Sphinx."""
    path = Path(book) / "_config.yml"
    text = path.read_text(encoding="utf-8")
    config = yaml.safe_load(text)
    sphinx = config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx.setdefault("beichen_site", {})["status"] = status.label
    latex = sphinx.setdefault("latex_elements", {})
    latex["preamble"] = latex_preamble(latex.get("preamble", ""), status)
    new = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
    if new != text:
        path.write_text(new, encoding="utf-8")


# What the build asks of the status, beside staging it (lib/beichen/publish/build.py `edition_status.…`).
from beichen.audit.status import edition_status, load_signoffs  # noqa: E402,F401
