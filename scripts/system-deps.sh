#!/usr/bin/env bash
# Check the system libraries briefing needs beyond Python: Pango (WeasyPrint draws text with it),
# fontconfig and a font that covers Chinese (else Chinese prints as empty boxes), and Python's venv.
# As root on Debian/Ubuntu, install what is missing with apt; elsewhere say what to install and fail.
set -euo pipefail

missing=()
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
have_lib 'libpango-1.0.so' || missing+=(libpango-1.0-0)
have_lib 'libpangoft2-1.0.so' || missing+=(libpangoft2-1.0-0)
command -v fc-list >/dev/null 2>&1 || missing+=(fontconfig)
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh family 2>/dev/null)" ]; then
  missing+=(fonts-noto-cjk)
fi
"${PYTHON:-python3}" -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=("python3-venv")

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi

cat >&2 <<MSG
briefing needs these system packages, which are missing: ${missing[*]}
  - a font covering Chinese (the PDF prints Chinese with it): Noto CJK
  - Pango and fontconfig (WeasyPrint renders the PDF with them)
Install them, then run make again:
  Debian/Ubuntu:  sudo apt-get install ${missing[*]}
  Fedora:         sudo dnf install pango fontconfig google-noto-sans-cjk-fonts google-noto-serif-cjk-fonts
  macOS:          brew install pango && download Noto Sans/Serif CJK from https://github.com/notofonts/noto-cjk
MSG
exit 1
