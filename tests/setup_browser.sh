#!/usr/bin/env bash
# Make sure the browser tests can run: Debian's chromium and a CJK font (so screenshots show Chinese).
# Idempotent: does nothing when both are present. Installs with apt-get only when root and apt exist;
# otherwise it says what is missing and the browser tests skip with that reason.
set -u
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh 2>/dev/null | head -1)" ]; then
  need+=(fonts-wqy-microhei)
fi
if [ ${#need[@]} -eq 0 ]; then
  echo "setup_browser: chromium and a CJK font are present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "setup_browser: missing ${need[*]}; install them (apt-get install ${need[*]}) to run the browser tests"
  exit 0
fi
echo "setup_browser: installing ${need[*]} from Debian"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
if apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1; then
  echo "setup_browser: installed ${need[*]}"
else
  echo "setup_browser: could not install ${need[*]}; the browser tests will skip"
fi
exit 0
