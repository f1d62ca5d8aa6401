#!/usr/bin/env bash
# Check the system libraries briefing needs beyond Python: Pango (WeasyPrint draws text with it),
# HarfBuzz's subsetter (WeasyPrint embeds only the glyphs used; without it fontTools subsets the CJK
# fonts, some 15 times slower: 30 s instead of 2 s for a week's PDF), fontconfig and a font that covers
# Chinese (else Chinese prints as empty boxes), and Python's venv.
# As root on Debian/Ubuntu, install what is missing with apt; elsewhere say what to install and fail.
# With --test, also Chromium for the browser tests (elsewhere they are skipped, with a note).
set -euo pipefail

missing=()
optional=()
if [ "${1:-}" = "--test" ] && ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  optional+=(chromium)
fi
libs=$(ldconfig -p 2>/dev/null || true)  # read once: grep -q in a pipe would SIGPIPE ldconfig under pipefail
have_lib() { case "$libs" in *"$1"*) return 0 ;; *) return 1 ;; esac; }
have_lib 'libpango-1.0.so' || missing+=(libpango-1.0-0)
have_lib 'libpangoft2-1.0.so' || missing+=(libpangoft2-1.0-0)
have_lib 'libharfbuzz-subset.so' || missing+=(libharfbuzz-subset0)
command -v fc-list >/dev/null 2>&1 || missing+=(fontconfig)
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh family 2>/dev/null)" ]; then
  missing+=(fonts-noto-cjk)
fi
if command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list ':charset=20000' family 2>/dev/null)" ]; then
  missing+=(fonts-hanazono)  # CJK Extension B (rare names), which Noto CJK does not cover
fi
"${PYTHON:-python3}" -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=("python3-venv")

[ ${#missing[@]} -eq 0 ] && [ ${#optional[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]} ${optional[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" "${optional[@]}" >/dev/null
  exit 0
fi
if [ ${#missing[@]} -eq 0 ]; then
  echo "Note: Chromium is not installed, so the browser tests will be skipped (Debian: sudo apt-get install chromium)." >&2
  exit 0
fi

cat >&2 <<MSG
briefing needs these system packages, which are missing: ${missing[*]}
  - fonts covering Chinese (the PDF prints Chinese with them): Noto CJK, and HanaMin for CJK Extension B
  - Pango, HarfBuzz's subsetter and fontconfig (WeasyPrint renders the PDF with them)
Install them, then run make again:
  Debian/Ubuntu:  sudo apt-get install ${missing[*]}
  Fedora:         sudo dnf install pango harfbuzz fontconfig google-noto-sans-cjk-fonts google-noto-serif-cjk-fonts hanamin-fonts
  macOS:          brew install pango harfbuzz && download Noto Sans/Serif CJK from https://github.com/notofonts/noto-cjk
MSG
exit 1
