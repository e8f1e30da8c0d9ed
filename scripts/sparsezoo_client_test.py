#!/usr/bin/env python3
"""Downloads a model through a `zoo serve` with the real sparsezoo client and checks the files byte for byte.

    sparsezoo_client_test.py --api http://127.0.0.1:PORT --stub zoo:... --expected DIR --work DIR

SPARSEZOO_API_URL points sparsezoo at the daemon (its GraphQL API and, through the downloadUrls it answers, its
file endpoint). Every file under --expected must then exist, with the same bytes, in the model directory
sparsezoo wrote under --work (archives are compared by what they unpack to). Needs sparsezoo==1.8.* (the
project's .venv, scripts/venv.sh). Prints "N files byte-identical" and exits 0, or names what differs and exits 1.
"""
import argparse
import hashlib
import os
import sys


def digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api", required=True, help="the daemon's base URL")
    parser.add_argument("--stub", required=True, help="the stub to download")
    parser.add_argument("--expected", required=True, help="a directory of the files the model must have")
    parser.add_argument("--work", required=True, help="where sparsezoo may write")
    args = parser.parse_args()

    # Read at import time by sparsezoo: set before importing it. No analytics, no version check (no network).
    os.environ["SPARSEZOO_API_URL"] = args.api
    os.environ["SPARSEZOO_MODELS_PATH"] = os.path.join(args.work, "cache")
    os.environ["NM_DISABLE_ANALYTICS"] = "1"
    os.environ["NM_VERSION_CHECK"] = "false"
    from sparsezoo import Model

    target = os.path.join(args.work, "model")
    model = Model(args.stub, download_path=target)
    if not model.download():
        print(f"sparsezoo could not download every file of {args.stub}", file=sys.stderr)
        return 1

    problems, checked = [], 0
    for root, _, names in os.walk(args.expected):
        for name in sorted(names):
            expected = os.path.join(root, name)
            relative = os.path.relpath(expected, args.expected)
            actual = os.path.join(target, relative)
            if not os.path.isfile(actual):
                problems.append(f"{relative}: missing")
            elif digest(actual) != digest(expected):
                problems.append(f"{relative}: different bytes")
            checked += 1
    if checked == 0:
        problems.append(f"{args.expected} holds no files to compare")
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(f"{checked} files byte-identical")
    return 0


if __name__ == "__main__":
    sys.exit(main())
