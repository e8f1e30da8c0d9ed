#!/usr/bin/env bash
# Create (or bring up to date) one of the repo's Python environments.
#
#   scripts/venv.sh                  .venv from scripts/requirements.txt (onnx, onnxruntime, numpy, sparsezoo)
#   scripts/venv.sh deepsparse       .venv-deepsparse from scripts/requirements-deepsparse.txt (make bench)
#
# Installs the pinned packages of the requirements file. A stamp file inside the
# venv records the hash of that file, so a repeat run is a quick no-op while the
# requirements are unchanged. Silent on success; pip's errors show on failure.
# Set PYTHON to choose the interpreter (default: python3).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-python3}"
case "${1:-}" in
  "")
    venv="$root/.venv"
    requirements="$root/scripts/requirements.txt"
    ;;
  deepsparse)
    venv="$root/.venv-deepsparse"
    requirements="$root/scripts/requirements-deepsparse.txt"
    # deepsparse 1.8.0 ships wheels for CPython 3.8 to 3.11 only.
    if ! "$python" -c 'import sys; sys.exit(not (3, 8) <= sys.version_info[:2] <= (3, 11))'; then
      echo "venv.sh: deepsparse 1.8.0 needs Python 3.8 to 3.11; $python is $("$python" -V 2>&1)." \
           "Set PYTHON to such an interpreter (e.g. PYTHON=python3.11)." >&2
      exit 1
    fi
    ;;
  *)
    echo "usage: scripts/venv.sh [deepsparse]" >&2
    exit 2
    ;;
esac
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$requirements" | cut -d' ' -f1)"

if [[ -x "$venv/bin/python" && -f "$stamp" && "$(<"$stamp")" == "$want" ]]; then
  exit 0
fi

"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  --require-virtualenv -r "$requirements"
printf '%s\n' "$want" > "$stamp"
