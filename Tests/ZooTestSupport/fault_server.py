#!/usr/bin/env python3
"""An HTTP file server for zoo's tests that misbehaves on request (python3 standard library only).

Serves the files under --root on 127.0.0.1. Leading path segments choose faults; they can be combined and the
rest of the path names the file, e.g. /status/500/2/drop/4096/model.onnx:

  /drop/N/...           every response sends N body bytes, then the connection is closed
  /corrupt/...          the byte in the middle of the file is inverted (same length, wrong digest)
  /truncate/...         Content-Length claims 1024 bytes more than the body, then the connection is closed
  /status/CODE/TIMES/...  the first TIMES requests for this path get CODE (429 and 503 with Retry-After: 1)
  /stall/SECONDS/...    the first request for this path sends half the body, then waits SECONDS and closes
  /norange/...          Range is ignored: always 200 and the whole file
  /auth/TOKEN/...       401 unless the request has "Authorization: Bearer TOKEN"
  /redirect/...         302 to the same path without "/redirect"
  /redirect-port/P/...  302 to http://127.0.0.1:P/... (another server: another origin)

POST to any path answers 200 with the request's body (after the status and auth faults), for API-call tests.

Without faults, GET and HEAD serve the file with Range support (one "bytes=A-", "bytes=A-B" or "bytes=-N" range,
206 with Content-Range, 416 past the end). Each response is appended as one JSON line to --log:
{"method", "path", "range", "authorization", "status"}. The chosen port is printed as "PORT <n>" on stdout.
"""
import argparse
import json
import os
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CHUNK = 64 * 1024


class Faults:
    """The faults named by a request path's leading segments, and the file path that remains."""

    def __init__(self, path):
        self.drop = None
        self.corrupt = False
        self.truncate = False
        self.status = None  # (code, times)
        self.stall = None
        self.norange = False
        self.token = None
        self.redirect_to = None
        parts = [p for p in path.split("/") if p]
        while parts:
            head = parts[0]
            if head == "drop" and len(parts) > 2:
                self.drop, parts = int(parts[1]), parts[2:]
            elif head == "corrupt":
                self.corrupt, parts = True, parts[1:]
            elif head == "truncate":
                self.truncate, parts = True, parts[1:]
            elif head == "status" and len(parts) > 3:
                self.status, parts = (int(parts[1]), int(parts[2])), parts[3:]
            elif head == "stall" and len(parts) > 2:
                self.stall, parts = float(parts[1]), parts[2:]
            elif head == "norange":
                self.norange, parts = True, parts[1:]
            elif head == "auth" and len(parts) > 2:
                self.token, parts = parts[1], parts[2:]
            elif head == "redirect-port" and len(parts) > 2:
                port, parts = int(parts[1]), parts[2:]
                self.redirect_to = "http://127.0.0.1:%d/%s" % (port, "/".join(parts))
                break
            elif head == "redirect" and self.redirect_to is None:
                self.redirect_to = path.replace("/redirect", "", 1)
                parts = parts[1:]
            else:
                break
        self.file = "/".join(parts)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def do_HEAD(self):
        self.respond(send_body=False)

    def do_GET(self):
        self.respond(send_body=True)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        path = self.path.split("?", 1)[0]
        if self.injected(Faults(path), self.count(path)):
            return
        self.record(200)
        self.send_response(200)
        self.send_header("Content-Type", self.headers.get("Content-Type") or "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def record(self, status):
        entry = {
            "method": self.command,
            "path": self.path,
            "range": self.headers.get("Range"),
            "authorization": self.headers.get("Authorization"),
            "status": status,
        }
        with self.server.lock:
            self.server.log.write(json.dumps(entry) + "\n")
            self.server.log.flush()

    def count(self, path):
        """How many requests for `path` came before this one."""
        with self.server.lock:
            seen = self.server.counts.get(path, 0)
            self.server.counts[path] = seen + 1
            return seen

    def send_simple(self, status, text, extra_headers=()):
        body = text.encode()
        self.record(status)
        self.send_response(status)
        for name, value in extra_headers:
            self.send_header(name, value)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def injected(self, faults, seen):
        """Answers with the auth or status fault if one applies to this request; True if it did."""
        if faults.token is not None and self.headers.get("Authorization") != "Bearer " + faults.token:
            self.send_simple(401, "a bearer token is required\n", [("WWW-Authenticate", "Bearer")])
            return True
        if faults.status is not None and seen < faults.status[1]:
            code = faults.status[0]
            retry = [("Retry-After", "1")] if code in (429, 503) else []
            self.send_simple(code, "injected failure\n", retry)
            return True
        return False

    def respond(self, send_body):
        path = self.path.split("?", 1)[0]
        faults = Faults(path)
        seen = self.count(path)
        if self.injected(faults, seen):
            return
        if faults.redirect_to is not None:
            return self.send_simple(302, "moved\n", [("Location", faults.redirect_to)])

        root = os.path.realpath(self.server.root)
        file_path = os.path.realpath(os.path.join(root, faults.file))
        if not file_path.startswith(root + os.sep) or not os.path.isfile(file_path):
            return self.send_simple(404, "not found\n")
        size = os.path.getsize(file_path)

        start, end, status = 0, size - 1, 200
        requested = self.headers.get("Range")
        if requested and not faults.norange:
            parsed = parse_range(requested, size)
            if parsed is None:
                return self.send_simple(416, "range not satisfiable\n", [("Content-Range", "bytes */%d" % size)])
            start, end, status = parsed[0], parsed[1], 206

        length = end - start + 1
        claimed = length + 1024 if faults.truncate else length
        self.record(status)
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Accept-Ranges", "none" if faults.norange else "bytes")
        self.send_header("Content-Length", str(claimed))
        if status == 206:
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, end, size))
        self.end_headers()
        if not send_body:
            return

        limit = length
        if faults.drop is not None:
            limit = min(limit, faults.drop)
        stall_now = faults.stall is not None and seen == 0
        if stall_now:
            limit = min(limit, length // 2)
        middle = size // 2
        with open(file_path, "rb") as source:
            source.seek(start)
            sent = 0
            while sent < limit:
                chunk = bytearray(source.read(min(CHUNK, limit - sent)))
                if not chunk:
                    break
                position = start + sent
                if faults.corrupt and position <= middle < position + len(chunk):
                    chunk[middle - position] ^= 0xFF
                self.wfile.write(chunk)
                sent += len(chunk)
        if stall_now:
            time.sleep(faults.stall)
        if limit < length or faults.truncate or stall_now:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def parse_range(value, size):
    """(first, last) for one byte range of a file of `size` bytes, or None if it cannot be satisfied."""
    if not value.startswith("bytes=") or "," in value:
        return None
    first, _, last = value[len("bytes="):].partition("-")
    if first == "":
        if not last.isdigit() or int(last) == 0 or size == 0:
            return None
        return max(size - int(last), 0), size - 1
    if not first.isdigit() or int(first) >= size:
        return None
    end = min(int(last), size - 1) if last.isdigit() else size - 1
    return (int(first), end) if end >= int(first) else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True)
    parser.add_argument("--log", required=True)
    arguments = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.root = arguments.root
    server.lock = threading.Lock()
    server.counts = {}
    server.log = open(arguments.log, "a")
    print("PORT %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
