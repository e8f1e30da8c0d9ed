#!/bin/sh
# Regenerates the protobuf-c code for Sources/CONNX from Sources/CONNX/onnx.proto.
# Needs protoc-c (Debian/Ubuntu: protobuf-c-compiler). The output is committed.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/Sources/CONNX"
command -v protoc-c >/dev/null 2>&1 || { echo "gen-onnx-proto: protoc-c not found; install protobuf-c-compiler" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$dir" && protoc-c --c_out="$tmp" onnx.proto)
# The header goes to include/ (the target's public headers); the source includes it by bare name.
mv "$tmp/onnx.pb-c.h" "$dir/include/onnx.pb-c.h"
mv "$tmp/onnx.pb-c.c" "$dir/onnx.pb-c.c"
echo "gen-onnx-proto: wrote Sources/CONNX/onnx.pb-c.c and Sources/CONNX/include/onnx.pb-c.h"
