#!/usr/bin/env python3
"""The daemon's speed bar: 200 concurrent `GET /v1/resolve` requests over its Unix socket, p99 < 20 ms.

    bench/serve_bench.py [--zoo .build/release/zoo ...] [--concurrency 200] [--rounds 25] [--repeats 5]

Each repeat starts `zoo serve` on a fresh temporary ZOO_HOME (the shipped catalog), takes the catalog's stubs from
`/v1/search`, then measures ROUNDS rounds of CONCURRENCY requests sent at once, each the resolve of a random stub,
two ways:
  - persistent: CONCURRENCY clients each keep one connection open (as a daemon's clients do) and send one request
    per round; latency from sending the request to the last byte of the answer;
  - fresh: every request on a new connection (as one `zoo` command makes); latency from opening the connection.
The first round meets a daemon that has answered nothing yet, so every repeat includes a cold start.
The bar is on the p99 of each round of CONCURRENCY requests, the median over all rounds of all repeats (the
machine is shared: single rounds and runs vary with other work); exits 1 if that p99 is 20 ms or more for the
first binary. Also printed: p50/p90/p99 over all the requests of a repeat (median of the repeats), and the
first round, whose requests all find the daemon cold (nothing answered yet: every stub a catalog query).
Several --zoo binaries are measured in alternation, repeat by repeat, so that they meet the same load. One client
thread with non-blocking sockets (Python standard library only), so that the daemon is what is measured.
"""
import argparse
import json
import os
import random
import selectors
import shutil
import signal
import statistics
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
    """Measures both modes; returns ({mode: ([each round's sorted latencies], failures)}, number of stubs)."""
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
        per_round, failures = [], 0
        for _ in range(rounds):
            targets = ["/v1/resolve?stub=" + urllib.parse.quote(random.choice(stubs), safe="") for _ in range(concurrency)]
            results = persistent_burst(connections, targets) if mode == "persistent" else burst(socket_path, targets)
            per_round.append(sorted(seconds for seconds, _ in results))
            failures += sum(1 for _, code in results if code != 200)
        measured[mode] = (per_round, failures)
    for connection in connections:
        connection.close()
    return measured, len(stubs)


def percentile(values, fraction):
    return values[min(len(values) - 1, int(round(fraction * (len(values) - 1))))]


def measure(zoo, concurrency, rounds):
    """One repeat: a fresh daemon on a fresh home; returns ({mode: (sorted latencies, failures)}, stubs)."""
    home = tempfile.mkdtemp(prefix="zoo-serve-bench-")
    socket_path = os.path.join(home, "zoo.sock")
    environment = dict(os.environ, ZOO_HOME=home, ZOO_OFFLINE="1")
    daemon = subprocess.Popen([zoo, "serve"], env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        line = daemon.stdout.readline().decode()
        if "listening" not in line:
            raise SystemExit(f"zoo serve did not start: {line}{daemon.stdout.read().decode()}")
        return run(socket_path, concurrency, rounds)
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=30)
        shutil.rmtree(home, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--zoo", action="append", help="a zoo binary (default .build/release/zoo); repeat to compare")
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    zoos = args.zoo or [".build/release/zoo"]

    ms = lambda seconds: f"{seconds * 1000:.2f}"
    quantiles = {"p50": 0.5, "p90": 0.9, "p99": 0.99}
    stats = lambda latencies: {name: percentile(latencies, q) for name, q in quantiles.items()}
    line = lambda values: "  ".join(f"{name} {ms(value)}" for name, value in values.items()) + " ms"
    # Per binary and mode: every round's percentiles, each repeat's percentiles over all its requests, and each
    # repeat's first round (the daemon cold).
    rounds = {zoo: {"persistent": [], "fresh": []} for zoo in zoos}
    pooled = {zoo: {"persistent": [], "fresh": []} for zoo in zoos}
    cold = {zoo: [] for zoo in zoos}
    failed = 0
    for repeat in range(args.repeats):
        for zoo in zoos:
            measured, stubs = measure(zoo, args.concurrency, args.rounds)
            for mode, (per_round, failures) in measured.items():
                failed += failures
                rounds[zoo][mode] += [stats(latencies) for latencies in per_round]
                pooled[zoo][mode].append(stats(sorted(sum(per_round, []))))
                print(f"repeat {repeat + 1} {zoo} {mode:10}: all requests {line(pooled[zoo][mode][-1])}; "
                      f"first round p99 {ms(rounds[zoo][mode][-args.rounds]['p99'])} ms ({failures} failed)", flush=True)
            cold[zoo].append(rounds[zoo]["persistent"][-args.rounds]["p99"])

    median = lambda rows: {name: statistics.median(row[name] for row in rows) for name in quantiles}
    print(f"\nresolve over the Unix socket: {args.repeats} repeats (a fresh daemon each) of {args.rounds} rounds of "
          f"{args.concurrency} concurrent requests, {stubs} stubs")
    for zoo in zoos:
        print(f"  {zoo}")
        for mode in ("persistent", "fresh"):
            print(f"    {mode:10} connections, median over rounds: {line(median(rounds[zoo][mode]))}; "
                  f"over all requests (median of repeats): {line(median(pooled[zoo][mode]))}")
        print(f"    first round after the start (cold, persistent): p99 {ms(statistics.median(cold[zoo]))} ms (median of repeats)")
    p99 = median(rounds[zoos[0]]["persistent"])["p99"]
    ok = p99 < 0.020 and failed == 0
    print(f"bar p99 < 20 ms (persistent connections, median over rounds, {zoos[0]}): " + ("met" if ok else "NOT met"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
