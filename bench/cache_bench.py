#!/usr/bin/env python3
"""The cache's bars, measured side by side in one run (python3 standard library only).

1. Pull throughput: a SIZE-MiB artifact (default 1024) from nginx on loopback, `zoo pull` against `curl -o`
   of the same URL and against `curl -o` followed by `sync FILE`, alternating, REPEATS times each, every run
   into a fresh directory on the same disk (ZOO_BENCH_DIR, default /var/tmp; /dev/shm measures without a disk).
   zoo's time includes what curl does not do: sha256, fsync, install as a blob, link into the model directory.
   Peak RSS of each zoo run comes from /usr/bin/time.
2. `zoo ls` over MODELS cached models (default 10000): a catalog of that many models imported with
   `zoo catalog import`, their cache rows written straight into the catalog database (sizes then recomputed
   by `zoo gc --dry-run`), then `zoo ls` and `zoo ls --json` timed as processes.

Usage: cache_bench.py --zoo .build/release/zoo [--size-mib 1024] [--repeats 5] [--models 10000] [--only pull|ls]
Prints one table per measure with medians and the ratio to the peer.
"""
import argparse
import hashlib
import json
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Nginx:
    """Debian's nginx serving ROOT on a free loopback port, with a throwaway prefix."""

    def __init__(self, root, work):
        self.port = free_port()
        conf = os.path.join(work, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""
daemon off; worker_processes 1; pid {work}/nginx.pid; error_log {work}/error.log;
events {{ worker_connections 64; }}
http {{
  access_log off; sendfile on; tcp_nopush on;
  client_body_temp_path {work}/body; proxy_temp_path {work}/proxy; fastcgi_temp_path {work}/fastcgi;
  uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;
  server {{ listen 127.0.0.1:{self.port}; root {root}; }}
}}
""")
        self.process = subprocess.Popen(["/usr/sbin/nginx", "-c", conf, "-p", work])
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("nginx did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait()


def timed(command, env=None):
    """Wall seconds and peak RSS (KiB) of one run."""
    start = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-f", "%M"] + command, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr}")
    return seconds, int(result.stderr.strip().splitlines()[-1])


def bench_pull(zoo, size_mib, repeats, work):
    mirror = os.path.join(work, "mirror")
    repo = "bignet-none-none"
    directory = os.path.join(mirror, "models", "zoobench", repo)
    os.makedirs(directory)
    artifact = os.path.join(directory, "model.onnx")
    digest = hashlib.sha256()
    with open(artifact, "wb") as f:
        block = os.urandom(1 << 20)
        for i in range(size_mib):
            chunk = block[i % 97:] + block[: i % 97]
            digest.update(chunk)
            f.write(chunk)
    size = size_mib << 20
    index = {"format": "zoo-catalog", "version": 1, "models": [{
        "stub": f"zoo:{repo}", "namespace": "zoobench", "repo_name": repo, "synthetic": True,
        "files": [{"name": "model.onnx", "url": f"models/zoobench/{repo}/model.onnx", "size": size, "sha256": digest.hexdigest()}]}]}
    with open(os.path.join(mirror, "index.json"), "w") as f:
        json.dump(index, f)
    nginx = Nginx(mirror, work)
    url = f"http://127.0.0.1:{nginx.port}"
    rows = {"curl -o": [], "curl -o; sync": [], "zoo pull": []}
    rss = []
    try:
        for _ in range(repeats):
            target = os.path.join(work, "curl-out")
            seconds, _ = timed(["curl", "-s", "-f", "-o", target, f"{url}/models/zoobench/{repo}/model.onnx"])
            rows["curl -o"].append(size / seconds / 1e6)
            os.remove(target)
            # The same download made durable, as zoo's is (fsync before the file is installed).
            start = time.perf_counter()
            timed(["curl", "-s", "-f", "-o", target, f"{url}/models/zoobench/{repo}/model.onnx"])
            subprocess.run(["sync", target], check=True)
            rows["curl -o; sync"].append(size / (time.perf_counter() - start) / 1e6)
            os.remove(target)
            home = os.path.join(work, "home")
            env = dict(os.environ, ZOO_HOME=home, ZOO_REGISTRY=url)
            subprocess.run([zoo, "catalog", "ls"], env=env, capture_output=True, check=True)  # catalog set-up outside the timing
            seconds, peak = timed([zoo, "pull", f"zoo:{repo}"], env=env)
            rows["zoo pull"].append(size / seconds / 1e6)
            rss.append(peak)
            shutil.rmtree(home)
    finally:
        nginx.stop()
    curl, durable, zoo_rate = (statistics.median(rows[k]) for k in ("curl -o", "curl -o; sync", "zoo pull"))
    print(f"\npull of a {size_mib} MiB artifact from nginx on loopback, {repeats} alternating runs each")
    print(f"{'tool':<14} {'median MB/s':>12} {'runs (MB/s)':<40}")
    for tool, values in rows.items():
        print(f"{tool:<14} {statistics.median(values):>12.0f} {' '.join(f'{v:.0f}' for v in values):<40}")
    print(f"ratio zoo / curl -o:        {zoo_rate / curl:.3f}   (bar: >= 0.90)")
    print(f"ratio zoo / curl -o; sync:  {zoo_rate / durable:.3f}   (both durable on disk when they finish)")
    print(f"zoo peak RSS: median {statistics.median(rss) / 1024:.1f} MiB, max {max(rss) / 1024:.1f} MiB   (bar: < 64 MiB)")


def bench_ls(zoo, models, repeats, work):
    home = os.path.join(work, "ls-home")
    env = dict(os.environ, ZOO_HOME=home, ZOO_OFFLINE="1")
    entries = [{"stub": f"zoo:lsnet-m{i}-none-pruned{50 + i % 45}", "namespace": "zoobench"} for i in range(models)]
    catalog_file = os.path.join(work, "ls-catalog.json")
    with open(catalog_file, "w") as f:
        json.dump({"format": "zoo-catalog", "version": 1, "models": entries}, f)
    subprocess.run([zoo, "catalog", "import", catalog_file], env=env, capture_output=True, check=True)
    db = sqlite3.connect(os.path.join(home, "catalog.sqlite"))
    now = time.time()
    with db:
        shared = hashlib.sha256(b"shared").hexdigest()
        db.execute("INSERT INTO blobs (sha256, size, added_at) VALUES (?, ?, ?)", (shared, 5_000_000, now))
        for i, entry in enumerate(entries):
            repo = entry["stub"][4:]
            own = hashlib.sha256(repo.encode()).hexdigest()
            db.execute("INSERT INTO blobs (sha256, size, added_at) VALUES (?, ?, ?)", (own, 1_000_000 + i, now))
            db.execute("INSERT INTO cached_models (namespace, repo_name, stub, complete, pinned, extracted_bytes, pulled_at, last_used) "
                       "VALUES ('zoobench', ?, ?, 1, ?, 2000000, ?, ?)", (repo, entry["stub"], int(i % 50 == 0), now - i, now - i))
            for name, blob in (("model.onnx", own), ("deployment/model.onnx", own), ("recipe.md", shared)):
                db.execute("INSERT INTO cached_files (namespace, repo_name, name, sha256) VALUES ('zoobench', ?, ?, ?)", (repo, name, blob))
    db.close()
    # The rows were written behind the store's back: gc recomputes every model's sizes from them.
    subprocess.run([zoo, "gc", "--dry-run"], env=env, capture_output=True, check=True)
    print(f"\n`zoo ls` over {models} cached models, {repeats} runs each (process wall time)")
    print(f"{'command':<24} {'median ms':>10} {'max ms':>8}")
    for command in (["ls"], ["ls", "--json"], ["ls", "--sort", "size"]):
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            out = subprocess.run([zoo] + command, env=env, capture_output=True, text=True, check=True).stdout
            times.append((time.perf_counter() - start) * 1000)
        assert out.count("lsnet-m") >= models, "every model is listed"
        print(f"{'zoo ' + ' '.join(command):<24} {statistics.median(times):>10.1f} {max(times):>8.1f}")
    print("bar: < 200 ms")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--zoo", default=".build/release/zoo")
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--models", type=int, default=10000)
    parser.add_argument("--only", choices=["pull", "ls"])
    args = parser.parse_args()
    zoo = os.path.abspath(args.zoo)
    with tempfile.TemporaryDirectory(prefix="zoo-cache-bench-", dir=os.environ.get("ZOO_BENCH_DIR", "/var/tmp")) as work:
        os.chmod(work, 0o755)  # nginx's workers run as an unprivileged user when it is started as root
        if args.only in (None, "pull"):
            bench_pull(zoo, args.size_mib, args.repeats, work)
        if args.only in (None, "ls"):
            bench_ls(zoo, args.models, args.repeats, work)


if __name__ == "__main__":
    main()
