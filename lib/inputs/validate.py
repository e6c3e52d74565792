"""`python -m beichen.inputs.validate [data_dir]`: validate every data file; exit 1 with the problems."""
from __future__ import annotations

import sys
from pathlib import Path

from beichen.inputs.loading import DataValidationError, load_all
from beichen.paths import DATA_DIR


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    data_dir = Path(argv[0]) if argv else DATA_DIR
    from beichen.lock import BusyError, one_writer

    try:
        with one_writer("校验数据", data_dir):  # also finishes an import a kill interrupted
            data = load_all(data_dir)
            # The narrative passages of every year, against the Unicode policy (lib/inputs/text_policy.py):
            # an invisible or bidirectional control in a passage is as unseen as in a data cell.
            from beichen.inputs.text_policy import narrative_problems
            passages = []
            for folder in sorted(p for p in (data_dir / "narrative").glob("*") if p.is_dir()):
                passages += narrative_problems(folder, f"narrative/{folder.name}")
            if passages:
                raise DataValidationError(passages)
            # data/meta/signoff.yml: who reviewed and approved each edition (lib/publish/status.py)
            from beichen.publish.status import SignOffError, load_signoffs
            try:
                load_signoffs(data_dir, data.plan)
            except SignOffError as err:
                raise DataValidationError([str(err)]) from None
    except (DataValidationError, BusyError) as err:
        print(err)
        return 1
    print(f"数据校验通过: indicators {len(data.indicators)}, indicator_values {len(data.indicator_values)}, "
          f"metrics {len(data.metrics)}, chains {len(data.chains)} 行")
    return 0


if __name__ == "__main__":
    sys.exit(main())
