#!/usr/bin/env python3
"""Run a model once under ONNX Runtime on deterministic random inputs and save both sides.

Usage: ort_reference.py MODEL.onnx OUT_DIR [--batch N] [--seed S] [--dim NAME=SIZE ...]
                        [--shape INPUT=D0,D1,... ...] [--value INPUT=NUMBER ...] [--no-optimization]

Writes OUT_DIR/inputs/<name>.npy and .pb, OUT_DIR/outputs/<name>.npy and .pb (the .pb
files are ONNX TensorProto carrying the value's graph name), and OUT_DIR/reference.json
(file stems, shapes, element types, settings, onnxruntime version). File stems are the
value names with characters outside [A-Za-z0-9._-] replaced by "_".

Inputs, from numpy's default_rng(seed), one value after another in graph order:
  - float tensors: standard normal;
  - integer tensors named like "*mask*": ones;
  - integer tensors that index a Gather table held as an initializer (token ids):
    uniform in [0, rows of the table);
  - other integer tensors: zeros; bool tensors: true;
  - an input given --value INPUT=NUMBER: that number everywhere (e.g. a sample rate).
A symbolic first dimension is the batch (--batch, default 1); other symbolic dimensions
need --dim NAME=SIZE, and an input whose dimensions have no names (exporters write "", "?"
or -1) takes its whole shape from --shape INPUT=D0,D1,... (an empty list for a scalar). ONNX Runtime runs on one thread, sequentially, with all graph
optimisations (or none, with --no-optimization).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import onnx
import onnxruntime as ort
from onnx import helper, numpy_helper


def gather_table_rows(model: onnx.ModelProto) -> dict[str, int]:
    """For each value used as Gather indices into an initializer table, the table's size on that axis."""
    shapes = {i.name: list(i.dims) for i in model.graph.initializer}
    rows: dict[str, int] = {}
    for node in model.graph.node:
        if node.op_type == "Gather" and node.input[0] in shapes:
            axis = next((a.i for a in node.attribute if a.name == "axis"), 0)
            size = shapes[node.input[0]][axis]
            rows[node.input[1]] = min(size, rows.get(node.input[1], size))
    return rows


def concrete_shape(value: onnx.ValueInfoProto, batch: int, dims: dict[str, int]) -> list[int]:
    """The value's shape with symbolic dimensions resolved from --batch and --dim."""
    shape = []
    for position, d in enumerate(value.type.tensor_type.shape.dim):
        if d.HasField("dim_value") and d.dim_value >= 0:
            shape.append(d.dim_value)
        elif d.dim_param in dims:
            shape.append(dims[d.dim_param])
        elif position == 0:
            shape.append(batch)
        else:
            raise SystemExit(f"input {value.name!r}: give a size for dimension {d.dim_param!r} with --dim {d.dim_param or 'NAME'}=SIZE")
    return shape


def make_input(value: onnx.ValueInfoProto, shape: list[int], rows: dict[str, int], rng: np.random.Generator,
               constants: dict[str, float]) -> np.ndarray:
    """A deterministic input for one graph input (see the module docstring for the rules)."""
    dtype = helper.tensor_dtype_to_np_dtype(value.type.tensor_type.elem_type)
    if value.name in constants:
        return np.full(shape, constants[value.name], dtype)
    if dtype == np.bool_:
        return np.ones(shape, np.bool_)
    if np.issubdtype(dtype, np.floating):
        return rng.standard_normal(shape).astype(dtype)
    if "mask" in value.name.lower():
        return np.ones(shape, dtype)
    if value.name in rows:
        return rng.integers(0, rows[value.name], shape).astype(dtype)
    return np.zeros(shape, dtype)


def file_stem(name: str) -> str:
    """A file name for a value name."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", name)


def save(directory: Path, name: str, array: np.ndarray) -> dict[str, Any]:
    """Write one value as .npy and TensorProto .pb; return its reference.json entry."""
    directory.mkdir(parents=True, exist_ok=True)
    stem = file_stem(name)
    np.save(directory / f"{stem}.npy", array)
    (directory / f"{stem}.pb").write_bytes(numpy_helper.from_array(array, name).SerializeToString())
    return {"name": name, "file": stem, "shape": list(array.shape), "dtype": str(array.dtype)}


def session(model_path: Path, optimize: bool) -> ort.InferenceSession:
    """A single-threaded, sequential CPU session."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = (
        ort.GraphOptimizationLevel.ORT_ENABLE_ALL if optimize else ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    )
    return ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])


def parse_dim(text: str) -> tuple[str, int]:
    """Parse NAME=SIZE."""
    name, _, size = text.partition("=")
    return name, int(size)


def parse_shape(text: str) -> tuple[str, list[int]]:
    """Parse INPUT=D0,D1,... (nothing after "=" for a scalar)."""
    name, _, dims = text.partition("=")
    return name, [int(d) for d in dims.split(",") if d.strip()]


def parse_value(text: str) -> tuple[str, float]:
    """Parse INPUT=NUMBER."""
    name, _, number = text.partition("=")
    return name, float(number)


def main(argv: Sequence[str] | None = None) -> int:
    """Make the inputs, run ONNX Runtime, write everything."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", type=Path, help="the .onnx file")
    parser.add_argument("out_dir", type=Path, help="directory for inputs/, outputs/ and reference.json")
    parser.add_argument("--batch", type=int, default=1, help="size of a symbolic first dimension (default 1)")
    parser.add_argument("--seed", type=int, default=0, help="random seed for the inputs (default 0)")
    parser.add_argument("--dim", type=parse_dim, action="append", default=[], help="size of a symbolic dimension, NAME=SIZE")
    parser.add_argument("--shape", type=parse_shape, action="append", default=[], help="whole shape of an input, INPUT=D0,D1,...")
    parser.add_argument("--value", type=parse_value, action="append", default=[], help="fill an input with one number, INPUT=NUMBER")
    parser.add_argument("--no-optimization", action="store_true", help="run with ORT_DISABLE_ALL graph optimisation")
    args = parser.parse_args(argv)

    model = onnx.load(str(args.model), load_external_data=False)
    initializers = {i.name for i in model.graph.initializer}
    rows = gather_table_rows(model)
    rng = np.random.default_rng(args.seed)
    dims = dict(args.dim)
    shapes = dict(args.shape)
    constants = dict(args.value)
    feeds = {
        v.name: make_input(v, shapes[v.name] if v.name in shapes else concrete_shape(v, args.batch, dims), rows, rng, constants)
        for v in model.graph.input
        if v.name not in initializers
    }
    sess = session(args.model, not args.no_optimization)
    names = [o.name for o in sess.get_outputs()]
    results = sess.run(names, feeds)

    reference = {
        "model": str(args.model),
        "onnxruntime": ort.__version__,
        "seed": args.seed,
        "batch": args.batch,
        "graph_optimization": "none" if args.no_optimization else "all",
        "inputs": [save(args.out_dir / "inputs", n, a) for n, a in feeds.items()],
        "outputs": [save(args.out_dir / "outputs", n, a) for n, a in zip(names, results)],
    }
    (args.out_dir / "reference.json").write_text(json.dumps(reference, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
