"""The website's front-end files (lib/beichen/site/assets/) and the values they share, defined once
(issue 27: font stack and brand colour; the theme's digest computed, not typed)."""
from __future__ import annotations

import hashlib
import re
import subprocess

import pytest

from beichen.paths import REPO_ROOT
from beichen.render import identity
from beichen.site import assets, ui
from beichen.site.icons import favicon_svg


def _tracked_text_files():
    """Every file of the repository (tracked or new, not ignored) outside tests/ (tests may name a value)."""
    names = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=REPO_ROOT, capture_output=True, text=True,
                           check=True).stdout.split("\n")
    for name in names:
        if not name or name.startswith("tests/") or not (REPO_ROOT / name).is_file():
            continue
        try:
            yield name, (REPO_ROOT / name).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue


@pytest.mark.parametrize("value", [identity.BRAND, '"Source Han Sans SC", "Microsoft YaHei"'],
                         ids=["brand colour", "font stack"])
def test_brand_colour_and_font_stack_are_typed_once(value):
    # the font stack is recognised by two of its faces in a row, as CSS and Python would type them
    found = [name for name, text in _tracked_text_files() if value.lower() in text.lower()]
    assert found == ["lib/beichen/render/identity.py"], found


def test_every_stylesheet_reads_the_shared_values():
    tokens = assets.tokens_css()
    assert tokens.startswith(":root {") and f"--beichen-brand: {identity.BRAND};" in tokens
    assert f"--beichen-font: {identity.FONT_STACK};" in tokens
    for name in ("draft.css", "charts.css", "landing.css", "contents.css"):
        assert "var(--beichen-" in assets.read(name), name
    assert ui.ui_css().startswith(tokens)
    assert f"fill='{identity.BRAND}'" in favicon_svg()


@pytest.mark.parametrize("bad", ["red; } body { display: none", "x</style><script>", "a/*", "\\61"])
def test_a_value_that_could_break_out_of_its_declaration_is_refused(bad):
    with pytest.raises(ValueError):
        assets.css_value(bad)


def test_theme_digest_follows_the_theme_files(tmp_path):
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "a.css").write_bytes(b"body{}")
    # by hand: sha256 of name, NUL, content — the first 20 hex digits
    expected = hashlib.sha256(b"styles/a.css\0body{}").hexdigest()[:20]
    assert assets.theme_digest(tmp_path, ("styles/a.css",)) == expected
    (tmp_path / "styles" / "a.css").write_bytes(b"body{color:red}")  # an upgraded theme
    assert assets.theme_digest(tmp_path, ("styles/a.css",)) != expected


def test_no_digest_is_typed_into_the_theme_templates():
    for name, text in assets.templates().items():
        assert not re.search(r"digest=[0-9a-f]{8,}", text), name
    macros = assets.templates()["static/webpack-macros.html"]
    assert macros.count("?digest={{ beichen_theme_digest }}") == 4
    # the installed theme's files exist, so the digest is of what is shipped
    digest = assets.theme_digest(ui.theme_static_dir(), ui.THEME_FILES)
    assert re.fullmatch(r"[0-9a-f]{20}", digest)


def test_site_python_holds_no_front_end_code():
    """HTML, CSS and JS live in assets/ files: no Python string of the site is a stylesheet or a script."""
    code = re.compile(r'"""\s*(?:\(function|function |<!DOCTYPE|<div|<style|[.#a-z][\w\- .,#>:]*\{ )')
    for path in (REPO_ROOT / "lib" / "beichen" / "site").glob("*.py"):
        assert not code.search(path.read_text(encoding="utf-8")), path.name


def test_assets_ship_with_the_package():
    names = {p.name for p in (REPO_ROOT / "lib" / "beichen" / "site" / "assets").rglob("*") if p.is_file()}
    assert {"table.css", "charts.js", "ranked-search.js", "contents.html", "landing.html"} <= names
    pyproject = (REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for suffix in ("*.js", "*.css", "*.html"):
        assert f'"{suffix}"' in pyproject
