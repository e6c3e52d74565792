"""The website's front-end files (``lib/beichen/site/assets/``: CSS, JS, page templates) and the
values Python writes into them.

The files ship as package data. Python only reads them; the two values every stylesheet shares
(font stack, brand colour: lib/beichen/render/identity.py) reach the CSS as custom properties
(:func:`tokens_css`), checked to be plain CSS values before they are written.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from beichen.render.identity import BRAND, FONT_STACK

ASSETS = resources.files("beichen.site") / "assets"
_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
#: A CSS value that cannot end its declaration or rule, open a comment or close a <style> element.
_PLAIN_CSS_VALUE = re.compile(r"[^;{}<>\\/*]+")


@lru_cache(maxsize=None)
def read(name: str) -> str:
    """The text of ``assets/<name>`` (``"table.css"``, ``"templates/beichen-footer.html"``)."""
    return (ASSETS / name).read_text(encoding="utf-8")


def templates() -> dict[str, str]:
    """Template name (relative to ``assets/templates/``) → text, for Sphinx's templates path."""
    root = Path(str(ASSETS / "templates"))
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(root.rglob("*.html"))}


def css_value(value: str) -> str:
    """`value` as it may stand in a CSS declaration; ValueError for anything that could break out."""
    if not _PLAIN_CSS_VALUE.fullmatch(value):
        raise ValueError(f"not a plain CSS value: {value!r}")
    return value


def brand_colour() -> str:
    """The brand colour as ``#rrggbb`` (also written into SVG attributes: checked to be nothing else)."""
    if not _HEX_COLOUR.fullmatch(BRAND):
        raise ValueError(f"brand colour is not #rrggbb: {BRAND!r}")
    return BRAND


def tokens_css() -> str:
    """``:root`` custom properties every stylesheet of the site reads (``var(--beichen-brand)`` …)."""
    return (f":root {{ --beichen-brand: {brand_colour()}; --beichen-font: {css_value(FONT_STACK)}; }}\n")


def theme_digest(static_dir: Path, files: tuple[str, ...]) -> str:
    """A digest of the theme's stylesheets and scripts (their ``?digest=`` cache-buster): it changes
    with the installed theme's files, so a browser never keeps an old theme's file after an upgrade."""
    h = hashlib.sha256()
    for name in files:
        h.update(name.encode("utf-8") + b"\0")
        h.update((Path(static_dir) / name).read_bytes())
    return h.hexdigest()[:20]
