"""Render-blocking CSS: the theme's stylesheets keep only the rules whose classes the site uses
(Bootstrap 5 alone is 209 KB)."""
from __future__ import annotations

import re
from pathlib import Path

#: Theme stylesheets trimmed after the build (Bootstrap 5 alone is 209 KB, all render-blocking).
TRIMMED_CSS = ("styles/bootstrap.css", "styles/pydata-sphinx-theme.css")
_CLASS = re.compile(r"\.((?:[A-Za-z0-9_-]|\\.)+)")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def _split_top(text: str, sep: str = ",") -> list[str]:
    """Split at `sep` outside brackets (selector lists with :is(), :not(…, …))."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _blocks(css: str) -> list[tuple[str, str]] | None:
    """Top-level (prelude, body) pairs; None when the braces do not balance (then nothing is trimmed)."""
    out, i, n = [], 0, len(css)
    while i < n:
        open_at = css.find("{", i)
        if open_at < 0:
            if css[i:].strip():
                tail = css[i:].strip()
                if not tail.startswith("/*"):
                    out.append((tail, None))  # e.g. @charset / @import without a block
            break
        semi = css.find(";", i, open_at)
        if semi >= 0 and css[i:semi].lstrip().startswith("@"):  # @import …; before the next block
            out.append((css[i:semi + 1], None))
            i = semi + 1
            continue
        depth, j = 0, open_at
        while j < n:
            if css[j] == "{":
                depth += 1
            elif css[j] == "}":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        if depth:
            return None
        out.append((css[i:open_at], css[open_at + 1:j]))
        i = j + 1
    return out


def trim_css(css: str, used: set[str]) -> str:
    """Drop every selector that names a class no page and no script of the site uses.

    A rule is kept with the selectors whose classes are all in `used`; rules without classes
    (elements, :root variables, @font-face, @keyframes) are kept as they are."""
    blocks = _blocks(re.sub(r"/\*.*?\*/", "", css, flags=re.S))
    if blocks is None:
        return css
    out = []
    for prelude, body in blocks:
        head = prelude.strip()
        if body is None:
            out.append(head)
        elif head.startswith(("@media", "@supports", "@layer", "@container")):
            inner = trim_css(body, used)
            if inner.strip():
                out.append(f"{head}{{{inner}}}")
        elif head.startswith("@"):
            out.append(f"{head}{{{body}}}")
        else:
            keep = [s for s in _split_top(head)
                    if all(c.replace("\\", "") in used for c in _CLASS.findall(re.sub(r"\[[^\]]*\]", "", s)))]
            if keep:
                out.append(f"{','.join(k.strip() for k in keep)}{{{body}}}")
    return "".join(out)


def used_names(out_dir: Path) -> set[str]:
    """Class names and identifier-like strings of every page and every script of a built site."""
    names: set[str] = set()
    for page in Path(out_dir).rglob("*.html"):
        text = page.read_text(encoding="utf-8", errors="replace")
        for value in re.findall(r'class\s*=\s*["\']([^"\']*)["\']', text):
            names.update(value.split())
        for script in re.findall(r"<script\b[^>]*>(.*?)</script>", text, flags=re.S):
            names.update(_TOKEN.findall(script))
    for script in Path(out_dir, "_static").rglob("*.js"):
        if "vega-bundle" in script.name:
            continue  # draws SVG; vega-embed injects its own styles
        names.update(_TOKEN.findall(script.read_text(encoding="utf-8", errors="replace")))
    return names


def trim_theme_css(app, exception) -> None:
    """After the build: :data:`TRIMMED_CSS` trimmed to the names :func:`used_names` finds."""
    if exception or getattr(app.builder, "format", None) != "html":
        return
    used = used_names(Path(app.outdir))
    for name in TRIMMED_CSS:
        path = Path(app.outdir) / "_static" / name
        if path.exists():
            path.write_text(trim_css(path.read_text(encoding="utf-8"), used), encoding="utf-8")
