#!/usr/bin/env python3
"""Benchmark zoo's engine against ONNX Runtime on the same models, in one run.

Usage: engine_vs_ort.py [--zoo PATH] [--models SPEC[,SPEC...] | --all] [--threads N]
                        [--time T] [--warmup W] [--repeats R] [--cache DIR] [--json FILE]

SPEC is a model variant from bench/make_models.py with an optional batch size:
`resnet50`, `resnet50:16`, `resnet50-pruned90`, `mobilenet_v1`, `distilbert` (default:
`resnet50:1`; `--all` adds batch 16, MobileNet v1, DistilBERT and the pruned ResNet-50).
Missing models are generated into --cache (default .build/models).

For each model and each of R repeats (default 3) both engines run once, alternately
(the first to run swaps every repeat):
  - zoo: `zoo bench MODEL -b B -ncores N -t T -w W --json -q`, a separate process;
  - ONNX Runtime: intra_op_num_threads=N, inter_op_num_threads=1, sequential execution,
    all graph optimisations, on inputs of the shapes zoo ran (read from its JSON) and
    zoo's value ranges; timed the way zoo and deepsparse.benchmark time: W seconds of
    warm-up, then calls in a loop for T seconds, each timed with perf_counter.
The table shows, per engine, the median over repeats of the median latency (ms/batch)
and of the throughput (items/s), the latency ratio zoo/ORT of those medians, and the
median of the ratios within each repeat (less sensitive to load that comes and goes on a
shared machine, since the two runs of a repeat are back to back).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import onnx
import onnxruntime as ort
from onnx import helper

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODELS = ["resnet50:1"]
ALL_MODELS = ["resnet50:1", "resnet50:16", "mobilenet_v1:1", "distilbert:1", "resnet50-pruned90:1"]


def parse_spec(spec: str) -> tuple[str, int]:
    """`resnet50:16` → ("resnet50", 16); the batch defaults to 1."""
    name, _, batch = spec.partition(":")
    return name, int(batch or 1)


def ensure_model(variant: str, cache: Path) -> Path:
    """The variant's model.onnx, generated with make_models.py if missing."""
    path = cache / variant / "model.onnx"
    if path.exists():
        return path
    family, _, pruned = variant.partition("-pruned")
    prune = str(int(pruned) / 100) if pruned else "0"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "make_models.py"), "--out", str(cache), "--only", family, "--prune", prune],
        check=True, stdout=subprocess.DEVNULL,
    )
    if not path.exists():
        raise SystemExit(f"make_models.py did not write {path}; is {variant!r} a known variant?")
    return path


def run_zoo(zoo: Path, model: Path, batch: int, threads: int, seconds: float, warmup: float) -> dict[str, Any]:
    """One `zoo bench --json` run: its parsed report."""
    command = [str(zoo), "bench", str(model), "-b", str(batch), "-ncores", str(threads),
               "-t", str(seconds), "-w", str(warmup), "--json", "-q"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    return json.loads(done.stdout)


def random_inputs(model: onnx.ModelProto, shapes: list[list[int]], rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Inputs in zoo's value ranges: floats uniform in [0, 1), integers 0 or 1, booleans at random."""
    initializers = {i.name for i in model.graph.initializer}
    inputs = [v for v in model.graph.input if v.name not in initializers]
    feeds = {}
    for value, shape in zip(inputs, shapes):
        dtype = helper.tensor_dtype_to_np_dtype(value.type.tensor_type.elem_type)
        if np.issubdtype(dtype, np.floating):
            feeds[value.name] = rng.random(shape).astype(dtype)
        else:
            feeds[value.name] = rng.integers(0, 2, shape).astype(dtype)
    return feeds


def ort_session(model: Path, threads: int) -> ort.InferenceSession:
    """ONNX Runtime on `threads` threads, sequential, every graph optimisation."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])


def run_ort(session: ort.InferenceSession, feeds: dict[str, np.ndarray], batch: int, seconds: float, warmup: float) -> dict[str, float]:
    """Warm-up, then timed calls until the deadline: median latency (ms) and items/s as zoo computes them."""
    session.run(None, feeds)
    end = time.perf_counter() + warmup
    while time.perf_counter() < end:
        session.run(None, feeds)
    starts, ends = [], []
    deadline = time.perf_counter() + seconds
    while True:
        start = time.perf_counter()
        session.run(None, feeds)
        stop = time.perf_counter()
        starts.append(start)
        ends.append(stop)
        if stop >= deadline:
            break
    latencies = [(b - a) * 1000 for a, b in zip(starts, ends)]
    return {
        "median": float(np.median(latencies)),
        "items_per_sec": batch * len(latencies) / (ends[-1] - starts[0]),
        "iterations": len(latencies),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run every requested comparison and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--zoo", type=Path, default=ROOT / ".build" / "release" / "zoo", help="the zoo binary (default .build/release/zoo)")
    parser.add_argument("--models", type=lambda s: [m for m in s.split(",") if m], default=None, help="model specs, e.g. resnet50:1,resnet50:16")
    parser.add_argument("--all", action="store_true", help="also batch 16, MobileNet v1, DistilBERT and pruned ResNet-50")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="threads for both engines (default: all CPUs)")
    parser.add_argument("--time", type=float, default=10, help="seconds measured per run (default 10)")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of warm-up per run (default 2)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each engine per model (default 3)")
    parser.add_argument("--cache", type=Path, default=ROOT / ".build" / "models", help="where generated models are kept")
    parser.add_argument("--json", type=Path, help="also write every run's figures to this file")
    args = parser.parse_args(argv)
    specs = args.models or (ALL_MODELS if args.all else DEFAULT_MODELS)
    if not args.zoo.exists():
        parser.error(f"no zoo binary at {args.zoo}; build it with `swift build -c release --product zoo` or pass --zoo")

    rows, record = [], []
    rng = np.random.default_rng(0)
    for spec in specs:
        variant, batch = parse_spec(spec)
        model_path = ensure_model(variant, args.cache)
        model = onnx.load(str(model_path), load_external_data=False)
        session = ort_session(model_path, args.threads)
        feeds = None
        runs: dict[str, list[dict[str, float]]] = {"zoo": [], "ort": []}
        for repeat in range(args.repeats):
            # zoo runs first in the first repeat: ONNX Runtime takes the input shapes zoo reports.
            order = ["zoo", "ort"] if repeat % 2 == 0 else ["ort", "zoo"]
            for engine in order:
                if engine == "zoo":
                    report = run_zoo(args.zoo, model_path, batch, args.threads, args.time, args.warmup)
                    result = report["benchmark_result"]
                    runs["zoo"].append({"median": result["median"], "items_per_sec": result["items_per_sec"], "iterations": result["iterations"]})
                    if feeds is None:
                        feeds = random_inputs(model, report["zoo"]["input_shapes_run"], rng)
                else:
                    runs["ort"].append(run_ort(session, feeds, batch, args.time, args.warmup))
            print(f"{variant} b{batch} repeat {repeat + 1}: zoo {runs['zoo'][-1]['median']:.2f} ms, ORT {runs['ort'][-1]['median']:.2f} ms",
                  file=sys.stderr)
        summary = {engine: {key: statistics.median(r[key] for r in runs[engine]) for key in ("median", "items_per_sec")} for engine in runs}
        paired = statistics.median(z["median"] / o["median"] for z, o in zip(runs["zoo"], runs["ort"]))
        rows.append((variant, batch, summary, paired))
        record.append({"model": variant, "batch": batch, "threads": args.threads, "time": args.time, "warmup": args.warmup,
                       "runs": runs, "median_over_repeats": summary, "ratio_zoo_over_ort": summary["zoo"]["median"] / summary["ort"]["median"],
                       "median_ratio_per_repeat": paired})

    print(f"zoo vs ONNX Runtime {ort.__version__}: {args.threads} thread(s), {args.repeats} repeats of {args.time:g} s "
          f"after {args.warmup:g} s warm-up; medians over repeats")
    header = (f"{'model':22s} {'batch':>5s} {'zoo ms':>9s} {'ORT ms':>9s} {'zoo items/s':>12s} {'ORT items/s':>12s} "
              f"{'zoo/ORT':>8s} {'per repeat':>11s}")
    print(header)
    print("-" * len(header))
    for variant, batch, s, paired in rows:
        print(f"{variant:22s} {batch:5d} {s['zoo']['median']:9.2f} {s['ort']['median']:9.2f} "
              f"{s['zoo']['items_per_sec']:12.2f} {s['ort']['items_per_sec']:12.2f} {s['zoo']['median'] / s['ort']['median']:7.2f}x "
              f"{paired:10.2f}x")
    if args.json:
        args.json.write_text(json.dumps({"onnxruntime": ort.__version__, "results": record}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
