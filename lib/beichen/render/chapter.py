"""What a chapter notebook needs, in one object: the edition's figures, its narrative, display helpers.

A chapter notebook stays thin:

    ch = Chapter("01_targets", year, data_dir, narrative_dir, notes_dir)
    ch.say(ch.passage("intro"))
    ch.table(tables.core_indicator_table(ch.edition, inds), "表1-1 核心指标完成情况")
    ch.close()   # records missing figures and pending passages for the build's list
"""
from __future__ import annotations

import json
from pathlib import Path

from IPython.display import Markdown, display

from beichen.inputs.loading import load_all
from beichen.render import escape, stable_pdf
from beichen.render.narrative import Narrative
from beichen.paths import DATA_DIR, NARRATIVE_DIR
from beichen.render.sentences import cite_figure
from beichen.render.tables import markdown_table
from beichen.model.edition import Edition
from beichen.model.reads import Reads


def library_modules() -> list[str]:
    """The package's modules this kernel has loaded (paths relative to lib/): the code a chapter ran.
    A module it never imported cannot have shaped its output."""
    import sys

    lib = Path(__file__).resolve().parents[1]
    found = set()
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if path and Path(path).resolve().is_relative_to(lib):
            found.add(Path(path).resolve().relative_to(lib).as_posix())
    return sorted(found)


class MarkupError(ValueError):
    """A chapter was about to publish markup that came from data."""


class Chapter:
    def __init__(self, name: str, year: int, data_dir=None, narrative_dir=None, notes_dir=None,
                 output_dir=None):
        self.name = name
        self.year = int(year)
        # What the chapter asks of the edition and its narrative is recorded (lib/beichen/model/reads.py):
        # the build re-runs it only when one of those answers changes.
        self.reads = Reads()
        self.edition = Edition(load_all(Path(data_dir) if data_dir else DATA_DIR), self.year, reads=self.reads)
        self.narrative = Narrative(self.edition, name, Path(narrative_dir) if narrative_dir else NARRATIVE_DIR)
        self.notes_dir = Path(notes_dir) if notes_dir else None
        self.output_dir = Path(output_dir) if output_dir else None

    def passage(self, name: str, **computed) -> str:
        """The year's qualitative passage `name`, rendered with the edition's figures."""
        return self.narrative.render(name, **computed)

    def say(self, *paragraphs: str) -> None:
        """Display paragraphs of (MyST) Markdown.

        Data text in them is escaped where it was put in (lib/beichen/render/escape.py); as a second
        line of defence the finished Markdown is refused if it still carries raw HTML, a
        directive or a substitution, naming the chapter, rather than published.
        """
        text = "\n\n".join(p for p in paragraphs if p)
        problems = escape.markup_problems(text)
        if problems:
            raise MarkupError(f"章节 {self.name}: 段落中有不允许的标记（数据文字须经转义）: "
                              + "；".join(f"第{line}行 {what}" for line, what in problems[:5]))
        display(Markdown(text))

    def say_in_print(self, printed: str) -> None:
        """A passage of the PDF only (Sphinx's ``only`` directive): what print says in place of a section
        the site alone has (lib/beichen/pdf/layout.py leaves such a section out of the PDF)."""
        problems = escape.markup_problems(printed)
        if problems:
            raise MarkupError(f"章节 {self.name}: 段落中有不允许的标记（数据文字须经转义）: "
                              + "；".join(f"第{line}行 {what}" for line, what in problems[:5]))
        display(Markdown(f"```{{only}} latex\n{printed}\n```"))

    def table(self, frame, caption: str, label: str | None = None, align: str | None = None) -> None:
        display(Markdown(markdown_table(frame, caption, label, align)))

    def chart(self, chart) -> None:
        """Show a report chart: local-vegaEmbed figure on the site, a captioned vector figure in the PDF.

        The site gets the chart's own <figure> with “图x-y” caption and takeaway. For LaTeX a
        MyST ``{figure}`` of the vector PDF (written next to the executed notebook) carries the
        caption, so the PDF typesets it like every other caption; myst-nb is told to prefer
        text/markdown for LaTeX (nb_mime_priority_overrides in _config.yml).
        """
        import base64
        import dataclasses

        from IPython.display import display as show

        printable = dataclasses.replace(chart, caption_mode="sphinx")  # no caption drawn in the image
        pdf = stable_pdf.canonical(printable.to_pdf())  # same chart, same bytes
        # The site shows text/html, the PDF the figure file below: the chart's own print PDF and PNG
        # (each a run of vl-convert renderings) would be made only to be thrown away.
        bundle = chart._repr_mimebundle_(include={"text/plain", "text/html"})
        bundle["application/pdf"] = base64.b64encode(pdf).decode("ascii")
        if self.output_dir is not None:  # in a build: next to the executed notebook
            folder = self.output_dir / "charts" / self.name  # per chapter, so its cache can restore it
            folder.mkdir(parents=True, exist_ok=True)
            slug = chart.number.replace("图", "fig")
            (folder / f"{slug}.pdf").write_bytes(pdf)
            # the image a browser prints (the site copies it beside the page: beichen.site.chart_images)
            (folder / f"{slug}.svg").write_text(chart.to_web_svg(), encoding="utf-8")
            bundle["text/html"] = chart.to_html(image=f"charts/{self.name}/{slug}.svg")
            bundle["text/markdown"] = (f"```{{figure}} charts/{self.name}/{slug}.pdf\n:name: {slug}\n:width: 100%\n\n"
                                       f"{escape.myst(chart.title_text)}\n```\n\n"
                                       f"{cite_figure(escape.myst(chart.takeaway), chart.number)}")
        show(bundle, raw=True)

    def close(self) -> None:
        """Write what this chapter could not fill (missing figures, pending passages) for the build."""
        if self.notes_dir is None:
            return
        self.notes_dir.mkdir(parents=True, exist_ok=True)
        note = {"missing": self.edition.missing, "pending": self.narrative.pending}
        (self.notes_dir / f"{self.name}.json").write_text(json.dumps(note, ensure_ascii=False, indent=1),
                                                          encoding="utf-8")
        # What the chapter read, for the build's decision to re-run it or not (lib/beichen/publish/chapter_cache.py).
        (self.notes_dir / f"{self.name}.reads.json").write_text(json.dumps(
            {"reads": self.reads.to_json(), "modules": library_modules()}, ensure_ascii=False, indent=0),
            encoding="utf-8")
