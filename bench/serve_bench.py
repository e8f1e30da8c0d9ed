#!/usr/bin/env python3
"""The daemon's speed bar: 200 concurrent `GET /v1/resolve` requests over its Unix socket, p99 < 20 ms.

    bench/serve_bench.py [--zoo .build/release/zoo] [--concurrency 200] [--rounds 25]

Starts `zoo serve` on a fresh temporary ZOO_HOME (the shipped catalog), takes the catalog's stubs from
`/v1/search`, then measures ROUNDS rounds of CONCURRENCY requests sent at once, each the resolve of a random stub,
two ways:
  - persistent: CONCURRENCY clients each keep one connection open (as a daemon's clients do) and send one request
    per round; latency from sending the request to the last byte of the answer;
  - fresh: every request on a new connection (as one `zoo` command makes); latency from opening the connection.
Prints p50/p90/p99/max in milliseconds for both; exits 1 if the persistent p99 is 20 ms or more. One client thread
with non-blocking sockets (Python standard library only), so that the daemon is what is measured.
"""
import argparse
import json
import os
import random
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse


def request(socket_path, target):
    """One HTTP/1.1 request over the Unix socket, blocking; returns (status, body)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.connect(socket_path)
        connection.sendall(f"GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
        data = b"".join(iter(lambda: connection.recv(1 << 16), b""))
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def burst(socket_path, targets):
    """Sends every request at once on its own connection, then reads the answers as they come (one thread,
    non-blocking sockets: a light client, so that the daemon is what is measured). Returns (seconds, status) each."""
    selector = selectors.DefaultSelector()
    for target in targets:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        started = time.perf_counter()
        connection.connect(socket_path)
        connection.sendall(f"GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
        connection.setblocking(False)
        selector.register(connection, selectors.EVENT_READ, [started, b""])
    results = []
    while len(results) < len(targets):
        for key, _ in selector.select():
            chunk = key.fileobj.recv(1 << 16)
            if chunk:
                key.data[1] += chunk
                continue
            elapsed = time.perf_counter() - key.data[0]
            status = int(key.data[1].split(b" ", 2)[1]) if key.data[1] else 0
            selector.unregister(key.fileobj)
            key.fileobj.close()
            results.append((elapsed, status))
    return results


def answered(data):
    """Whether `data` holds a whole response with a Content-Length body."""
    head, separator, body = data.partition(b"\r\n\r\n")
    if not separator:
        return False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value)
    return False


def persistent_burst(connections, targets):
    """Sends one request on each open connection at once, then reads the answers; returns (seconds, status) each."""
    selector = selectors.DefaultSelector()
    for connection, target in zip(connections, targets):
        connection.setblocking(True)
        started = time.perf_counter()
        connection.sendall(f"GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
        connection.setblocking(False)
        selector.register(connection, selectors.EVENT_READ, [started, b""])
    results = []
    while len(results) < len(targets):
        for key, _ in selector.select():
            key.data[1] += key.fileobj.recv(1 << 16)
            if answered(key.data[1]):
                results.append((time.perf_counter() - key.data[0], int(key.data[1].split(b" ", 2)[1])))
                selector.unregister(key.fileobj)
    selector.close()
    return results


def run(socket_path, concurrency, rounds):
    status, body = request(socket_path, "/v1/search?limit=100000")
    stubs = [model["stub"] for model in json.loads(body)["models"]]
    if status != 200 or not stubs:
        raise SystemExit(f"the daemon listed no stubs (HTTP {status})")
    connections = []
    for _ in range(concurrency):
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.connect(socket_path)
        connections.append(connection)
    measured = {}
    for mode in ("persistent", "fresh"):
        latencies, failures = [], 0
        for _ in range(rounds):
            targets = ["/v1/resolve?stub=" + urllib.parse.quote(random.choice(stubs), safe="") for _ in range(concurrency)]
            results = persistent_burst(connections, targets) if mode == "persistent" else burst(socket_path, targets)
            latencies += [seconds for seconds, _ in results]
            failures += sum(1 for _, code in results if code != 200)
        measured[mode] = (sorted(latencies), failures)
    for connection in connections:
        connection.close()
    return measured, len(stubs)


def percentile(values, fraction):
    return values[min(len(values) - 1, int(round(fraction * (len(values) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zoo", default=".build/release/zoo", help="the zoo binary")
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=25)
    args = parser.parse_args()

    home = tempfile.mkdtemp(prefix="zoo-serve-bench-")
    socket_path = os.path.join(home, "zoo.sock")
    environment = dict(os.environ, ZOO_HOME=home, ZOO_OFFLINE="1")
    daemon = subprocess.Popen([args.zoo, "serve"], env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        line = daemon.stdout.readline().decode()
        if "listening" not in line:
            raise SystemExit(f"zoo serve did not start: {line}{daemon.stdout.read().decode()}")
        measured, stubs = run(socket_path, args.concurrency, args.rounds)
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=30)
        shutil.rmtree(home, ignore_errors=True)

    ms = lambda seconds: f"{seconds * 1000:.2f}"
    print(f"resolve over the Unix socket: {args.rounds} rounds of {args.concurrency} concurrent requests, {stubs} stubs")
    for mode, (latencies, failures) in measured.items():
        print(f"  {mode:10} connections: p50 {ms(percentile(latencies, 0.5))}  p90 {ms(percentile(latencies, 0.9))}  "
              f"p99 {ms(percentile(latencies, 0.99))}  max {ms(latencies[-1])} ms  ({len(latencies)} requests, {failures} failed)")
    latencies, failures = measured["persistent"]
    ok = percentile(latencies, 0.99) < 0.020 and failures == 0
    print("bar p99 < 20 ms (persistent connections): " + ("met" if ok else "NOT met"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
