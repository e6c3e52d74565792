"""The edition's contents page (``site/<year>/index.html``): Jupyter Book writes a bare redirect there."""
from __future__ import annotations

import html
import re
from pathlib import Path
from string import Template

import yaml

from beichen.inputs.signoff import FINAL
from beichen.site.assets import read, tokens_css
from beichen.site.policy import CSP_META
from beichen.site.words import draft_banner


def write_edition_index(html_dir: Path, year: int, book: Path) -> Path:
    """Replace ``index.html`` of a built edition (a 72-byte redirect) with a contents page:
    language, title, description, the chapters in order, the PDF, the footer facts."""
    html_dir, book = Path(html_dir), Path(book)
    config = yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8"))
    site = config.get("sphinx", {}).get("config", {}).get("beichen_site", {}) or {}
    toc = yaml.safe_load((book / "_toc.yml").read_text(encoding="utf-8"))
    docs = [toc["root"]] + [entry["file"] for entry in toc.get("chapters", [])]
    items = []
    for doc in docs:
        page = html_dir / f"{doc}.html"
        if not page.exists():
            continue
        match = re.search(r"<h1[^>]*>(.*?)</h1>", page.read_text(encoding="utf-8"), flags=re.S)
        heading = html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else doc
        items.append(f'<li><a href="{html.escape(doc)}.html">{html.escape(heading)}</a></li>')
    title = f"{config['title']}"
    pdf = site.get("pdf", "")
    # The PDF is copied in at publish time, after this page is written: link it by name.
    pdf_link = f'<p><a class="pdf" href="{html.escape(pdf)}" download>下载PDF排版版本</a></p>' if pdf else ""
    facts = []
    if site.get("issuer"):
        facts.append(f"发布单位：{html.escape(site['issuer'])}")
    if site.get("issue_date"):
        facts.append(f"成文日期：{html.escape(site['issue_date'])}")
    if site.get("updated"):
        facts.append(f"最后更新：{html.escape(site['updated'])}")
    description = f"{title}：目录、各章在线阅读与PDF下载。"
    status = site.get("status")
    banner = (f'<aside class="draft" aria-label="版本状态">{draft_banner(status)}</aside>'
              if status and status != FINAL else "")
    # every value below is escaped above for HTML; the page's frame is assets/contents.html
    text = Template(read("contents.html")).substitute(
        policy=CSP_META, title=html.escape(title), description=html.escape(description, quote=True),
        style=tokens_css() + read("contents.css"), banner=banner, items="\n".join(items),
        pdf_link=pdf_link, facts="<br>".join(facts))
    target = html_dir / "index.html"
    target.write_text(text, encoding="utf-8")
    return target
