#!/usr/bin/env bash
# Installs zizmor (the GitHub Actions security linter) from PyPI into a virtualenv: $1 version,
# $2 the virtualenv's folder. Built beside it and moved into place only when it works, so an
# interrupted install is never taken for a finished one.
set -euo pipefail
version="$1" dest="$2"
command -v python3 >/dev/null || { echo "install-zizmor: python3 is needed to install zizmor $version" >&2; exit 1; }
tmp="$dest.tmp$$"
trap 'rm -rf "$tmp"' EXIT
python3 -m venv "$tmp"
"$tmp/bin/pip" install --quiet --disable-pip-version-check --no-input "zizmor==$version"
"$tmp/bin/zizmor" --version >/dev/null
# The wheel's zizmor is a compiled binary, independent of the virtualenv's location.
rm -rf "$dest"
mv "$tmp" "$dest"
trap - EXIT
