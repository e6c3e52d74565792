#!/usr/bin/env bash
# System packages the report needs (Debian): LaTeX for the PDF, CJK fonts, poppler for PDF checks,
# qpdf for chart PDFs in a fixed byte order (lib/beichen/render/stable_pdf.py),
# Chromium for the browser test, LibreOffice Writer (no GUI) to check the Word draft of `make docx`
# (~55 s to install on the 2-core machine, 2026-12-05). Installs them when run as root; otherwise says what is missing.
set -euo pipefail

PACKAGES=(fonts-dejavu-core texlive-xetex texlive-lang-chinese texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended
          latexmk fonts-noto-cjk poppler-utils qpdf chromium libreoffice-writer-nogui)
# One command per package proves it is there (fonts are checked by file).
declare -A PROBE=([fonts-dejavu-core]="test -e /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf" [texlive-xetex]="command -v xelatex" [texlive-lang-chinese]="kpsewhich ctex.sty"
                  [texlive-latex-recommended]="kpsewhich fancyhdr.sty" [texlive-latex-extra]="kpsewhich titlesec.sty" [texlive-fonts-recommended]="kpsewhich pzdr.tfm"
                  [latexmk]="command -v latexmk" [fonts-noto-cjk]="test -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
                  [poppler-utils]="command -v pdffonts" [qpdf]="command -v qpdf" [chromium]="command -v chromium"
                  [libreoffice-writer-nogui]="command -v soffice")

missing=()
for pkg in "${PACKAGES[@]}"; do
  bash -c "${PROBE[$pkg]}" >/dev/null 2>&1 || missing+=("$pkg")
done
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then missing+=(python3-venv); fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "缺少系统软件包 (missing Debian packages): ${missing[*]}" >&2
  echo "请以 root 运行: apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
