"""The office's fonts when the machine has them, Fandol otherwise (latex/beichen-report.sty,
\\beichen@pick), named in the build log and the PDF's keywords.

No licensed office font can ship with the project, so the test makes a machine that "has" one:
a fontconfig configuration of its own (FONTCONFIG_FILE) whose only font is a copy of FandolFang
whose name table says 仿宋_GB2312, the family name GB/T 9704 offices install. (xelatex reads a
font's names from the file, so renaming it in fontconfig alone would not do.)
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import struct

import pytest

pytestmark = pytest.mark.pdf

REPO = Path(__file__).resolve().parents[1]
DOCUMENT = r"""\def\sphinxdocclass{report}
\documentclass[a4paper,12pt,twoside,openany]{sphinxmanual}
\usepackage{fontspec}
\usepackage{sphinx}
\usepackage{hyperref}
\usepackage{beichen-report}
\begin{document}
正文为仿宋，共4家。
\end{document}
"""
CONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""


def renamed_font(source: bytes, family: str, postscript: str) -> bytes:
    """An OpenType font with a new 'name' table (family, full and PostScript name), appended at the
    end of the file and pointed to from the table directory (OpenType spec, 'name' format 0)."""
    num_tables = struct.unpack(">H", source[4:6])[0]
    names = {1: family, 2: "Regular", 4: family, 6: postscript}
    records, storage = [], b""
    for language in (0x0409, 0x0804):             # English (US) and Chinese (PRC) entries, sorted
        for name_id, text in sorted(names.items()):
            data = text.encode("utf-16-be")
            records.append(struct.pack(">6H", 3, 1, language, name_id, len(data), len(storage)))
            storage += data
    table = struct.pack(">3H", 0, len(records), 6 + 12 * len(records)) + b"".join(records) + storage
    font = bytearray(source) + b"\0" * (-len(source) % 4)
    offset = len(font)
    font += table + b"\0" * (-len(table) % 4)
    for i in range(num_tables):
        at = 12 + 16 * i
        if font[at:at + 4] == b"name":
            struct.pack_into(">LLL", font, at + 4, 0, offset, len(table))   # checksums are not verified
    return bytes(font)


def _typeset(tmp_path: Path, office_font: bool) -> Path:
    if shutil.which("xelatex") is None or shutil.which("kpsewhich") is None:
        pytest.skip("xelatex not installed")
    import sphinx

    fandol = subprocess.run(["kpsewhich", "FandolFang-Regular.otf"], capture_output=True, text=True).stdout.strip()
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    if office_font:
        (fonts / "fake-fangsong.otf").write_bytes(renamed_font(Path(fandol).read_bytes(), "仿宋_GB2312",
                                                               "FangSong_GB2312"))
    (tmp_path / "fonts.conf").write_text(CONFIG.format(fonts=fonts, cache=tmp_path / "cache"), encoding="utf-8")
    (tmp_path / "book.tex").write_text(DOCUMENT, encoding="utf-8")
    # Sphinx writes this style of Pygments colours beside its .tex; the document has no code
    (tmp_path / "sphinxhighlight.sty").write_text("\\ProvidesPackage{sphinxhighlight}\n", encoding="utf-8")
    texinputs = os.pathsep.join([".", str(Path(sphinx.__file__).parent / "texinputs"), str(REPO / "latex"), ""])
    env = dict(os.environ, FONTCONFIG_FILE=str(tmp_path / "fonts.conf"), TEXINPUTS=texinputs)
    made = subprocess.run(["xelatex", "-interaction=nonstopmode", "-no-shell-escape", "book.tex"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert (tmp_path / "book.pdf").exists(), made.stdout[-3000:]
    return tmp_path


def test_the_office_font_is_picked_and_named_when_installed(tmp_path):
    from beichen.pdf.composition import fonts_line

    folder = _typeset(tmp_path, office_font=True)
    line = fonts_line(folder)
    assert line.startswith("字体：正文 仿宋_GB2312；"), line
    # the others are not installed on this machine: Fandol, and which office font is missing
    assert "一级标题 FandolHei（未安装黑体）" in line
    pymupdf = pytest.importorskip("pymupdf")
    doc = pymupdf.open(str(folder / "book.pdf"))
    assert doc.metadata["keywords"] == line
    # the body is set in the font found under the office's name (here FandolFang's file)
    assert any("FandolFang" in f[3] for f in doc[0].get_fonts())


def test_fandol_is_the_fallback_and_says_what_is_missing(tmp_path):
    from beichen.pdf.composition import fonts_line

    folder = _typeset(tmp_path, office_font=False)
    assert fonts_line(folder).startswith("字体：正文 FandolFang（未安装仿宋_GB2312）；一级标题 FandolHei（未安装黑体）")
