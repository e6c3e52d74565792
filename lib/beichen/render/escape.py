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

_RST = re.compile(r"^\s*\.\.\s+[\w:-]+::")
_SUBSTITUTION = re.compile(r"\{\{|\{%")
_SCRIPT_LINK = re.compile(r"\]\(\s*<?\s*(javascript|vbscript|data|file):", re.IGNORECASE)


def markup_problems(text: str, first_line: int = 1, template: bool = False) -> list[tuple[int, str]]:
    """(line number, what) of everything a Markdown passage may not contain.

    The passage is parsed (markdown-it, CommonMark with tables) and every construct checked against
    an allow-list, so nesting cannot hide one (a directive inside a block quote or a list item is
    still a fence token). Allowed: paragraphs, emphasis, lists, block quotes, tables, headings,
    rules, footnote marks and links to pages. Refused: raw HTML (blocks, inline tags, comments),
    fenced blocks (directives such as ``{raw}``, ``{eval-rst}``, ``{include}``, and code), MyST
    colon fences and roles (``{download}`x```), images (a picture fetched at build or view time),
    links to scripts or local files, reStructuredText directives, and MyST substitutions
    (``{{ … }}`` would be evaluated by Sphinx, unsandboxed). With template=True (a narrative
    passage before Jinja2 renders it) “{{ … }}” is the passage's own placeholder syntax and allowed;
    the rendered text is checked again without.
    """
    problems: list[tuple[int, str]] = []
    for token in _PARSER.parse(str(text)):
        line = first_line + (token.map[0] if token.map else 0)
        if token.type == "fence":
            name = re.match(r"\s*\{([^}]*)\}", token.info or "")
            problems.append((line, f"不允许使用指令 {{{name.group(1).strip()}}}（段落中只能有文字、列表、加粗、脚注等格式）"
                             if name else "不允许使用代码块"))
        elif token.type in ("html_block", "html_inline"):
            problems.append((line, "不允许使用 HTML 标签或注释（只用 Markdown 格式）"))
        elif token.type == "inline":
            problems += _inline_problems(token, line, template)
        elif token.type not in _ALLOWED_BLOCKS:
            problems.append((line, f"不允许使用此种格式（{token.type}）"))
    return sorted(set(problems))


_ALLOWED_BLOCKS = {f"{name}_{end}" for name in ("paragraph", "bullet_list", "ordered_list", "list_item", "blockquote",
                                               "heading", "table", "thead", "tbody", "tr", "th", "td")
                   for end in ("open", "close")} | {"hr", "code_block"}
_ALLOWED_INLINE = {"text", "softbreak", "hardbreak", "strong_open", "strong_close", "em_open", "em_close",
                   "s_open", "s_close", "link_open", "link_close", "code_inline"}
_COLON_FENCE = re.compile(r"^\s*:{3,}\s*(?:\{([^}]*)\})?")
_SAFE_HREF = re.compile(r"^(?:https?://|mailto:|#|\.{0,2}/|[^:/?#]+(?:[/?#]|$))", re.IGNORECASE)


def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


_PARSER = _parser()


def _inline_problems(token, line: int, template: bool) -> list[tuple[int, str]]:
    """What an inline run may not hold; `line` is its first line (a soft break moves it on)."""
    problems = []
    for number, content_line in enumerate(token.content.split("\n"), start=line):
        colon = _COLON_FENCE.match(content_line)
        if colon:  # MyST's colon fence (:::{name}), which CommonMark reads as text
            problems.append((number, f"不允许使用指令 {{{(colon.group(1) or '').strip()}}}"))
        if _RST.match(content_line):
            problems.append((number, "不允许使用 reStructuredText 指令"))
        if _SCRIPT_LINK.search(content_line):
            problems.append((number, "不允许使用指向脚本或本机文件的链接（javascript:、data:、file:）"))
        if not template and _SUBSTITUTION.search(content_line):
            problems.append((number, "不允许出现“{{”或“{%”（数字请用 v(...) 等占位符，由程序填入）"))
    at, previous = line, None
    for child in token.children or ():
        if child.type in ("softbreak", "hardbreak"):
            at += 1
        if child.type == "image":
            problems.append((at, "不允许插入图片（构建或阅读时会从别处读取）"))
        elif child.type == "html_inline":
            problems.append((at, "不允许使用 HTML 标签或注释（只用 Markdown 格式）"))
        elif child.type == "code_inline" and previous is not None and previous.type == "text":
            role = re.search(r"\{([A-Za-z][\w:+-]*)\}$", previous.content)
            if role:  # MyST role {name}`content`, which CommonMark reads as text and code
                problems.append((at, f"不允许使用角色 {{{role.group(1)}}}"))
        elif child.type == "link_open" and not _SAFE_HREF.match(child.attrGet("href") or ""):
            problems.append((at, f"不允许使用此种链接（{child.attrGet('href')}）"))
        elif child.type not in _ALLOWED_INLINE and child.type != "image":
            problems.append((at, f"不允许使用此种格式（{child.type}）"))
        previous = child
    return problems
