"""Per-year passages: placeholders are looked up, unknown ones fail, missing ones are marked."""
import pytest

from beichen.inputs.narrative import NarrativeError, parse_passages
from beichen.render.narrative import PENDING, Narrative


def _narrative(tmp_path, edition, text, chapter="99_test"):
    folder = tmp_path / str(edition.year)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{chapter}.md").write_text(text, encoding="utf-8")
    return Narrative(edition, chapter, tmp_path)


def test_parse_passages_splits_on_markers():
    text = "<!-- passage: a -->\n第一段\n\n<!-- passage: b -->\n第二段\n"
    assert parse_passages(text) == {"a": "第一段", "b": "第二段"}
    with pytest.raises(NarrativeError):
        parse_passages("<!-- passage: a -->\nx\n<!-- passage: a -->\ny")


def test_figures_are_looked_up_with_vintage(tmp_path, edition_2024):
    n = _narrative(tmp_path, edition_2024,
                   "<!-- passage: p -->\n建成5G基站{{ v('base_stations_5g') }}，占比{{ ind('sei_va_share').actual }}，"
                   "首台（套）较{{ v_at('first_sets', 2020) }}{{ k.first_sets_multiple }}，{{ year }}年，{{ d.extra }}")
    assert n.render("p", extra="附加") == "建成5G基站5444个，占比49.8%（2023年），首台（套）较16个翻倍，2024年，附加"


def test_unknown_figure_or_placeholder_is_an_error(tmp_path, edition_2024):
    n = _narrative(tmp_path, edition_2024, "<!-- passage: p -->\n{{ v('no_such_metric') }}\n"
                                           "<!-- passage: q -->\n{{ d.not_given }}\n<!-- passage: r -->\n{{ oops }}")
    with pytest.raises(NarrativeError, match="no_such_metric"):
        n.render("p")
    with pytest.raises(NarrativeError, match="d.not_given"):
        n.render("q")
    with pytest.raises(NarrativeError):
        n.render("r")


def test_missing_passage_or_year_shows_marker_and_is_listed(tmp_path, edition_2024):
    n = _narrative(tmp_path, edition_2024, "<!-- passage: p -->\n有\n")
    assert PENDING in n.render("absent")
    assert n.pending == ["其他文字"]   # a chapter without a template: no place to name, never its id
    empty = Narrative(edition_2024, "01_targets", tmp_path / "nowhere")
    assert PENDING in empty.render("intro")
    assert empty.pending == ["一、导语"]   # named by its place in chapter 一, not by file and passage id


def test_every_2024_passage_renders(edition_2024):
    """The real 2024 narrative renders without errors (all placeholders exist)."""
    from beichen.paths import NARRATIVE_DIR

    for path in sorted((NARRATIVE_DIR / "2024").glob("*.md")):
        n = Narrative(edition_2024, path.stem)
        for name in n.passages:
            text = n.render(name, status="x", schedule="x", snapshot="x", outlook="x", audit="x")
            assert "暂无数据" not in text, (path.name, name, text)
        assert not n.pending
