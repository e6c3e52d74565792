"""LibreOffice headless as the check that a .docx opens and sets as intended (tools/setup_system.sh
installs libreoffice-writer-nogui). The Word draft names the office's fonts (仿宋, 黑体, 楷体, 宋体 …);
a check machine has the Fandol fonts the PDF uses (texlive-lang-chinese), so fontconfig is told to
set those names in Fandol, as xelatex does (latex/beichen-report.sty), instead of a Japanese fallback."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

FANDOL = {"仿宋": "FandolFang", "黑体": "FandolHei", "楷体": "FandolKai", "宋体": "FandolSong",
          "方正小标宋_GBK": "FandolSong"}


def fandol_dir() -> str:
    return str(Path(subprocess.run(["kpsewhich", "FandolFang-Regular.otf"], capture_output=True, text=True,
                                   check=True).stdout.strip()).parent)


def fonts_conf(folder: Path) -> Path:
    aliases = "".join(f"<alias binding=\"same\"><family>{name}</family><prefer><family>{fandol}</family></prefer></alias>"
                      for name, fandol in FANDOL.items())
    conf = folder / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    f'<include ignore_missing="yes">/etc/fonts/fonts.conf</include><dir>{fandol_dir()}</dir>'
                    f"{aliases}</fontconfig>", encoding="utf-8")
    return conf


def to_pdf(docx: Path, out_dir: Path) -> Path:
    """docx → PDF by LibreOffice, in its own profile folder (two runs at once do not share one)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, FONTCONFIG_FILE=str(fonts_conf(out_dir)), HOME=str(out_dir))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{out_dir}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out_dir), str(docx)],
                   check=True, capture_output=True, timeout=600, env=env)
    return out_dir / (docx.stem + ".pdf")
