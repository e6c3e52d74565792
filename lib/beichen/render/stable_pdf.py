"""Chart PDFs with the same bytes for the same chart.

vl-convert (svg2pdf) numbers a chart PDF's objects and orders its resource dictionaries in
Rust hash-map order, which changes from process to process: the same chart gave other bytes
on every run, and so did the report PDF that embeds it (issue 14, defect 8). qpdf rewrites
the file in a canonical form (objects renumbered in traversal order, dictionary keys sorted,
a deterministic /ID), which xdvipdfmx then embeds the same way every time.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


class StablePdfError(RuntimeError):
    pass


def canonical(pdf: bytes) -> bytes:
    """The same PDF in qpdf's canonical, deterministic form."""
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        raise StablePdfError("缺少 qpdf：请先运行 `make setup`（需 root 安装 Debian 软件包 qpdf）")
    with tempfile.TemporaryDirectory(prefix="beichen-pdf-") as tmp:
        source, target = Path(tmp) / "in.pdf", Path(tmp) / "out.pdf"
        source.write_bytes(pdf)
        result = subprocess.run([qpdf, "--deterministic-id", "--object-streams=disable", "--compress-streams=y",
                                 str(source), str(target)], capture_output=True, text=True)
        if result.returncode not in (0, 3):  # 3: warnings, output written
            raise StablePdfError(f"qpdf 无法规范化图表 PDF: {result.stderr.strip()[:300]}")
        return target.read_bytes()
