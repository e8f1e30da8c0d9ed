#!/usr/bin/env python3
"""deepsparse.benchmark's sync scenario on ONNX Runtime, with its flags and JSON export.

Usage: ort_benchmark.py MODEL [-b B] [-ncores N] [-t T] [-w W] [-x OUT.json] [-q]

The session: CPUExecutionProvider, intra_op_num_threads=N, inter_op_num_threads=1, sequential execution,
every graph optimisation (ORT_ENABLE_ALL). Inputs are random with the batch size as first dimension (other
symbolic dimensions 1), in zoo bench's value ranges: floats uniform in [0, 1), integers 0 or 1.

Timing is deepsparse.benchmark's singlestream (deepsparse/benchmark/stream_benchmark.py): calls in a loop for
W seconds of warm-up, then, while the deadline of T seconds is not reached, one call after another, each timed
with perf_counter; items/s = B × calls ÷ (last end − first start); latencies in ms per batch with numpy's
median, mean, std and percentiles. Runs in a process of its own, so that ONNX Runtime's threads meet no others.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Sequence

import numpy as np
import onnx
import onnxruntime as ort
from onnx import helper

PERCENTILES = [25.0, 50.0, 75.0, 90.0, 95.0, 99.0, 99.9]


def session_options(cores: int) -> ort.SessionOptions:
    options = ort.SessionOptions()
    options.intra_op_num_threads = cores
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return options


def random_inputs(model: onnx.ModelProto, batch: int, seed: int = 0) -> dict[str, np.ndarray]:
    """One tensor per graph input (initializers excluded), first dimension = batch."""
    rng = np.random.default_rng(seed)
    initializers = {i.name for i in model.graph.initializer}
    feeds = {}
    for value in model.graph.input:
        if value.name in initializers:
            continue
        tensor = value.type.tensor_type
        shape = [max(d.dim_value, 1) for d in tensor.shape.dim]
        if shape:
            shape[0] = batch
        dtype = helper.tensor_dtype_to_np_dtype(tensor.elem_type)
        if np.issubdtype(dtype, np.floating):
            feeds[value.name] = rng.random(shape).astype(dtype)
        else:
            feeds[value.name] = rng.integers(0, 2, shape).astype(dtype)
    return feeds


def singlestream(session: ort.InferenceSession, feeds: dict[str, np.ndarray], seconds: float) -> list[tuple[float, float]]:
    """deepsparse's singlestream_benchmark: (start, end) of every call made before the deadline."""
    times = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        start = time.perf_counter()
        session.run(None, feeds)
        times.append((start, time.perf_counter()))
    return times


def statistics(times: list[tuple[float, float]], batch: int) -> dict[str, float]:
    """deepsparse's benchmark_result dictionary."""
    if not times:
        raise SystemExit("ort_benchmark: no call finished in the time given; raise -t")
    latencies = [(end - start) * 1000 for start, end in times]
    ran = max(e for _, e in times) - min(s for s, _ in times)
    return {
        "scenario": "singlestream",
        "items_per_sec": batch * len(times) / ran,
        "seconds_ran": ran,
        "iterations": len(times),
        "median": float(np.median(latencies)),
        "mean": float(np.mean(latencies)),
        "std": float(np.std(latencies)),
        **{f"{q:2.1f}%": float(v) for q, v in zip(PERCENTILES, np.percentile(latencies, PERCENTILES))},
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model_path")
    parser.add_argument("-b", "--batch_size", type=int, default=1)
    parser.add_argument("-ncores", "--num_cores", type=int, default=2)
    parser.add_argument("-t", "--time", type=float, default=10)
    parser.add_argument("-w", "--warmup_time", type=float, default=2)
    parser.add_argument("-x", "--export_path")
    parser.add_argument("-q", "--quiet", action="store_true")
    args = parser.parse_args(argv)

    model = onnx.load(args.model_path, load_external_data=False)
    feeds = random_inputs(model, args.batch_size)
    options = session_options(args.num_cores)
    session = ort.InferenceSession(args.model_path, options, providers=["CPUExecutionProvider"])
    description = (f"onnxruntime.InferenceSession: providers=CPUExecutionProvider, intra_op_num_threads={args.num_cores}, "
                   "inter_op_num_threads=1, execution_mode=ORT_SEQUENTIAL, graph_optimization_level=ORT_ENABLE_ALL")
    if not args.quiet:
        for name, value in feeds.items():
            print(f"Generating input '{name}', type = {value.dtype}, shape = {list(value.shape)}", file=sys.stderr)
    singlestream(session, feeds, args.warmup_time)
    result = statistics(singlestream(session, feeds, args.time), args.batch_size)
    export = {
        "engine": description,
        "version": ort.__version__,
        "orig_model_path": args.model_path,
        "model_path": args.model_path,
        "batch_size": args.batch_size,
        "input_shapes": [list(v.shape) for v in feeds.values()],
        "num_cores": args.num_cores,
        "scenario": "singlestream",
        "scheduler": "sequential",
        "seconds_to_run": args.time,
        "num_streams": 1,
        "benchmark_result": result,
        "fraction_of_supported_ops": 1.0,
    }
    if args.export_path:
        with open(args.export_path, "w") as out:
            json.dump(export, out, indent=2)
    print(f"Original Model Path: {args.model_path}")
    print(f"Batch Size: {args.batch_size}")
    print("Scenario: sync")
    print(f"Throughput (items/sec): {result['items_per_sec']:.4f}")
    print(f"Latency Mean (ms/batch): {result['mean']:.4f}")
    print(f"Latency Median (ms/batch): {result['median']:.4f}")
    print(f"Latency Std (ms/batch): {result['std']:.4f}")
    print(f"Iterations: {result['iterations']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
