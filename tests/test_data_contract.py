"""Data contracts: what the report relies on being in data/, beyond the per-file schemas."""
from beichen.inputs.loading import load_all
from beichen.paths import DATA_DIR


def test_every_core_indicator_has_base_target_and_actual(report_data):
    values = report_data.indicator_values
    for indicator_id in report_data.indicators.loc[report_data.indicators["core"], "indicator_id"]:
        kinds = set(values.loc[values["indicator_id"] == indicator_id, "kind"])
        assert {"base", "target", "actual"} <= kinds, indicator_id
        rows = values[values["indicator_id"] == indicator_id]
        assert set(rows.loc[rows["kind"] == "base", "year"]) == {2020}
        assert set(rows.loc[rows["kind"] == "target", "year"]) == {2025}


def test_every_row_names_its_source_section(report_data):
    for frame in (report_data.indicator_values, report_data.metrics, report_data.chains):
        assert frame["source"].str.len().min() > 0
        # Sections are written in the source's own numbering: 一 … 五, optionally (一) and a number.
        assert frame["source"].str.match(r"^(一|二|三|四|五)").all()  # sections of the source
        assert (frame["edition"] == 2024).all()  # every row of the source belongs to the 2024 edition


def test_nine_chains_with_the_source_totals(report_data):
    chains = report_data.chains[report_data.chains["year"] == 2024]
    assert len(chains) == 9
    # Source 一(一)1: 480 firms in the chains.
    assert chains["enterprises"].sum() == 480


def test_figures_needed_by_the_report_exist(report_data):
    needed = ["above_scale_industrial_output", "mfg_value_added", "chain_output", "first_sets",
              "single_champions", "base_stations_5g", "municipal_special_funds", "tech_smes",
              "innovative_smes", "dev_zone_output_per_mu", "above_scale_industrial_output_jan_oct",
              "smart_factories_target_5y", "solution_integrators_target_5y"]
    assert set(needed) <= set(report_data.metrics["metric_id"])


def test_data_dir_validates_as_committed():
    data = load_all(DATA_DIR)
    # 143 figures were transcribed from the source (data/README.md); more may be added per year.
    assert len(data.indicator_values) + len(data.metrics) >= 113  # 翻倍 is a wording claim, not a stated_multiple_min row


def test_committed_text_holds_no_invisible_character():
    """The Unicode policy (lib/beichen/inputs/text_policy.py) holds for every committed text file, the
    narrative of every year included (`make validate` checks it; the build checks data and meta)."""
    from beichen.inputs import text_policy

    problems = []
    for path in sorted(DATA_DIR.rglob("*")):
        if path.suffix in (".md", ".yml", ".csv") and "entry" not in path.parts:
            problems += text_policy.file_problems(path, path.relative_to(DATA_DIR).as_posix())
    assert not problems, "\n".join(problems)
