#!/usr/bin/env bash
# Sets up kguide on a Debian or Ubuntu machine and builds the sample guides into build/.
#   ./setup.sh             system packages (apt-get, when run as root or with sudo), the Python
#                          virtual environment .venv with kguide in it, then `kguide build`
#   ./setup.sh --no-build  the same without the build
#   ./setup.sh --test-tools  also the checkers the tests run (used by ./test.sh, no build):
#                          Java for EPUBCheck, Chromium, Node.js and npm from apt; axe-core and
#                          Ace by DAISY from npm into .tools/ (using the system Chromium)
set -euo pipefail
cd "$(dirname "$0")"

build=1
test_tools=0
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    --test-tools) build=0; test_tools=1 ;;
    *) echo "setup: unknown option $arg" >&2; exit 2 ;;
  esac
done

# System packages: eSpeak NG (the system voice pyttsx3 drives on Linux), ffmpeg (audio
# encoding and loudness), Pango and HarfBuzz-Subset (WeasyPrint's text layout and font
# embedding), poppler-utils (PDF checks in tests), diction (GNU style, a reference in tests).
packages=(espeak-ng ffmpeg libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig poppler-utils diction)
# For the tests only: Java runs EPUBCheck (its jar comes in the PyPI package `epubcheck`),
# Chromium runs the listen page's browser tests and Ace, Node.js and npm install axe-core and Ace,
# strace watches a build for network connections.
# (Node.js from another source, with its own npm, is used as it is.)
if [ "$test_tools" = 1 ]; then
  packages+=(default-jre-headless chromium strace)
  command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  missing+=(python3-venv)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "setup: installing system packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    echo "setup: installing system packages: ${missing[*]}"
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: please install these system packages, then run ./setup.sh again:" >&2
    echo "  ${missing[*]}" >&2
    echo "  (Debian/Ubuntu: sudo apt-get install ${missing[*]}; other systems: eSpeak NG, ffmpeg, Pango, poppler)" >&2
    exit 1
  fi
fi

python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "setup: kguide needs Python 3.11 or newer (found $(python3 --version 2>&1))" >&2; exit 1; }

# The virtual environment; reinstalled only when pyproject.toml changes.
stamp=.venv/.kguide-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing kguide and its Python packages into .venv"
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test,listen]'
  echo "$want" > "$stamp"
fi

# axe-core and Ace by DAISY, for the tests, in .tools/ (not in git). Puppeteer, which Ace
# drives, is told to use the system Chromium and never to download a browser of its own.
if [ "$test_tools" = 1 ]; then
  tools_want="@daisy/ace-cli@1.4.6 axe-core@4.14.1"
  if [ "$(cat .tools/.installed 2>/dev/null)" != "$tools_want" ]; then
    echo "setup: installing the test checkers into .tools ($tools_want)"
    mkdir -p .tools
    [ -f .tools/package.json ] || echo '{ "private": true }' > .tools/package.json
    (cd .tools && PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error $tools_want >/dev/null)
    echo "$tools_want" > .tools/.installed
  fi
fi

if [ "$build" = 1 ]; then
  .venv/bin/kguide build
  echo "setup: done. The booklets and audio are in build/ketamine-first-session/<clinic>/ (English)"
  echo "  and build/ketamina-primera-sesion/<clinic>/ (Spanish)"
fi
