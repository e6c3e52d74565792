"""The multi-edition site: site/index.html lists every built edition; every page has a year switcher.

(`make site`, lib/beichen/publish/make_site.py, builds several editions and then calls `refresh_site`.)

Layout of site/:
    index.html                 landing page (Chinese): each edition with its HTML and PDF
    switcher.json              the editions, for reference
    <year>/                    one edition (built by lib/beichen/publish/build.py, published atomically)
    <year>/_static/switcher.json   the same list, inside each edition

site/ holds the report only and may be published whole. The analyst's 核查报告 is built to review/<year>/
(lib/beichen/dossier/document.py), outside site/: nothing here links to it or names it.

The year switcher is pydata-sphinx-theme's ``version-switcher`` placed in ``article_header_end``
of sphinx-book-theme. Its JSON is fetched relative to the edition root (``_static/switcher.json``),
so it is found whether the server's root is site/ or the edition itself. Next to it, every page
carries a plain link “其他年度版本” to ../index.html, which works without JavaScript and from
``file://``, where browsers refuse to fetch the JSON: there the switcher is hidden (and its fetch
skipped, so no console error) and the link remains. Nothing is loaded from another host.

Refreshing the lists rewrites only ``_static/switcher.json`` of already published editions —
their content stays as built.
"""
from __future__ import annotations

import html
import json
from pathlib import Path
from string import Template

from beichen.files import write_atomic
from beichen.inputs.plan import Plan, load_plan
from beichen.paths import DATA_DIR, SITE_DIR
from beichen.site.assets import read, tokens_css
from beichen.site.icons import favicon_data_uri
from beichen.site.policy import CSP_META

SWITCHER_JSON = "_static/switcher.json"
TEMPLATE_NAME = "beichen-editions.html"

# The component next to the switcher: the fallback link and its style. The page's deferred script
# (assets/page-ui.js) skips the switcher's fetch on file:// and hides it, and points the switcher's
# entries at the same page of the other edition (the theme would resolve the JSON's relative urls
# against the current page).
EDITIONS_TEMPLATE = read("templates/beichen-editions.html")


def edition_label(year: int, plan: Plan) -> str:
    """“2024年版”, the plan's final one “2025年版（终期评估）”."""
    return f"{year}年版（终期评估）" if plan.is_final(year) else f"{year}年版"


def _label(entry: dict) -> str:
    """An edition's label as its build recorded it (edition.json), by its own plan."""
    return entry.get("label") or f"{entry['year']}年版"


def published_editions(site_dir: Path = SITE_DIR) -> list[dict]:
    """Editions present in site_dir (newest first), with what their build recorded in edition.json."""
    site_dir = Path(site_dir)
    found = []
    if not site_dir.exists():
        return found
    for folder in site_dir.iterdir():
        if not (folder.is_dir() and folder.name.isdigit() and (folder / "index.html").exists()):
            continue
        info = {"year": int(folder.name)}
        meta = folder / "edition.json"
        if meta.exists():
            try:
                info.update(json.loads(meta.read_text(encoding="utf-8")))
            except json.JSONDecodeError:
                pass
        pdf = folder / f"report-{folder.name}.pdf"
        info["pdf"] = pdf.name if pdf.exists() else None
        found.append(info)
    return sorted(found, key=lambda e: -e["year"])


def switcher_entries(editions: list[dict]) -> list[dict]:
    """The version-switcher JSON: newest first; urls relative to an edition root."""
    by_year = {int(e["year"]): e for e in editions}
    return [{"name": _label(by_year[y]), "version": str(y), "url": f"../{y}/"} for y in sorted(by_year, reverse=True)]


def sphinx_config(year: int) -> dict:
    """Sphinx settings that put the switcher and the fallback link into every page of an edition."""
    return {
        "templates_path": ["_templates"],
        "html_theme_options": {
            "switcher": {"json_url": SWITCHER_JSON, "version_match": str(year)},
            "show_version_warning_banner": False,
            "article_header_end": ["version-switcher.html", TEMPLATE_NAME, "article-header-buttons.html"],
        },
    }


# pydata-sphinx-theme's switcher component with its interface words in Chinese (the theme has
# no zh_CN catalogue for them: the button read “Choose version” until its script ran). No aria-label:
# the button's name is its visible text (“2024年版” once the theme's script has filled it), as WCAG
# 2.5.3 asks; a label of other words would hide it from speech input.
SWITCHER_TEMPLATE = read("templates/version-switcher.html")


def stage_assets(book: Path, year: int, plan: Plan, site_dir: Path = SITE_DIR) -> None:
    """Write the switcher list (published editions + this one) and the link template into a staging book."""
    editions = published_editions(site_dir) + [{"year": year, "label": edition_label(year, plan)}]
    write_atomic(Path(book) / SWITCHER_JSON, json.dumps(switcher_entries(editions), ensure_ascii=False, indent=1))
    write_atomic(Path(book) / "_templates" / TEMPLATE_NAME, EDITIONS_TEMPLATE)
    write_atomic(Path(book) / "_templates" / "version-switcher.html", SWITCHER_TEMPLATE)


def plan_groups(editions: list[dict], data_dir: Path = DATA_DIR) -> list[tuple[str, str, list[dict]]]:
    """(report title, the plan's period words, editions newest first) per plan, the newest plan first.

    An edition belongs to the plan its build recorded (edition.json `title`: the report title is the
    plan's); one recorded without a title to the plan that evaluates its year (lib/beichen/inputs/plans.py)."""
    from beichen.inputs.plans import plan_folders, root_of

    folders = plan_folders(root_of(data_dir))
    by_title = {f.plan.report_title: f for f in folders}
    groups: dict[str, list[dict]] = {}
    for e in editions:   # newest first, so the first group is the newest plan's
        title = e.get("title") or next((f.plan.report_title for f in folders if int(e["year"]) in f.years), "")
        groups.setdefault(title, []).append(e)
    out = []
    for title, items in groups.items():
        folder = by_title.get(title)
        period = f"{folder.plan.quoted}规划 · {folder.plan.period_text}" if folder else ""
        out.append((title, period, items))
    return out


def _edition_item(e: dict, heading: str = "h2") -> str:
    """One edition of the landing page: its label, status, links to the web version and the PDF, facts."""
    year = e["year"]
    links = [f'<a class="web" href="{year}/index.html">在线阅读</a>']
    if e.get("pdf"):
        links.append(f'<a class="pdf" href="{year}/{html.escape(e["pdf"])}" download>下载PDF</a>')
    else:
        links.append('<span class="none">PDF 未生成</span>')
    facts = []
    if e.get("issue_date"):
        facts.append(f"成文日期：{html.escape(str(e['issue_date']))}")
    if e.get("built"):
        facts.append(f"生成于 {html.escape(str(e['built']))}")
    gaps = []
    if e.get("missing"):
        gaps.append(f"缺失数据 {e['missing']} 项")
    if e.get("pending"):
        gaps.append(f"待补充文字 {e['pending']} 段")
    if gaps:
        facts.append("（" + "，".join(gaps) + "，报告中已标明）")
    # 征求意见稿 until resolved and signed off, then 定稿 (lib/beichen/audit/status.py, recorded by the build).
    status = str(e.get("status") or "")
    badge = (f' <span class="status {"final" if status == "定稿" else "draft"}">{html.escape(status)}</span>'
             if status else "")
    return (f'<li class="edition" id="y{year}"><{heading}><a href="{year}/index.html">{html.escape(_label(e))}</a>'
            f'{badge}</{heading}>'
            f'<p class="links">{" ".join(links)}</p>'
            f'<p class="facts">{" · ".join(facts)}</p></li>')


# Several plans on one site: each plan's editions under its own report title (the page's own title is
# then the issuing body's, not one plan's).
GROUPED_STYLE = read("landing-plans.css")


def landing_page(editions: list[dict], title: str,
                 groups: list[tuple[str, str, list[dict]]] | None = None) -> str:
    """site/index.html: the editions, newest first, each with its web version and PDF. With editions of
    more than one plan (`groups`, see plan_groups), each plan's under its own title, the newest plan first."""
    grouped = groups is not None and len(groups) > 1
    if grouped:
        sections = []
        for group_title, period, items in groups:
            sections.append(f'<section class="plan"><h2>{html.escape(group_title)}</h2>'
                            + (f'<p class="period">{html.escape(period)}</p>' if period else "")
                            + "<ul>\n" + "\n".join(_edition_item(e, "h3") for e in items) + "\n</ul></section>")
        body = "\n".join(sections)
        return _page(title, f"<main>\n{body}\n</main>", GROUPED_STYLE)
    body = "\n".join(_edition_item(e) for e in editions) if editions else \
        "<li>尚未生成任何版本（运行 make report 或 make site）。</li>"
    return _page(title, f"<main>\n<ul>\n{body}\n</ul>\n</main>")


def _page(title: str, main: str, extra_style: str = "") -> str:
    """The landing page around its <main>: head, header with the title, footer."""
    # the title is escaped here, `main` by its makers; the page's frame is assets/landing.html
    return Template(read("landing.html")).substitute(
        policy=CSP_META, icon=favicon_data_uri(), title=html.escape(title),
        style=tokens_css() + read("landing.css") + extra_style, main=main)


def plans_site_title(data_dir: Path = DATA_DIR) -> str:
    """The landing page's title over editions of several plans: the issuing body's reports, no one plan's
    (“天津市北辰区规划评估报告”), the issuing body of the newest plan."""
    from beichen.inputs.plans import plan_folders, root_of

    folders = plan_folders(root_of(data_dir))
    author = folders[-1].plan.author if folders else load_plan(data_dir).author
    return f"{author}规划评估报告"


def site_title(editions: list[dict], data_dir: Path = DATA_DIR) -> str:
    """The newest edition's report title (its plan's), or the current plan's."""
    for e in editions:
        if e.get("title"):
            return e["title"]
    return load_plan(data_dir).report_title


def refresh_site(site_dir: Path = SITE_DIR, data_dir: Path = DATA_DIR) -> Path:
    """Rewrite site/index.html, site/switcher.json and each edition's _static/switcher.json."""
    site_dir = Path(site_dir)
    editions = published_editions(site_dir)
    entries = json.dumps(switcher_entries(editions), ensure_ascii=False, indent=1)
    write_atomic(site_dir / "switcher.json", entries)
    for e in editions:
        write_atomic(site_dir / str(e["year"]) / SWITCHER_JSON, entries)
    groups = plan_groups(editions, data_dir)
    title = plans_site_title(data_dir) if len(groups) > 1 else site_title(editions, data_dir)
    write_atomic(site_dir / "index.html", landing_page(editions, title, groups))
    return site_dir / "index.html"
