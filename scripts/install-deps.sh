#!/usr/bin/env bash
# Installs the Debian packages zoo builds and tests with, when any is missing. Quiet when all are there.
set -euo pipefail
packages=(pkg-config libsqlite3-dev libcurl4-openssl-dev libarchive-dev libprotobuf-c-dev protobuf-c-compiler libssl-dev
  nginx python3 curl)  # the tests' loopback servers (nginx, the fault server) and the transfer benchmark (curl)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
if ! command -v swift >/dev/null; then
  echo "swift is not on PATH; zoo needs Swift 6 (on this machine kind it is at /opt/swift/usr/bin)" >&2
  exit 1
fi
