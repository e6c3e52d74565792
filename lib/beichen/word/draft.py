"""`make docx`: the edition as an editable .docx for the review round (征求意见), in the 公文 style of the PDF.

Made from what the build made: the executed chapters (build/<year>/book/chapters/*.ipynb, their Markdown
outputs, tables and chart files) and the staged book's configuration (title, issuer, issue date, status).
pandoc (the pinned pypandoc-binary wheel) writes the document; python-docx sets what pandoc leaves to a
reference document: A4 and the PDF's margins (latex/beichen-report.sty, GB/T 9704), 仿宋 三号 on a fixed
29 pt pitch, 黑体/楷体 headings as Word's Heading 1–3, "— 1 —" page numbers, the 征求意见稿 mark.

Every paragraph the chapters printed is wrapped in a bookmark named from where it came from
(bc_<chapter>_<passage>_<paragraph> for a narrative passage, bc_<chapter>_s<n> for a sentence the program
built, bc_<chapter>_t<n>/f<n> for a table/figure): bookmarks are invisible, survive editing in Word, WPS
and LibreOffice, and carry the place back in `make review`. The anchors, their printed text and their
templates are kept in a manifest beside the .docx; the .docx carries the manifest's fingerprint in its
custom properties, so a reviewed copy of another draft is recognised and refused.
"""
from __future__ import annotations

import hashlib
import json
import re
import subprocess
import tempfile
from pathlib import Path

import yaml

from beichen.word import anchors

# pandoc reads the chapters' Markdown as CommonMark (as MyST does), with nothing that could turn data
# text into markup: no raw HTML/TeX, no math, no sub/superscript (“~”, “^”), no smart quotes.
READER = ("commonmark_x-smart-subscript-superscript-tex_math_dollars-raw_html-raw_attribute"
          "-yaml_metadata_block-emoji-gfm_auto_identifiers-implicit_header_references-task_lists-alerts"
          "-footnotes-definition_lists-strikeout+implicit_figures")
_TABLE = re.compile(r"```\{table\}\s*(?P<caption>[^\n]*)\n(?P<options>(?::\w+:[^\n]*\n)*)\n?(?P<body>.*?)\n```", re.S)
_FIGURE = re.compile(r"```\{figure\}\s*(?P<src>\S+)\n(?P<options>(?::\w+:[^\n]*\n)*)\n?(?P<caption>.*?)\n```", re.S)
_ONLY = re.compile(r"```\{only\}\s*(?P<builder>\w+)\n(?P<body>.*?)\n```", re.S)
_SUBST = re.compile(r"\{\{\s*(\w+)\s*\}\}")
TEXT_WIDTH_CM = 15.6   # the text block: 156 mm (GB/T 9704)


def docx_dir(review_dir: Path, year: int) -> Path:
    """Where the Word draft goes: beside the 核查报告, internal, never published (a 征求意见稿 is not for
    readers); not inside review/<year>/, which every build replaces whole."""
    return Path(review_dir) / "word" / str(year)


def bookmark_name(chapter: str, what: str) -> str:
    """A Word bookmark name (letters, digits, “_”, at most 40 characters) from a passage id."""
    name = re.sub(r"\W", "_", f"bc_{chapter[:2]}_{what}", flags=re.A)
    if len(name) > 40:
        name = name[:31] + "_" + hashlib.sha1(name.encode()).hexdigest()[:8]
    return name


def _plain(markdown: str) -> str:
    """A Markdown paragraph as printed: the text without its marks (markdown-it, the parser MyST uses)."""
    from markdown_it import MarkdownIt

    parts = []
    for token in MarkdownIt("commonmark").parse(markdown):
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
    return "".join(parts)


def _blocks(markdown: str) -> list[str]:
    """A chapter output split into blocks: directives whole, the rest by blank lines (a list stays one)."""
    out, pos = [], 0
    for m in re.finditer(r"```\{\w+\}.*?\n```", markdown, re.S):
        out += [b for b in re.split(r"\n\s*\n", markdown[pos:m.start()]) if b.strip()]
        out.append(m.group(0))
        pos = m.end()
    return out + [b for b in re.split(r"\n\s*\n", markdown[pos:]) if b.strip()]


class Draft:
    """The pandoc Markdown of one edition, with its anchors (name → chapter, kind, template placement)."""

    def __init__(self, book: Path, narrative_dir: Path, year: int, png_dir: Path, rewrites=()):
        self.book, self.year, self.png_dir = Path(book), int(year), Path(png_dir)
        self.rewrites = list(rewrites)   # (template words, printed words) of meta/resolutions.yml
        self.narrative = Path(narrative_dir) / str(year)
        config = yaml.safe_load((self.book / "_config.yml").read_text(encoding="utf-8"))
        self.subs = config.get("parse", {}).get("myst_substitutions") or {}
        self.site = config["sphinx"]["config"].get("beichen_site", {})
        self.parts: list[str] = []
        self.anchors: dict[str, dict] = {}
        self.counts: dict[str, int] = {}

    def _anchor(self, chapter: str, what: str, info: dict, body: str) -> None:
        name = bookmark_name(chapter, what)
        while name in self.anchors:   # the same passage printed twice: a second, numbered anchor
            name = bookmark_name(chapter, f"{what}_{len(self.anchors)}")
        self.anchors[name] = {"chapter": chapter, **info}
        self.parts.append(f"::: {{#{name}}}\n{body}\n:::")

    def _next(self, chapter: str, kind: str) -> int:
        self.counts[(chapter, kind)] = self.counts.get((chapter, kind), 0) + 1
        return self.counts[(chapter, kind)]

    def heading(self, chapter: str, source: str) -> None:
        level, text = re.match(r"^(#+)\s*(.*)$", source.strip()).groups()
        text = _SUBST.sub(lambda m: str(self.subs.get(m.group(1), "")), text)
        if chapter.startswith("00") and level == "#":
            return   # the summary's “# report title”: the title page carries it
        level = len(level) - 1 if chapter.startswith("00") else len(level)
        n = self._next(chapter, "h")
        self._anchor(chapter, f"h{n}", {"kind": "heading", "text": _plain(text)}, "#" * level + " " + text)

    def output(self, chapter: str, markdown: str, candidates) -> None:
        for block in _blocks(markdown):
            only = _ONLY.fullmatch(block.strip())
            if only:
                if only.group("builder") == "latex":   # the printed form (a link cannot be followed on paper)
                    self.output(chapter, only.group("body"), candidates)
                continue
            table, figure = _TABLE.fullmatch(block.strip()), _FIGURE.fullmatch(block.strip())
            if table:
                self._table(chapter, table)
            elif figure:
                self._figure(chapter, figure)
            else:
                self._paragraph(chapter, block, candidates)

    def _paragraph(self, chapter: str, block: str, candidates) -> None:
        plain = _plain(block)
        match = anchors.place_resolved(plain, candidates, self.rewrites)
        if match is not None:
            t = match.template
            self._anchor(chapter, f"{t.passage}_{t.index + 1}", {"kind": "passage", "text": plain}, block)
        else:
            n = self._next(chapter, "s")
            self._anchor(chapter, f"s{n}", {"kind": "sentence", "text": plain}, block)

    def _table(self, chapter: str, m: re.Match) -> None:
        """A {table} directive as a pandoc pipe table: its caption as Word's Table Caption; the column
        widths of the PDF (:widths:) as the separator's dash counts, which pandoc turns into widths."""
        caption = m.group("caption").strip()
        widths = re.search(r":widths:\s*([\d ]+)", m.group("options"))
        lines = m.group("body").strip().splitlines()
        if widths and len(lines) > 1:
            ws = [int(w) for w in widths.group(1).split()]
            cells = lines[1].strip().strip("|").split("|")
            if len(ws) == len(cells):
                lines[1] = "|" + "|".join((":" if c.strip().startswith(":") else "-") + "-" * max(3, w // 2)
                                          + (":" if c.strip().endswith(":") else "-") for c, w in zip(cells, ws)) + "|"
        n = self._next(chapter, "t")
        body = f'::: {{custom-style="Table Caption"}}\n{caption}\n:::\n\n' + "\n".join(lines)
        self._anchor(chapter, f"t{n}", {"kind": "table", "text": _plain(caption)}, body)

    def _figure(self, chapter: str, m: re.Match) -> None:
        """A chart: its vector PDF (the one the PDF prints) as a 300 dpi PNG, the caption below it and as
        the picture's alt text."""
        pdf = self.book / "chapters" / m.group("src")
        png = self.png_dir / (pdf.parent.name + "-" + pdf.stem)
        subprocess.run(["pdftoppm", "-r", "300", "-png", "-singlefile", str(pdf), str(png)], check=True)
        caption = " ".join(m.group("caption").split())
        n = self._next(chapter, "f")
        self._anchor(chapter, f"f{n}", {"kind": "figure", "text": _plain(caption)},
                     f"![{caption}]({png.name}.png){{width={TEXT_WIDTH_CM}cm}}")

    def chapters(self) -> list[str]:
        toc = yaml.safe_load((self.book / "_toc.yml").read_text(encoding="utf-8"))
        return [Path(toc["root"]).name] + [Path(c["file"]).name for c in toc.get("chapters", [])]

    def read(self) -> str:
        for chapter in self.chapters():
            candidates = anchors.passage_paragraphs(self.narrative / f"{chapter}.md")
            nb = json.loads((self.book / "chapters" / f"{chapter}.ipynb").read_text(encoding="utf-8"))
            for cell in nb["cells"]:
                if cell["cell_type"] == "markdown":
                    for line in "".join(cell["source"]).split("\n\n"):
                        if line.strip().startswith("#"):
                            self.heading(chapter, line)
                    continue
                for out in cell.get("outputs", []):
                    md = out.get("data", {}).get("text/markdown")
                    if md:
                        self.output(chapter, md if isinstance(md, str) else "".join(md), candidates)
        return "\n\n".join(self.parts) + "\n"

    def fingerprint(self, markdown: str) -> str:
        """The draft's identity: the year and every printed word (a later draft with any change differs)."""
        return hashlib.sha256(f"{self.year}\n{markdown}".encode("utf-8")).hexdigest()[:16]


# --- pandoc writes the document -------------------------------------------------------------------

def run_pandoc(markdown: str, target: Path, reference: Path, resources: Path, meta: dict[str, str]) -> None:
    """Markdown → .docx by the pandoc inside the pinned wheel; `meta` keys other than pandoc's own
    become the .docx's custom properties (the draft's year and fingerprint)."""
    import pypandoc

    # --columns=10: every pipe table counts as wide, so the dash counts (the PDF's widths) set its columns.
    args = ["--toc", "--toc-depth=3", "--columns=10", f"--reference-doc={reference}", f"--resource-path={resources}"]
    for key, value in meta.items():
        args.append(f"--metadata={key}:{value}")
    pypandoc.convert_text(markdown, "docx", format=READER, outputfile=str(target), extra_args=args)


def reference_docx(target: Path) -> Path:
    """pandoc's own reference document with the report's styles (style.py)."""
    import pypandoc

    from beichen.word import style as word_style

    default = Path(pypandoc.get_pandoc_path())
    data = subprocess.run([str(default), "--print-default-data-file", "reference.docx"], check=True,
                          capture_output=True).stdout
    target.write_bytes(data)
    word_style.report_styles(target)
    return target


def rewrites(data_dir: Path, year: int) -> list[tuple[str, str]]:
    """(words of the template, words printed instead) of the edition's `replace` resolutions."""
    from beichen.audit.findings import load_resolutions

    return [(r.text, r.replacement) for r in load_resolutions(data_dir, year).values()
            if r.action == "replace" and r.text and r.replacement]


def make_docx(year: int, book: Path, narrative_dir: Path, target: Path, data_dir: Path | None = None) -> dict:
    """Write the edition's .docx to `target` and its manifest beside it (…manifest.json); returns the
    manifest: year, fingerprint, status and every anchor with its printed paragraphs placed in their
    passage templates."""
    from beichen.word import reviewed, style as word_style

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        rewritten = rewrites(Path(data_dir) if data_dir else Path(narrative_dir).parent, year)
        draft = Draft(book, narrative_dir, year, tmp, rewritten)
        markdown = draft.read()
        fingerprint = draft.fingerprint(markdown)
        site = draft.site
        status = site.get("status") or "征求意见稿"
        meta = {"title": site.get("report_title", ""), "subtitle": f"（{year}年）",
                "author": site.get("issuer", ""), "date": site.get("issue_date", ""), "toc-title": "目录",
                "beichen-year": str(year), "beichen-fingerprint": fingerprint,
                "beichen-status": status}
        partial = tmp / "pandoc.docx"
        run_pandoc(markdown, partial, reference_docx(tmp / "reference.docx"), tmp, meta)
        word_style.finish(partial, target, status=status, draft=status != "定稿")
    manifest = {"year": int(year), "fingerprint": fingerprint, "status": status,
                "anchors": draft.anchors}
    # The printed text as Word holds it, placed again in the templates: what `make review` compares with.
    candidates = {}
    for name, info in draft.anchors.items():
        info["paragraphs"] = []
    for para in reviewed.read(target).paragraphs:
        for name in para.anchors:
            info = draft.anchors.get(name)
            if info is None:
                continue
            chapter = info["chapter"]
            if chapter not in candidates:
                candidates[chapter] = anchors.passage_paragraphs(Path(narrative_dir) / str(year) / f"{chapter}.md")
            placed = (anchors.place_resolved(para.original, candidates[chapter], rewritten)
                      if info["kind"] == "passage" else None)
            info["paragraphs"].append({"text": para.original, "in_table": para.in_table,
                                       "placed": placed.to_json() if placed else None})
    manifest_path(target).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def manifest_path(docx: Path) -> Path:
    return Path(docx).with_suffix(".manifest.json")
