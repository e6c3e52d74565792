"""A chart's PDF has the same bytes in every process (issue 14, defect 8: the report PDF embeds them)."""
import hashlib
import shutil
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf not installed (make setup)")

# A chart with several marks, text and a legend, as the report draws them (fonts, resource dictionaries).
RENDER = """
import hashlib, sys
import pandas as pd
from beichen.render import charts, stable_pdf
df = pd.DataFrame({"name": ["制造业增加值占比", "高新技术企业", "绿色工厂"], "completion_pct": [107.6, 96.0, 80.0],
                   "status": ["超额完成", "接近目标", "滞后"], "color": ["#2e7d4f", "#d99a1e", "#b23a30"]})
pdf = charts.completion_chart(df, "核心指标完成度", "三项指标", number="图1-1").to_pdf()
print(hashlib.sha256(pdf).hexdigest(), hashlib.sha256(stable_pdf.canonical(pdf)).hexdigest())
"""


def _digests():
    result = subprocess.run([sys.executable, "-c", RENDER], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.split()


def test_canonical_chart_pdf_is_the_same_in_every_process():
    runs = [_digests() for _ in range(4)]
    assert len({canonical for _, canonical in runs}) == 1


def test_canonical_keeps_a_valid_pdf_of_the_same_page(tmp_path):
    from beichen.render import stable_pdf

    target = tmp_path / "chart.pdf"
    code = RENDER.replace("print(", f"open({str(target)!r}, 'wb').write(pdf); print(")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, timeout=300)
    out = stable_pdf.canonical(target.read_bytes())
    assert out.startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", "-", "-"], input=out, capture_output=True).stdout.decode()
    info = subprocess.run(["pdfinfo", "-"], input=out, capture_output=True).stdout.decode()
    assert "Pages:           1" in info and "制造业增加值占比" in text
