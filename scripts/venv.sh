#!/usr/bin/env bash
# Create (or bring up to date) the repo's Python tooling environment at .venv.
#
# Installs the pinned packages of scripts/requirements.txt. A stamp file inside
# .venv records the hash of that file, so a repeat run is a quick no-op while the
# requirements are unchanged. Silent on success; pip's errors show on failure.
# Set PYTHON to choose the interpreter (default: python3).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
requirements="$root/scripts/requirements.txt"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$requirements" | cut -d' ' -f1)"

if [[ -x "$venv/bin/python" && -f "$stamp" && "$(<"$stamp")" == "$want" ]]; then
  exit 0
fi

"${PYTHON:-python3}" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  --require-virtualenv -r "$requirements"
printf '%s\n' "$want" > "$stamp"
