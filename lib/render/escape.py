"""Text is data, never markup: one escape function per place data text goes.

Names, sources and notes come from data files, the analyst's entry sheet and metadata; any of
them may hold “<script>”, “```{raw} html”, “{{ … }}” or “\\input{…}”. Whatever puts such text
into an output escapes it here, for that output:

- ``myst``      — inline MyST Markdown (paragraphs, table cells, captions, figure titles)
- ``html_text`` / ``html_attr`` — HTML element content / a quoted attribute value
- ``script_json`` — a JSON value (e.g. a Vega-Lite spec) inside an inline <script>
- ``latex``     — LaTeX text (for anything written into .tex by hand, not through Sphinx)

``markup_problems`` is the other half: it finds what a Markdown *template* (a narrative
passage, a chapter's finished paragraph) may not contain — raw HTML, directives or roles that
insert raw output or files, MyST substitutions — so the build can refuse it by name and line.
"""
from __future__ import annotations

import html
import json
import re

# ASCII punctuation that means something inline in CommonMark/MyST: emphasis, code, links,
# images, autolinks and raw HTML, entities, roles and substitutions ({…}), tables, math,
# strikethrough, footnotes. CommonMark lets a backslash escape any ASCII punctuation.
_INLINE = set("\\`*_[]<>{}|$~&!^")
# Constructs that only count at the start of a line: headings, quotes, lists, thematic
# breaks, fences, MyST targets “(x)=”, comments “%”, block breaks “+++”, colon fences “:::”.
_LINE_START_CHARS = set("#>+-=%(:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def plain(text) -> str:
    """One line of text: control characters and line breaks become spaces."""
    return _CONTROL.sub(" ", "" if text is None else str(text))


def myst(text) -> str:
    """Text shown literally inside a MyST Markdown paragraph, table cell or caption."""
    out = "".join("\\" + ch if ch in _INLINE else ch for ch in plain(text))
    body = out.lstrip(" ")
    lead = out[:len(out) - len(body)]
    digits = re.match(r"\d+(?=[.)](\s|$))", body)
    if digits:  # “2024. ” or “1) ” would start an ordered list
        body = body[:digits.end()] + "\\" + body[digits.end():]
    elif body[:1] in _LINE_START_CHARS:
        body = "\\" + body
    return lead + body


def html_text(text) -> str:
    """Text as the content of an HTML element."""
    return html.escape(plain(text), quote=False)


def html_attr(text) -> str:
    """Text as a double- or single-quoted HTML attribute value."""
    return html.escape(plain(text), quote=True)


def script_json(value) -> str:
    """A JSON value safe inside <script>…</script>: no “</script>”, “<!--”, or line
    separators can end or confuse the script element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


_LATEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
          "^": r"\textasciicircum{}", "_": r"\_", "%": r"\%", "~": r"\textasciitilde{}"}


def latex(text) -> str:
    """Text typeset literally by LaTeX."""
    return "".join(_LATEX.get(ch, ch) for ch in plain(text))


# --- what a Markdown template may not contain --------------------------------------------------

_FENCE = re.compile(r"^\s*(`{3,}|~{3,}|:{3,})\s*\{([^}]*)\}")
_ROLE = re.compile(r"\{([A-Za-z][\w:+-]*)\}`")
_RST = re.compile(r"^\s*\.\.\s+[\w:-]+::")
_HTML = re.compile(r"(?<!\\)<\s*/?\s*[A-Za-z!?][^>]*>|(?<!\\)<!--")  # “\<” is escaped text
_SUBSTITUTION = re.compile(r"\{\{|\{%")
_SCRIPT_LINK = re.compile(r"\]\(\s*<?\s*(javascript|vbscript|data|file):", re.IGNORECASE)


def markup_problems(text: str, first_line: int = 1, template: bool = False) -> list[tuple[int, str]]:
    """(line number, what) of everything a Markdown passage may not contain.

    Allowed: the formatting the report uses — emphasis, lists, block quotes, footnotes,
    links, tables. Refused: raw HTML (tags and comments), directives/roles that insert raw
    output, files or code (``{raw}``, ``{eval-rst}``, ``{include}``, …), reStructuredText
    directives, and MyST substitutions (``{{ … }}`` would be evaluated by Sphinx, unsandboxed).
    With template=True (a narrative passage before Jinja2 renders it) “{{ … }}” is the
    passage's own placeholder syntax and allowed; the rendered text is checked again without.
    """
    problems = []
    for number, line in enumerate(str(text).split("\n"), start=first_line):
        match = _FENCE.match(line)
        if match:
            problems.append((number, f"不允许使用指令 {{{match.group(2).strip()}}}（段落中只能有文字、列表、加粗、脚注等格式）"))
            continue
        if re.match(r"^\s*(`{3,}|~{3,})", line):
            problems.append((number, "不允许使用代码块"))
            continue
        if _RST.match(line):
            problems.append((number, "不允许使用 reStructuredText 指令"))
        for role in _ROLE.findall(line):
            problems.append((number, f"不允许使用角色 {{{role}}}"))
        if _HTML.search(line):
            problems.append((number, "不允许使用 HTML 标签或注释（只用 Markdown 格式）"))
        if _SCRIPT_LINK.search(line):
            problems.append((number, "不允许使用指向脚本或本机文件的链接（javascript:、data:、file:）"))
        if not template and _SUBSTITUTION.search(line):
            problems.append((number, "不允许出现“{{”或“{%”（数字请用 v(...) 等占位符，由程序填入）"))
    return problems
