"""Whether the 核查报告 is rebuilt: the SHA-256 of everything it is made from (inputs_key), and
the build that reuses the last one when that key is unchanged (build_cached)."""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from beichen.dossier.book_build import build
from beichen.dossier.gaps_section import gap_summary
from beichen.dossier.inputs_digest import input_files
from beichen.paths import REPO_ROOT

if TYPE_CHECKING:
    from beichen.dossier.document import Dossier


def inputs_key(dossier: Dossier, pdf: bool, with_gaps: bool = True) -> str:
    """SHA-256 of everything the 核查报告 of an edition is made from: the edition's own rows and
    the other input files (input_files), the build's notes, the issue date, the program (its code,
    version and commit), the book configuration and print style."""
    from beichen.files import tree_digest
    from beichen.paths import LIB_DIR, program_facts

    gaps = gap_summary(dossier.gaps) if with_gaps else None
    status = dossier.status.key() if with_gaps and dossier.status is not None else None
    found = dossier.departures_page() if with_gaps and dossier.found is not None else None  # found in the built text
    digest = hashlib.sha256(json.dumps({"year": dossier.year, "pdf": pdf, "gaps": gaps, "status": status,
                                        "departures": found,
                                        "issued": dossier.issue_date, **program_facts()},
                                       ensure_ascii=False, sort_keys=True).encode())
    for name, content in input_files(dossier.data, dossier.data_dir, dossier.narrative_dir, dossier.year):
        digest.update(name.encode() + b"\0" + hashlib.sha256(content).digest())
    for folder in (LIB_DIR, REPO_ROOT / "latex"):
        digest.update(tree_digest(folder, skip=()).encode())
    digest.update((REPO_ROOT / "_config.yml").read_bytes())
    return digest.hexdigest()


def build_cached(dossier: Dossier, folder: Path, steps, pdf: bool = False, log=print, warm=None) -> Path:
    """The 核查报告, rebuilt only when one of its inputs (inputs_key) changed since the last build
    in `folder` (as recorded in `steps`, the build's one lib/beichen/publish/incremental.Steps); returns its
    HTML folder."""
    import time

    html = Path(folder) / "_build" / "html"
    key = inputs_key(dossier, pdf)
    # The recorded tree holds the PDF when one was asked for (`pdf` is part of the key).
    if steps.same("dossier", key, html):
        log("    核查报告：未变，沿用")
        return html
    if html.exists() and not steps.intact("dossier", html):  # damaged since: all pages afresh (see build._report_html)
        shutil.rmtree(html)
    steps.forget("dossier")
    started = time.perf_counter()
    built = build(dossier, folder, pdf, warm)
    steps.mark("dossier", key, html)
    log(f"    核查报告：已生成 ({time.perf_counter() - started:.1f}s)")
    return built
