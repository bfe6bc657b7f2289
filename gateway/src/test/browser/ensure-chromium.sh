#!/usr/bin/env bash
# Makes sure Debian's Chromium and ChromeDriver are present for the headless browser tests.
# Run by the gateway module's build before its tests; installs them when missing and allowed.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium and chromium-driver for the browser tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  exit 0
fi
echo "The browser tests need Chromium and ChromeDriver: apt-get install chromium chromium-driver" >&2
exit 1
