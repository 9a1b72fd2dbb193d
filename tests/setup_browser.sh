#!/usr/bin/env bash
# Make sure the browser tests can run: Debian's chromium and a CJK font (so screenshots show Chinese).
# Idempotent: does nothing when both are present. Installs with apt-get only when root and apt exist,
# running apt-get update only when the package lists lack a package or an install fails on stale lists.
# Never fails the build: when something stays missing the browser tests skip and say why.
set -u
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh 2>/dev/null | head -1)" ]; then
  need+=(fonts-wqy-microhei)
fi
if [ ${#need[@]} -eq 0 ]; then
  echo "setup_browser: chromium ($(/usr/bin/chromium --version 2>/dev/null | head -1)) and a CJK font are present; nothing to do"
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "setup_browser: missing ${need[*]}; install them as root (apt-get install ${need[*]}) to run the browser tests"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT

update() {
  echo "setup_browser: apt-get update"
  apt-get update -qq >>"$log" 2>&1 || echo "setup_browser: apt-get update failed (offline?)"
}

install() {
  apt-get install -y -qq --no-install-recommends "${need[@]}" >>"$log" 2>&1
}

for pkg in "${need[@]}"; do
  if ! apt-cache show "$pkg" >/dev/null 2>&1; then
    update
    break
  fi
done
echo "setup_browser: installing ${need[*]} from Debian"
if install || { update && install; }; then
  echo "setup_browser: installed ${need[*]}"
else
  echo "setup_browser: could not install ${need[*]}; the browser tests will skip. apt-get said:"
  tail -5 "$log" | sed 's/^/  /'
fi
exit 0
