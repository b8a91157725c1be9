#!/usr/bin/env bash
# WordNet 3.0 for the duplicate and contradiction checks (claims/detection/wordnet.py): Debian's
# wordnet-base, installed when it is missing (needs root and apt-get). CORROBORATE_WORDNET_DIR names
# another folder holding WordNet's data.* and *.exc files.
set -eu
dir="${CORROBORATE_WORDNET_DIR:-/usr/share/wordnet}"
if [ -f "$dir/data.verb" ]; then
  exit 0
fi
if [ -n "${CORROBORATE_WORDNET_DIR:-}" ] || [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "WordNet is missing from $dir: install Debian's 'wordnet-base' package (as root: apt-get install wordnet-base)," >&2
  echo "or set CORROBORATE_WORDNET_DIR to a folder holding WordNet 3.0's data.* and *.exc files." >&2
  exit 1
fi
echo "Installing Debian's wordnet-base for the checks..."
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends wordnet-base >/dev/null 2>&1 || {
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends wordnet-base >/dev/null
}
test -f "$dir/data.verb"
