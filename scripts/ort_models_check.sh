#!/usr/bin/env bash
# Whole-model correctness: runs the benchmark models (bench/make_models.py) through the engine and
# compares every output with ONNX Runtime's (scripts/ort_reference.py). The error of an output is
# max|engine − ort| / max|ort|; each must be at most MAX_ERROR (default 1e-4), or for INT8 models one quantization
# step of the output (scripts/int8_tolerance.py). Pruned and INT8 models, which run on sparse or INT8 kernels, are
# also checked with ZOO_ISA=avx2 and ZOO_ISA=scalar (the other kernel sets), and the CNNs at batch 3, which
# the engine runs in slices, and DistilBERT (dense and pruned) at batch 2.
#
# Usage: scripts/ort_models_check.sh ZOO_CONFORMANCE [MODELS_DIR]
# Models and reference outputs are cached in MODELS_DIR (default .build/models) and made again only
# when missing. Needs .venv (scripts/venv.sh).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runner="${1:?usage: ort_models_check.sh ZOO_CONFORMANCE [MODELS_DIR]}"
models="${2:-$root/.build/models}"
python="$root/.venv/bin/python"
max_error="${MAX_ERROR:-1e-4}"

# family, sparsities to build (0 = dense), variant directories to check
checks=(
  "resnet50 0,0.9 resnet50 resnet50-pruned90"
  "distilbert 0,0.8 distilbert distilbert-pruned80"
  "distilbert-opset14 0,0.8 distilbert-opset14 distilbert-opset14-pruned80"
  "yolov5s 0,0.9 yolov5s yolov5s-pruned90"
  "resnet50-int8 0 resnet50-int8"
  "distilbert-int8 0 distilbert-int8"
  # Pruned in 4-blocks, then quantized: the layers run on the sparse INT8 kernels.
  "resnet50-int8-4block 0.9 resnet50-int8-4block-pruned90"
  "distilbert-int8-4block 0.8 distilbert-int8-4block-pruned80"
)

status=0

# Checks one variant against ONNX Runtime's outputs at a batch (REF_DIR, BATCH, SEED), written first when missing or
# older than the model; INT8 models within one quantization step. Extra arguments go before the runner (env settings).
check() {
  local variant="$1" reference="$models/$1/$2" batch="$3" seed="$4"
  shift 4
  local model="$models/$variant/model.onnx" limit="$max_error"
  if [[ ! -f "$reference/reference.json" || "$reference/reference.json" -ot "$model" ]]; then
    rm -rf "$reference"
    "$python" "$root/scripts/ort_reference.py" "$model" "$reference" --batch "$batch" --seed "$seed"
  fi
  [[ "$variant" == *int8* ]] && limit="$("$python" "$root/scripts/int8_tolerance.py" "$model" "$reference")"
  env "$@" "$runner" --reference "$model" "$reference" --max-error "$limit" || status=1
}

for check in "${checks[@]}"; do
  read -r family prune variants <<<"$check"
  missing=0
  for variant in $variants; do [[ -f "$models/$variant/model.onnx" ]] || missing=1; done
  if (( missing )); then
    "$python" "$root/bench/make_models.py" --out "$models" --only "$family" --prune "$prune" >/dev/null
  fi
  for variant in $variants; do
    check "$variant" ort-reference 1 0
    # The pruned and INT8 models run on sparse or INT8 kernels: check them on the other instruction sets' too.
    if [[ "$variant" == *pruned* || "$variant" == *int8* ]]; then
      for isa in avx2 scalar; do
        printf '[ZOO_ISA=%s] ' "$isa"
        check "$variant" ort-reference 1 0 ZOO_ISA="$isa"
      done
    fi
  done
done

# A batch of 3 of the CNNs (pruned FP32, INT8 in 4-blocks, and dense ResNet-50): their activations exceed the slice
# budget, so the engine runs the batch in slices (BatchSlicing), side by side on one stream per thread (BatchStreams);
# dense ResNet-50 runs its last stage and classifier on the whole batch after the slices (BatchTail). The joined
# outputs must match ONNX Runtime's whole-batch ones.
for variant in resnet50 resnet50-pruned90 yolov5s-pruned90 resnet50-int8-4block-pruned90; do
  printf '[batch 3, sliced] '
  check "$variant" ort-reference-b3 3 1
done
# A batch of 2 of DistilBERT, dense and pruned: the fused attention runs per sequence, and the pruned projections hand
# Q, K and V over feature-major, with both sequences' tokens side by side.
for variant in distilbert distilbert-pruned80; do
  printf '[batch 2] '
  check "$variant" ort-reference-b2 2 1
done
exit "$status"
