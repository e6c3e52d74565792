"""The report pipeline: validate data → run each chapter with papermill → Jupyter Book → publish.

    python -m beichen.publish.build --year 2024            # HTML edition into site/2024/
    python -m beichen.publish.build --year 2024 --pdf      # and site/2024/report-2024.pdf

Publishing is atomic: everything is built under build/<year>/ and only a fully successful build
replaces site/<year>/, so a failed run never destroys the last good edition. The 核查报告 (the
analyst's internal dossier) goes to its own folder, review/<year>/ beside site/ (--review-dir), the
same way: site/ holds the report only and may be published whole; review/ never.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from beichen import cli
from beichen.errors import BuildError
from beichen.inputs.plan import PlanError, load_plan
from beichen.paths import DATA_DIR, NARRATIVE_DIR, REPO_ROOT, REVIEW_DIR, SITE_DIR, STAGING_DIR, folder_shown
from beichen.site import landing as editions


def log(message: str) -> None:
    print(message, flush=True)


def chapter_files(toc_path: Path = REPO_ROOT / "_toc.yml") -> list[str]:
    """Chapter paths without suffix, in table-of-contents order."""
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    return [toc["root"]] + [entry["file"] for entry in toc.get("chapters", [])]


def _chapter_title(template: Path, substitutions: dict[str, str] | None = None) -> str:
    """The chapter's heading, with the plan's substitutions filled in (for progress lines and errors)."""
    import nbformat

    nb = nbformat.read(template, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith("# "):
            title = cell.source.lstrip()[2:].splitlines()[0].strip()
            for key, value in (substitutions or {}).items():
                title = title.replace("{{ " + key + " }}", value)
            return title
    return template.stem


def edition_row(year: int, data_dir: Path) -> dict[str, str]:
    """The edition's row of data/editions.csv ({} if none), read with csv, not pandas: the build needs
    it before it imports pandas."""
    import csv

    path = Path(data_dir) / "editions.csv"
    if path.exists():
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                if (row.get("year") or "").strip() == str(year):
                    return {key: (value or "").strip() for key, value in row.items() if key}
    return {}


def issue_date(year: int, data_dir: Path) -> str:
    """The edition's issue date as printed on the title page (data/editions.csv), e.g. “2025年11月”."""
    return edition_row(year, data_dir).get("issue_date") or f"{year + 1}年"


def site_facts(year: int, data, title: str) -> dict:
    """What every page of the site shows about its edition (lib/beichen/site/ui.py): the issuing body
    (data/meta/plan.yml `author`, the cover's too), the issue date and, for an edition revised after
    it was issued, the date of the revision (data/editions.csv `updated`; not the build's clock, so a
    rebuild on another day gives the same pages), the PDF's name."""
    row = edition_row(year, data.data_dir)
    return {"report_title": title, "issuer": data.plan.author,
            "issue_date": issue_date(year, data.data_dir), "updated": row.get("updated", ""),
            "pdf": f"report-{year}.pdf"}


def template_title_keys(data=None) -> set[str]:
    """The heading-subtitle substitutions (``{{ title_… }}``) the chapter templates use, as expanded
    for the plan of `data` when given (a heading per dimension: lib/beichen/render/outline.py)."""
    import nbformat

    from beichen.render.narrative import TITLE_IN_TEMPLATE

    if data is not None:
        try:
            from beichen.render.outline import title_keys
        except ImportError:
            pass
        else:
            return title_keys([REPO_ROOT / f"{chapter}.ipynb" for chapter in chapter_files()], data)
    keys = set()
    for chapter in chapter_files():
        nb = nbformat.read(REPO_ROOT / f"{chapter}.ipynb", as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                keys |= set(TITLE_IN_TEMPLATE.findall(cell.source))
    return keys


def whole_headings(report: dict) -> dict[str, str]:
    """Heading keys that are the year's words in full, each with what stands while they are pending:
    report.yml `headings` (a plain heading), and chapter 五's sections (the pending mark: they have no
    plain words; the chapter lists the passage as pending)."""
    # imported here, as in stage_book: the build's start-up does not load the rendering
    from beichen.render.narrative import PENDING_PLAIN
    from beichen.render.outline import recommendation_title_keys

    return {**{key: PENDING_PLAIN for key in recommendation_title_keys(report)}, **(report.get("headings") or {})}


def chapters_left_out(data) -> dict[str, str]:
    """{chapter: why} of the chapters this plan's report has nothing for (chapter 二 without chains,
    三 without key projects: lib/beichen/render/outline.chapter_needed) — left out, not printed empty."""
    import json

    try:
        from beichen.render.outline import chapter_needed
    except ImportError:
        return {}
    out = {}
    for chapter in chapter_files():
        why = chapter_needed(json.loads((REPO_ROOT / f"{chapter}.ipynb").read_text(encoding="utf-8")), data)
        if why:
            out[chapter] = why
    return out


def stage_book(year: int, book: Path, data, site_dir: Path = SITE_DIR,
               narrative_dir: Path = NARRATIVE_DIR) -> None:
    """Lay out the staging book: config with the edition's title, toc, static files, the edition's
    data as downloads, and the year switcher listing the editions published in site_dir."""
    data_dir = data.data_dir

    if book.exists():
        shutil.rmtree(book)
    (book / "chapters").mkdir(parents=True)
    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
    # The PDF's title page prints the plain title and “（2024年版）” below it; the site shows the year in its title.
    plan = data.plan
    config["title"], config["author"] = plan.report_title, plan.author  # the plan's, not the template's
    config.setdefault("html", {})["extra_footer"] = f"{plan.author}编制"  # the cover's issuing body
    # Headings in the templates name the plan and its years through MyST substitutions.
    # The values are text from data/meta (escaped: MyST parses a substitution as Markdown).
    from beichen.render.escape import myst
    from beichen.render.narrative import heading_subtitles

    config.setdefault("parse", {})["myst_substitutions"] = {
        **{key: myst(value) for key, value in {
            "plan": plan.quoted, "report_title": plan.report_title, "base_year": str(plan.base_year),
            "target_year": str(plan.target_year)}.items()},  # the appendix's methods: appendix.methods_text
        **heading_subtitles(narrative_dir, year, template_title_keys(data),
                            whole_headings(data.meta["report"]))}  # escaped there
    chapters = data.meta["report"].get("chapters")
    left_out = chapters_left_out(data)
    for chapter, why in left_out.items():   # named by its plain heading (“二、产业发展”), no year's words
        plain = {key: "" for key in template_title_keys()}
        log(f"    《{_chapter_title(REPO_ROOT / f'{chapter}.ipynb', plain)}》：{why}")
    if chapters or left_out:  # a plan whose report has fewer chapters: the toc keeps those, in its order
        toc = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text(encoding="utf-8"))
        keep = [c for c in chapter_files() if (not chapters or c.split("/")[-1] in chapters) and c not in left_out]
        toc = {"format": toc["format"], "root": keep[0], **({"chapters": [{"file": c} for c in keep[1:]]} if keep[1:] else {})}
        (book / "_toc.yml").write_text(yaml.safe_dump(toc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    config.setdefault("latex", {}).setdefault("latex_documents", {})["title"] = config["title"]
    config["title"] = f"{config['title']}（{year}年）"
    config["copyright"] = str(year)
    sphinx_config = config.setdefault("sphinx", {}).setdefault("config", {})
    # The PDF's title page prints the edition year and issue date from these keys.
    sphinx_config["release"] = str(year)
    sphinx_config["today"] = issue_date(year, data_dir)
    sphinx_config["beichen_site"] = site_facts(year, data, config["latex"]["latex_documents"]["title"])
    # The site publishes the report, not its sources: no _sources/ copies of the executed
    # notebooks (they held build paths) and no “view source” links.
    sphinx_config["html_copy_source"] = False
    sphinx_config["html_show_sourcelink"] = False
    # The theme's download menu offers those sources (.ipynb/.md); the PDF is on the landing page.
    sphinx_config.setdefault("html_theme_options", {})["use_download_button"] = False
    for key, value in editions.sphinx_config(year).items():
        if isinstance(value, dict):
            sphinx_config.setdefault(key, {}).update(value)
        else:
            sphinx_config[key] = list(dict.fromkeys(list(sphinx_config.get(key, [])) + value))
    (book / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                                      encoding="utf-8")
    if not (book / "_toc.yml").exists():
        shutil.copy2(REPO_ROOT / "_toc.yml", book / "_toc.yml")
    shutil.copytree(REPO_ROOT / "_static", book / "_static")
    editions.stage_assets(book, year, data.plan, site_dir)
    shutil.copytree(REPO_ROOT / "latex", book / "latex")
    # The appendix's downloads are written once the chapters ran (the figures they showed): _build_edition.


# Cells a template tags with this are for editions before the plan's target year (the projection to
# the target year): the final edition reports observed results instead.
BEFORE_TARGET_YEAR = "before-target-year"
# Cells for the target year's edition only (the final evaluation: completion at the plan's end).
TARGET_YEAR = "target-year"


def _finish_notebook(path: Path, final: bool = False) -> None:
    """Make the executed copy fit to publish: hide every code cell's input, drop the parameter
    cells (papermill's injected cell holds this machine's paths), and strip what papermill and
    the kernel recorded about the run (paths, timestamps, durations), so the staged notebook
    carries no build internals and is the same bytes for the same inputs. In the plan's final
    edition, drop the cells tagged before-target-year; in every other edition, those tagged target-year."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    other = BEFORE_TARGET_YEAR if final else TARGET_YEAR
    nb.cells = [c for c in nb.cells if other not in c.metadata.get("tags", [])]
    cells = []
    for cell in nb.cells:
        for key in ("papermill", "execution"):
            cell.metadata.pop(key, None)
        if cell.cell_type != "code":
            cells.append(cell)
            continue
        tags = set(cell.metadata.get("tags", []))
        if tags & {"parameters", "injected-parameters"}:
            continue
        tags.add("remove-input")
        cell.metadata["tags"] = sorted(tags)
        cells.append(cell)
    nb.cells = cells
    for key in ("papermill", "widgets"):
        nb.metadata.pop(key, None)
    nbformat.write(nb, path)


def _kernel_manager_class():
    """Kernels talk over local IPC sockets: nothing listens on TCP, and ipykernel has no
    “running over TCP without encryption” warning to print for every chapter. Each kernel keeps its
    sockets and connection file in a scratch folder of its own (beichen-kernel-… in the temp dir),
    removed when it shuts down, and dies with the build even when the build is killed
    (lib/beichen/processes.py)."""
    from jupyter_client.manager import KernelManager

    import asyncio
    import os
    import tempfile

    from beichen import processes

    class IPCKernelManager(KernelManager):
        _scratch: Path | None = None
        # papermill's clients are asynchronous: a blocking client stalls nbclient's event loop while a
        # cell runs, and the cell's time limit (execution_timeout) then never fires.
        client_class = "jupyter_client.asynchronous.AsyncKernelClient"

        def __init__(self, **kwargs):
            kwargs.setdefault("transport", "ipc")
            super().__init__(**kwargs)

        async def _async_pre_start_kernel(self, **kw):
            if self._scratch is None:  # made at start, not before: a manager never started leaves nothing
                # Short: a Unix socket path holds at most 107 bytes.
                # In the build's scratch folder when there is one: removed with it even if this
                # manager's own clean-up never runs (an interrupted build).
                self._scratch = Path(tempfile.mkdtemp(prefix="kernel-" if _scratch else "beichen-kernel-", dir=_scratch))
                self.ip = str(self._scratch / "k")
                self.connection_file = str(self._scratch / "kernel.json")
            return await super()._async_pre_start_kernel(**kw)

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            # Forked from the one thread that lives as long as the build, with PR_SET_PDEATHSIG: the
            # kernel is killed with the build, even in the middle of a long computation.
            kw["preexec_fn"] = processes.die_with_parent()
            if _scratch is not None:  # what the kernel leaves in its temp dir goes with the build's scratch
                kw["env"] = {**(kw.get("env") or os.environ), "TMPDIR": str(_scratch)}
            launch = super()._async_launch_kernel
            processes.on_launcher_thread(lambda: asyncio.run(launch(kernel_cmd, **kw)))

        def blocking_client(self):
            """A client with the blocking API (the warm-up of lib/beichen/publish/warm_kernel.py)."""
            from jupyter_client.blocking import BlockingKernelClient

            return BlockingKernelClient(**self.get_connection_info(session=True),
                                        connection_file=self.connection_file, parent=self)

        async def _async_cleanup_resources(self, restart: bool = False):
            await super()._async_cleanup_resources(restart=restart)
            if not restart and self._scratch is not None:
                shutil.rmtree(self._scratch, ignore_errors=True)
                self._scratch = None

    return IPCKernelManager


def expanded_dir(book: Path) -> Path:
    """Where the chapter templates expanded for the plan are written: beside the staged book, never read
    by Sphinx."""
    return Path(book).parent / "expanded"


def chapter_source(book: Path, chapter: str) -> Path:
    """The notebook a chapter executes: as expand_templates wrote it for the plan, else the template."""
    expanded = expanded_dir(book) / f"{chapter}.ipynb"
    return expanded if expanded.exists() else REPO_ROOT / f"{chapter}.ipynb"


def expand_templates(chapters: list[str], book: Path, data) -> dict[str, Path]:
    """{chapter: the notebook to execute}: a chapter template with outline marks (one section per
    dimension, per key project …, lib/beichen/render/outline.py) expanded for the plan of `data` into
    <staging>/expanded/, the others as they are. Every chapter is expanded before any runs, so a
    plan whose meta/report.yml cannot fill a template is refused first, each chapter named."""
    import json

    try:
        from beichen.render import outline
    except ImportError:   # templates without outline marks need none
        return {chapter: REPO_ROOT / f"{chapter}.ipynb" for chapter in chapters}
    out, problems = {}, []
    shutil.rmtree(expanded_dir(book), ignore_errors=True)   # none of an earlier build's expansions is run
    for chapter in chapters:
        template = REPO_ROOT / f"{chapter}.ipynb"
        out[chapter] = template
        if data is None or not outline.is_template(json.loads(template.read_text(encoding="utf-8"))):
            continue
        try:
            out[chapter] = outline.expand_file(template, expanded_dir(book) / f"{chapter}.ipynb", data)
        except outline.OutlineError as err:
            problems.append(f"章节《{_chapter_title(template, _substitutions(book))}》无法按本规划生成: {err}")
    if problems:
        raise BuildError("\n".join(problems))
    return out


def run_chapter(chapter: str, year: int, book: Path, data_dir: Path, narrative_dir: Path,
                notes_dir: Path, cache_dir: Path | None = None, kernels=None) -> tuple[str, float]:
    """Execute one chapter template for `year` into the staging book (and keep it in the cache);
    returns (title, seconds). `execute_chapters` restores unchanged chapters instead."""
    import os

    import papermill as pm
    from nbclient.exceptions import DeadKernelError

    from beichen.publish import chapter_cache

    template = REPO_ROOT / f"{chapter}.ipynb"
    source = chapter_source(book, chapter)
    target = book / f"{chapter}.ipynb"
    title = _chapter_title(template, _substitutions(book))
    started = time.perf_counter()
    # A kernel started ahead with the chapters' modules imported (lib/beichen/publish/warm_kernel.py), if any.
    km = kernels.take() if kernels is not None else None
    # A code cell that runs longer than this is stopped (papermill's execution_timeout, per cell): a
    # hang releases the lock the build holds. Chapters take 3–10 s in all; 300 s is generous.
    timeout = float(os.environ.get("BEICHEN_CELL_TIMEOUT") or 300)
    try:
        pm.execute_notebook(
            str(source), str(target),
            parameters={"year": year, "data_dir": str(data_dir), "narrative_dir": str(narrative_dir),
                        "notes_dir": str(notes_dir), "output_dir": str(target.parent)},
            # No `cwd=`: papermill would os.chdir the whole process, which races between the
            # chapters executed in parallel threads. Chapters get absolute paths instead.
            kernel_name="python3", progress_bar=False, log_output=False,
            kernel_manager_class=_kernel_manager_class(),
            extra_arguments=KERNEL_ARGUMENTS, execution_timeout=timeout,
            **({"km": km} if km is not None else {}),
        )
    except pm.PapermillExecutionError as err:
        first_line = (err.source or "").strip().splitlines()[:1]
        raise BuildError(f"章节《{title}》({chapter}.ipynb) 第{err.exec_count or err.cell_index}个代码单元执行失败:"
                         f" {err.ename}: {err.evalue}\n    单元首行: {first_line[0] if first_line else ''}") from None
    except TimeoutError as err:  # nbclient's CellTimeoutError; its message previews the cell
        preview = str(err).split("-------------------")
        first_line = preview[1].strip().splitlines()[:1] if len(preview) > 1 else []
        raise BuildError(f"章节《{title}》({chapter}.ipynb) 有代码单元执行超过{timeout:g}秒，已中止"
                         f"（时限见环境变量 BEICHEN_CELL_TIMEOUT）\n    单元首行: {first_line[0] if first_line else ''}") from None
    except DeadKernelError:
        raise BuildError(f"章节《{title}》({chapter}.ipynb) 执行中内核意外退出（内存不足或被终止？）") from None
    finally:
        if km is not None:  # papermill shuts down only the kernels it started
            km.shutdown_kernel(now=True)
    _finish_notebook(target, final=load_plan(data_dir).is_final(year))
    if cache_dir:
        chapter_cache.store(cache_dir, chapter, year, data_dir, target, notes_dir, source)
    return title, time.perf_counter() - started


# The kernel logs “KeyboardInterrupt caught in kernel” (level ERROR) when it is stopped after its
# chapter ran: noise that reads as a failure. Cell errors still come through.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]


def _substitutions(book: Path) -> dict:
    staged = yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8"))
    return staged.get("parse", {}).get("myst_substitutions") or {}


def execute_chapters(year: int, book: Path, data_dir: Path, narrative_dir: Path, notes_dir: Path, edition,
                     workers: int = 2, cache_dir: Path | None = None, reuse: bool = True,
                     kernels=None) -> dict[str, str]:
    """Run or restore every chapter; returns {chapter: decision} (“沿用” or “重算：…”), each printed.

    A chapter is restored from the cache when nothing it read changed (lib/beichen/publish/chapter_cache.py):
    the decision is taken for all chapters first, from the new data (`edition`), then the ones to
    re-run are executed, two at a time."""
    from beichen.publish import chapter_cache

    chapters = chapter_files(book / "_toc.yml")  # the staged toc: the chapters this plan's report has
    total = len(chapters)
    failures: list[str] = []
    substitutions = _substitutions(book)
    decisions: dict[str, str] = {}
    to_run = []
    answers: dict = {}  # the chapters ask many of the same questions: each answered once
    expand_templates(chapters, book, getattr(edition, "data", None))   # refused here, before any chapter runs
    for index, chapter in enumerate(chapters, start=1):
        title = _chapter_title(REPO_ROOT / f"{chapter}.ipynb", substitutions)
        decision = chapter_cache.decide(cache_dir if reuse else None, chapter, year, data_dir, narrative_dir,
                                        edition, answers, chapter_source(book, chapter))
        if decision.reuse and chapter_cache.restore(cache_dir, chapter, book / f"{chapter}.ipynb", notes_dir):
            decisions[chapter] = decision.why
            log(f"  [{index}/{total}] {title} … 沿用")
            continue
        why = decision.why if not decision.reuse else "重算：缓存条目不完整，已丢弃"
        decisions[chapter] = why
        to_run.append((index, chapter, why))

    def one(item):
        index, chapter, why = item
        try:
            title, seconds = run_chapter(chapter, year, book, data_dir, narrative_dir, notes_dir, cache_dir,
                                       kernels=kernels)
            log(f"  [{index}/{total}] {title} … {why} ({seconds:.1f}s)")
        except BuildError as err:
            log(f"  [{index}/{total}] {chapter} … 失败")
            failures.append(str(err))

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, to_run))
    if failures:
        raise BuildError("\n".join(failures))
    return decisions


def report_gaps(notes_dir: Path) -> dict:
    """Collect the missing figures and pending passages the chapters recorded."""
    missing, pending = [], []
    for note in sorted(notes_dir.glob("*.json")):
        content = json.loads(note.read_text(encoding="utf-8"))
        missing += content.get("missing", [])
        pending += content.get("pending", [])
    # One figure missing from several chapters is one missing figure: the log and the landing page count alike.
    return {"missing": list(dict.fromkeys(missing)), "pending": list(dict.fromkeys(pending))}


def build_html(book: Path, env: dict | None = None, warm=None, changed: list[str] | None = None) -> Path:
    """Sphinx over the staging book; `changed`: the files the last sync rewrote (None: unknown, so
    Sphinx decides alone)."""
    from beichen.site.rerun import fresh_static, sphinx_build_args
    from beichen.site.warm_book import jupyter_book

    fresh_static(book / "_build" / "html")
    extra = sphinx_build_args(changed) if changed is not None else []
    # Sphinx warnings (a broken reference, an unknown directive in a passage) fail the build.
    result = jupyter_book(["build", str(book), "--builder", "html", "-n", "-W", "--keep-going", *extra], env, warm)
    (book / "sphinx-html.log").write_text(result.stdout + result.stderr, encoding="utf-8")
    if result.returncode != 0:
        raise BuildError(f"Jupyter Book HTML 构建失败，详见 {book / 'sphinx-html.log'}:\n{result.stderr[-2000:]}")
    return book / "_build" / "html"


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where
    the system or file system cannot."""
    import ctypes
    import os

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    return False


def recover_site(site_dir: Path) -> list[str]:
    """Put right what a killed publish left in site_dir: an edition moved aside and not replaced
    goes back (only possible without RENAME_EXCHANGE); half-copied new editions are removed."""
    done = []
    if not Path(site_dir).exists():
        return done
    for aside in sorted(Path(site_dir).glob(".*.old")):
        final = aside.with_name(aside.name[1:-len(".old")])
        if not final.exists():
            aside.rename(final)
            done.append(f"{final.name}（恢复为上一版）")
        else:
            shutil.rmtree(aside)
    for fresh in sorted(Path(site_dir).glob(".*.new")):
        shutil.rmtree(fresh)
    return done


def publish(html_dir: Path, year: int, site_dir: Path = SITE_DIR, extra_files: list[Path] = ()) -> Path:
    """Swap the new edition into site/<year>/ only now that everything succeeded.

    The new edition is copied whole beside the old one, then the two folders are exchanged in
    one atomic step: killed at any instant, site/<year>/ is the old edition or the new one,
    never missing or half copied (tests/test_crash_safety.py kills it at each step).
    """
    from beichen import crash

    site_dir.mkdir(parents=True, exist_ok=True)
    recover_site(site_dir)
    final = site_dir / str(year)
    fresh = site_dir / f".{year}.new"
    old = site_dir / f".{year}.old"
    try:
        shutil.copytree(html_dir, fresh)
        for extra in extra_files:
            shutil.copy2(extra, fresh / extra.name)
    except OSError:  # a full disk, most often: no half-copied edition stays beside the published one
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    crash.point("publish:copied")
    if not final.exists():
        fresh.rename(final)
    elif _exchange(fresh, final):
        crash.point("publish:swapped")
        shutil.rmtree(fresh)  # now the old edition
    else:  # no atomic exchange here: two renames, undone by recover_site if killed between them
        final.rename(old)
        crash.point("publish:moved-aside")
        fresh.rename(final)
        shutil.rmtree(old)
    crash.point("publish:done")
    return final


def require_data_for_year(data, year: int) -> None:
    """Refuse a year for which data/ holds no figure at all (a new year not yet entered): no row
    entered for the edition of `year`."""
    has = any((getattr(data, name)["edition"] == year).any() for name in ("indicator_values", "metrics", "chains"))
    if not has:
        folder = folder_shown(data.data_dir) if getattr(data, "data_dir", None) else "data"
        raise BuildError(f"{folder}/ 中没有{year}年的任何数据（评价指标、产业链、其他统计均无{year}年的值），无法生成{year}年版。"
                         f"新的一年请先运行 make new-year YEAR={year}，填写 {folder}/entry/{year}.csv 后运行 make import YEAR={year}")


def snapshot_inputs(year: int, data_dir: Path, narrative_dir: Path, staging_dir: Path) -> tuple[Path, Path]:
    """Copy data/ (tables and metadata, not entry sheets or other years' text) and the year's
    narrative into staging/<year>/input/; return (data_dir, narrative_dir) of the copy.

    Every chapter of the build reads this copy, so an import or an edit made while the build
    runs cannot give one chapter old figures and the next one new figures: an edition is made
    from one reading of its inputs. The chapter cache keys on the copy too.
    """
    root = Path(staging_dir) / str(year) / "input"
    if root.exists():
        shutil.rmtree(root)
    data_copy = root / "data"
    narrative_copy = root / "narrative"
    data_copy.mkdir(parents=True)
    narrative_copy.mkdir()
    data_dir, narrative_dir = Path(data_dir), Path(narrative_dir)
    skip = {"entry", "narrative", ".import-staged"}
    for item in sorted(data_dir.iterdir()):
        if item.name.startswith(".") or item.name in skip:
            continue
        if item.is_dir():
            shutil.copytree(item, data_copy / item.name)
        elif item.is_file():
            shutil.copy2(item, data_copy / item.name)
    if (narrative_dir / str(year)).is_dir():
        shutil.copytree(narrative_dir / str(year), narrative_copy / str(year))
    return data_copy, narrative_copy


# Files of the staging book that are not inputs of Sphinx (logs, Sphinx's own output).
BOOK_KEEP = ("_build", "_beichen", "sphinx-html.log", "sphinx-pdf.log")  # _beichen: written by Sphinx (site_ui)


def _staged_book_digest(book: Path) -> str:
    """What the pages and the PDF are made from: the Sphinx inputs of the staging book (what
    `jupyter-book build` reads) and the program, whose Sphinx extensions (lib/beichen/site/ui.py …)
    write every page: “<book>+<program>”."""
    from beichen.publish import incremental

    book_digest = incremental.tree_digest(book, skip=incremental.MANAGED, skip_top=BOOK_KEEP)
    return f"{book_digest}+{incremental.tree_digest(incremental.LIB_DIR)}"


def _program_changed(steps, name: str, key: str) -> bool:
    """Whether the step `name` last ran with other program code than `key` says (see _staged_book_digest)."""
    last = steps.key(name) or ""
    return "+" in last and last.split("+", 1)[1] != key.split("+", 1)[1]


def _report_html(book: Path, key: str, steps, env: dict, warm=None, changed: list[str] | None = None) -> Path:
    """Sphinx over the staging book, unless its inputs (`key`, _staged_book_digest) are those of the
    last successful run."""
    html = book / "_build" / "html"
    if steps.same("html", key, html):
        log("    网页：未变，沿用")
    else:
        if html.exists() and not steps.intact("html", html):
            # Pages not as Sphinx left them (edited, truncated, a killed run): Sphinx rewrites only
            # pages whose sources changed, so a damaged page would be published as it is. All afresh.
            log("    网页：上次生成的网页已改动或不完整，全部重新生成")
            shutil.rmtree(html)
            changed = []
        elif _program_changed(steps, "html", key):
            changed = []  # the extensions that write every page changed: Sphinx rewrites all (--all)
        steps.forget("html")
        started = time.perf_counter()
        build_html(book, env, warm, changed)
        steps.mark("html", key, html)
        log(f"    网页：已生成 ({time.perf_counter() - started:.1f}s)")
    # The year switcher's list is not a Sphinx input: it changes as editions are published.
    switcher = book / editions.SWITCHER_JSON
    if switcher.exists():
        shutil.copyfile(switcher, html / editions.SWITCHER_JSON)
    return html


def _report_pdf(book: Path, key: str, year: int, steps, env: dict) -> Path:
    """The PDF, unless the staging book (`key`) is the one the last PDF was made from."""
    from beichen.pdf.latex import build_pdf

    target = book / "_build" / "latex" / f"report-{year}.pdf"
    if steps.same("pdf", key, target):
        log("    PDF：未变，沿用")
        return target
    steps.forget("pdf")
    started = time.perf_counter()
    built, typeset = build_pdf(book, year, env, steps)
    steps.mark("pdf", key, built)
    log(f"    PDF：{'已排版' if typeset else 'LaTeX 源未变，沿用'} ({time.perf_counter() - started:.1f}s)")
    from beichen.pdf.composition import fonts_line

    fonts = fonts_line(book / "_build" / "latex")
    if fonts:   # which faces the PDF is set in: the office's, or Fandol in their place
        log(f"    {fonts}")
    return built


def _matching_pdf(staged: Path, year: int, steps) -> Path | None:
    """The PDF an earlier build made from a book equal to `staged` (same pages, same words, same
    figures), still holding the bytes recorded then; None if there is none."""
    book = staged.parent / "book"
    target = book / "_build" / "latex" / f"report-{year}.pdf"
    return target if steps.same("pdf", _staged_book_digest(staged), target) else None


def without_pdf_link(book: Path) -> None:
    """Pages that link no PDF (an HTML-only build whose pages no PDF was made from): the edition says
    it has none rather than offering a file of other figures, or a link to nothing."""
    path = book / "_config.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["sphinx"]["config"]["beichen_site"]["pdf"] = ""
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _assemble(work: Path, html: Path, year: int, book: Path, edition_facts: dict, extra: list[Path]) -> Path:
    """The edition as it will be published, in build/<year>/out/: Sphinx's pages (left untouched
    in _build/, so the next incremental run starts from what Sphinx wrote), the contents page, the
    edition facts and the PDF. Nothing of the 核查报告 (see _assemble_review)."""
    from beichen.site.contents_page import write_edition_index

    out = work / "out"
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(html, out)
    write_edition_index(out, year, book)
    for file in extra:
        shutil.copy2(file, out / file.name)
    (out / "edition.json").write_text(json.dumps(edition_facts, ensure_ascii=False), encoding="utf-8")
    return out


def _assemble_review(work: Path, check: Path) -> Path:
    """The 核查报告 as it will be published to review/<year>/, in build/<year>/review-out/. Sphinx's
    config hash (.buildinfo) is a build internal; kept in _build/ so the next run of Sphinx over the
    核查报告 rewrites only its changed pages."""
    out = work / "review-out"
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(check, out, ignore=shutil.ignore_patterns(".buildinfo"))
    return out


def default_review_dir(site_dir: Path) -> Path:
    """Where the 核查报告 goes unless told: review/ beside site_dir (the repository's review/)."""
    return REVIEW_DIR if Path(site_dir) == SITE_DIR else Path(site_dir).parent / "review"


# What the chapters' kernels and the 核查报告 keep between builds of an edition (build/<year>/…), by
# content: print PDFs of charts (lib/beichen/render/charts.py) and table column widths (lib/beichen/render/tables.py).
WORK_CACHES = {"BEICHEN_CHART_CACHE": "charts", "BEICHEN_WIDTHS_CACHE": "widths"}


#: The scratch folder of the build running in this process (None outside a build): kernels keep their
#: sockets in it and get it as their TMPDIR. (Not Sphinx: jieba keeps its dictionary cache in the
#: temp dir, one file reused by every build, which a scratch folder would make it rebuild each time.)
_scratch: Path | None = None


@contextmanager
def _work_caches(work: Path):
    """Point the content caches at build/<year>/ for the time of a build (the kernels inherit them),
    and give the build one scratch folder (beichen-build-… in the temp dir), removed at the end
    whether the build succeeds, fails or is interrupted (Ctrl-C): a chapter kernel is shut down by
    a kill, so what it made in the temp dir (vl-convert's font folder, lib/beichen/render/charts.py)
    is removed with the folder the build gave it as TMPDIR, not by the kernel."""
    import os
    import tempfile

    global _scratch
    before = {name: os.environ.get(name) for name in WORK_CACHES}
    scratch = Path(tempfile.mkdtemp(prefix="beichen-build-"))
    os.environ.update({name: str(work / folder) for name, folder in WORK_CACHES.items()})
    _scratch = scratch
    try:
        yield
    finally:
        _scratch = None
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        shutil.rmtree(scratch, ignore_errors=True)


def build_report(year: int, data_dir: Path = DATA_DIR, narrative_dir: Path = NARRATIVE_DIR,
                 site_dir: Path = SITE_DIR, staging_dir: Path = STAGING_DIR, pdf: bool = False,
                 use_cache: bool = True, review_dir: Path | None = None) -> Path:
    """Build the edition of `year` and publish it to site_dir/<year>/ (its 核查报告 to
    review_dir/<year>/, default review/ beside site_dir), doing only what its changed
    inputs require: nothing when no input changed; otherwise re-running the chapters that read a
    changed figure, passage or file, Sphinx when a staged page changed, LaTeX when its source
    changed. `use_cache=False` builds everything afresh (a cold build)."""
    from beichen.inputs.plans import resolve_data_dir
    from beichen.publish import incremental

    started = time.perf_counter()
    # The plan of the year: `make site YEARS="2024 2026"` builds 2026 from plans/2026-2030/ beside data/.
    data_dir, narrative_dir = resolve_data_dir(year, data_dir, narrative_dir)
    try:
        plan = load_plan(data_dir)
    except PlanError as err:   # a BuildError, so that `make site` too reports it and goes on with the next year
        raise BuildError(f"{Path(data_dir).name}/{err}") from None
    log(f"== {plan.report_title} · {year}年版 ==")
    plan.check_edition_year(year)
    work = Path(staging_dir) / str(year)
    review_dir = Path(review_dir) if review_dir is not None else default_review_dir(site_dir)
    for folder in (Path(site_dir), review_dir):  # what a killed publish left (.<year>.new/.old), first
        for line in recover_site(folder):
            log(f"    上次发布中断，已恢复: {line}")
    state = incremental.BuildState(work)
    inputs = incremental.edition_inputs(year, data_dir, narrative_dir, {"pdf": pdf, **incremental.program_facts()})
    if use_cache and state.unchanged(inputs, Path(site_dir) / str(year), review_dir / str(year)):
        if not (Path(site_dir) / "index.html").exists():
            editions.refresh_site(site_dir, data_dir)
        log(f"输入未变：{year}年版沿用已发布的版本，未重新构建 ({time.perf_counter() - started:.2f}s)")
        log(f"完成: {Path(site_dir) / str(year) / 'index.html'}")
        return Path(site_dir) / str(year)
    if not use_cache:  # cold: no chapter, page, chart, width or PDF of an earlier build is reused
        for name in ("cache", "book", "dossier", "steps.json", *WORK_CACHES.values()):
            target = work / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
    with _work_caches(work):
        final, gaps, status = _build_edition(year, plan, Path(data_dir), Path(narrative_dir), Path(site_dir),
                                             Path(staging_dir), pdf, use_cache, review_dir)
    state.save(inputs, final, review_dir / str(year))
    if gaps["missing"]:
        log(f"本年度缺失数据 {len(gaps['missing'])} 项（报告中显示“暂无数据”）:")
        for item in gaps["missing"]:
            log(f"    - {item}")
    if gaps["pending"]:
        log(f"本年度待补充文字 {len(gaps['pending'])} 段（报告中显示“本年度文字待补充”）:")
        for item in gaps["pending"]:
            log(f"    - {item}")
    # 征求意见稿 or 定稿, and why (the details were logged after the chapters ran).
    log(f"本版为{status.label}" + ("：" + "；".join(status.reasons) if status.reasons else f"：{status.signoff.summary}"))
    if status.final and status.pdf_built:  # what the approver checks the PDF against
        log(f"    报告PDF（report-{year}.pdf）SHA-256: {status.pdf_sha256}")
    log(f"完成: {final / 'index.html'} ({time.perf_counter() - started:.1f}s)")
    return final


@dataclass
class _Run:
    """What the steps of one build share: the edition, its snapshot of the inputs, where it writes,
    and the processes warmed for it."""
    year: int
    data_dir: Path          # the snapshot (build/<year>/input/data)
    narrative_dir: Path     # the snapshot's narrative
    site_dir: Path
    work: Path              # build/<year>/
    pdf: bool
    use_cache: bool
    originals: dict         # {snapshot folder: the analyst's folder}, to name the analyst's files
    warm: dict = field(default_factory=dict)
    issued: str | None = None
    env: dict | None = None


def _build_edition(year: int, plan, data_dir: Path, narrative_dir: Path, site_dir: Path, staging_dir: Path,
                   pdf: bool, use_cache: bool, review_dir: Path = REVIEW_DIR) -> tuple[Path, dict, object]:
    """The steps of a build that has something to do; returns (published folder, gaps, status
    (lib/beichen/audit/status.py))."""
    from beichen.site.warm_book import WarmBook
    from beichen.publish.warm_kernel import WarmKernels

    log("[1/4] 校验数据 (validate data)")
    # From here on the build reads one snapshot of data/ and the year's text (issue 9, item 6).
    snapshot = snapshot_inputs(year, data_dir, narrative_dir, staging_dir)
    run = _Run(year, snapshot[0], snapshot[1], site_dir, staging_dir / str(year), pdf, use_cache,
               {str(snapshot[1]): str(narrative_dir), str(snapshot[0]): str(data_dir)})
    try:
        _date_the_edition(run)
    except Exception:  # a malformed data/editions.csv: load_all below says what is wrong with it
        run.issued = None
    else:
        # Sphinx for the pages, importing from now on, while the data are checked and the chapters
        # run (lib/beichen/site/warm_book.py); closed unused if no page is to be written.
        run.warm["html"] = WarmBook(run.env, jieba=True)
    # One chapter kernel, starting and importing meanwhile (a rebuild most often re-runs one chapter).
    kernels = WarmKernels(_kernel_manager_class(), 1, KERNEL_ARGUMENTS)
    try:
        data, signoffs = _checked_inputs(run, narrative_dir)
        if run.issued is None:
            _date_the_edition(run)
        gaps, status, html, extra, check_html = _make_edition(run, data, signoffs, kernels)
    finally:
        kernels.close()
        for process in run.warm.values():
            process.close()
    log("[4/4] 发布 (publish)")
    final = _publish_edition(run, plan, gaps, status, html, extra, check_html, review_dir, data_dir)
    return final, gaps, status


def _date_the_edition(run: _Run) -> None:
    """The issue date of data/editions.csv, and the environment of the build's subprocesses dated by it."""
    from beichen.publish import reproducible

    run.issued = issue_date(run.year, run.data_dir)
    run.env = reproducible.environment(reproducible.source_date_epoch(run.issued))


def _checked_inputs(run: _Run, original_narrative_dir: Path):
    """(the data, the sign-offs), checked: a malformed file stops the build here."""
    from beichen.inputs.loading import DataValidationError, load_all
    from beichen.inputs.text_policy import narrative_problems
    from beichen.publish import status as edition_status

    data = load_all(run.data_dir)
    # The year's text under the same character policy as the data (lib/beichen/inputs/text_policy.py):
    # no invisible or bidirectional control reaches a page, named by code point, file and line.
    unseen = narrative_problems(run.narrative_dir / str(run.year), (original_narrative_dir / str(run.year)).as_posix())
    if unseen:
        raise DataValidationError(unseen)
    require_data_for_year(data, run.year)
    return data, edition_status.load_signoffs(run.data_dir, data.plan)


def _make_edition(run: _Run, data, signoffs, kernels):
    """Chapters, review, pages, PDF and 核查报告 of the edition, in build/<year>/: (gaps, status, html
    folder, extra files of the site (the PDF), the 核查报告's html folder)."""
    import threading

    from beichen.dossier import book_build, rebuild
    from beichen.dossier.document import Dossier
    from beichen.publish import incremental
    from beichen.site.warm_book import WarmBook

    year, work = run.year, run.work
    book, staged, notes_dir = work / "book", work / "book.next", work / "notes"
    if notes_dir.exists():
        shutil.rmtree(notes_dir)
    notes_dir.mkdir(parents=True)
    steps = incremental.Steps(work)
    # The 核查报告's pages that do not depend on the chapters' notes are computed while they run,
    # when its inputs changed (else it is reused whole).
    check = Dossier(data, year, run.data_dir, run.narrative_dir, None, run.issued)
    check_inputs = rebuild.inputs_key(check, run.pdf, with_gaps=False)
    if steps.key("dossier-inputs") != check_inputs:  # and its Sphinx warmed (its search is Chinese too)
        threading.Thread(target=check.without_gaps, daemon=True).start()
        run.warm["check"] = WarmBook(book_build.jb_environment(run.issued), jieba=True)

    log("[2/4] 逐章执行 (papermill；未受改动影响的章节沿用上次结果)")
    stage_book(year, staged, data, run.site_dir, run.narrative_dir)
    _run_chapters(run, staged, notes_dir, data, kernels)
    gaps, status = _review_edition(run, data, signoffs, staged, notes_dir, check)
    kept_pdf = None
    if not run.pdf:  # `make html`: the PDF made from exactly these pages by an earlier `make report`, or none
        kept_pdf = _matching_pdf(staged, year, steps)
        if kept_pdf is None:
            without_pdf_link(staged)
    # Only files whose bytes changed get a new time: Sphinx re-reads those pages alone.
    changed = incremental.sync_tree(staged, book, keep=BOOK_KEEP)
    shutil.rmtree(staged)
    _compare_with_source(run, book, check)
    log("[3/4] 生成网页" + ("与PDF" if run.pdf else "") + "，同时生成核查报告")
    html, extra, check_html = _pages_and_dossier(run, book, steps, changed, kept_pdf, gaps, status, check,
                                                 check_inputs)
    return gaps, check.status, html, extra, check_html


def _run_chapters(run: _Run, staged: Path, notes_dir: Path, data, kernels) -> None:
    from beichen.model.edition import Edition

    try:
        execute_chapters(run.year, staged, run.data_dir, run.narrative_dir, notes_dir, Edition(data, run.year),
                         cache_dir=run.work / "cache", reuse=run.use_cache, kernels=kernels)
    except BuildError as err:  # name the analyst's files, not their copies in the snapshot
        message = str(err)
        for copy, original in run.originals.items():
            message = message.replace(copy, original)
        raise BuildError(message) from None


def _review_edition(run: _Run, data, signoffs, staged: Path, notes_dir: Path, check):
    """(gaps, status): the downloads, the claims ledger's findings of the built text, and 征求意见稿 or
    定稿 written into the staged book."""
    from beichen.audit.ledger import review_book
    from beichen.model.edition import Edition
    from beichen.publish import status as edition_status
    from beichen.render.appendix import write_downloads

    year = run.year
    # The appendix's downloads: the figures the chapters printed (their recorded reads), as readers
    # get them (lib/beichen/render/appendix.py), with a 说明.
    write_downloads(Edition(data, year), staged / "_static" / "data", notes_dir)
    gaps = report_gaps(notes_dir)
    # 征求意见稿 or 定稿 (lib/beichen/audit/status.py): the findings of the built text, the pending
    # passages, the sign-off; written into the staged book, so every page and the PDF say it.
    review = review_book(Edition(data, year), run.data_dir, staged, checks=check.checks)
    check.review = review
    wrong = check.false_statements(review.printed)
    if wrong:  # the 核查报告 says only what is true of the built edition
        folder = folder_shown(run.data_dir)
        raise BuildError(f"核查报告中关于本版的表述与本版印出的文字不符或无法核对（{folder}/narrative/"
                         f"{year}/check.md 的段落或 {folder}/meta/resolutions.yml 的理由）：\n"
                         + "\n".join(f"  - {w}" for w in wrong))
    status = edition_status.edition_status(year, review.findings, gaps["pending"], signoffs, review.stale,
                                           review_pending=check.own_pending, folder=folder_shown(run.data_dir))
    for line in status.lines() + status.stale_lines():
        log(line)
    edition_status.stage(staged, status)
    return gaps, status


def _compare_with_source(run: _Run, book: Path, check) -> None:
    """The printed text against the source: every difference covered by a reason, every entry true
    of the text (lib/beichen/audit/departures.py); the 核查报告 lists what was found."""
    from beichen.audit.departures import check_edition
    from beichen.audit.source_text import source_path

    check.found = check_edition(book, run.data_dir, run.year)
    if check.with_source and check.found is None and not source_path(run.data_dir).exists():
        log(f"    注意：原报告原文不在本机（{source_path(run.data_dir)}），本版未与原报告逐段比对")


def _pages_and_dossier(run: _Run, book: Path, steps, changed, kept_pdf, gaps, status, check, check_inputs):
    """(html folder, [the PDF], the 核查报告's html folder): the report's pages and PDF made beside the
    核查报告; `check.status` is the status finally published."""
    from beichen.dossier import rebuild
    from beichen.publish import status as edition_status

    def report_outputs():
        key = _staged_book_digest(book)
        html = _report_html(book, key, steps, run.env, run.warm.get("html"), changed)
        if run.pdf:
            return html, [_report_pdf(book, key, run.year, steps, run.env)]
        return html, [kept_pdf] if kept_pdf is not None else []

    with ThreadPoolExecutor(max_workers=1) as pool:
        report_job = pool.submit(report_outputs)
        check.gaps = gaps
        if status.final:  # the 核查报告 carries the SHA-256 of the very PDF it approves: wait for it
            html, extra = report_job.result()
            signed = status.with_pdf(extra[0] if extra else None)
            if not signed.final:  # the sign-off approved other bytes: pages and PDF again, as a draft
                for line in signed.lines():
                    log(line)
                edition_status.stage(book, signed)
                report_job = pool.submit(report_outputs)
            status = signed
        check.status = status
        check_html = rebuild.build_cached(check, run.work / "dossier", steps, pdf=run.pdf, log=log,
                                         warm=run.warm.get("check"))
        steps.mark("dossier-inputs", check_inputs)
        html, extra = report_job.result()
    return html, extra, check_html


def _publish_edition(run: _Run, plan, gaps, status, html: Path, extra, check_html: Path, review_dir: Path,
                     original_data_dir: Path) -> Path:
    """The edition swapped into site/<year>/ and its 核查报告 into review/<year>/ (each only if changed),
    and the landing page refreshed."""
    from beichen import crash
    from beichen.publish import incremental

    year, site_dir = run.year, run.site_dir
    # What the landing page shows about this edition (lib/beichen/site/landing.py). No build time: the
    # same inputs must give the same bytes; the edition is dated by its issue date.
    facts = {"year": year, "label": editions.edition_label(year, plan), "title": plan.report_title,
             "issue_date": run.issued, "missing": len(gaps["missing"]), "pending": len(gaps["pending"]),
             "status": status.label}
    out = _assemble(run.work, html, year, run.work / "book", facts, extra)
    review_out = _assemble_review(run.work, check_html)
    final = site_dir / str(year)
    if final.is_dir() and incremental.tree_digest(out) == incremental.tree_digest(final):
        log("    已发布的版本与本次结果相同，未改动")
    else:
        final = publish(out, year, site_dir)
    # The 核查报告 apart from the site, swapped in the same atomic way (never linked from site/).
    checked = review_dir / str(year)
    if not (checked.is_dir() and incremental.tree_digest(review_out, skip=()) == incremental.tree_digest(checked, skip=())):
        checked = publish(review_out, year, review_dir)
    crash.point("build:published")
    log(f"    网站首页与年份切换已更新: {editions.refresh_site(site_dir, original_data_dir)}")
    log(f"    核查报告（内部工作文件，不在 {site_dir.name}/ 中，不对外发布）: {checked / 'index.html'}")
    return final


def disk_full(err: OSError, where: Path) -> str | None:
    """One sentence for a build stopped by a full disk (None for any other error): shutil.copytree
    gathers every file it could not copy into one shutil.Error, kilobytes of paths."""
    import errno

    full = (errno.ENOSPC, errno.EDQUOT)
    if isinstance(err, shutil.Error):
        reasons = [str(item[-1]) for item in (err.args[0] if err.args and isinstance(err.args[0], list) else [])]
        hit = any("No space left" in r or "Disk quota" in r for r in reasons)
    else:
        hit = err.errno in full
    if not hit:
        return None
    folder = Path(where)
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    free = shutil.disk_usage(folder).free / 2**20
    return (f"磁盘空间不足（{folder} 所在磁盘剩余 {free:.0f} MB），构建已停止，已发布的版本未改动；"
            "请清理磁盘后重新运行。")


def add_path_arguments(parser: argparse.ArgumentParser) -> None:
    """Where data, narrative, published site and staging live (tests point them at temp folders)."""
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--narrative-dir", type=Path, default=NARRATIVE_DIR)
    parser.add_argument("--site-dir", type=Path, default=SITE_DIR)
    parser.add_argument("--review-dir", type=Path, default=None,
                        help="where the internal 核查报告 goes (default: review/ beside the site folder)")
    parser.add_argument("--staging-dir", type=Path, default=STAGING_DIR)


def main(argv: list[str] | None = None) -> int:
    parser = cli.ArgumentParser(description="Build one edition of the Beichen report.")
    parser.add_argument("--year", type=cli.year, default=2024)
    parser.add_argument("--pdf", action="store_true", help="also build report-<year>.pdf")
    parser.add_argument("--no-cache", action="store_true",
                        help="re-execute every chapter even if its inputs did not change")
    add_path_arguments(parser)
    args = parser.parse_args(argv)
    from beichen.lock import BusyError, one_writer

    try:
        with one_writer(f"构建{args.year}年版", args.data_dir):
            build_report(args.year, args.data_dir, args.narrative_dir, args.site_dir, args.staging_dir, args.pdf,
                         use_cache=not args.no_cache, review_dir=args.review_dir)
    except BusyError as err:
        log(f"错误: {err}")
        return 1
    except (BuildError, PlanError) as err:   # PlanError: meta/plan.yml missing a key, named with the key
        log(f"错误: {err}")
        log("构建已停止，已发布的版本未改动 (build stopped; the published edition is untouched).")
        return 1
    except OSError as err:
        full = disk_full(err, args.site_dir)
        if full is None:
            raise
        log(f"错误: {full}")
        return 1
    except Exception as err:  # pandas and pandera are imported only by a build that has work to do
        from beichen.inputs.loading import DataValidationError
        if not isinstance(err, DataValidationError):
            raise
        log(str(err))
        log("构建已停止，已发布的版本未改动 (build stopped; the published edition is untouched).")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
