#!/usr/bin/env bash
# The main job, offline, in a throw-away ZOO_HOME: resolve, search and show models by stub.
# (Fetching and benchmarking join this demo as `zoo pull` and `zoo bench` land.)
set -euo pipefail
zoo="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
export ZOO_HOME="${ZOO_HOME:-$(mktemp -d)/zoo}"
step() { printf '\n\033[1m$ zoo %s\033[0m\n' "$*"; "$zoo" "$@"; }

echo "zoo demo, ZOO_HOME=$ZOO_HOME"
step version
step resolve zoo:cv/detection/yolov5-s/pytorch/ultralytics/coco/pruned-aggressive_96
step resolve zoo:cv/classification/resnet_v1-50/pytorch/sparseml/imagenet/pruned85_quant-none-vnni
step search --task question_answering --sparsity 90
step show zoo:opt-1.3b-opt_pretrain-base
printf '\n\033[1m$ zoo resolve zoo:cv/classification/resnet_v1-50/pytorch/sparseml/imagenet/pruned97-none\033[0m   (not in the catalog)\n'
"$zoo" resolve zoo:cv/classification/resnet_v1-50/pytorch/sparseml/imagenet/pruned97-none || echo "(exit status $?)"
