#!/usr/bin/env bash
# The main job, offline, in a throw-away ZOO_HOME (`make demo`):
#   1. build a small demo zoo: ResNet-50-shaped models with random weights, dense and pruned 90 %, with a
#      recipe and sample inputs/outputs computed by ONNX Runtime (bench/make_demo_zoo.py; synthetic stubs);
#   2. serve it as a static registry from nginx on loopback;
#   3. resolve, pull, list, verify and benchmark both models, and print the sparse speed-up.
# Nothing here reaches beyond 127.0.0.1 once the Python tooling (.venv) is installed.
# Environment: DEMO_TIME (seconds per benchmark, default 10), DEMO_CORES (default: all).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
zoo="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
work="$(mktemp -d /tmp/zoo-demo-XXXXXX)"
chmod 755 "$work"  # nginx's workers run unprivileged
export ZOO_HOME="$work/home"
dense=zoo:cv/classification/resnet_v1-50/pytorch/zoodemo/synthetic/base-none
sparse=zoo:cv/classification/resnet_v1-50/pytorch/zoodemo/synthetic/pruned90-none
seconds="${DEMO_TIME:-10}"
cores="${DEMO_CORES:-$(nproc)}"

step() { printf '\n\033[1m$ zoo %s\033[0m\n' "$*"; "$zoo" "$@"; }
cleanup() { [[ -n "${nginx_pid:-}" ]] && kill "$nginx_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

echo "zoo demo, ZOO_HOME=$ZOO_HOME"
"$root/scripts/venv.sh"
echo "building the demo zoo (synthetic ResNet-50, dense and pruned 90 %, sample outputs from ONNX Runtime)"
"$root/.venv/bin/python" "$root/bench/make_demo_zoo.py" "$work/registry" --models "$root/.build/models"

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
mkdir -p "$work/nginx"
cat > "$work/nginx/nginx.conf" <<CONF
daemon off; worker_processes 1; pid $work/nginx/nginx.pid; error_log $work/nginx/error.log;
events { worker_connections 64; }
http {
  access_log off; sendfile on; default_type application/octet-stream;
  client_body_temp_path $work/nginx/body; proxy_temp_path $work/nginx/proxy; fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi; scgi_temp_path $work/nginx/scgi;
  server { listen 127.0.0.1:$port; root $work/registry; }
}
CONF
/usr/sbin/nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
nginx_pid=$!
for _ in $(seq 100); do (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.05; done
export ZOO_REGISTRY="http://127.0.0.1:$port"
echo "serving it at $ZOO_REGISTRY (ZOO_REGISTRY)"

step pull "$dense" "$sparse"
step ls
step show "$sparse"
step recipe "$sparse"
step verify "$dense"
step verify "$sparse"
step bench "$dense" -t "$seconds" -ncores "$cores" -x "$work/dense.json"
step bench "$sparse" -t "$seconds" -ncores "$cores" -x "$work/sparse.json"

python3 - "$work/dense.json" "$work/sparse.json" <<'PY'
import json, sys
dense, sparse = (json.load(open(p))["benchmark_result"] for p in sys.argv[1:])
print(f"\nsparse speed-up (pruned 90 % vs dense, same engine, batch 1): "
      f"{sparse['items_per_sec'] / dense['items_per_sec']:.2f}x throughput "
      f"({dense['items_per_sec']:.1f} -> {sparse['items_per_sec']:.1f} items/s; "
      f"median latency {dense['median']:.1f} -> {sparse['median']:.1f} ms)")
PY
