"""The 核查报告's pages wear the website's interface (issue 25 leftover, issue 27): Chinese words, no
Font Awesome, a link to its own PDF and never to the public site's pages."""
from __future__ import annotations

import re

import pytest

#: The theme's English that the site's interface replaces (lib/beichen/site/words.py).
THEME_ENGLISH = ("Skip to main content", "Back to top", "Search this book", "Toggle primary sidebar",
                 "Toggle secondary sidebar", "next page", "previous page", "Ctrl</kbd>")


@pytest.mark.build
def test_review_pages_speak_chinese_and_stay_light(built_2024):
    pages = sorted(built_2024.check.glob("*.html"))
    assert len(pages) >= 7
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for english in THEME_ENGLISH:
            assert english not in text, (page.name, english)
        # Font Awesome's 1.4 MB script and its stylesheet are not loaded (icons are CSS masks)
        assert "fontawesome" not in text and "all.min.js" not in text, page.name
    audit = (built_2024.check / "audit.html").read_text(encoding="utf-8")
    assert "跳转至正文" in audit
    # its own PDF, by name beside it; nothing that leads into the public site's pages
    assert re.search(r'class="beichen-pdf-link" href="(?:\./)?dossier-2024\.pdf"', audit)
    assert "report-2024.pdf" not in audit
