"""xelatex reads only the build tree and runs no shell command (issue 14, defect 9).

A tiny document is compiled with the environment the PDF build gives xelatex; it tries to
print /etc/hostname and to run a shell command.
"""
import shutil
import subprocess

import pytest

from beichen.pdf.latex import latex_environment

pytestmark = pytest.mark.skipif(shutil.which("xelatex") is None, reason="xelatex not installed")


def _compile(tmp_path, body: str) -> subprocess.CompletedProcess:
    (tmp_path / "probe.tex").write_text("\\documentclass{article}\\begin{document}\n" + body + "\n\\end{document}\n")
    env = latex_environment()
    # the same switches Sphinx's latexmkrc passes to xelatex ($LATEXOPTS)
    return subprocess.run(["xelatex", "-interaction=nonstopmode", "-no-pdf", *env["LATEXOPTS"].split(), "probe.tex"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)


def test_reading_a_file_outside_the_build_tree_is_refused(tmp_path):
    result = _compile(tmp_path, "\\input{/etc/hostname}")
    assert "Not reading from /etc/hostname (openin_any = p)" in result.stdout + result.stderr
    assert result.returncode != 0


def test_the_probe_reads_the_file_without_the_restriction(tmp_path):
    """Control: with TeX Live's default (openin_any=a) the same document prints the file."""
    (tmp_path / "probe.tex").write_text("\\documentclass{article}\\begin{document}\n\\input{/etc/hostname}\n\\end{document}\n")
    result = subprocess.run(["xelatex", "-interaction=nonstopmode", "-no-pdf", "probe.tex"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "Not reading" not in result.stdout + result.stderr


def test_reading_inside_the_build_tree_works(tmp_path):
    (tmp_path / "part.tex").write_text("INSIDE-THE-TREE")
    result = _compile(tmp_path, "\\input{part}")
    assert result.returncode == 0, result.stdout[-2000:]


def test_no_shell_escape(tmp_path):
    _compile(tmp_path, "\\immediate\\write18{touch pwned}")
    assert not (tmp_path / "pwned").exists()
    log = (tmp_path / "probe.log").read_text(errors="replace")
    assert "\\write18 disabled" in log or "restricted \\write18" not in log
