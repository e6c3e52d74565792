"""`make validate`: validate every data file of every plan; exit 1 with the problems.

    python -m beichen.inputs.validate                    # every plan folder: data/, then plans/*/
    python -m beichen.inputs.validate --plan 2026-2030   # one plan (make validate PLAN=2026-2030)
    python -m beichen.inputs.validate --year 2026        # the plan of a year (make validate YEAR=2026)
    python -m beichen.inputs.validate DIR                # one data folder
"""
from __future__ import annotations

import sys
from pathlib import Path

from beichen import cli
from beichen.errors import BuildError
from beichen.inputs.loading import DataValidationError, load_all
from beichen.inputs.plans import candidate_folders, folder_for_year, folder_named
from beichen.inputs.signoff import SignOffError, load_signoffs
from beichen.inputs.text_policy import narrative_problems
from beichen.lock import BusyError, one_writer
from beichen.paths import REPO_ROOT


def validate_folder(data_dir: Path) -> str:
    """Validate one plan folder (data, meta, every year's text); return the summary line, raise
    DataValidationError with every problem."""
    data = load_all(data_dir)
    # The narrative passages of every year, against the Unicode policy (lib/beichen/inputs/text_policy.py):
    # an invisible or bidirectional control in a passage is as unseen as in a data cell.
    passages = []
    for folder in sorted(p for p in (data_dir / "narrative").glob("*") if p.is_dir()):
        passages += narrative_problems(folder, f"narrative/{folder.name}")
    if passages:
        raise DataValidationError(passages)
    # meta/signoff.yml: who reviewed and approved each edition (lib/beichen/inputs/signoff.py)
    try:
        load_signoffs(data_dir, data.plan)
    except SignOffError as err:
        raise DataValidationError([str(err)]) from None
    return (f"数据校验通过: indicators {len(data.indicators)}, indicator_values {len(data.indicator_values)}, "
            f"metrics {len(data.metrics)}, chains {len(data.chains)} 行")


def _folders(args, root: Path) -> list[tuple[str, Path]]:
    """(label, data folder) to validate: the one given, the plan of a year or PLAN=, or every plan."""
    if args.data_dir is not None:
        return [("", Path(args.data_dir))]
    if args.year is not None:
        folder = folder_for_year(args.year, root, args.plan or None)
        return [(folder.relative, folder.path)]
    if args.plan:
        folder = folder_named(args.plan, root)
        return [(folder.relative, folder.path)]
    # Every plan folder, a broken plan.yml included: load_all names what is wrong with it.
    return [(f"{name}/" if name == "data" else f"plans/{name}/", path) for name, path in candidate_folders(root)]


def main(argv: list[str] | None = None) -> int:
    parser = cli.ArgumentParser(description="Validate the data of every plan (or of one).")
    parser.add_argument("data_dir", nargs="?", type=Path, default=None)
    parser.add_argument("--year", type=cli.year, default=None)
    parser.add_argument("--plan", default="")
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="the repository (tests)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    try:
        folders = _folders(args, args.root)
    except BuildError as err:
        print(f"错误: {err}")
        return 1
    failed = 0
    for label, data_dir in folders:
        prefix = f"{label}: " if len(folders) > 1 else ""
        try:
            with one_writer("校验数据", data_dir):  # also finishes an import a kill interrupted
                print(prefix + validate_folder(data_dir))
        except (DataValidationError, BusyError) as err:
            print(prefix + str(err))
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
