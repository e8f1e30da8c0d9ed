#!/usr/bin/env bash
# `make conformance`: sets up what is missing and runs the engine's correctness checks.
#   1. .venv with onnx and onnxruntime (scripts/venv.sh);
#   2. the ONNX backend conformance cases in .build/conformance-cases, exported again only when
#      the installed onnx version differs from the one recorded in their index.json;
#   3. zoo-conformance (release) over those cases, against docs/conformance-skips.md;
#   4. the whole-model ONNX Runtime checks (scripts/ort_models_check.sh);
#   5. real exported models from PyPI wheels against ONNX Runtime (scripts/real_models_check.sh).
# Environment: SWIFT (default swift), JOBS (default 2), SCRATCH_PATH (SwiftPM build directory,
# default .build), ZOO_CONFORMANCE_ARGS (extra runner flags, e.g. --verbose).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
swift="${SWIFT:-swift}"
cases=.build/conformance-cases

scripts/venv.sh
onnx_version="$(.venv/bin/python -c 'import onnx; print(onnx.__version__)')"
exported="$(.venv/bin/python -c 'import json, sys; print(json.load(open(sys.argv[1]))["onnx_version"])' "$cases/index.json" 2>/dev/null || true)"
if [[ "$exported" != "$onnx_version" ]]; then
  echo "exporting the ONNX $onnx_version conformance cases to $cases"
  rm -rf "$cases" "$cases.partial"
  .venv/bin/python scripts/onnx_conformance_export.py "$cases.partial" >/dev/null
  mv "$cases.partial" "$cases"
fi

build=("$swift" build -c release --scratch-path "${SCRATCH_PATH:-.build}")
"${build[@]}" -j "${JOBS:-2}" --product zoo-conformance
runner="$("${build[@]}" --show-bin-path)/zoo-conformance"

status=0
# shellcheck disable=SC2086
"$runner" "$cases" --skip-list docs/conformance-skips.md ${ZOO_CONFORMANCE_ARGS:-} || status=1
scripts/ort_models_check.sh "$runner" || status=1
scripts/real_models_check.sh "$runner" || status=1
exit "$status"
