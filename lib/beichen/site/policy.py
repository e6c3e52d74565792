"""The pages' Content-Security-Policy (no inline script, nothing from another origin) and the one
layer every rendered page passes: plain text escaped in its context, inline scripts moved into files."""
from __future__ import annotations

import hashlib
import html
from html.parser import HTMLParser
from pathlib import Path

from markupsafe import Markup

from beichen.files import write_if_changed
from beichen.site.rerun import PAGE_SCRIPTS_DIR
from beichen.render.escape import html_attr

#: The policy of every page of an edition and of the landing page (lib/beichen/site/landing.py). A
#: ``<meta>`` rather than a header: the site is read from ``file://`` and from any intranet server,
#: neither of which sets headers (so no ``frame-ancestors``: a meta policy may not carry it).
CSP = "; ".join([
    "default-src 'self'",
    # Scripts only from files of the site: an injected <script> or on…= attribute does not run. Vega
    # draws without eval through vega-interpreter (lib/beichen/site/vega_offline.py).
    "script-src 'self'",
    # Styles may be inline: vega-embed puts a <style> element into the page and Vega and Bootstrap
    # write style attributes, so without this the charts and menus lose their layout. Inline CSS
    # runs no script, and every URL it could name is held to 'self' by the rules here.
    "style-src 'self' 'unsafe-inline'",
    # data: for the icons (SVG masks in beichen-ui.css) and Vega's PNG export
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
])
assert '"' not in CSP
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{html.escape(CSP, quote=False)}" />'

#: Script types a browser runs; any other type (application/json …) is data and stays in the page.
SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript",
                "application/ecmascript"}

#: Plain text that the themes print into pages without escaping it: the report title (pydata's
#: navbar and search page: ``docstitle``), the root and page titles (sphinx-book-theme's sidebar
#: and print heading: ``root_title``, ``pagetitle``), the issuing body (``author``, the footer's
#: ``theme_extra_footer``). Escaped once, as Markup, so templates that do escape (``|e``) leave it.
TEXT_IN_CONTEXT = ("docstitle", "project", "shorttitle", "root_title", "pagetitle", "author",
                   "copyright", "theme_extra_footer")


def escape_text_context(context: dict) -> None:
    """Escape, in a page's template context, the plain-text values of :data:`TEXT_IN_CONTEXT`."""
    for key in TEXT_IN_CONTEXT:
        value = context.get(key)
        if isinstance(value, str) and not isinstance(value, Markup):
            context[key] = Markup(html_attr(value))


class _Scripts(HTMLParser):
    """Where a page's ``<script>`` elements and its ``<head>`` are (offsets into the text)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.starts = [0]
        for line in text.split("\n"):
            self.starts.append(self.starts[-1] + len(line) + 1)
        self.text = text
        self.scripts: list[dict] = []  # start, body_start, end_tag, end, attrs
        self.head_end: int | None = None  # just after <head …> (or after its leading <meta charset>)
        self._open = None
        self._in_head = False
        self.has_policy = False  # the page already carries a policy <meta> (rendered twice)

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        start = self._offset()
        end = start + len(self.get_starttag_text() or "")
        if tag == "head" and self.head_end is None:
            self.head_end, self._in_head = end, True
        elif self._in_head and tag == "meta" and any(k == "charset" for k, _ in attrs) and \
                not self.text[self.head_end:start].strip():
            self.head_end = end  # the charset stays the first thing in <head>
        elif tag == "script":
            self._open = {"start": start, "body_start": end, "attrs": attrs}
        if tag == "meta" and any(k == "http-equiv" and (v or "").lower() == "content-security-policy"
                                 for k, v in attrs):
            self.has_policy = True
        if tag not in ("head", "meta"):
            self._in_head = False

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "script" and self._open is not None:
            end_tag = self._offset()
            close = self.text.find(">", end_tag)
            self.scripts.append(dict(self._open, end_tag=end_tag, end=close + 1))
            self._open = None


def secure_page(text: str, script_url, write_script) -> str:
    """A rendered page with the policy's ``<meta>`` first in ``<head>`` and no inline script.

    Every inline script a browser would run is written by ``write_script(name, code)`` into
    :data:`PAGE_SCRIPTS_DIR` and loaded from there at the same place (``script_url(name)`` is its URL
    from the page): it runs at the same moment as before, as a classic script without ``async`` or
    ``defer`` runs where it stands. Data blocks (``type="application/json"`` …) stay. A fragment
    without ``<head>`` (a template rendered on its own) gets its scripts moved and no ``<meta>``."""
    parser = _Scripts(text)
    parser.feed(text)
    parser.close()
    edits = []  # (start, end, replacement)
    for script in parser.scripts:
        attrs = dict(script["attrs"])
        code = text[script["body_start"]:script["end_tag"]]
        kind = (attrs.get("type") or "").strip().lower()
        if "src" in attrs or kind not in SCRIPT_TYPES:
            continue
        if not code.strip():
            edits.append((script["start"], script["end"], ""))
            continue
        name = hashlib.sha256(code.encode("utf-8")).hexdigest()[:20] + ".js"
        write_script(name, code)
        # async/defer mean nothing on an inline script: left off, the file runs where the script stood
        kept = "".join(f' {k}="{html.escape(v, quote=True)}"' if v is not None else f" {k}"
                       for k, v in script["attrs"] if k not in ("async", "defer", "src"))
        edits.append((script["start"], script["end"],
                      f'<script src="{html.escape(script_url(name), quote=True)}"{kept}></script>'))
    if parser.head_end is not None and not parser.has_policy:
        edits.append((parser.head_end, parser.head_end, "\n    " + CSP_META))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def secure_rendered_page(app, context: dict, text: str) -> str:
    """:func:`secure_page` for a page Sphinx is about to write into ``app.outdir``."""
    folder = Path(app.outdir) / PAGE_SCRIPTS_DIR
    pathto = context.get("pathto")

    def url(name: str) -> str:
        target = f"{PAGE_SCRIPTS_DIR}/{name}"
        if pathto is not None:
            return pathto(target, 1)
        depth = str(context.get("pagename", "")).count("/")
        return "../" * depth + target

    return secure_page(text, url, lambda name, code: write_if_changed(folder / name, code))

